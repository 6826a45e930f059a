"""Check the loaded workbook against the contract and report every problem at once.

Each problem names the sheet and cell (`Figures!F7`), the column, a stable code and a sentence
an analyst understands. Errors stop the build; warnings are printed and the build goes on.
Every code, its severity and what to do about it are declared once, in `catalogue`.
Only a workbook without errors becomes a `ValidWorkbook`, the one input the briefing takes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any

from .. import catalogue, contract, forked, languages
from ..catalogue import Problem, Rule, Severity, errors
from ..contract import (
    KEY_VALUE_HEADERS,
    LIKELIHOODS,
    SHEETS,
    Choice,
    Column,
    ColumnType,
    OutlookKind,
    Qualifier,
    Sheet,
    StatementKind,
    Yardstick,
    choice,
)
from ..dates import PartialDate
from ..formats import NAMED_AT_MOST, did_you_mean, folded, format_number, some
from ..measures import Claim, same_measure, with_unit, written
from ..rows import UncheckedChartRow, UncheckedFigureRow, UncheckedOutlookRow, UncheckedSourceRow, UncheckedStatementRow
from ..workbook.cells import IDENTIFIER
from ..workbook.gate import Issue
from ..workbook.load import LoadedWorkbook, Record, SheetData
from . import editions, estimative, marking, provenance


class ValidWorkbook:
    """A workbook that passed validation without errors: what the briefing is built from.
    Only `check` hands one out, so "errors stop the build" is a matter of types, not of
    every caller remembering to look."""

    def __init__(self, workbook: LoadedWorkbook, _issued_by: object = None):
        if _issued_by is not _CHECK:
            raise TypeError("a ValidWorkbook comes from pipeline.check, which validates the workbook first")
        self._workbook = workbook

    @property
    def path(self) -> Path:
        return self._workbook.path

    def records(self, sheet_name: str) -> list[Record]:
        """The sheet's rows, each value typed by its column; none has an error."""
        return self._workbook.records(sheet_name)

    def withdrawn(self, sheet_name: str) -> list[Record]:
        """The sheet's rows marked withdrawn, each with a well-formed id of its own."""
        return self._workbook.withdrawn(sheet_name)

    def fields(self) -> dict[str, object]:
        """The key-value sheet's fields by name, typed."""
        return self._workbook.fields()

    def table(self, sheet_name: str) -> tuple[list[int], dict[str, list]]:
        """The sheet's row numbers and, by contract column, each row's typed value (Nones for a
        column the sheet lacks): the sheet as columns, as a DataFrame is made of them."""
        return self._workbook.table(sheet_name)


_CHECK = object()


@dataclass(frozen=True)
class Checked:
    """What validation found in a workbook, and the workbook to build from when it allows."""

    workbook: LoadedWorkbook
    problems: list[Problem]
    previous: editions.PreviousEdition | None = None  # the edition it was checked against

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != Severity.ERROR]

    @property
    def valid(self) -> ValidWorkbook | None:
        """The workbook to build from, or None when it has errors."""
        return None if self.errors else ValidWorkbook(self.workbook, _CHECK)


def check(workbook: LoadedWorkbook, previous: editions.PreviousEdition | None = None) -> Checked:
    return Checked(workbook, validate(workbook, previous), previous)


def validate(workbook: LoadedWorkbook, previous: editions.PreviousEdition | None = None) -> list[Problem]:
    """Every problem in the workbook, in reading order: the file, then sheet by sheet in the
    contract's order, row by row, column by column. With the `previous` edition, also what the
    workbook does against it (`editions`)."""
    problems = [Problem.of(note.rule, note.message) for note in workbook.notes]
    ids = _known_ids(workbook)
    citations = _Citations(workbook, ids)
    for sheet in SHEETS:
        data = workbook.sheets.get(sheet.name)
        if data is None:
            if not sheet.optional:
                problems.append(_missing_sheet(sheet, workbook.sheet_titles))
            continue
        problems += [
            Problem.of(issue.rule, issue.message, data.title, issue.ref, issue.row, issue.column) for issue in data.layout
        ]
        if sheet.key_value:
            problems += _check_fields(data, ids, workbook)
        else:
            problems += _check_columns(data)
            for column in sheet.columns:
                problems += _check_column(data, column, ids, workbook, citations)
            if data.withdrawn is not None:  # only what the changes read of them: the id and the note
                for column in sheet.columns:
                    if column is sheet.id_column or column.about_changes:
                        problems += _check_column(data.withdrawn, column, ids, workbook, citations)
            problems += _check_unique(data)
    problems += _check_usage(workbook)
    problems += _check_meaning(workbook)
    if previous is not None:
        problems += editions.problems(workbook, previous)
    return sorted(problems, key=_reading_order(workbook))


def _reading_order(workbook: LoadedWorkbook) -> Callable[[Problem], tuple]:
    """A sort key: the file first, then sheets in the contract's order (however the workbook
    spells their names), rows top to bottom, columns in the contract's order."""
    contracts: dict[str | None, Sheet] = {s.name: s for s in SHEETS}
    contracts.update({data.title: data.contract for data in workbook.sheets.values()})
    sheet_index = {s.name: i for i, s in enumerate(SHEETS)}
    columns = {
        s.name: {name: i for i, name in enumerate([*(KEY_VALUE_HEADERS if s.key_value else ()), *(c.name for c in s.columns)])}
        for s in SHEETS
    }

    def key(found: Problem) -> tuple:
        contract = contracts.get(found.sheet)
        if contract is None:
            return (-1, 0, -1)
        return (sheet_index[contract.name], found.row or 0, columns[contract.name].get(found.column, -1))

    return key


# --- structure --------------------------------------------------------------------------------


def _missing_sheet(sheet: Sheet, titles: list[str]) -> Problem:
    hint = did_you_mean(sheet.name, titles) or " Add it, or create a blank workbook with `init` to copy it from."
    return Problem.of(catalogue.MISSING_SHEET, f"The workbook has no sheet named '{sheet.name}'.{hint}", sheet.name)


def _check_columns(data: SheetData) -> list[Problem]:
    """Required columns, and those some row needs (likelihood, once a row is an assessment):
    a workbook written before a column was added stays valid until it uses what needs it."""
    problems = []
    for column in data.contract.columns:
        if column.name in data.columns:
            continue
        needing = column.required_when and next((r for r in data.records if _is_required(column, r)), None)
        if not (column.required or needing):
            continue
        hint = did_you_mean(column.name, [h for h in data.headers if h.casefold() not in data.columns])
        other, values = column.required_when or ("", ())
        need = (
            f", which rows whose {other} is {' or '.join(values)} need (as at {data.title}!{needing.ref(other)})"
            if needing
            else f", which the {data.contract.name} sheet needs"
        )
        problems.append(
            Problem.of(
                catalogue.MISSING_COLUMN,
                f"Row {data.header_row} has no column headed '{column.name}'{need}.{hint}",
                data.title,
                row=data.header_row,
                column=column.name,
            )
        )
    return problems


