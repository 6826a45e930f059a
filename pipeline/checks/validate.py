"""Check the loaded workbook against the contract and report every problem at once.

Each problem names the sheet and cell (`Figures!F7`), the column, a stable code and a sentence
an analyst understands. Errors stop the build; warnings are printed and the build goes on.
Every code, its severity and what to do about it are declared once, in `catalogue`.
Only a workbook without errors becomes a `ValidWorkbook`, the one input the briefing takes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from .. import contract, languages
from ..contract import KEY_VALUE_HEADERS, SHEETS, Column, ColumnType, Sheet, folded, same_measure
from ..dates import PartialDate
from ..formats import format_number
from ..workbook.load import Cell, LoadedWorkbook, Record, SheetData
from . import catalogue
from .catalogue import ERROR, Problem, Rule, errors


class ValidWorkbook:
    """A workbook that passed validation without errors: what the briefing is built from.
    Only `check` hands one out, so "errors stop the build" is a matter of types, not of
    every caller remembering to look."""

    def __init__(self, workbook: LoadedWorkbook, _issued_by: object = None):
        if _issued_by is not _CHECK:
            raise TypeError("a ValidWorkbook comes from pipeline.check, which validates the workbook first")
        self._workbook = workbook

    @property
    def path(self):
        return self._workbook.path

    def records(self, sheet_name: str) -> list[Record]:
        """The sheet's rows, each value typed by its column; none has an error."""
        return self._workbook.records(sheet_name)

    def fields(self) -> dict[str, object]:
        """The key-value sheet's fields by name, typed."""
        return {name: cell.value for name, cell in self._workbook.sheets["Briefing"].fields().items()}


_CHECK = object()


@dataclass(frozen=True)
class Checked:
    """What validation found in a workbook, and the workbook to build from when it allows."""

    workbook: LoadedWorkbook
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != ERROR]

    @property
    def valid(self) -> ValidWorkbook | None:
        """The workbook to build from, or None when it has errors."""
        return None if self.errors else ValidWorkbook(self.workbook, _CHECK)


def check(workbook: LoadedWorkbook) -> Checked:
    return Checked(workbook, validate(workbook))


def validate(workbook: LoadedWorkbook) -> list[Problem]:
    """Every problem in the workbook, in reading order: the file, then sheet by sheet in the
    contract's order, row by row, column by column."""
    problems = [Problem.of(note.rule, note.message) for note in workbook.notes]
    ids = _known_ids(workbook)
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
            for record in data.records:
                for column in sheet.columns:
                    problems += _check_cell(record, column.name, column, sheet, ids, workbook)
            problems += _check_unique(data)
    problems += _check_usage(workbook)
    problems += _check_meaning(workbook)
    return sorted(problems, key=_reading_order(workbook))


def _reading_order(workbook: LoadedWorkbook):
    """A sort key: the file first, then sheets in the contract's order (however the workbook
    spells their names), rows top to bottom, columns in the contract's order."""
    contracts = {s.name: s for s in SHEETS}
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


