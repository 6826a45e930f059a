"""Editions: what a released briefing held, and what changed since.

A snapshot keeps an edition's content as the workbook gave it: every sheet of the contract, row
by row with its id, each column typed as the contract says and written as JSON. It is generic
over `contract.SHEETS`, so a column the contract gains is kept, compared and printed again
without a change here. It is canonical (keys sorted, rows in workbook order, blanks left out),
so the same content is the same bytes. Beside the content it keeps which edition it was
compared with and what it printed about the changes since, so that it can be printed again
exactly as it was released.

`compare` matches items across two editions by their ids: added, withdrawn, revised (which
columns), or replaced (an id reused for unrelated content, which `checks.editions` defines).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from json.encoder import encode_basestring as _json_string
from typing import Any, Protocol, TypeVar

from ..checks.editions import unrelated
from ..contract import SHEETS, Column, ColumnType, Sheet, StatementKind, choice
from ..contract import sheet as contract_sheet
from ..dates import PartialDate
from ..errors import InputError
from ..json_input import JsonInput
from ..rows import Fields, Values

FORMAT = "russia-iran-briefing/edition/1"
_T = TypeVar("_T")


class ChangeKind(StrEnum):
    """How an item differs between two editions."""

    ADDED = "added"
    REVISED = "revised"
    REPLACED = "replaced"  # its id reused for unrelated content
    WITHDRAWN = "withdrawn"


class ItemKind(StrEnum):
    """What sort of item changed, declared in the order the changes are told in and `diff`
    groups them. A statement that is a key judgement in either edition is told as one."""

    KEY_JUDGEMENT = "key judgement"
    BRIEFING = "briefing"
    SECTION = "section"
    STATEMENT = "statement"
    FIGURE = "figure"
    EVENT = "event"
    CHART = "chart"
    OUTLOOK = "outlook"
    SOURCE = "source"


_TOLD = list(ItemKind)
# The kind of item a sheet's rows are.
KINDS = {
    "Briefing": ItemKind.BRIEFING,
    "Sections": ItemKind.SECTION,
    "Sources": ItemKind.SOURCE,
    "Figures": ItemKind.FIGURE,
    "Statements": ItemKind.STATEMENT,
    "Events": ItemKind.EVENT,
    "Charts": ItemKind.CHART,
    "Outlook": ItemKind.OUTLOOK,
}
# Fields that name the edition itself: they change from one to the next by definition.
EDITION_FIELDS = ("as_of", "edition")

_BRIEFING = next(s for s in SHEETS if s.key_value)
# A snapshot is read as any input is: no larger than a workbook the pipeline reads could give
# (a 100,000-row workbook's is some 60 MB), numbers as a cell may hold them, texts as a cell may.
SNAPSHOT = JsonInput(
    noun="edition snapshot",
    article="an",
    limit=512 << 20,
    remedy="Use the snapshot in editions/ beside the workbook, restored from version control if need be.",
)


@dataclass(frozen=True)
class ChangesNote:
    """What a briefing prints about its changes since the previous edition: a heading for the
    contents, a lead sentence, and one line per change or count of changes."""

    heading: str
    lead: str
    items: tuple[str, ...]


class Row:
    """One row of a released edition, typed as the workbook's records are: a column it left
    blank reads as None, one its sheet does not declare raises UndeclaredColumn."""

    __slots__ = ("_values", "row", "contract")

    def __init__(self, values: dict[str, object], row: int, contract: Sheet):
        self._values = values
        self.row = row  # its place among the sheet's rows, as a workbook row number
        self.contract = contract

    def value(self, column: str) -> object:
        found = self._values.get(column)
        if found is None:
            self.contract.declared(column)
        return found


class Edition:
    """A released edition, read back from its snapshot. It reads as a validated workbook
    does (`records`, `fields`, `table`), so the briefing model can print it again; parsing has checked
    that its references hold, as validation did when it was released."""

    def __init__(
        self,
        content: dict,
        since: tuple[str | None, dt.date] | None,
        changes: ChangesNote | None,
        origin: str,
        withdrawn: dict | None = None,
    ):
        self.content = content  # as the snapshot writes it
        self.since = since  # (label, as_of) of the edition it was compared with; None for a first edition
        self.changes = changes
        self.origin = origin  # where it was read from, for messages
        decoders = {sheet.name: _decoders(sheet.name) for sheet in SHEETS}  # one edition's: what they remember goes with it
        self._fields = _decoded_row(content[_BRIEFING.name], decoders[_BRIEFING.name])
        self._rows = {
            sheet.name: [
                Row(_decoded_row(raw, decoders[sheet.name]), n, sheet) for n, raw in enumerate(content[sheet.name], start=2)
            ]
            for sheet in SHEETS
            if not sheet.key_value
        }
        self._withdrawn = {
            name: [Row(_decoded_row(raw, decoders[name]), 0, contract_sheet(name)) for raw in rows]
            for name, rows in (withdrawn or {}).items()
        }

    @property
    def label(self) -> str | None:
        return self._fields.get("edition")

    @property
    def as_of(self) -> dt.date:
        return self._fields["as_of"]

    def records(self, sheet_name: str) -> list[Row]:
        return self._rows.get(sheet_name, [])

    def withdrawn(self, sheet_name: str) -> list[Row]:
        """The rows this edition withdrew, marked so in its workbook: each with its id and change_note."""
        return self._withdrawn.get(sheet_name, [])

    def fields(self) -> dict[str, object]:
        return dict(self._fields)

    def table(self, sheet_name: str) -> tuple[list[int], dict[str, list]]:
        """The sheet's row numbers and, by contract column, each row's value."""
        rows = self.records(sheet_name)
        return [r.row for r in rows], {
            column.name: [r.value(column.name) for r in rows] for column in contract_sheet(sheet_name).columns
        }

    @classmethod
    def parse(cls, data: bytes, origin: str) -> Edition:
        """The edition a snapshot holds; InputError naming `origin` when it is not one, or is damaged."""
        document = SNAPSHOT.parse(data, origin)
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise InputError(f"{origin} is not an edition snapshot this pipeline wrote (its format is not {FORMAT}).")
        try:
            content = _checked_content(document.get("content"))
            since = document.get("since")
            changes = document.get("changes")
            edition = cls(
                content,
                (since.get("edition"), dt.date.fromisoformat(since["as_of"])) if since is not None else None,
                ChangesNote(changes["heading"], changes["lead"], tuple(changes["items"])) if changes is not None else None,
                origin,
                _checked_withdrawn(document.get("withdrawn", {})),
            )
            _check_integrity(edition)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{origin} holds a damaged edition snapshot: {exc}. {SNAPSHOT.remedy}") from exc
        return edition


class Readable(Protocol):
    """A workbook, validated or not, or an edition: what a snapshot and a comparison read."""

    def records(self, sheet_name: str) -> Sequence[Values]: ...

    def fields(self) -> dict[str, Any]: ...

    def table(self, sheet_name: str) -> tuple[list[int], dict[str, list]]: ...

    def withdrawn(self, sheet_name: str) -> Sequence[Values]: ...


def content(workbook: Readable) -> dict[str, object]:
    """The content of a workbook (validated or not) or of an edition, as a snapshot keeps it: the key-value
    fields, and every sheet's rows in order, each a column -> value mapping of the columns that
    hold something. Encoded a column at a time, as the workbook holds its values."""
    found: dict[str, object] = {}
    for sheet in SHEETS:
        if sheet.key_value:
            fields = workbook.fields()
            found[sheet.name] = _encoded_row(sheet, fields.get)
        else:
            _, columns = workbook.table(sheet.name)
            names = [column.name for column in sheet.columns]
            encoded = [list(map(_encoded, columns[name])) for name in names]
            found[sheet.name] = (
                [{name: value for name, value in zip(names, row) if value is not None} for row in zip(*encoded)]
                if encoded
                else []
            )
    return found


def snapshot(
    workbook: Readable, changes: ChangesNote | None, since: Edition | None, encoded: dict[str, object] | None = None
) -> bytes:
    """The snapshot of a briefing: its workbook's content (`encoded`, where the caller has it
    already), the edition it was compared with, what it printed about the changes since, and
    the rows it withdrew, each with its id and change_note (only where there are some).
    Canonical JSON: the same content, the same bytes."""
    document: dict[str, object] = {"format": FORMAT, "content": content(workbook) if encoded is None else encoded}
    if withdrawn := _withdrawn(workbook):
        document["withdrawn"] = withdrawn
    if since is not None:
        document["since"] = {"as_of": since.as_of.isoformat(), **({"edition": since.label} if since.label else {})}
    if changes is not None:
        document["changes"] = {**asdict(changes), "items": list(changes.items)}
    return (canonical_json(document) + "\n").encode("utf-8")


def _withdrawn(workbook: Readable) -> dict[str, list[dict[str, object]]]:
    """The rows marked withdrawn, by sheet: what tells why they went, their id and change_note."""
    found: dict[str, list[dict[str, object]]] = {}
    for sheet in SHEETS:
        if sheet.withdrawal is not None and (rows := workbook.withdrawn(sheet.name)):
            kept = [c for c in sheet.columns if c is sheet.id_column or c is sheet.change_note]
            found[sheet.name] = [
                {c.name: _encoded(r.value(c.name)) for c in kept if _encoded(r.value(c.name)) is not None} for r in rows
            ]
    return found


def canonical_json(value: object) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)` writes it,
    character for character, in half the time: the standard library's fast encoder does not
    indent, and its indenting one spent a second on a 100,000-row workbook."""
    out: list[str] = []
    _write_json(value, "\n", out.append)
    return "".join(out)