# --- cells ------------------------------------------------------------------------------------


def _at(record: Record, column: str, rule: Rule, message: str) -> Problem:
    return Problem.of(rule, message, record.sheet, record.ref(column), record.row, column)


def _check_column(
    data: SheetData, column: Column, ids: dict[str, set[str]], workbook: LoadedWorkbook, citations: _Citations
) -> list[Problem]:
    """Every cell of one column, judged by the contract: what typing found, then each blank
    cell a row needs and each reference to a row that does not exist. Column by column, so
    that only the cells with something to report are visited one by one."""
    typed = data.data.get(column.name)
    if typed is None:
        return []
    records = data.records
    found = [
        _cell_issue(records[index], column.name, column, issue, typed.raws[index], ids) for index, issue in typed.issues.items()
    ]
    found += [
        _at(records[index], column.name, note.rule, f"{column.name} {note.message}")
        for index, notes in typed.notes.items()
        for note in notes
    ]
    if column.required or column.required_when:
        blank = [index for index in typed.blanks() if index not in typed.issues]
        found += [
            _at(records[index], column.name, catalogue.REQUIRED, _required_message(column, data.contract))
            for index in blank
            if _is_required(column, records[index])
        ]
    if column.references and column.references in workbook.sheets:
        known = ids[column.references]
        # Judged once per distinct value: a section or source is named by thousands of rows.
        unknown = {
            value
            for value in set(typed.values) - {None}
            if not (known.issuperset(value) if isinstance(value, tuple) else value in known)
        }
        if unknown:
            aside = workbook.sheets[column.references].withdrawn
            withdrawn = set(aside.column(aside.contract.referenced_by.name)) if aside is not None else set()
            cited = citations.of(column.references)
            found += [
                problem
                for index, value in enumerate(typed.values)
                if value in unknown
                for problem in _check_reference(records[index], column.name, column, value, known, withdrawn, cited)
            ]
    return found


def _cell_issue(record: Record, key: str, column: Column, issue: Issue, raw: object, ids: dict[str, set[str]]) -> Problem:
    """What typing found wrong with a cell, with the id it likely meant where it is a reference."""
    hint = ""
    if issue.rule is catalogue.BAD_ID and column.references and column.type is ColumnType.ID:
        hint = _reference_hint(str(raw), column, ids)
    return _at(record, key, issue.rule, f"{column.name} {issue.message}{hint}")


def _check_cell(
    record: Record, key: str, column: Column, sheet: Sheet, ids: dict[str, set[str]], workbook: LoadedWorkbook
) -> list[Problem]:
    """The cell under `key` in `record`, judged by the contract's `column`: in the Briefing
    sheet the cell is always under `value`, and the row's field names the column."""
    cell = record.cell(key)
    if cell is None:
        return []
    if cell.issue:
        return [_cell_issue(record, key, column, cell.issue, cell.raw, ids)]
    found = [_at(record, key, note.rule, f"{column.name} {note.message}") for note in cell.notes]
    if cell.is_blank and _is_required(column, record):
        found.append(_at(record, key, catalogue.REQUIRED, _required_message(column, sheet)))
    elif column.references and cell.value is not None and column.references in workbook.sheets:
        found += _check_reference(record, key, column, cell.value, ids[column.references])
    return found


def _reference_hint(raw: str, column: Column, ids: dict[str, set[str]]) -> str:
    """The id a badly formed reference likely means ('S 1' → S1): for a list, its one bad part."""
    parts = raw.split(",") if column.several else [raw]
    bad = [part for part in parts if not IDENTIFIER.fullmatch(part.strip())]
    if len(bad) != 1:
        return ""
    return did_you_mean(re.sub(r"\s+", "", bad[0]), sorted(ids.get(column.references or "", ())))


def _is_required(column: Column, record: Record) -> bool:
    if column.required:
        return True
    if column.required_when:
        other, values = column.required_when
        return record.value(other) in values
    return False


def _required_message(column: Column, sheet: Sheet) -> str:
    if column.required_when:
        other, values = column.required_when
        return f"{column.name} is empty; a row whose {other} is {' or '.join(values)} needs it."
    if sheet.key_value:
        return f"{column.name} is empty; the briefing needs it."
    return f"{column.name} is empty; every row of {sheet.name} needs it."


class _Citations:
    """How many cells, in every column that references a sheet, cite each id the sheet lacks: one
    cited by many is most likely a row deleted. Counted once some reference is found missing,
    once per sheet referenced."""

    def __init__(self, workbook: LoadedWorkbook, ids: dict[str, set[str]]):
        self._workbook, self._ids = workbook, ids
        self._counted: dict[str, Counter[str]] = {}

    def of(self, referenced: str) -> Counter[str]:
        if referenced not in self._counted:
            known = self._ids[referenced]
            self._counted[referenced] = Counter(
                part
                for data in self._workbook.sheets.values()
                for column in data.contract.columns
                if column.references == referenced and column.name in data.data
                for value in data.column(column.name)
                if value is not None
                for part in _as_tuple(value)
                if part not in known
            )
        return self._counted[referenced]


def _known_ids(workbook: LoadedWorkbook) -> dict[str, set[str]]:
    ids = {}
    for sheet in SHEETS:
        id_column = sheet.id_column
        if id_column is not None:
            data = workbook.sheets.get(sheet.name)
            ids[sheet.name] = set(data.column(id_column.name)) - {None} if data else set()
    return ids


def _check_reference(
    record: Record,
    key: str,
    column: Column,
    value: object,
    known: set[str],
    withdrawn: AbstractSet[str] = frozenset(),
    cited: Mapping[str, int] | None = None,
) -> list[Problem]:
    """A reference to rows that do not exist. An id cited by several cells gets one message for
    all of them, which the output tells once with their count; each cell is still a problem of its own."""
    unknown = [value for value in _as_tuple(value) if value not in known]
    if not unknown:
        return []
    listed = ", ".join(unknown)
    noun = "is" if len(unknown) == 1 else "are"
    if set(unknown) <= withdrawn:
        message = f"{column.name} names {listed}, which {noun} marked withdrawn in the {column.references} sheet. Take {'it' if len(unknown) == 1 else 'them'} out of this row too."
        return [_at(record, key, catalogue.UNKNOWN_REFERENCE, message)]
    times = cited.get(unknown[0], 1) if cited and len(unknown) == 1 else 1
    if times > 1:
        message = (
            f"{unknown[0]} is cited {times} times and is not in the {column.references} sheet: "
            "was its row deleted? Restore the row, or cite another."
        )
        return [_at(record, key, catalogue.UNKNOWN_REFERENCE, message)]
    hint = did_you_mean(unknown[0], sorted(known)) if len(unknown) == 1 else ""
    return [
        _at(
            record,
            key,
            catalogue.UNKNOWN_REFERENCE,
            f"{column.name} names {listed}, which {noun} not in the {column.references} sheet.{hint}",
        )
    ]


