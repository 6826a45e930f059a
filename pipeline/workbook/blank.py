"""`init`: a blank workbook that follows the contract, with an Instructions sheet.

The workbook helps before validation does: selecting a cell shows what its column holds, and
Excel's own data validation offers the allowed values and the ids of other sheets as dropdowns
and refuses what cannot be a date or a number. All of it is derived from the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..contract import KEY_VALUE_HEADERS, SHEETS, Column, ColumnType, Sheet, allowed_values
from ..contract import sheet as contract_sheet
from ..files import save
from ..formats import clipped

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP = Alignment(wrap_text=True, vertical="top")

# Excel's last row: a column's validation covers every row under the header.
_LAST_ROW = 1_048_576
# Dates the desk can mean; anything outside is a typing slip (2202 for 2022).
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# Excel has no "any number" rule, only numbers between two bounds: these no figure reaches.
_ANY_NUMBER = ("-1E+300", "1E+300")
# Excel's limits on a validation's texts; longer ones make it refuse the file.
TITLE_LIMIT, MESSAGE_LIMIT = 32, 255
# Cells Excel must keep as typed: text such as 2022-08 or Jul 2022 would otherwise become a date.
_AS_TYPED = "@"
_DATE_FORMAT = "yyyy-mm-dd"
_NUMBER_FORMATS = {
    ColumnType.TEXT: _AS_TYPED,
    ColumnType.ID: _AS_TYPED,
    ColumnType.ID_LIST: _AS_TYPED,
    ColumnType.PARTIAL_DATE: _AS_TYPED,
    ColumnType.DATE: _DATE_FORMAT,
}


def write(path: Path) -> None:
    """The blank workbook, written to `path` whole or not at all."""
    save(blank(), path)


def blank() -> Workbook:
    """The blank workbook, in memory: what `init` writes, and what the sample is filled into."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Instructions"
    _instructions(instructions)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        if sheet.key_value:
            _header(worksheet, KEY_VALUE_HEADERS, widths=(18, 90))
            for row, column in enumerate(sheet.columns, start=2):
                worksheet.cell(row, 1, column.name)
                value = worksheet.cell(row, 2)
                value.number_format = _NUMBER_FORMATS.get(column.type, "General")
                _validate(worksheet, column, value.coordinate)
        else:
            _header(worksheet, [c.name for c in sheet.columns], widths=[_width(c.name) for c in sheet.columns])
            for index, column in enumerate(sheet.columns, start=1):
                letter = get_column_letter(index)
                if column.type in _NUMBER_FORMATS:
                    worksheet.column_dimensions[letter].number_format = _NUMBER_FORMATS[column.type]
                _validate(worksheet, column, f"{letter}2:{letter}{_LAST_ROW}")
    for sheet in _listed_sheets():
        workbook.defined_names[id_list_name(sheet)] = DefinedName(id_list_name(sheet), attr_text=_id_list(sheet))
    return workbook


def filled(content: dict) -> Workbook:
    """The blank workbook with `content` typed into it, as an analyst would: for each sheet its
    rows (column name -> value), and for the Briefing sheet its fields (name -> value). Each
    cell takes its column's number format, so text stays text and dates show as dates."""
    workbook = blank()
    for sheet in SHEETS:
        worksheet = workbook[sheet.name]
        if sheet.key_value:
            rows = {worksheet.cell(row, 1).value: row for row in range(2, worksheet.max_row + 1)}
            for name, value in content.get(sheet.name, {}).items():
                _typed(worksheet.cell(rows[name], 2), value, sheet.column(name))
        else:
            for row, values in enumerate(content.get(sheet.name, ()), start=2):
                for index, column in enumerate(sheet.columns, start=1):
                    if values.get(column.name) is not None:
                        _typed(worksheet.cell(row, index), values[column.name], column)
    return workbook


def _typed(cell: Cell, value: object, column: Column) -> None:
    cell.value = value
    cell.number_format = _NUMBER_FORMATS.get(column.type, "General")


def _listed_sheets() -> list[Sheet]:
    """The sheets whose ids a reference dropdown offers, in contract order."""
    named = {target.name for s in SHEETS for c in s.columns if (target := _dropdown(c)) is not None}
    return [s for s in SHEETS if s.name in named]


def _dropdown(column: Column) -> Sheet | None:
    """The sheet whose ids the column's dropdown lists; None where it has none. A list of
    several ids (Charts' figures) cannot be picked from a dropdown."""
    return contract_sheet(column.references) if column.type is ColumnType.ID and column.references is not None else None


def id_list_name(sheet: Sheet) -> str:
    """The workbook name for `sheet`'s ids, which reference dropdowns list: `source_ids`."""
    return f"{sheet.referenced_by.name}s"


def _id_list(sheet: Sheet) -> str:
    """The filled cells of the id column, so that the dropdown ends at the last id rather than
    trailing a million blanks. (Ids are written from row 2 down, without gaps.)"""
    letter = get_column_letter(sheet.columns.index(sheet.referenced_by) + 1)
    column = f"'{sheet.name}'!${letter}:${letter}"
    return f"OFFSET('{sheet.name}'!${letter}$2,0,0,MAX(1,COUNTA({column})-1),1)"


