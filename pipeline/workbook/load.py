"""Read the analysts' workbook into typed records that remember their sheet and cell.

The stages of the workbook side, in order: the file gate (`gate`), the streaming reader
(`reader`), the sheet's layout (`layout`), and each cell typed by its contract column
(`cells`). The workbook is opened read-only and never written. A cell that cannot be typed
keeps its raw value and an `Issue` from the catalogue for the validator to report.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import NamedTuple

from .. import catalogue
from ..contract import SHEETS, Column, ColumnType, Sheet
from ..contract import sheet as contract_sheet
from ..errors import WorkbookUnreadable
from ..forked import Child, can_fork, sendable
from .cells import BIDI_CONTROL, CONTROL, IDENTIFIER, PARSERS, UNTIDY, Untyped, blank, decoded, printing_first, shown, tidy
from .excel import ERROR_CODES, column_letter
from .gate import Issue, check_file
from .layout import LayoutIssue, RawSheet, normal, read_rows
from .reader import CellKind, Package, SheetPart, SheetStream, failing_as_unreadable, opened_workbook


@dataclass(frozen=True)
class Cell:
    ref: str  # "F7"
    raw: object  # what Excel holds (a formula's cached result)
    value: object  # typed by the column, text tidied; None when blank or unreadable
    issue: Issue | None = None  # why the value could not be read
    notes: tuple[Issue, ...] = ()  # what was odd about a value that could be read

    @property
    def is_blank(self) -> bool:
        return blank(self.raw)


@dataclass
class TypedColumn:
    """One contract column of a sheet, typed: for each data row its value as read (`raws`) and
    as typed (`values`), with the few cells that could not be read (`issues`) or were odd
    (`notes`) by row index. Held by column, not as a cell object each, so that a sheet of
    100,000 rows is lists, not a million objects."""

    name: str
    letter: str  # where the workbook has it: "F"
    raws: list
    values: list
    issues: dict[int, Issue] = field(default_factory=dict)
    notes: dict[int, tuple[Issue, ...]] = field(default_factory=dict)

    def cell(self, index: int, row: int) -> Cell:
        return Cell(
            f"{self.letter}{row}", self.raws[index], self.values[index], self.issues.get(index), self.notes.get(index, ())
        )

    def blanks(self) -> list[int]:
        """The rows (by index) whose cell is blank, found in one pass where there are none: a
        blank cell's text starts with white space, an escape or a character that prints nothing."""
        raws = self.raws
        if None not in raws:
            texts = [raw for raw in raws if raw.__class__ is str]
            firsts = "".join(map(_FIRST, texts))  # one character each, but for an empty text
            if len(firsts) == len(texts) and printing_first(firsts):
                return []
        return [index for index, raw in enumerate(raws) if blank(raw)]


# A text's first and last character, or nothing where it is empty; looked for in all of a
# column's at once.
_FIRST, _LAST = operator.itemgetter(slice(0, 1)), operator.itemgetter(slice(-1, None))
_SPACE = re.compile(r"\s")


class Record:
    """One data row, a view on its sheet's columns. `cells` holds the contract columns the
    sheet has; a column the contract declares but the sheet lacks reads as None, and one it
    does not declare raises UndeclaredColumn."""

    __slots__ = ("_data", "_index", "_values", "row")

    def __init__(self, data: SheetData, index: int):
        self._data, self._index = data, index
        self._values = data.column_values  # looked up once: a briefing reads a value a million times
        self.row: int = data.rows[index]

    @property
    def sheet(self) -> str:
        return self._data.title

    @property
    def cells(self) -> dict[str, Cell]:
        return {name: column.cell(self._index, self.row) for name, column in self._data.data.items()}

    # A column the sheet does not have reads as None, if the contract declares it.
    def cell(self, column: str) -> Cell | None:
        typed = self._data.data.get(column)
        if typed is None:
            self._data.contract.declared(column)
            return None
        return typed.cell(self._index, self.row)

    def value(self, column: str) -> object:
        values = self._values.get(column)
        if values is None:
            self._data.contract.declared(column)
            return None
        return values[self._index]

    def ref(self, column: str) -> str | None:
        typed = self._data.data.get(column)
        if typed is None:
            self._data.contract.declared(column)
            return None
        return f"{typed.letter}{self.row}"

    def __repr__(self) -> str:
        return f"Record({self.sheet}!{self.row})"