def _check_unique(data: SheetData) -> list[Problem]:
    problems = []
    for column in data.contract.columns:
        if not column.unique or column.name not in data.columns:
            continue
        first_seen: dict[object, str | None] = {}
        rows: Iterable[tuple[Record, object]] = zip(data.records, data.column(column.name))
        if data.withdrawn is not None:  # a withdrawn row's id names it still
            rows = chain(rows, zip(data.withdrawn.records, data.withdrawn.column(column.name)))
        for record, value in rows:
            if value is None:
                continue
            if value in first_seen:
                problems.append(
                    _at(
                        record,
                        column.name,
                        catalogue.DUPLICATE_ID,
                        f"{column.name} {value} is used twice; it is already at {data.title}!{first_seen[value]}. Give each row its own.",
                    )
                )
            else:
                first_seen[value] = record.ref(column.name)
    return problems


# --- references in use ------------------------------------------------------------------------


def _check_usage(workbook: LoadedWorkbook) -> list[Problem]:
    """Sources nothing cites and sections nothing is filed under: not wrong, but a reviewer
    would ask why they are there."""
    problems = []
    for target, rule, unused in (
        (
            "Sources",
            catalogue.UNUSED_SOURCE,
            "No figure, statement or event cites {id}; it is listed in the sources annex all the same.",
        ),
        (
            "Sections",
            catalogue.EMPTY_SECTION,
            "Nothing is filed under {id}; the briefing prints it as a chapter with only its intro.",
        ),
    ):
        id_column = contract.sheet(target).referenced_by.name
        used: set[object] = set()
        for sheet in SHEETS:
            for column in sheet.columns:
                if column.references == target:
                    values = [value for _, value in _rows(workbook, sheet.name, column.name) if value is not None]
                    used.update(value for value in values if not isinstance(value, tuple))
                    used.update(part for value in values if isinstance(value, tuple) for part in value)
        for record, value in _rows(workbook, target, id_column):
            if value is not None and value not in used:
                problems.append(_at(record, id_column, rule, unused.format(id=f"{id_column} {value}")))
    return problems


def _rows(workbook: LoadedWorkbook, sheet_name: str, *columns: str) -> Iterator[tuple[Any, ...]]:
    """Each row of a sheet with its values in `columns`, the sheet's lists zipped: a check
    that reads a few columns of 100,000 rows reads them as lists, not cell by cell."""
    data = workbook.sheets.get(sheet_name)
    if data is None:
        return iter(())
    return zip(data.records, *(data.column(column) for column in columns))


def _unread(workbook: LoadedWorkbook, sheet_name: str, column: str) -> dict[int, Issue]:
    """The rows (by index) of a sheet whose cell in `column` could not be read: each is reported
    at its cell, and nothing that follows from a value it does not hold."""
    data = workbook.sheets.get(sheet_name)
    return data.data[column].issues if data is not None and column in data.data else {}


def _as_tuple(value: object) -> tuple:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


# --- meaning ----------------------------------------------------------------------------------

_PERCENT_UNITS = {"%", "percent", "per cent", "pct", "percentage", "percentage points", "pp"}
_PERCENT_RANGE = (-100, 1000)


def _check_meaning(workbook: LoadedWorkbook) -> list[Problem]:
    """What the workbook says, checked: on a large workbook, most checks of the statements'
    wording (`_WORDING_CHECKS`, half the time) in a forked child while this process does the
    rest. The problems come in the same order either way, and a check that fails raises what
    the one before it in order would have raised first."""
    large = len(workbook.records("Statements")) >= forked.BESIDE_FROM_STATEMENTS
    with forked.beside(partial(_checked_by, _WORDING_CHECKS, workbook), wanted=large) as wording:
        measured = _measured(workbook)
        problems = (
            _check_dates(workbook)
            + _check_duplicate_text(workbook)
            + _check_figures(workbook)
            + _check_conflicts(measured, _relays(workbook))
            + _check_chart_units(workbook)
            + _check_charts_show_every_value(workbook, measured)
            + _check_traceable(workbook)
            + _check_sourcing(workbook)
        )
        try:
            after = _checked_by(_WORDING_CHECKS_AFTER, workbook)
        except Exception:
            wording()  # the child's checks come first: what one of them raised, first
            raise
        return problems + wording() + after


def _checked_by(checks: tuple[Callable[[LoadedWorkbook], list[Problem]], ...], workbook: LoadedWorkbook) -> list[Problem]:
    return [problem for check in checks for problem in check(workbook)]


def _as_of(workbook: LoadedWorkbook) -> dt.date | None:
    data = workbook.sheets.get("Briefing")
    cell = data.fields().get("as_of") if data else None
    return cell.value if cell is not None and isinstance(cell.value, dt.date) else None


def _check_dates(workbook: LoadedWorkbook) -> list[Problem]:
    """published ≤ accessed ≤ as_of, and nothing the briefing reports happens after as_of."""
    as_of = _as_of(workbook)
    problems = []
    for record, published, accessed in _rows(workbook, "Sources", "published", "accessed"):
        if published and accessed and published.start > accessed:
            problems.append(
                _at(
                    record,
                    "accessed",
                    catalogue.PUBLISHED_AFTER_ACCESSED,
                    f"accessed {accessed:%Y-%m-%d} is before the source was published ({published.iso()}).",
                )
            )
    if as_of is None:
        return problems
    dated = (("Sources", "published"), ("Sources", "accessed"), ("Statements", "date"), ("Events", "date"), ("Figures", "period"))
    for sheet_name, column in dated:
        for record, value in _rows(workbook, sheet_name, column):
            when = _date_of(value) if value is not None else None
            if when is not None and when.start > as_of:
                problems.append(
                    _at(
                        record,
                        column,
                        catalogue.AFTER_AS_OF,
                        f"{column} {when.iso()} is after the briefing's as_of date, {as_of:%Y-%m-%d}. "
                        "Correct the date, or move as_of forward"
                        + (
                            "; if the figure is a forecast, say so in the period (for example '2025 target')."
                            if column == "period"
                            else "."
                        ),
                    )
                )
    return problems