def _validate(worksheet: Worksheet, column: Column, cells: str) -> None:
    """Excel's data validation for `column` over `cells`: its rule, and what to tell the analyst."""
    rule = _rule(column, first_cell=cells.split(":")[0])
    validation = DataValidation(
        **rule,
        allow_blank=True,
        showInputMessage=True,
        promptTitle=clipped(column.name, TITLE_LIMIT),
        prompt=clipped(_prompt(column), MESSAGE_LIMIT),
    )
    if rule:
        validation.showErrorMessage = True
        validation.errorTitle = clipped(f"Check {column.name}", TITLE_LIMIT)
        validation.error = clipped(_error(column), MESSAGE_LIMIT)
    validation.add(cells)
    worksheet.add_data_validation(validation)


def _rule(column: Column, first_cell: str) -> dict:
    """The check Excel can make for the column's type; none for free text."""
    t = column.type
    if t is ColumnType.CHOICE:
        return {"type": "list", "formula1": _inline_list(column.choice_values), "errorStyle": "stop"}
    if t is ColumnType.FLAG:
        return {"type": "list", "formula1": _inline_list(("Y", "N")), "errorStyle": "stop"}
    if (target := _dropdown(column)) is not None:
        # A warning, not a stop: an analyst may cite a source before adding its row.
        return {"type": "list", "formula1": id_list_name(target), "errorStyle": "warning"}
    if t is ColumnType.ID and column.unique:
        letter, _ = coordinate_from_string(first_cell)
        return {
            "type": "custom",
            "formula1": f'AND(COUNTIF(${letter}:${letter},{first_cell})=1,ISERROR(FIND(" ",{first_cell})))',
            "errorStyle": "stop",
        }
    if t is ColumnType.DATE:
        first, last = (str(int(to_excel(d))) for d in (FIRST_DATE, LAST_DATE))
        return {"type": "date", "operator": "between", "formula1": first, "formula2": last, "errorStyle": "stop"}
    if t in (ColumnType.NUMBER, ColumnType.INTEGER):
        low, high = _ANY_NUMBER
        kind = "decimal" if t is ColumnType.NUMBER else "whole"
        return {"type": kind, "operator": "between", "formula1": low, "formula2": high, "errorStyle": "stop"}
    return {}


def _inline_list(values: Iterable[str]) -> str:
    return '"' + ",".join(values) + '"'


def _prompt(column: Column) -> str:
    """The column's description, whether it is required, and what it takes."""
    takes = allowed_values(column)
    if column.choices:
        takes = f"One of: {takes}"
        if len(f"{column.description}\n{column.requirement}. {takes}.") > MESSAGE_LIMIT:
            takes = f"One of: {', '.join(column.choice_values)}"  # the meanings are in Instructions
    elif column.references:
        takes = f"{_capitalised(column.described_type)}: {takes}"
    else:
        takes = _capitalised(column.described_type)
    return f"{column.description}\n{_capitalised(column.requirement)}. {takes}."


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]  # str.capitalize would lower YYYY


def _error(column: Column) -> str:
    t = column.type
    if t is ColumnType.CHOICE:
        return f"{column.name} takes one of: {', '.join(column.choice_values)}."
    if t is ColumnType.FLAG:
        return f"{column.name} takes Y or N (blank means N)."
    if (target := _dropdown(column)) is not None:
        several = f" To name several, separate them with commas ({column.example}) and choose Yes." if column.several else ""
        return f"This is not a {target.referenced_by.name} in the {target.name} sheet yet. Add it there, or pick one from the list.{several}"
    if t is ColumnType.ID:
        return f"Each {column.name} is used once, without spaces: letters, digits, -, _ or . only."
    if t is ColumnType.DATE:
        return f"{column.name} takes a full date between {FIRST_DATE} and {LAST_DATE}, typed as YYYY-MM-DD."
    return f"{column.name} takes a {column.type.value} alone, with no unit or words."


def _width(name: str) -> int:
    return 60 if name in {"text", "intro", "event", "title", "caption", "note"} else max(12, len(name) + 4)


def _header(worksheet: Worksheet, names: Iterable[str], widths: Iterable[int]) -> None:
    worksheet.append(list(names))
    for index, width in enumerate(widths, start=1):
        cell = worksheet.cell(1, index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"


def _instructions(worksheet: Worksheet) -> None:
    worksheet.append(["How to fill in this workbook"])
    worksheet["A1"].font = Font(bold=True, size=14)
    for line in (
        "One header row per sheet (row 1). Header names are matched ignoring case and spaces; column order is free; extra columns are ignored.",
        "Select a cell to see what its column holds. Dropdowns offer the allowed values, and the ids already entered on the "
        f"{' and '.join(s.name for s in _listed_sheets())} sheets.",
        "Dates: an Excel date or text such as 2022, 2022-08 or 2022-08-09. A year or month alone is allowed where the type says so.",
        "Y/N columns take Y, N, yes, no, TRUE, FALSE; blank means N.",
        "Run `make validate` to check the workbook and `make report` to build the briefing. A workbook other than "
        "inputs/russia_iran_ties.xlsx is named on every command: `make report WORKBOOK=inputs/this.xlsx`, and so "
        "`make release`, `make check` and `make validate`. `make reports` builds every workbook in inputs/ at once.",
        "",
    ):
        worksheet.append([line])
    start = worksheet.max_row + 1
    worksheet.append(["Sheet", "Column", "Type", "Required", "Allowed values", "What it holds"])
    for cell in worksheet[start]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for sheet in SHEETS:
        for column in sheet.columns:
            worksheet.append(
                [sheet.name, column.name, column.described_type, column.requirement, allowed_values(column), column.description]
            )
            for cell in worksheet[worksheet.max_row]:
                cell.alignment = _WRAP
    for letter, width in zip("ABCDEF", (12, 16, 52, 34, 40, 60)):
        worksheet.column_dimensions[letter].width = width