@dataclass
class SheetData:
    contract: Sheet
    title: str  # the sheet's name as the workbook spells it
    header_row: int
    columns: dict[str, str]  # contract column -> column letter where it was found
    headers: list[str]  # every header in the header row, as written
    layout: list[LayoutIssue]
    rows: list[int] = field(default_factory=list)  # each data row's number
    data: dict[str, TypedColumn] = field(default_factory=dict)  # the contract columns the sheet has, typed
    # The rows marked withdrawn, set aside: the briefing reads only their id and change_note.
    withdrawn: SheetData | None = None

    @cached_property
    def records(self) -> list[Record]:
        return [Record(self, index) for index in range(len(self.rows))]

    @cached_property
    def column_values(self) -> dict[str, list]:
        """The contract columns the sheet has, by name: each one's typed values."""
        return {name: typed.values for name, typed in self.data.items()}

    def column(self, name: str) -> list:
        """The column's typed values, one per data row; Nones where the sheet lacks it."""
        typed = self.data.get(name)
        if typed is None:
            self.contract.declared(name)
            return [None] * len(self.rows)
        return typed.values

    def fields(self) -> dict[str, Cell]:
        """A key-value sheet's fields: name -> value cell, the first row of each name."""
        found: dict[str, Cell] = {}
        for record in self.records:
            name, cell = record.value("field"), record.cell("value")
            if isinstance(name, str) and name.casefold() not in found and cell is not None:
                found[name.casefold()] = cell
        return found


@dataclass
class LoadedWorkbook:
    path: Path
    sheets: dict[str, SheetData]  # by contract sheet name; a missing sheet is absent
    sheet_titles: list[str]  # every worksheet, as the workbook names them
    notes: list[Issue] = field(default_factory=list)  # about the file as a whole

    def records(self, sheet_name: str) -> list[Record]:
        data = self.sheets.get(sheet_name)
        return data.records if data else []

    def withdrawn(self, sheet_name: str) -> list[Record]:
        """The sheet's rows marked withdrawn, which no check but their id's and nothing in the briefing reads."""
        data = self.sheets.get(sheet_name)
        return data.withdrawn.records if data and data.withdrawn else []

    def table(self, sheet_name: str) -> tuple[list[int], dict[str, list]]:
        """The sheet's row numbers and, by contract column, each row's typed value (Nones for a
        column the sheet lacks): the sheet as columns."""
        data = self.sheets.get(sheet_name)
        if data is None:
            return [], {column.name: [] for column in contract_sheet(sheet_name).columns}
        return data.rows, {column.name: data.column(column.name) for column in data.contract.columns}

    def fields(self) -> dict[str, object]:
        """The key-value sheet's fields by name, typed; None where a value could not be read."""
        data = next((d for d in self.sheets.values() if d.contract.key_value), None)
        return {name: cell.value for name, cell in data.fields().items()} if data else {}


def load(path: str | Path) -> LoadedWorkbook:
    """Read `path`; raise WorkbookUnreadable if it is not a workbook that can be read."""
    path = Path(path)
    notes = check_file(path)
    titles, sheets = _read_sheets(path)
    return LoadedWorkbook(path, {data.contract.name: data for data in sheets}, titles, notes)


@dataclass(frozen=True)
class _SheetRead:
    """A contract sheet the workbook has: the tab read for it, and others named alike."""

    position: int  # in the contract's order
    contract: Sheet
    part: SheetPart
    alike: tuple[SheetPart, ...]


class _Failure(NamedTuple):
    """Why sheets could not be read or typed, and when one process reading every sheet would
    have met it: all the sheets are read before any is typed, in the contract's order."""

    stage: int  # _READING or _TYPING
    position: int
    error: Exception