def _date_of(value: object) -> PartialDate | None:
    """A cell's value as a date, when it is one: a figure's period counts only if it is
    written as a plain date (2022, 2022-07), not as text such as "Jan–Jul 2022"."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    if isinstance(value, str):
        try:
            return PartialDate.parse(value)
        except ValueError:
            return None
    return None


def _check_duplicate_text(workbook: LoadedWorkbook) -> list[Problem]:
    problems = []
    first_seen: dict[str, str | None] = {}
    for record, text in _rows(workbook, "Statements", "text"):
        if not isinstance(text, str):
            continue
        key = folded(text)
        if key in first_seen:
            problems.append(
                _at(
                    record,
                    "text",
                    catalogue.DUPLICATE_TEXT,
                    f"text is the same as at Statements!{first_seen[key]}, so the briefing would print it twice.",
                )
            )
        else:
            first_seen[key] = record.ref("text")
    return problems


def _check_figures(workbook: LoadedWorkbook) -> list[Problem]:
    """Units per indicator, percentages in range, and ranges that run the right way."""
    problems = []
    units_seen: dict[str, tuple[str, str | None]] = {}  # indicator -> (unit, where)
    for record, indicator, unit, value, high in _rows(workbook, "Figures", "indicator", "unit", "value", "value_high"):
        if high is not None:
            problems += _check_range(record)
        if not (isinstance(indicator, str) and isinstance(unit, str)):
            continue
        key = folded(indicator)
        if key in units_seen and folded(units_seen[key][0]) != folded(unit):
            first_unit, where = units_seen[key]
            problems.append(
                _at(
                    record,
                    "unit",
                    catalogue.INDICATOR_UNITS,
                    f"unit {unit} differs from the {first_unit} given for '{indicator}' at Figures!{where}; readers will compare them.",
                )
            )
        units_seen.setdefault(key, (unit, record.ref("unit")))
        if isinstance(value, float) and folded(unit) in _PERCENT_UNITS and not _PERCENT_RANGE[0] <= value <= _PERCENT_RANGE[1]:
            problems.append(
                _at(
                    record,
                    "value",
                    catalogue.PERCENTAGE_RANGE,
                    f"value {with_unit(format_number(value), unit)} is outside −100 to 1,000, which is unusual for a percentage.",
                )
            )
    return problems


def _check_range(record: Record) -> list[Problem]:
    figure = UncheckedFigureRow(record)
    value, high, qualifier = figure.value, figure.value_high, figure.qualifier
    if not isinstance(high, float):
        return []
    if qualifier != Qualifier.RANGE:
        return [
            _at(
                record,
                "value_high",
                catalogue.BAD_RANGE,
                f"value_high {format_number(high)} is the top of a range, but qualifier is {qualifier or 'blank'}. "
                "Set qualifier to range, or clear value_high.",
            )
        ]
    if isinstance(value, float) and high <= value:
        return [
            _at(
                record,
                "value_high",
                catalogue.BAD_RANGE,
                f"value_high {format_number(high)} is not above value {format_number(value)}; a range runs from value up to value_high.",
            )
        ]
    return []


def _claim(record: Record) -> Claim | None:
    figure = UncheckedFigureRow(record)
    if not isinstance(figure.value, float):
        return None
    high = figure.value_high
    return Claim.of(figure.value, figure.qualifier, high if isinstance(high, float) else None)


def _measured(workbook: LoadedWorkbook) -> dict[tuple, list[tuple[Record, Claim]]]:
    """The Figures rows with a value, by the measure they give it for, each with its claim, in row order."""
    groups: dict[tuple, list[tuple[Record, Claim]]] = {}
    measures: dict[tuple, tuple] = {}  # as written -> as compared: a measure is written again and again
    for record, indicator, period, unit, value in _rows(workbook, "Figures", "indicator", "period", "unit", "value"):
        claim = _claim(record) if isinstance(value, float) else None
        if claim is not None and all(isinstance(text, str) for text in (indicator, period, unit)):
            written_as = (indicator, period, unit)
            measure = measures.get(written_as)
            if measure is None:
                measure = measures[written_as] = same_measure(indicator, period, unit)
            groups.setdefault(measure, []).append((record, claim))
    return groups


class _Earlier:
    """The claims of a measure's rows so far, sorted by their ends, to count in log time those
    entirely below or above a claim, that is those that cannot be true alongside it. An end is
    kept as (value, rank): an open top ranks below a closed one at the same value, an open
    bottom above, so that intervals that only touch meet unless an end is open."""

    def __init__(self) -> None:
        self.tops: list[tuple[float, int]] = []
        self.bottoms: list[tuple[float, int]] = []

    def add(self, claim: Claim) -> None:
        bisect.insort(self.tops, _top(claim))
        bisect.insort(self.bottoms, _bottom(claim))

    def disagreeing(self, claim: Claim) -> int:
        below = bisect.bisect_left(self.tops, _bottom(claim))
        above = len(self.bottoms) - bisect.bisect_right(self.bottoms, _top(claim))
        return below + above


def _top(claim: Claim) -> tuple[float, int]:
    return claim.high, 0 if claim.high_open else 1


def _bottom(claim: Claim) -> tuple[float, int]:
    return claim.low, 2 if claim.low_open else 1


def _as_written(record: Record) -> str:
    """The value as the analyst means it, as the briefing prints it: `4`, `< 5`, `4–5`."""
    figure = UncheckedFigureRow(record)
    if figure.value is None:
        raise ValueError(f"{record} has no value to write")
    high = figure.value_high
    return written(figure.value, figure.qualifier, high if isinstance(high, float) else None)


def _sources(record: Record) -> tuple[str, ...]:
    return _as_tuple(UncheckedFigureRow(record).source_id)


def _check_conflicts(measured: dict[tuple, list[tuple[Record, Claim]]], relays: dict[str, str | None]) -> list[Problem]:
    """Each pair of rows that disagree, reported once, at the later row: as sources of other
    origins that differ, or as one origin that gives two values (a source, which cannot differ
    from itself, or a relay of it, which cannot differ from what it repeats), as the briefing's
    notes tell them. Counted, not listed: a message names the first few rows and counts the
    rest, so that a measure given by thousands of rows costs time in proportion (and log) to them."""
    problems = []
    for rows in measured.values():
        if len(rows) < 2:
            continue
        origins = [set(provenance.origins(_sources(record), relays.get)) for record, _ in rows]
        earlier, by_origin = _Earlier(), defaultdict[str, _Earlier](_Earlier)
        for position, (record, claim) in enumerate(rows):
            total = earlier.disagreeing(claim) if position else 0
            if total:
                problems += _conflict_problems(record, claim, rows, origins, position, total, by_origin)
            earlier.add(claim)
            for origin in origins[position]:
                by_origin[origin].add(claim)
    return sorted(problems, key=lambda problem: problem.row or 0)  # in reading order, the measures' rows interleaved


def _conflict_problems(
    record: Record,
    claim: Claim,
    rows: list[tuple[Record, Claim]],
    origins: list[set[str]],
    position: int,
    total: int,
    by_origin: dict[str, _Earlier],
) -> list[Problem]:
    """The problems of `record`, the row at `position` of its measure's `rows` (whose sources
    trace back to `origins`): `total` earlier rows disagree with it."""
    mine = origins[position]
    if len(mine) == 1:
        (origin,) = mine
        same_count = by_origin[origin].disagreeing(claim) if origin in by_origin else 0
    else:  # a row citing several origins, as few do: its fellows counted one by one
        same_count = sum(1 for o, (_, c) in enumerate(islice(rows, position)) if mine & origins[o] and not claim.agrees(c))
    counts = {False: total - same_count, True: same_count}
    named: dict[bool, list[Record]] = {False: [], True: []}
    for o, (other, other_claim) in enumerate(islice(rows, position)):  # the first few of each kind, in row order
        if all(len(named[k]) >= min(counts[k], NAMED_AT_MOST) for k in named):
            break
        if not claim.agrees(other_claim):
            kind = bool(mine & origins[o])
            if len(named[kind]) < NAMED_AT_MOST:
                named[kind].append(other)
    value, sources = _as_written(record), ", ".join(_sources(record))
    own = set(_sources(record))
    relayed = any(own.isdisjoint(_sources(o)) for o in named[True])
    problems = []
    for same, rule, name, tail in (
        (
            False,
            catalogue.CONFLICTING_FIGURES,
            lambda o: f"{_as_written(o)} from {', '.join(_sources(o))} at Figures!{o.ref('value')}",
            " for the same indicator and period. The briefing prints every value with its own source.",
        ),
        (
            True,
            catalogue.SOURCE_GIVES_TWO_VALUES,
            lambda o: (
                f"{_as_written(o)}{'' if own & set(_sources(o)) else ' from ' + ', '.join(_sources(o))} at Figures!{o.ref('value')}"
            ),
            (
                ", of the same origin, for the same indicator and period (see relays in Sources); "
                "a repost cannot differ from what it repeats. "
                if relayed
                else ", which the same source gives for the same indicator and period; a source cannot differ from itself. "
            )
            + "Check both were copied correctly, or name the two measures apart.",
        ),
    ):
        if counts[same]:
            listed = some([name(o) for o in named[same]], counts[same])
            problems.append(_at(record, "value", rule, f"value {value} from {sources} cannot be true alongside {listed}{tail}"))
    return problems


def _check_charts_show_every_value(workbook: LoadedWorkbook, measured: dict[tuple, list[tuple[Record, Claim]]]) -> list[Problem]:
    """A chart that plots one of a measure's disagreeing values plots them all, each with its source."""
    claims = {
        UncheckedFigureRow(record).figure_id: (claim, rows)
        for rows in measured.values()
        if len(rows) > 1
        for record, claim in rows
    }

    def others_of(figure_id: str) -> list[Record]:
        if figure_id not in claims:
            return []
        claim, rows = claims[figure_id]
        return [o for o, c in rows if UncheckedFigureRow(o).figure_id != figure_id and not claim.agrees(c)]

    problems = []
    for chart in workbook.records("Charts"):
        plotted = UncheckedChartRow(chart).figures or ()
        left_out: dict[str | None, tuple[str, Record]] = {}
        for figure_id in plotted:
            for other in others_of(figure_id):
                other_id = UncheckedFigureRow(other).figure_id
                if other_id not in plotted:
                    left_out.setdefault(other_id, (figure_id, other))
        if left_out:
            listed = some(
                [
                    f"{other_id} ({_as_written(other)} from {', '.join(_sources(other))}, against {figure_id})"
                    for other_id, (figure_id, other) in left_out.items()
                ]
            )
            problems.append(
                _at(
                    chart,
                    "figures",
                    catalogue.CHART_DROPS_VALUE,
                    f"figures leaves out {listed}, which give the same indicator and period another value. "
                    "Add them, so that the chart shows every value with its source.",
                )
            )
    return problems