def _closest(name: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(name.casefold(), [c.casefold() for c in candidates], n=1, cutoff=0.6)
    if not match:
        return ""
    original = next(c for c in candidates if c.casefold() == match[0])
    return f" Did you mean '{original}'?"


def _missing_sheet(sheet: Sheet, titles: list[str]) -> Problem:
    hint = _closest(sheet.name, titles) or " Add it, or create a blank workbook with `init` to copy it from."
    return Problem.of(catalogue.MISSING_SHEET, f"The workbook has no sheet named '{sheet.name}'.{hint}", sheet.name)


def _check_columns(data: SheetData) -> list[Problem]:
    problems = []
    for column in data.contract.columns:
        if column.name in data.columns or not (column.required or column.required_when):
            continue
        hint = _closest(column.name, [h for h in data.headers if h.casefold() not in data.columns])
        problems.append(
            Problem.of(catalogue.MISSING_COLUMN,
                f"Row {data.header_row} has no column headed '{column.name}', which the {data.contract.name} sheet needs.{hint}",
                data.title, row=data.header_row, column=column.name,
            )
        )
    return problems


# --- cells ------------------------------------------------------------------------------------


def _at(record: Record, column: str, rule: Rule, message: str) -> Problem:
    return Problem.of(rule, message, record.sheet, record.ref(column), record.row, column)


def _check_cell(record: Record, key: str, column: Column, sheet: Sheet, ids, workbook: LoadedWorkbook) -> list[Problem]:
    """The cell under `key` in `record`, judged by the contract's `column`. (In the Briefing
    sheet the cell is always under `value`, and the row's field names the column.)"""
    cell = record.cells.get(key)
    if cell is None:
        return []
    if cell.issue:
        hint = ""
        if cell.issue.rule is catalogue.BAD_ID and column.references and column.type is ColumnType.ID:
            hint = _closest(re.sub(r"\s+", "", str(cell.raw)), sorted(ids.get(column.references, ())))
        return [_at(record, key, cell.issue.rule, f"{column.name} {cell.issue.message}{hint}")]
    found = [_at(record, key, note.rule, f"{column.name} {note.message}") for note in cell.notes]
    if cell.is_blank and _is_required(column, record):
        found.append(_at(record, key, catalogue.REQUIRED, _required_message(column, sheet)))
    elif column.references and cell.value is not None and column.references in workbook.sheets:
        found += _check_reference(record, key, column, cell, ids[column.references])
    return found


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


def _known_ids(workbook: LoadedWorkbook) -> dict[str, set[str]]:
    ids = {}
    for sheet in SHEETS:
        id_column = sheet.id_column
        if id_column is not None:
            ids[sheet.name] = {r.value(id_column.name) for r in workbook.records(sheet.name)} - {None}
    return ids


def _check_reference(record: Record, key: str, column: Column, cell: Cell, known: set[str]) -> list[Problem]:
    unknown = [value for value in _as_tuple(cell.value) if value not in known]
    if not unknown:
        return []
    listed = ", ".join(unknown)
    noun = "is" if len(unknown) == 1 else "are"
    hint = _closest(unknown[0], sorted(known)) if len(unknown) == 1 else ""
    return [_at(record, key, catalogue.UNKNOWN_REFERENCE, f"{column.name} names {listed}, which {noun} not in the {column.references} sheet.{hint}")]


def _check_unique(data: SheetData) -> list[Problem]:
    problems = []
    for column in data.contract.columns:
        if not column.unique or column.name not in data.columns:
            continue
        first_seen: dict[object, str] = {}
        for record in data.records:
            value = record.value(column.name)
            if value is None:
                continue
            if value in first_seen:
                problems.append(
                    _at(
                        record, column.name, catalogue.DUPLICATE_ID,
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
        ("Sources", catalogue.UNUSED_SOURCE, "No figure, statement or event cites {id}; it is listed in the sources annex all the same."),
        ("Sections", catalogue.EMPTY_SECTION, "Nothing is filed under {id}; the briefing prints it as a chapter with only its intro."),
    ):
        id_column = contract.sheet(target).id_column.name
        used = {
            value
            for sheet in SHEETS
            for column in sheet.columns
            if column.references == target
            for record in workbook.records(sheet.name)
            for value in _as_tuple(record.value(column.name))
        }
        for record in workbook.records(target):
            value = record.value(id_column)
            if value is not None and value not in used:
                problems.append(_at(record, id_column, rule, unused.format(id=f"{id_column} {value}")))
    return problems


def _as_tuple(value: object) -> tuple:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


# --- meaning ----------------------------------------------------------------------------------

_PERCENT_UNITS = {"%", "percent", "per cent", "pct", "percentage", "percentage points", "pp"}
_PERCENT_RANGE = (-100, 1000)


def _check_meaning(workbook: LoadedWorkbook) -> list[Problem]:
    return (
        _check_dates(workbook)
        + _check_duplicate_text(workbook)
        + _check_figures(workbook)
        + _check_chart_units(workbook)
        + _check_traceable(workbook)
        + _check_translations(workbook)
    )


def _as_of(workbook: LoadedWorkbook) -> dt.date | None:
    data = workbook.sheets.get("Briefing")
    cell = data.fields().get("as_of") if data else None
    return cell.value if cell is not None and isinstance(cell.value, dt.date) else None


def _check_dates(workbook: LoadedWorkbook) -> list[Problem]:
    """published ≤ accessed ≤ as_of, and nothing the briefing reports happens after as_of."""
    as_of = _as_of(workbook)
    problems = []
    for record in workbook.records("Sources"):
        published, accessed = record.value("published"), record.value("accessed")
        if published and accessed and published.start > accessed:
            problems.append(
                _at(record, "accessed", catalogue.PUBLISHED_AFTER_ACCESSED, f"accessed {accessed:%Y-%m-%d} is before the source was published ({published.iso()}).")
            )
    if as_of is None:
        return problems
    dated = (("Sources", "published"), ("Sources", "accessed"), ("Statements", "date"), ("Events", "date"), ("Figures", "period"))
    for sheet_name, column in dated:
        for record in workbook.records(sheet_name):
            when = _date_of(record.value(column))
            if when is not None and when.start > as_of:
                problems.append(
                    _at(
                        record, column, catalogue.AFTER_AS_OF,
                        f"{column} {when.iso()} is after the briefing's as_of date, {as_of:%Y-%m-%d}. "
                        "Correct the date, or move as_of forward"
                        + ("; if the figure is a forecast, say so in the period (for example '2025 target')." if column == "period" else "."),
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
    first_seen: dict[str, str] = {}
    for record in workbook.records("Statements"):
        text = record.value("text")
        if not isinstance(text, str):
            continue
        key = folded(text)
        if key in first_seen:
            problems.append(
                _at(record, "text", catalogue.DUPLICATE_TEXT, f"text is the same as at Statements!{first_seen[key]}, so the briefing would print it twice.")
            )
        else:
            first_seen[key] = record.ref("text")
    return problems


def _check_figures(workbook: LoadedWorkbook) -> list[Problem]:
    """Units per indicator, percentages in range, and sources that disagree."""
    problems = []
    units_seen: dict[str, tuple[str, str]] = {}  # indicator -> (unit, where)
    values_seen: dict[tuple[str, str, str], list[Record]] = defaultdict(list)  # measure -> rows
    for record in workbook.records("Figures"):
        indicator, unit, value = record.value("indicator"), record.value("unit"), record.value("value")
        if not (isinstance(indicator, str) and isinstance(unit, str)):
            continue
        key = folded(indicator)
        if key in units_seen and folded(units_seen[key][0]) != folded(unit):
            first_unit, where = units_seen[key]
            problems.append(
                _at(
                    record, "unit", catalogue.INDICATOR_UNITS,
                    f"unit {unit} differs from the {first_unit} given for '{indicator}' at Figures!{where}; readers will compare them.",
                )
            )
        units_seen.setdefault(key, (unit, record.ref("unit")))
        if isinstance(value, float) and folded(unit) in _PERCENT_UNITS and not _PERCENT_RANGE[0] <= value <= _PERCENT_RANGE[1]:
            problems.append(
                _at(record, "value", catalogue.PERCENTAGE_RANGE, f"value {format_number(value)} {unit} is outside −100 to 1,000, which is unusual for a percentage.")
            )
        period = record.value("period")
        if isinstance(value, float) and isinstance(period, str):
            values_seen[same_measure(indicator, period, unit)].append(record)
    for rows in values_seen.values():
        if len({r.value("value") for r in rows}) < 2 or len({r.value("source_id") for r in rows}) < 2:
            continue
        for record in rows[1:]:
            others = "; ".join(
                f"{format_number(r.value('value'))} from {r.value('source_id')} at Figures!{r.ref('value')}"
                for r in rows
                if r is not record and r.value("value") != record.value("value")
            )
            if others:
                problems.append(
                    _at(
                        record, "value", catalogue.CONFLICTING_FIGURES,
                        f"value {format_number(record.value('value'))} from {record.value('source_id')} differs from {others} for the same "
                        "indicator and period. The briefing prints every value with its own source.",
                    )
                )
    return problems


def _check_chart_units(workbook: LoadedWorkbook) -> list[Problem]:
    """One chart plots one unit: its axis carries that unit."""
    unit_of = {f.value("figure_id"): f.value("unit") for f in workbook.records("Figures")}
    problems = []
    for chart in workbook.records("Charts"):
        by_unit = defaultdict(list)
        for figure_id in chart.value("figures") or ():
            if unit_of.get(figure_id):
                by_unit[unit_of[figure_id]].append(figure_id)
        if len(by_unit) > 1:
            mixed = "; ".join(f"{', '.join(ids)} in {unit}" for unit, ids in by_unit.items())
            problems.append(
                _at(chart, "figures", catalogue.CHART_MIXED_UNITS, f"figures mixes units ({mixed}); one chart plots one unit. Split it into one chart per unit.")
            )
    return problems


def _check_traceable(workbook: LoadedWorkbook) -> list[Problem]:
    problems = []
    for record in workbook.records("Sources"):
        if record.value("source_id") and not any(record.value(c) for c in ("url", "published", "author")):
            problems.append(
                _at(
                    record, "source_id", catalogue.UNTRACEABLE_SOURCE,
                    f"source {record.value('source_id')} has no url, publication date or author, so a reader cannot find it. Add its url or date.",
                )
            )
    return problems


def _check_translations(workbook: LoadedWorkbook) -> list[Problem]:
    """A quote the briefing's readers cannot read needs its translation beside it."""
    data = workbook.sheets.get("Briefing")
    cell = data.fields().get("language") if data else None
    document = cell.value if cell is not None and isinstance(cell.value, str) else languages.DEFAULT
    problems = []
    for record in workbook.records("Statements"):
        text = record.value("text")
        if record.value("kind") != "quote" or not isinstance(text, str) or record.value("translation"):
            continue
        language = languages.language_of(text, document)
        if not languages.same_language(language, document):
            column = "translation" if record.ref("translation") else "text"
            problems.append(
                _at(
                    record, column, catalogue.UNTRANSLATED_QUOTE,
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
            Problem.of(catalogue.MISSING_COLUMN,
                f"Row {data.header_row} has no column headed '{header}'; the {sheet.name} sheet has two columns, 'field' and 'value'.",
                data.title, row=data.header_row, column=header,
            )
            for header in missing_headers
        ]
    problems = []
    names = [c.name for c in sheet.columns]
    seen: dict[str, str] = {}
    for record in data.records:
        name = (record.value("field") or "").casefold()
        field_cell = record.cells["field"]
        if field_cell.issue:
            problems.append(_at(record, "field", field_cell.issue.rule, f"field {field_cell.issue.message}"))
        elif not name:
            problems.append(_at(record, "field", catalogue.REQUIRED, "field is empty; write which field this row's value is for."))
        elif name not in names:
            hint = _closest(name, names) or f" The fields are: {', '.join(names)}."
            problems.append(
                _at(record, "field", catalogue.UNKNOWN_FIELD, f"field '{record.value('field')}' is not a {sheet.name} field and is ignored.{hint}")
            )
        elif name in seen:
            problems.append(_at(record, "field", catalogue.DUPLICATE_FIELD, f"field {name} is given twice; it is already at {data.title}!{seen[name]}. Keep one."))
        else:
            seen[name] = record.ref("field")
            problems += _check_cell(record, "value", sheet.column(name), sheet, ids, workbook)
    for column in sheet.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem.of(catalogue.MISSING_FIELD,
                    f"There is no {column.name} row; add a row with field '{column.name}' and its value ({column.description.rstrip('.').lower()}).",
                    data.title, column=column.name,
                )
            )
    return problems