_READING, _TYPING = 0, 1
_Sheets = list[tuple[int, SheetData]] | _Failure  # each sheet by its position, or the first failure


def _read_sheets(path: Path) -> tuple[list[str], list[SheetData]]:
    """Every worksheet's title, and the contract sheets it has, read and typed. Where it pays,
    the largest are read and typed by a forked child while this process does the others; of
    the failures in either, the one that reading every sheet in turn would have met first is
    raised, so that the analyst is told what a single process would tell."""
    child: Child[_Sheets] | None = None
    try:
        with opened_workbook(path) as package:
            if not package.worksheets:
                raise WorkbookUnreadable(
                    f"{path} has no worksheets that can be read. If it was saved as 'Strict Open XML', "
                    "save it as 'Excel Workbook (.xlsx)' instead."
                )
            titles = [part.title for part in package.worksheets]
            reads = _sheet_reads(package)
            theirs = _child_share(package, reads)
            if theirs:
                try:
                    child = Child(partial(_read_apart, path, package, theirs))
                except OSError:  # no second process to be had: this one reads them all
                    theirs = []
            outcomes = [_read_and_typed(path, package, [read for read in reads if read not in theirs])]
        # Out of the package's block: a child that died is no fault of the workbook.
        if child is not None and not _met_first(outcomes[0], theirs):
            outcomes.append(child.result())
    finally:
        if child is not None:
            child.end()
    sheets: list[tuple[int, SheetData]] = []
    failures: list[_Failure] = []
    for outcome in outcomes:
        if isinstance(outcome, _Failure):
            failures.append(outcome)
        else:
            sheets += outcome
    if failures:
        raise min(failures, key=lambda failure: (failure.stage, failure.position)).error
    return titles, [data for _, data in sorted(sheets, key=lambda sheet: sheet[0])]


def _met_first(outcome: _Sheets, theirs: list[_SheetRead]) -> bool:
    """Whether `outcome` is the failure that reading every sheet in turn meets first, whatever
    the child's: a sheet that could not be read, before each that the child reads. Its result
    is then not waited for."""
    return isinstance(outcome, _Failure) and outcome.stage == _READING and all(outcome.position < r.position for r in theirs)


def _sheet_reads(package: Package) -> list[_SheetRead]:
    """The contract sheets the workbook has, in the contract's order."""
    by_name: dict[str, list[SheetPart]] = {}
    for part in package.worksheets:
        by_name.setdefault(part.title.strip().casefold(), []).append(part)
    reads = []
    for position, sheet in enumerate(SHEETS):
        alike = by_name.get(sheet.name.casefold(), [])
        if alike:
            # The tab named exactly as the contract names it, where there is one, is read; a
            # copy named alike is an error all the same, since either may be the stale one.
            chosen = next((part for part in alike if part.title == sheet.name), alike[0])
            reads.append(_SheetRead(position, sheet, chosen, tuple(part for part in alike if part is not chosen)))
    return reads


# The XML a sheet holds, unpacked, from which a forked child reads it. Below it the second
# core saves a few milliseconds on a quiet machine, and a busy one loses as many: the
# 1,000-statement workbook's largest sheet, 0.6 MB, is read alone. The 6,000's, 3.9 MB, is read
# in 0.26 s rather than 0.33.
FORK_FROM_BYTES = 2_000_000


def _child_share(package: Package, reads: list[_SheetRead]) -> list[_SheetRead]:
    """The sheets a forked child is to read, none where it would not pay or no child may be
    forked: the largest, then each of the others, largest first, where the child has less of
    the XML so far than this process."""
    size = {read.position: package.archive.getinfo(read.part.path).file_size for read in reads}
    by_size = sorted(reads, key=lambda read: size[read.position], reverse=True)
    if not by_size or size[by_size[0].position] < FORK_FROM_BYTES or not can_fork():
        return []
    theirs: list[_SheetRead] = []
    their_bytes = own_bytes = 0
    for read in by_size:
        if their_bytes <= own_bytes:
            theirs.append(read)
            their_bytes += size[read.position]
        else:
            own_bytes += size[read.position]
    return sorted(theirs, key=lambda read: read.position)