def _check_chart_units(workbook: LoadedWorkbook) -> list[Problem]:
    """One chart plots one unit: its axis carries that unit."""
    unit_of = {f.figure_id: f.unit for f in map(UncheckedFigureRow, workbook.records("Figures"))}
    problems = []
    for chart in workbook.records("Charts"):
        by_unit = defaultdict(list)
        for figure_id in UncheckedChartRow(chart).figures or ():
            if unit_of.get(figure_id):
                by_unit[unit_of[figure_id]].append(figure_id)
        if len(by_unit) > 1:
            mixed = "; ".join(f"{', '.join(ids)} in {unit}" for unit, ids in by_unit.items())
            problems.append(
                _at(
                    chart,
                    "figures",
                    catalogue.CHART_MIXED_UNITS,
                    f"figures mixes units ({mixed}); one chart plots one unit. Split it into one chart per unit.",
                )
            )
    return problems


def _check_traceable(workbook: LoadedWorkbook) -> list[Problem]:
    problems = []
    for record in workbook.records("Sources"):
        source = UncheckedSourceRow(record)
        if source.source_id and not (source.url or source.published or source.author):
            problems.append(
                _at(
                    record,
                    "source_id",
                    catalogue.UNTRACEABLE_SOURCE,
                    f"source {source.source_id} has no url, publication date or author, so a reader cannot find it. Add its url or date.",
                )
            )
    return problems


def _check_sourcing(workbook: LoadedWorkbook) -> list[Problem]:
    """Locators that match their sources, confirmation that names what confirms, and chapter
    intros that state numbers with a source or not at all."""
    problems = []
    for sheet in SHEETS:
        if not any(c.several for c in sheet.columns):
            continue
        unread = _unread(workbook, sheet.name, "source_id")
        for index, (record, cited, locator) in enumerate(_rows(workbook, sheet.name, "source_id", "locator")):
            if not isinstance(locator, str) or index in unread:
                continue  # nothing to match, or a source_id that could not be read, reported at its cell
            sources = _as_tuple(cited)
            if not sources:
                problems.append(
                    _at(
                        record,
                        "locator",
                        catalogue.LOCATOR_COUNT,
                        "locator gives a place, but source_id names no source for it to be in.",
                    )
                )
            elif len(sources) > 1 and len(places := locator.split(";")) != len(sources):
                problems.append(
                    _at(
                        record,
                        "locator",
                        catalogue.LOCATOR_COUNT,
                        f"locator gives {len(places)} {'place' if len(places) == 1 else 'places'} for the {len(sources)} sources "
                        f"in source_id ({', '.join(sources)}); give one for each, in the same order, separated by ';'.",
                    )
                )
    relays = _relays(workbook)
    for record, credibility, cited in _rows(workbook, "Statements", "credibility", "source_id"):
        if credibility != "1" or not isinstance(cited, tuple | str):
            continue
        named = _as_tuple(cited)
        if len(named) == 1:
            basis = f"source_id names only {named[0]}"
        elif len(provenance.origins(named, relays.get)) == 1:
            basis = f"{', '.join(named)} all trace back to {provenance.origin(named[0], relays.get)}, one origin (see relays in Sources)"
        else:
            continue
        problems.append(
            _at(
                record,
                "credibility",
                catalogue.UNCONFIRMED,
                f"credibility 1 says other sources confirm this, but {basis}. "
                "Name independent confirming sources, or grade it 2 to 6.",
            )
        )
    for record, source_type, relayed in _rows(workbook, "Sources", "source_type", "relays"):
        if source_type == "repost" and relayed is None:
            problems.append(
                _at(
                    record,
                    "source_type",
                    catalogue.SECOND_HAND,
                    f"source {UncheckedSourceRow(record).source_id} is a repost, and relays names no source it repeats: the "
                    "original is not named. Find and cite it, and give its source_id in relays.",
                )
            )
    return problems