def _write_json(value: object, newline: str, put: Callable[[str], object]) -> None:
    if isinstance(value, str):
        put(_json_string(value))
    elif isinstance(value, dict):
        if not value:
            put("{}")
            return
        inner = newline + " "
        lead = "{" + inner
        for key in sorted(value):
            item = value[key]
            if isinstance(item, str):  # most values: written here, not by a call
                put(lead + _json_string(key) + ": " + _json_string(item))
            elif item and isinstance(item, list) and all(isinstance(i, str) for i in item):  # a list of ids, say
                deeper = inner + " "
                put(lead + _json_string(key) + ": [" + deeper + ("," + deeper).join(map(_json_string, item)) + inner + "]")
            else:
                put(lead + _json_string(key) + ": ")
                _write_json(item, inner, put)
            lead = "," + inner
        put(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            put("[]")
            return
        inner = newline + " "
        lead = "[" + inner
        for item in value:
            put(lead)
            _write_json(item, inner, put)
            lead = "," + inner
        put(newline + "]")
    elif value is None or isinstance(value, bool):
        put("null" if value is None else "true" if value else "false")
    elif isinstance(value, int):
        put(int.__repr__(value))
    else:  # a float, as json writes it (NaN and the infinities by name)
        put(json.dumps(value))


# --- comparing two editions -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One item that differs between two editions."""

    kind: ItemKind
    id: str  # the row's id; for the briefing, the field's name
    change: ChangeKind
    old: Values | None = None
    new: Values | None = None  # the new edition's record
    columns: tuple[str, ...] = ()  # for a revision, the columns that differ
    note: str | None = None  # why, as the row's change_note says, where it says something new

    @property
    def old_row(self) -> Values:
        """The item as the old edition has it, which all but an addition have."""
        if self.old is None:
            raise ValueError(f"{self.kind} {self.id} is {self.change}: the old edition has no row of it")
        return self.old

    @property
    def new_row(self) -> Values:
        """The item as the new edition has it, which all but a withdrawal have."""
        if self.new is None:
            raise ValueError(f"{self.kind} {self.id} is {self.change}: the new edition has no row of it")
        return self.new

    def as_dict(self) -> dict:
        """The change as `diff --format json` prints it; each differing column with its two values."""
        found: dict[str, object] = {"kind": self.kind, "id": self.id, "change": self.change}
        if self.columns and self.old is not None and self.new is not None:  # a revision
            found["columns"] = {
                name: {"old": _encoded(self.old.value(name)), "new": _encoded(self.new.value(name))} for name in self.columns
            }
        if self.note:
            found["note"] = self.note
        return found


@dataclass(frozen=True)
class Comparison:
    """What changed from the `old` edition to the workbook or edition compared with it."""

    old: Edition
    label: str | None  # the new edition's
    as_of: dt.date
    changes: tuple[Change, ...]

    def of(self, kind: ItemKind, *changes: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (not changes or c.change in changes)]

    def replaced(self) -> set[tuple[str, str]]:
        """(kind, id) of the ids reused for unrelated content: not the same item in both editions."""
        return {(c.kind, c.id) for c in self.changes if c.change == ChangeKind.REPLACED}

    def as_dict(self) -> dict:
        def edition(label: str | None, as_of: dt.date) -> dict:
            return {"edition": label, "as_of": as_of.isoformat()}

        return {
            "from": edition(self.old.label, self.old.as_of),
            "to": edition(self.label, self.as_of),
            "changes": [c.as_dict() for c in self.changes],
        }


def compare(old: Edition, new: Readable, encoded: dict[str, object] | None = None) -> Comparison:
    """Every item that differs between `old` and `new` (a validated workbook, or an edition),
    matched by id, in the order of ItemKind and, within a kind, as the new edition lists them,
    the withdrawn last. `encoded` is `new`'s `content`, where the caller has it already."""
    now_content = content(new) if encoded is None else encoded
    found: list[Change] = []
    fields = new.fields()
    now = _encoded_row(_BRIEFING, fields.get)
    before = old.content[_BRIEFING.name]
    for column in _BRIEFING.columns:
        if column.name not in EDITION_FIELDS and before.get(column.name) != now.get(column.name):
            found.append(
                Change(
                    KINDS[_BRIEFING.name],
                    column.name,
                    ChangeKind.REVISED,
                    Fields(old.fields()),
                    Fields(fields),
                    (column.name,),
                )
            )
    for sheet in SHEETS:
        id_column = sheet.id_column
        if id_column is None:
            continue
        olds = {str(row.value(id_column.name)): row for row in old.records(sheet.name)}  # parsing checked the ids are text
        news = {record.value(id_column.name): record for record in new.records(sheet.name)}
        # Each row as JSON holds it, by id: rows the same there are the same item (most, in a new edition).
        olds_held = {str(raw[id_column.name]): raw for raw in _rows_of(old.content, sheet)}
        news_held = {raw.get(id_column.name): raw for raw in _rows_of(now_content, sheet)}
        compared = [c.name for c in sheet.columns if not c.about_changes]
        for identifier, record in news.items():
            previous = olds.get(identifier)
            if previous is None:
                found.append(
                    Change(_kind(sheet, record), identifier, ChangeKind.ADDED, new=record, note=_note(sheet, None, record))
                )
                continue
            held = olds_held.get(identifier)
            if held is not None and held == news_held.get(identifier):
                continue
            columns = tuple(name for name in compared if _encoded(previous.value(name)) != _encoded(record.value(name)))
            if columns:
                change = ChangeKind.REPLACED if unrelated(sheet, previous, record) else ChangeKind.REVISED
                note = _note(sheet, previous, record)
                found.append(Change(_kind(sheet, previous, record), identifier, change, previous, record, columns, note))
        marked = {record.value(id_column.name): record for record in new.withdrawn(sheet.name)}
        found += [
            Change(_kind(sheet, row), i, ChangeKind.WITHDRAWN, old=row, note=_note(sheet, row, marked.get(i)))
            for i, row in olds.items()
            if i not in news
        ]
    found.sort(key=lambda c: (_TOLD.index(c.kind), c.change == ChangeKind.WITHDRAWN))
    return Comparison(old, fields.get("edition"), fields["as_of"], tuple(found))


def _rows_of(content: dict[str, object], sheet: Sheet) -> list[dict[str, object]]:
    rows = content[sheet.name]
    if not isinstance(rows, list):
        raise TypeError(f"{sheet.name} is not a sheet of rows")
    return rows


def _note(sheet: Sheet, old: Values | None, new: Values | None) -> str | None:
    """The new row's change_note, unless the old row had it already: a note left from the last
    edition told that edition's change."""
    column = sheet.change_note
    if column is None or new is None:
        return None
    note = new.value(column.name)
    return note if isinstance(note, str) and note and (old is None or old.value(column.name) != note) else None


def is_key_judgement(row: Values) -> bool:
    """A key assessment, as the model's `Statement.is_judgement` reads the row."""
    return row.value("kind") == StatementKind.ASSESSMENT and bool(row.value("key"))


def _kind(sheet: Sheet, *rows: Values) -> ItemKind:
    if sheet.name == "Statements" and any(is_key_judgement(r) for r in rows):
        return ItemKind.KEY_JUDGEMENT
    return KINDS[sheet.name]


# --- encoding ---------------------------------------------------------------------------------


def _encoded(value: object) -> object:
    """A typed value as JSON holds it; None for a blank (N, empty)."""
    if value.__class__ is str:  # most values
        return value or None
    if value is None or value is False or value == ():
        return None
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _encoded_row(sheet: Sheet, value: Callable[[str], object]) -> dict[str, object]:
    """A row's columns that hold something, each as JSON holds it."""
    found = {}
    for column in sheet.columns:
        encoded = _encoded(value(column.name))
        if encoded is not None:
            found[column.name] = encoded
    return found


def _decoded_row(raw: dict, decoders: dict[str, Callable[[object], object]]) -> dict:
    """A row as the snapshot holds it (only the sheet's columns: `_checked_content` kept them),
    typed by its sheet's `decoders` (`_decoders`), which the caller keeps for all its rows."""
    return {name: decoders[name](value) for name, value in raw.items()}


def _decoders(sheet_name: str) -> dict[str, Callable[[object], object]]:
    """How each column of a sheet is read back: most are text or one id, taken as they are once
    checked to be; any other value (a date, a number, a choice) is decoded once however many rows
    repeat it, as the workbook's cells are typed."""

    def decoder(column: Column) -> Callable[[object], object]:
        if column.type in (ColumnType.TEXT, ColumnType.ID) and not column.choices and not column.several:

            def text(raw: object) -> object:
                return raw if raw.__class__ is str else _of(raw, str, column)

            return text
        decoded: dict[tuple[type, object], object] = {}  # by the value's class too: 1, 1.0 and True are one key

        def typed(raw: object) -> object:
            kind = raw.__class__
            if kind is float and not raw:  # 0.0 and -0.0, one key, print apart
                return _decoded(column, raw)
            key = (kind, tuple(raw) if isinstance(raw, list) else raw)
            try:
                return decoded[key]
            except KeyError:
                found = decoded[key] = _decoded(column, raw)
                return found
            except TypeError:  # a value no dict holds (a list of lists), which `_decoded` refuses
                return _decoded(column, raw)

        return typed

    return {column.name: decoder(column) for column in contract_sheet(sheet_name).columns}


def _decoded(column: Column, raw: object) -> object:
    """A JSON value read back as the column's type; ValueError when it is not one."""
    kind = column.type
    if kind is ColumnType.DATE:
        return dt.date.fromisoformat(_of(raw, str, column))
    if kind is ColumnType.PARTIAL_DATE:
        return PartialDate.parse(_of(raw, str, column))
    if kind is ColumnType.NUMBER:
        return float(_of(raw, (int, float), column))
    if kind is ColumnType.INTEGER:
        return _of(raw, int, column)
    if kind is ColumnType.FLAG:
        return _of(raw, bool, column)
    if kind is ColumnType.ID_LIST or column.several:
        return tuple(_of(item, str, column) for item in _of(raw, list, column))
    if column.choices:  # the contract's own value, as the workbook's cell is typed; one not allowed is refused later
        allowed = choice(column.choices, _of(raw, str, column))
        return allowed.value if allowed else raw
    return _of(raw, str, column)


def _of(raw: object, kinds: type[_T] | tuple[type[_T], ...], column: Column) -> _T:
    if not isinstance(raw, kinds) or (isinstance(raw, bool) and kinds is not bool):
        raise ValueError(f"{column.name} holds {raw!r}, which is not a {column.type.value}")
    return raw


def _checked_content(content: object) -> dict:
    """The content part, with every sheet of the contract, only its columns kept."""
    if not isinstance(content, dict):
        raise ValueError("it has no content")
    kept: dict[str, object] = {}
    for sheet in SHEETS:
        raw = content.get(sheet.name, {} if sheet.key_value else [])
        names = {c.name for c in sheet.columns}
        if sheet.key_value:
            kept[sheet.name] = {k: v for k, v in raw.items() if k in names}
        else:  # a row of only the sheet's columns, as nearly every one is, kept as it is
            kept[sheet.name] = [row if row.keys() <= names else {k: v for k, v in row.items() if k in names} for row in raw]
    return kept


def _checked_withdrawn(withdrawn: object) -> dict:
    """The withdrawn part, each row with its id: only the sheets whose rows may be withdrawn, only their columns."""
    if not isinstance(withdrawn, dict):
        raise ValueError("its withdrawn rows are not a mapping")
    kept = {}
    for sheet in SHEETS:
        id_column = sheet.id_column
        if sheet.withdrawal is not None and id_column is not None and sheet.name in withdrawn:
            names = {c.name for c in sheet.columns}
            kept[sheet.name] = [{k: v for k, v in row.items() if k in names} for row in withdrawn[sheet.name]]
            if any(id_column.name not in row for row in kept[sheet.name]):
                raise ValueError(f"a row withdrawn from {sheet.name} has no id")
    return kept


def _check_integrity(edition: Edition) -> None:
    """What the briefing model relies on: required values there, allowed values allowed, ids
    unique and every reference naming a row. ValueError saying what is wrong."""
    listed = {
        sheet.name: [r.value(column.name) for r in edition.records(sheet.name)]
        for sheet in SHEETS
        if (column := sheet.id_column) is not None
    }
    for name, ids in listed.items():
        if len(set(ids)) != len(ids):
            raise ValueError(f"{name} gives an id twice")
    known = {name: set(ids) for name, ids in listed.items()}
    for sheet in SHEETS:
        # Each row's typed values, read straight: only the sheet's own columns are asked for.
        rows = [edition._fields] if sheet.key_value else [row._values for row in edition.records(sheet.name)]
        checked = [c for c in sheet.columns if c.required or c.required_when or c.choices or c.references]
        # Looked for a column at a time; the first problem in the rows' order told, as row by row.
        found = [(at, n) for n, column in enumerate(checked) if (at := _first_problem(sheet, rows, column, known)) is not None]
        if found:
            at, n = min(found)
            raise ValueError(_problem(sheet, rows[at], checked[n], known))


def _problem(sheet: Sheet, row: dict, column: Column, known: dict[str, set]) -> str | None:
    """What is wrong with `row`'s value of `column`, if anything (`_check_integrity`)."""
    value, condition = row.get(column.name), column.required_when
    if value is None and (column.required or (condition and row.get(condition[0]) in condition[1])):
        return f"{sheet.name} has a row without its {column.name}"
    if value is not None and column.choices and (not isinstance(value, str) or choice(column.choices, value) is None):
        return f"{sheet.name} gives {column.name} {value!r}, which is not allowed"
    if value is not None and column.references:
        missing = [i for i in (value if isinstance(value, tuple) else (value,)) if i not in known[column.references]]
        if missing:
            return f"{sheet.name} names {', '.join(missing)}, which {column.references} lacks"
    return None


def _first_problem(sheet: Sheet, rows: list[dict], column: Column, known: dict[str, set]) -> int | None:
    """The first of `rows` whose value of `column` has a problem (`_problem`), or None: a blank
    where the column (or the row's other column) requires a value, or a value given that is not
    allowed or names no row, which is so whatever its row: each distinct value looked at once."""
    values = [row.get(column.name) for row in rows]
    found: list[int] = []
    if column.required and None in values:
        found.append(values.index(None))
    elif column.required_when and None in values:
        other, requiring = column.required_when
        found += [at for at, (value, row) in enumerate(zip(values, rows)) if value is None and row.get(other) in requiring][:1]
    if column.choices or column.references:
        try:
            distinct = set(values)
        except TypeError:  # a value no set holds (a list, in a damaged snapshot): row by row
            return next((at for at, row in enumerate(rows) if _problem(sheet, row, column, known)), None)
        wrong = {value for value in distinct if value is not None and _problem(sheet, {column.name: value}, column, known)}
        if wrong:
            found.append(next(at for at, value in enumerate(values) if value in wrong))
    return min(found, default=None)