def _read_apart(path: Path, package: Package, reads: list[_SheetRead]) -> _Sheets:
    """`_read_and_typed` in the forked child, through a file position of its own, its failure
    made such that it comes through the pipe whole."""
    with failing_as_unreadable(path):
        package.read_apart()
    sheets = _read_and_typed(path, package, reads)
    return sheets._replace(error=sendable(sheets.error)) if isinstance(sheets, _Failure) else sheets


def _read_and_typed(path: Path, package: Package, reads: list[_SheetRead]) -> _Sheets:
    """The sheets of `reads`, each by its position: all read, then typed. The first failure
    is returned rather than raised, for `_read_sheets` to weigh against another process's."""
    raws = []
    for read in reads:
        try:
            with failing_as_unreadable(path):
                raw = read_rows(SheetStream(package, read.part), read.contract)
        except Exception as exc:
            return _Failure(_READING, read.position, exc)
        raw.layout[:0] = [_duplicate_sheet(read.part, other) for other in read.alike]
        raws.append(raw)
    typed = []
    for read, raw in zip(reads, raws):
        try:
            typed.append((read.position, _set_aside_withdrawn(_typed_sheet(raw))))
        except Exception as exc:
            return _Failure(_TYPING, read.position, exc)
    return typed


def _duplicate_sheet(read: SheetPart, other: SheetPart) -> LayoutIssue:
    return LayoutIssue(
        catalogue.DUPLICATE_SHEET,
        f"The tabs '{read.title}' and '{other.title}' have the same name once spaces and capitals are ignored, so it is "
        f"not clear which one the briefing should read ('{read.title}' was read). Delete the stale copy, or rename it.",
    )


def _typed_sheet(raw: RawSheet) -> SheetData:
    sheet = raw.contract
    letters = {name: column_letter(number) for name, number in raw.columns.items()}
    data = SheetData(sheet, raw.title, raw.header_row, letters, raw.headers, raw.layout, raw.numbers)
    if sheet.key_value:
        # Each row's field says how to type its value.
        fields = {column.name: column for column in sheet.columns}
        typing = [fields.get(normal(field), _FIELD_AS_TEXT) for field in raw.values.get("field", [None] * len(raw.numbers))]
        data.data = {
            name: _typed_column(raw, name, letter, typing if name == "value" else _FIELD_AS_TEXT)
            for name, letter in letters.items()
        }
    else:
        data.data = {name: _typed_column(raw, name, letter, sheet.column(name)) for name, letter in letters.items()}
    return data


_FIELD_AS_TEXT = Column("field", ColumnType.TEXT, "")


def _set_aside_withdrawn(data: SheetData) -> SheetData:
    """The sheet's rows but those marked withdrawn, which it holds apart in `withdrawn`: set
    aside here, once, so that no check, no chart and no count downstream meets them."""
    marker = data.contract.withdrawal
    typed = data.data.get(marker.name) if marker is not None else None
    if typed is None or True not in typed.values:
        return data
    kept = _rows_of(data, [index for index, value in enumerate(typed.values) if value is not True])
    kept.withdrawn = _rows_of(data, [index for index, value in enumerate(typed.values) if value is True])
    return kept


def _rows_of(data: SheetData, indexes: list[int]) -> SheetData:
    """The sheet with only the rows at `indexes`, their cells and what typing found in them."""
    position = {index: n for n, index in enumerate(indexes)}

    def part(column: TypedColumn) -> TypedColumn:
        return TypedColumn(
            column.name,
            column.letter,
            [column.raws[i] for i in indexes],
            [column.values[i] for i in indexes],
            {position[i]: issue for i, issue in column.issues.items() if i in position},
            {position[i]: notes for i, notes in column.notes.items() if i in position},
        )

    rows = [data.rows[i] for i in indexes]
    return SheetData(
        data.contract,
        data.title,
        data.header_row,
        data.columns,
        data.headers,
        data.layout,
        rows,
        {name: part(column) for name, column in data.data.items()},
    )