# A number as prose writes it: 4, 14.8, 3,000.
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# Numbers that date rather than measure: a year, and a day beside its month.
_DATE_NUMBER = re.compile(
    rf"^(?:1[89]|20|21)\d\d$|(?:{_MONTHS})\s+$|^\s+(?:{_MONTHS})",
    re.IGNORECASE,
)

# "the 3rd", "10th": a place in an order, not a measure.
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)


# A percentage or a band of them as prose writes it: "80–95%", "≥95%". In time linear in the
# text: a match starts only at a sign, at the first of a run of spaces or at the first digit of
# a number (where `[≤≥<>]?\s*\d+` would also start, the runs of spaces and digits being taken
# whole), and no run is given back; else a cell of 32,767 digits took minutes.
_BAND = re.compile(r"(?:[≤≥<>]|(?<!\s)(?=\s)|(?<![\d\s]))\s*+\d++(?:\s*+[–-]\s*+\d++)?\s*+%")
# How far before its band a likelihood's words stand: "very likely (80–95%)".
_BAND_AFTER = 30


def _likelihood_bands(text: str) -> list[tuple[int, int]]:
    """Where `text` gives a likelihood's band beside its words ("very likely (80–95%)", in
    either yardstick's terms): the scale's numbers, not the data's."""
    spans = []
    for match in _BAND.finditer(text):
        numbers = [float(n) for n in _NUMBER.findall(match.group())]
        before = text[max(0, match.start() - _BAND_AFTER) : match.start()]
        for yardstick in Yardstick:
            words = estimative.likelihood_words(before, yardstick)
            if words and [float(n) for n in _NUMBER.findall(words[-1].band.meaning or "")] == numbers:
                spans.append(match.span())
                break
    return spans


def _untraced_number(text: str, *given: AbstractSet[float]) -> str | None:
    """The first number in `text` that measures something in none of the sets `given`: years,
    the day of a date, ordinals and the bands of a likelihood scale are not measures."""
    bands = _likelihood_bands(text)
    for match in _NUMBER.finditer(text):
        number = match.group()
        before, after = text[max(0, match.start() - 12) : match.start()], text[match.end() : match.end() + 12]
        if _DATE_NUMBER.search(number) or _DATE_NUMBER.search(before) or _DATE_NUMBER.search(after) or _ORDINAL.match(after):
            continue
        if any(start <= match.start() < end for start, end in bands):
            continue
        try:
            value = float(number.replace(",", ""))
        except ValueError:
            continue
        if not any(value in values for values in given):
            return number
    return None


def _check_numbers_in_prose(workbook: LoadedWorkbook) -> list[Problem]:
    """Numbers the prose states are the data's: a chart's caption the values the chart plots, a
    figure's note those of its measure and of the figures drawn from the same place in the same
    source (a note quotes that passage: "trade surged 80% higher to $4 billion"; with no
    locator, the source is the place), and a chapter intro, the summary and the scope note any
    value of the briefing. A period's own numbers (a 25-year agreement) count as its figure's."""
    by_id: dict[str, set[float]] = {}
    by_written: dict[tuple, set[float]] = defaultdict(set)  # by measure as written
    by_passage: dict[tuple, set[float]] = defaultdict(set)
    every: set[float] = set()
    for _, figure_id, indicator, period, unit, cited, locator, *values in _rows(
        workbook, "Figures", "figure_id", "indicator", "period", "unit", "source_id", "locator", "value", "value_high"
    ):
        # A fall of 6% is written as 6 beside its word, and held as -6.
        given = {abs(v) for v in values if isinstance(v, float)} | {v for v in values if isinstance(v, float)}
        if isinstance(period, str):
            given |= {float(n.replace(",", "")) for n in _NUMBER.findall(period) if _is_float(n.replace(",", ""))}
        if isinstance(figure_id, str):
            by_id[figure_id] = given
        by_written[indicator, period, unit] |= given
        by_passage[cited, locator] |= given
        every |= given
    found: list[tuple[Record, str, str, str | None, str]] = []
    for record, caption, plotted in _rows(workbook, "Charts", "caption", "figures"):
        if isinstance(caption, str):
            plotted_values: set[float] = set().union(*(by_id.get(f, set()) for f in _as_tuple(plotted)))
            found.append((record, "caption", "caption", _untraced_number(caption, plotted_values), "the values the chart plots"))
    notes = [row for row in _rows(workbook, "Figures", "note", "indicator", "period", "unit", "source_id", "locator") if row[1]]
    by_measure: dict[tuple, set[float]] = defaultdict(set)  # folded only where a note asks, once for each way written
    for as_written, given in by_written.items() if notes else ():
        if all(isinstance(text, str) for text in as_written):
            by_measure[same_measure(*as_written)] |= given
    whose = "the values of its measure or of the figures from the same place in its source"
    for record, note, indicator, period, unit, cited, locator in notes:
        if isinstance(note, str):
            measure = same_measure(indicator, period, unit) if all(isinstance(t, str) for t in (indicator, period, unit)) else ()
            number = _untraced_number(note, by_measure.get(measure, set()), by_passage[cited, locator])
            found.append((record, "note", "note", number, whose))
    for record, intro in _rows(workbook, "Sections", "intro"):
        if isinstance(intro, str):
            found.append((record, "intro", "intro", _untraced_number(intro, every), "the values of the briefing's figures"))
    for record in workbook.records("Briefing"):
        name, value = record.value("field"), record.value("value")
        if name in ("summary", "scope_note") and isinstance(value, str):
            found.append((record, "value", name, _untraced_number(value, every), "the values of the briefing's figures"))
    return [
        _at(
            record,
            column,
            catalogue.NUMBER_NOT_IN_DATA,
            f"{name} states {number!r}, which is none of {whose}: the words have drifted from the data, or state a "
            "number no footnote traces. Correct the number, or give it its Figures row with its source.",
        )
        for record, column, name, number, whose in found
        if number is not None
    ]


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _relays(workbook: LoadedWorkbook) -> dict[str, str | None]:
    """Each source's id and the source it relays, where it names one."""
    return {
        source_id: relayed
        for _, source_id, relayed in _rows(workbook, "Sources", "source_id", "relays")
        if isinstance(source_id, str) and isinstance(relayed, str)
    }


