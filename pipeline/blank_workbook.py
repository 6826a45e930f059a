"""`init`: a blank workbook that follows the contract, with an Instructions sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .contract import KEY_VALUE_HEADERS, SHEETS, allowed_values

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write(path: Path) -> None:
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
        else:
            _header(worksheet, [c.name for c in sheet.columns], widths=[_width(c.name) for c in sheet.columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _width(name: str) -> int:
    return 60 if name in {"text", "intro", "event", "title", "caption", "note"} else max(12, len(name) + 4)


def _header(worksheet, names, widths) -> None:
    worksheet.append(list(names))
    for index, width in enumerate(widths, start=1):
        cell = worksheet.cell(1, index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"


def _instructions(worksheet) -> None:
    worksheet.append(["How to fill in this workbook"])
    worksheet["A1"].font = Font(bold=True, size=14)
    for line in (
        "One header row per sheet (row 1). Header names are matched ignoring case and spaces; column order is free; extra columns are ignored.",
        "Dates: an Excel date or text such as 2022, 2022-08 or 2022-08-09. A year or month alone is allowed where the type says so.",
        "Y/N columns take Y, N, yes, no, TRUE, FALSE; blank means N.",
        "Run `make validate` to check the workbook and `make report` to build the briefing.",
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
                [sheet.name, column.name, column.type.value, column.requirement, allowed_values(column), column.description]
            )
            for cell in worksheet[worksheet.max_row]:
                cell.alignment = _WRAP
    for letter, width in zip("ABCDEF", (12, 16, 30, 26, 40, 60)):
        worksheet.column_dimensions[letter].width = width