def _typed_column(raw: RawSheet, name: str, letter: str, typing: Column | list[Column]) -> TypedColumn:
    """A column typed, value by value as `typed_value` types one. A text that recurs (a
    section_id, a source, a date, a Y or N) is typed once; formulas, errors and hyperlinks,
    which are few, each on its own."""
    raws = raw.values[name]
    special = {index for index, column in raw.kinds if column == name}
    linked = {row for row, column in raw.links if column == name}
    special |= {index for index, row in enumerate(raw.numbers) if row in linked} if linked else set()
    if not special and isinstance(typing, Column) and _as_written(raws, typing):
        long = (
            {i: _long_text(v) for i, v in enumerate(raws) if v is not None and len(v) > LONG_TEXT_LIMIT}
            if typing.type is ColumnType.TEXT
            else {}
        )
        return TypedColumn(name, letter, raws, raws, notes=long)
    typed = TypedColumn(name, letter, raws, [None] * len(raws))
    seen: dict[object, tuple[object, Issue | None, tuple[Issue, ...]]] = {}
    for index, value in enumerate(raws):
        if index in special:
            column = typing[index] if isinstance(typing, list) else typing
            result = typed_value(
                value, raw.kinds.get((index, name), CellKind.PLAIN), column, raw.links.get((raw.numbers[index], name))
            )
        elif isinstance(typing, list):  # a key-value sheet: each row typed by its own field
            result = typed_value(value, CellKind.PLAIN, typing[index])
        else:
            # By type as well as value: True, 1 and 1.0 are equal keys, but not equal cells.
            key = value if value.__class__ is str else (value.__class__, value)
            cached = seen.get(key)
            if cached is None:
                cached = seen[key] = typed_value(value, CellKind.PLAIN, typing)
            result = cached
        typed.values[index], issue, notes = result
        if issue is not None:
            typed.issues[index] = issue
        if notes:
            typed.notes[index] = notes
    return typed


def _as_written(raws: list, column: Column) -> bool:
    """Whether every cell of a text or identifier column is its own value: text with nothing
    to decode, tidy or flag (and, for an identifier, nothing but its letters). Looked at in
    one search over the whole column rather than cell by cell: statements' texts and ids are
    nearly all distinct, so typing them one by one would cost a call each."""
    if column.type is not ColumnType.TEXT and not (column.type is ColumnType.ID and not column.several):
        return False
    texts = [value for value in raws if value is not None]
    if not texts or set(map(type, texts)) != {str}:
        return not texts
    joined = _SEPARATOR.join(texts)
    if _SUSPECT_CHARACTER.search(joined) or any(pair in joined for pair in ("_x", "  ", " \n", "\n ")):
        return False
    if _SPACE.search("".join(map(_FIRST, texts)) + "".join(map(_LAST, texts))):  # at either end of a text
        return False
    return column.type is ColumnType.TEXT or _IDENTIFIERS.fullmatch(joined) is not None


def typed_value(
    raw: object, kind: CellKind, column: Column, link: str | None = None
) -> tuple[object, Issue | None, tuple[Issue, ...]]:
    """A cell's value typed by its column, or why it cannot be, and what was odd about it. A
    cell of a column that takes links, and has one, is the address it links to, with a
    warning where it shows other text."""
    if raw is None:
        issue = Issue(catalogue.FORMULA_WITHOUT_VALUE, _FORMULA_WITHOUT_VALUE) if kind == CellKind.FORMULA else None
        return (False if column.type is ColumnType.FLAG else None), issue, ()
    if kind == CellKind.ERROR or (kind == CellKind.FORMULA and isinstance(raw, str) and raw in ERROR_CODES):
        return None, Issue(catalogue.EXCEL_ERROR, f"holds the Excel error {raw}. Correct the formula or type the value."), ()
    if raw.__class__ is str and link is None and not _SUSPECT.search(raw):
        # Nothing to decode, tidy or warn of: what the steps below would make of it, sooner.
        if column.type is ColumnType.TEXT:
            return raw, None, _long_text(raw)
        written: object = raw
        linked: tuple[Issue, ...] = ()
    else:
        written = decoded(raw) if isinstance(raw, str) else raw  # as Excel shows it
        linked = ()
        if link is not None and link != tidy(str(written)):
            linked = (
                Issue(
                    catalogue.URL_FROM_LINK,
                    f"shows {shown(written)} but links to {shown(link)}; the briefing prints the link's address. "
                    "Type the address itself in the cell to clear this warning.",
                ),
            )
            written = link
    try:
        value = PARSERS[column.type](written, column)
    except Untyped as problem:
        return None, Issue(problem.rule, problem.message), ()
    return value, None, linked + (_text_notes(written, value, column) if isinstance(written, str) else ())


