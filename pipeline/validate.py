"""Check the loaded workbook against the contract and report every problem at once.

Each problem names the sheet and cell (`Figures!F7`), the column, a stable code and a sentence
an analyst understands. Errors stop the build; warnings are printed and the build goes on.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import asdict, dataclass

from .contract import KEY_VALUE_HEADERS, SHEETS, Column, ColumnType, Sheet
from .load import Cell, LoadedWorkbook, Record, SheetData

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    sheet: str | None
    cell: str | None
    row: int | None
    column: str | None
    code: str
    message: str

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet}!{self.row}:{self.row}"
        return self.sheet or "workbook"

    def as_dict(self) -> dict:
        return asdict(self)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def validate(workbook: LoadedWorkbook) -> list[Problem]:
    """Every problem in the workbook, in reading order: sheet by sheet, row by row."""
    problems: list[Problem] = []
    ids = _known_ids(workbook)
    for sheet in SHEETS:
        data = workbook.sheets.get(sheet.name)
        if data is None:
            if not sheet.optional:
                problems.append(_missing_sheet(sheet, workbook.sheet_titles))
            continue
        if sheet.key_value:
            found = _check_fields(data, ids, workbook)
        else:
            found = _check_columns(data)
            for record in data.records:
                found += _check_record(record, sheet, ids, workbook)
            found += _check_unique(data)
            if sheet.name == "Charts":
                found += _check_chart_units(data, workbook)
        order = {column.name: index for index, column in enumerate(sheet.columns)}
        problems += sorted(found, key=lambda p: (p.row or 0, order.get(p.column, -1)))
    return problems


# --- structure --------------------------------------------------------------------------------


def _closest(name: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(name.casefold(), [c.casefold() for c in candidates], n=1, cutoff=0.6)
    if not match:
        return ""
    original = next(c for c in candidates if c.casefold() == match[0])
    return f" Did you mean '{original}'?"


def _missing_sheet(sheet: Sheet, titles: list[str]) -> Problem:
    hint = _closest(sheet.name, titles) or " Add it, or create a blank workbook with `init` to copy it from."
    return Problem(ERROR, sheet.name, None, None, None, "missing-sheet", f"The workbook has no sheet named '{sheet.name}'.{hint}")


def _check_columns(data: SheetData) -> list[Problem]:
    problems = []
    for column in data.contract.columns:
        if column.name in data.columns or not (column.required or column.required_when):
            continue
        hint = _closest(column.name, [h for h in data.headers if h.casefold() not in data.columns])
        problems.append(
            Problem(
                ERROR, data.title, None, 1, column.name, "missing-column",
                f"Row 1 has no column headed '{column.name}', which the {data.contract.name} sheet needs.{hint}",
            )
        )
    return problems


# --- cells ------------------------------------------------------------------------------------


def _cell_problem(record: Record, column: str, code: str, message: str, severity: str = ERROR) -> Problem:
    return Problem(severity, record.sheet, record.ref(column), record.row, column, code, message)


def _check_record(record: Record, sheet: Sheet, ids: dict[str, set[str]], workbook: LoadedWorkbook) -> list[Problem]:
    problems = []
    for column in sheet.columns:
        problems += _check_cell(record, column.name, column, sheet, ids, workbook)
    return problems


def _check_cell(record: Record, key: str, column: Column, sheet: Sheet, ids, workbook: LoadedWorkbook) -> list[Problem]:
    """The cell under `key` in `record`, judged by the contract's `column`. (In the Briefing
    sheet the cell is always under `value`, and the row's field names the column.)"""
    cell = record.cells.get(key)
    if cell is None:
        return []
    if cell.issue:
        return [_cell_problem(record, key, cell.issue.code, f"{column.name} {cell.issue.message}")]
    if cell.is_blank and _is_required(column, record):
        return [_cell_problem(record, key, "required", _required_message(column, sheet))]
    if column.references and cell.value is not None and column.references in workbook.sheets:
        return _check_reference(record, key, column, cell, ids[column.references])
    return []


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
    named = cell.value if column.type is ColumnType.ID_LIST else (cell.value,)
    unknown = [value for value in named if value not in known]
    if not unknown:
        return []
    target = column.references
    listed = ", ".join(unknown)
    noun = "is" if len(unknown) == 1 else "are"
    hint = _closest(unknown[0], sorted(known)) if len(unknown) == 1 else ""
    return [
        _cell_problem(
            record, key, "unknown-reference",
            f"{column.name} names {listed}, which {noun} not in the {target} sheet.{hint}",
        )
    ]


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
                    _cell_problem(
                        record, column.name, "duplicate-id",
                        f"{column.name} {value} is used twice; it is already at {data.title}!{first_seen[value]}. Give each row its own.",
                    )
                )
            else:
                first_seen[value] = record.ref(column.name)
    return problems


def _check_chart_units(charts: SheetData, workbook: LoadedWorkbook) -> list[Problem]:
    """One chart plots one unit: its axis carries that unit."""
    unit_of = {f.value("figure_id"): f.value("unit") for f in workbook.records("Figures")}
    problems = []
    for chart in charts.records:
        by_unit = defaultdict(list)
        for figure_id in chart.value("figures") or ():
            if unit_of.get(figure_id):
                by_unit[unit_of[figure_id]].append(figure_id)
        if len(by_unit) > 1:
            mixed = "; ".join(f"{', '.join(ids)} in {unit}" for unit, ids in by_unit.items())
            problems.append(
                _cell_problem(
                    chart, "figures", "chart-mixed-units",
                    f"figures mixes units ({mixed}); one chart plots one unit. Split it into one chart per unit.",
                )
            )
    return problems


# --- the key-value sheet ----------------------------------------------------------------------


def _check_fields(data: SheetData, ids: dict[str, set[str]], workbook: LoadedWorkbook) -> list[Problem]:
    sheet = data.contract
    missing_headers = [h for h in KEY_VALUE_HEADERS if h not in data.columns]
    if missing_headers:
        return [
            Problem(
                ERROR, data.title, None, 1, header, "missing-column",
                f"Row 1 has no column headed '{header}'; the {sheet.name} sheet has two columns, 'field' and 'value'.",
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
            problems.append(_cell_problem(record, "field", field_cell.issue.code, f"field {field_cell.issue.message}"))
        elif not name:
            problems.append(_cell_problem(record, "field", "required", "field is empty; write which field this row's value is for."))
        elif name not in names:
            hint = _closest(name, names) or f" The fields are: {', '.join(names)}."
            problems.append(
                _cell_problem(record, "field", "unknown-field", f"field '{record.value('field')}' is not a {sheet.name} field and is ignored.{hint}", WARNING)
            )
        elif name in seen:
            problems.append(_cell_problem(record, "field", "duplicate-field", f"field {name} is given twice; it is already at {data.title}!{seen[name]}. Keep one."))
        else:
            seen[name] = record.ref("field")
            problems += _check_cell(record, "value", sheet.column(name), sheet, ids, workbook)
    for column in sheet.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(
                    ERROR, data.title, None, None, column.name, "missing-field",
                    f"There is no {column.name} row; add a row with field '{column.name}' and its value ({column.description.rstrip('.').lower()}).",
                )
            )
    return problems