# Grades whose sources bear high confidence, and those under which one source bears no moderate.
_HIGH_GRADES = ("A", "B")
_WEAK_GRADES = (None, "D", "E", "F")


def _check_confidence(workbook: LoadedWorkbook) -> list[Problem]:
    """An assessment's confidence is no more than its sources bear, counted by origin: high
    needs two independent origins, each graded A or B; moderate needs more than one ungraded
    or poorly graded origin (see the confidence table in docs/reference.md)."""
    relays = _relays(workbook)
    unread = _unread(workbook, "Sources", "reliability")
    grades = {
        source_id: grade
        for index, (_, source_id, grade) in enumerate(_rows(workbook, "Sources", "source_id", "reliability"))
        if isinstance(source_id, str) and index not in unread  # a grade that could not be read is reported at its cell
    }
    problems = []
    for record, kind, confidence, cited in _rows(workbook, "Statements", "kind", "confidence", "source_id"):
        if kind != StatementKind.ASSESSMENT or confidence not in ("high", "moderate") or not isinstance(cited, tuple | str):
            continue
        found = provenance.origins(_as_tuple(cited), relays.get)
        if any(o not in grades for o in found):
            continue
        graded = ", ".join(f"{o} {'graded ' + grades[o] if grades.get(o) else 'ungraded'}" for o in found)
        origins = f"{len(found)} independent {'origin' if len(found) == 1 else 'origins'} ({graded})"
        if confidence == "high" and (len(found) < 2 or any(grades.get(o) not in _HIGH_GRADES for o in found)):
            why = "fewer than two independent origins" if len(found) < 2 else "a source graded below B"
            message = (
                f"confidence is high, but it rests on {origins}: {why}. High confidence needs two or more independent "
                "sources graded A or B: lower the confidence, or cite what bears it."
            )
        elif confidence == "moderate" and len(found) == 1 and grades.get(found[0]) in _WEAK_GRADES:
            message = f"confidence is moderate, but it rests on {origins} alone. Say low, or cite a corroborating source."
        else:
            continue
        problems.append(_at(record, "confidence", catalogue.CONFIDENCE_VS_SOURCING, message))
    return problems


def _check_hedged_facts(workbook: LoadedWorkbook) -> list[Problem]:
    """A row printed as fact says it plainly: a hedge makes it someone's claim or view, or a judgement."""
    problems = []
    unread = _unread(workbook, "Statements", "kind")  # a kind that could not be read ("asessment") is no fact
    for index, (record, kind, text) in enumerate(_rows(workbook, "Statements", "kind", "text")):
        if index in unread:
            continue
        if kind in (None, StatementKind.FACT) and isinstance(text, str) and (found := estimative.fact_hedges(text)):
            problems.append(
                _at(
                    record,
                    "text",
                    catalogue.HEDGED_FACT,
                    f"text is a fact but hedges with '{found[0]}': printed as fact, it is not one. Make it a claim (with "
                    "attributed_to), a view, or the desk's assessment with a likelihood; or state the fact plainly.",
                )
            )
    for record, note in _rows(workbook, "Figures", "note"):
        if isinstance(note, str) and (found := estimative.fact_hedges(note)):
            problems.append(
                _at(
                    record,
                    "note",
                    catalogue.HEDGED_FACT,
                    f"note hedges with '{found[0]}', printed beside the figure as fact. Say who holds it (the attribution "
                    "column), or state it plainly.",
                )
            )
    return problems


def _check_outlook(workbook: LoadedWorkbook) -> list[Problem]:
    """Key judgements come with indicators that would tell the reader they are changing."""
    judgements = [
        record for record, kind, key in _rows(workbook, "Statements", "kind", "key") if kind == StatementKind.ASSESSMENT and key
    ]
    if not judgements:
        return []
    indicators = [r for r in workbook.records("Outlook") if UncheckedOutlookRow(r).kind == OutlookKind.INDICATOR]
    if indicators:
        return []
    sheet = workbook.sheets["Outlook"].title if "Outlook" in workbook.sheets else "Outlook"
    return [
        Problem.of(
            catalogue.NO_OUTLOOK,
            f"The briefing has {len(judgements)} key {'judgement' if len(judgements) == 1 else 'judgements'} and no indicator "
            "to watch. Add an Outlook sheet with, for each key judgement, an indicator (kind indicator, bears_on its "
            "statement_id) and what seeing it would mean.",
            sheet,
        )
    ]


def _yardstick(workbook: LoadedWorkbook) -> Yardstick:
    """The Briefing's yardstick of likelihood: ICD 203 unless it says PHIA."""
    data = workbook.sheets.get("Briefing")
    cell = data.fields().get("yardstick") if data else None
    value = cell.value if cell is not None else None
    return Yardstick(value) if isinstance(value, str) and value in _YARDSTICKS else Yardstick.ICD_203


_YARDSTICKS = frozenset(y.value for y in Yardstick)


def _check_judgements(workbook: LoadedWorkbook) -> list[Problem]:
    """Assessments say how likely they are in their likelihood's own words (ICD 203), and the
    briefing has key judgements of the desk to open with."""
    if "Statements" not in workbook.sheets:
        return []
    problems = []
    assessments = [
        row for row in _rows(workbook, "Statements", "kind", "text", "likelihood", "key") if row[1] == StatementKind.ASSESSMENT
    ]
    yardstick = _yardstick(workbook)
    terms = LIKELIHOODS[yardstick]
    for record, likelihood in _rows(workbook, "Statements", "likelihood"):
        if likelihood is not None and choice(terms, likelihood) is None:
            problems.append(
                _at(
                    record,
                    "likelihood",
                    catalogue.NOT_ALLOWED,
                    f"likelihood {likelihood} is not a term of the {yardstick} yardstick, which the Briefing sheet's "
                    f"yardstick chooses; its terms are: {', '.join(f'{c.value} ({c.meaning})' for c in terms)}.",
                )
            )
    for record, _, text, likelihood, _ in assessments:
        stated = choice(terms, likelihood)
        if not isinstance(text, str):
            continue
        words, hedges = estimative.likelihood_words(text, yardstick), estimative.hedges(text)
        if stated is not None:
            problems += _check_likelihood_words(record, text, stated, words, hedges, yardstick)
        if hedges and not words:
            problems.append(
                _at(
                    record,
                    "text",
                    catalogue.VAGUE_HEDGE,
                    f"text hedges with '{hedges[0]}', which says nothing of how likely it is. "
                    "Choose the assessment's likelihood and say it in the text (likely, very unlikely, roughly even chance).",
                )
            )
    for record, kind, likelihood, confidence in _rows(workbook, "Statements", "kind", "likelihood", "confidence"):
        given = [c for c, value in (("likelihood", likelihood), ("confidence", confidence)) if value is not None]
        # A kind that could not be read ("asessment") is told as such, and nothing that follows from a kind it is not.
        unread = kind is None and (cell := record.cell("kind")) is not None and cell.issue is not None
        if given and kind != StatementKind.ASSESSMENT and not unread:
            kind = kind or StatementKind.FACT
            problems.append(
                _at(
                    record,
                    given[0],
                    catalogue.NOT_AN_ASSESSMENT,
                    f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} given, but kind is {kind}: the briefing prints "
                    f"the row as its source's {kind} and leaves the judgement out. Set kind to assessment if it is the desk's "
                    f"own judgement, or clear {' and '.join(given)}.",
                )
            )
    # A workbook with no statements yet is unfinished rather than a news summary: the required
    # cells already say what it lacks.
    # Nor is it, for all the reader knows, while a kind could not be read ("asessment"): that cell says what to fix.
    statements = workbook.sheets.get("Statements")
    kinds = statements.data.get("kind") if statements is not None else None
    if workbook.records("Statements") and not any(key for *_, key in assessments) and not (kinds and kinds.issues):
        problems.append(
            Problem.of(
                catalogue.NO_KEY_JUDGEMENTS,
                "No statement is a key assessment (kind assessment, key Y): without the desk's judgements the briefing is a "
                "news summary. Add the desk's key judgements, with their likelihood and confidence.",
                workbook.sheets["Statements"].title,
            )
        )
    return problems