# Longer than any paragraph a briefing should print: most likely several cells pasted into one.
LONG_TEXT_LIMIT = 2_500
_EXCEL_CELL_LIMIT = 32_767


# Invisible characters that change no letter's shape, so that text which looks alike does not
# match. The joiners U+200C and U+200D are left alone: Persian and Indic scripts spell with them.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
# Anything in a text that typing changes or warns of: an _xHHHH_ escape or a carriage return
# to decode, a control, direction or zero-width character, spaces to tidy. Text without any
# (nearly every cell) is its own value.
_SUSPECT = re.compile(f"_x|\r|{CONTROL.pattern}|{BIDI_CONTROL.pattern}|{_ZERO_WIDTH.pattern}|{UNTIDY.pattern}")
# A column's texts are searched at once, joined by U+0000, which no text read from XML can hold
# (XML cannot carry it; only an _x0000_ escape, itself suspect, spells it). The characters
# _SUSPECT looks for, in one class; its sequences are looked for apart, as a search for a
# class is many times faster than one for alternatives.
_SEPARATOR = "\x00"
_SUSPECT_CHARACTER = re.compile(
    # CONTROL's characters less U+0000, the direction controls, the zero-width ones, CR and tab.
    "[\r\t\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff" + BIDI_CONTROL.pattern[1:-1] + _ZERO_WIDTH.pattern[1:-1] + "]"
)
_IDENTIFIERS = re.compile(f"{IDENTIFIER.pattern}(?:\x00{IDENTIFIER.pattern})*")


def _text_notes(written: str, value: object, column: Column) -> tuple[Issue, ...]:
    """What was tidied in a text value, invisible characters in it, and text too long to be
    one paragraph."""
    notes = []
    invisible = _ZERO_WIDTH.search(written)
    if invisible and value is not None:
        notes.append(
            Issue(
                catalogue.ZERO_WIDTH,
                f"contains the invisible zero-width character U+{ord(invisible.group()):04X} at character {invisible.start() + 1}, "
                "usually pasted from a web page: the text looks the same with or without it, but does not match. Delete it.",
            )
        )
    if isinstance(value, (str, tuple)) and tidy(written) != written:
        notes.append(
            Issue(
                catalogue.EXTRA_SPACES,
                "has spaces at the start or end, or two spaces in a row; the briefing prints it without them. "
                "Tidy the cell to clear this warning.",
            )
        )
    if column.type is ColumnType.TEXT:
        notes += _long_text(written)
    return tuple(notes)


def _long_text(text: str) -> tuple[Issue, ...]:
    if len(text) <= LONG_TEXT_LIMIT:
        return ()
    cut = " It is exactly Excel's limit, so the end may have been cut off." if len(text) >= _EXCEL_CELL_LIMIT else ""
    return (
        Issue(
            catalogue.LONG_TEXT,
            f"is {len(text):,} characters long; a briefing paragraph is rarely over {LONG_TEXT_LIMIT:,}. "
            f"Check that it is one entry, not several pasted together.{cut}",
        ),
    )


_FORMULA_WITHOUT_VALUE = (
    "holds a formula that has never been calculated, so there is no value to read. "
    "Open the workbook in Excel and save it, or type the value."
)