def _check_likelihood_words(
    record: Record,
    text: str,
    stated: Choice,
    words: list[estimative.Wording],
    hedges: list[str],
    yardstick: Yardstick = Yardstick.ICD_203,
) -> list[Problem]:
    own = " or ".join(f"'{w}'" for w in estimative.wordings(stated.value, yardstick))
    wrong = [w for w in words if w.band != stated]
    turned = estimative.negated(text)
    foreign = estimative.foreign_words(text, yardstick)
    if foreign:
        message = (
            f"text says '{foreign[0]}', which is not a word of the {yardstick} yardstick the briefing uses. "
            f"Say {own} ({stated.meaning}), in the {yardstick} yardstick's words."
        )
    elif turned:
        message = (
            f"text says '{turned[0]}', a likelihood turned round by a negation, which reads as the opposite of its band. "
            f"Say the band plainly: a {stated.value} judgement ({stated.meaning}) says {own}."
        )
    elif wrong:
        found = wrong[0]
        message = (
            f"text says '{found.text}', which is {found.band.value} ({found.band.meaning}), but likelihood is "
            f"{stated.value} ({stated.meaning}). Say {own} in the text, or correct the likelihood."
        )
    elif not words:
        vague = f" '{hedges[0]}' alone does not." if hedges else ""
        message = f"text does not say how likely it is: a {stated.value} judgement ({stated.meaning}) says {own}.{vague}"
    else:
        return []
    return [_at(record, "text", catalogue.LIKELIHOOD_MISMATCH, message)]


def _check_translations(workbook: LoadedWorkbook) -> list[Problem]:
    """A quote the briefing's readers cannot read needs its translation beside it."""
    data = workbook.sheets.get("Briefing")
    cell = data.fields().get("language") if data else None
    document = cell.value if cell is not None and isinstance(cell.value, str) else languages.DEFAULT
    problems = []
    for record in workbook.records("Statements"):
        statement = UncheckedStatementRow(record)
        text = statement.text
        if statement.kind != StatementKind.QUOTE or not isinstance(text, str) or statement.translation:
            continue
        language = languages.language_of(text, document)
        if not languages.same_language(language, document):
            column = "translation" if record.ref("translation") else "text"
            problems.append(
                _at(
                    record,
                    column,
                    catalogue.UNTRANSLATED_QUOTE,
                    f"the quote is in {languages.name(language)}, and the briefing in {languages.name(document)}; "
                    "give its translation in the translation column, which the briefing prints under it.",
                )
            )
    return problems


# --- the key-value sheet ----------------------------------------------------------------------


def _check_fields(data: SheetData, ids: dict[str, set[str]], workbook: LoadedWorkbook) -> list[Problem]:
    sheet = data.contract
    missing_headers = [h for h in KEY_VALUE_HEADERS if h not in data.columns]
    if missing_headers:
        return [
            Problem.of(
                catalogue.MISSING_COLUMN,
                f"Row {data.header_row} has no column headed '{header}'; the {sheet.name} sheet has two columns, 'field' and 'value'.",
                data.title,
                row=data.header_row,
                column=header,
            )
            for header in missing_headers
        ]
    problems = []
    names = [c.name for c in sheet.columns]
    seen: dict[str, str | None] = {}
    for record in data.records:
        field = record.value("field")
        name = field.casefold() if isinstance(field, str) else ""
        field_cell = record.cell("field")
        if field_cell is not None and field_cell.issue:
            problems.append(_at(record, "field", field_cell.issue.rule, f"field {field_cell.issue.message}"))
        elif not name:
            problems.append(
                _at(record, "field", catalogue.REQUIRED, "field is empty; write which field this row's value is for.")
            )
        elif name not in names:
            hint = did_you_mean(name, names) or f" The fields are: {', '.join(names)}."
            problems.append(
                _at(
                    record,
                    "field",
                    catalogue.UNKNOWN_FIELD,
                    f"field '{record.value('field')}' is not a {sheet.name} field and is ignored.{hint}",
                )
            )
        elif name in seen:
            problems.append(
                _at(
                    record,
                    "field",
                    catalogue.DUPLICATE_FIELD,
                    f"field {name} is given twice; it is already at {data.title}!{seen[name]}. Keep one.",
                )
            )
        else:
            seen[name] = record.ref("field")
            problems += _check_cell(record, "value", sheet.column(name), sheet, ids, workbook)
    for column in sheet.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem.of(
                    catalogue.MISSING_FIELD,
                    f"There is no {column.name} row; add a row with field '{column.name}' and its value ({column.description.rstrip('.').lower()}).",
                    data.title,
                    column=column.name,
                )
            )
    return problems


# The checks of how the statements are worded, last of what the workbook says: these in a
# forked child on a large workbook (`_check_meaning`), then those after them in this process.
# So shared, the two take about as long at 60,000 statements, the repeating workbook's
# (0.9 and 1.0 s) as the plain one's (0.6 s each): with all the wording in the child, this
# process waited for it half a second.
_WORDING_CHECKS = (
    _check_judgements,
    _check_confidence,
    _check_hedged_facts,
    _check_outlook,
)
_WORDING_CHECKS_AFTER = (
    _check_numbers_in_prose,
    _check_translations,
    marking.check,
)
