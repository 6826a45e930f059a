"""Show the problems where the analyst works: a copy of the workbook with every problem cell
highlighted (red for errors, amber for warnings) and commented, and a first sheet listing
every problem with a link to its cell. The original workbook is only read.

openpyxl makes the copy, from the workbook as the loader reads it: through the same gate and
limits, with the rows below each sheet's last value left out (see `reader.trimmed`).
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue import Problem, Severity
from ..errors import WorkbookUnreadable
from ..files import save
from ..formats import visible
from .gate import check_file
from .reader import trimmed, unreadable

# Excel's own "Bad" and "Neutral" cell-style colours, which analysts already read this way.
_FILL = {
    Severity.ERROR: PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
    Severity.WARNING: PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
}
_AUTHOR = "Briefing validation"
_WIDTHS = (10, 18, 24, 70, 50)  # the problem list's columns, in Excel's character units
LIST_TITLE = "Problems"


def write(source: Path, problems: list[Problem], target: Path) -> None:
    """Write the annotated copy of `source` to `target`, atomically."""
    workbook = _opened(source)
    sheets = {ws.title: ws for ws in workbook.worksheets}
    by_cell: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for found in problems:
        if found.sheet is not None and found.sheet in sheets:
            by_cell[(found.sheet, _shown_at(sheets[found.sheet], _anchor(found)))].append(found)
    for (title, ref), here in by_cell.items():
        cell = sheets[title][ref]
        worst = Severity.ERROR if any(p.severity == Severity.ERROR for p in here) else Severity.WARNING
        cell.fill = _FILL[worst]
        text = "\n\n".join(f"{p.severity.upper()} [{p.code}]: {p.message}" for p in here)
        if cell.comment is not None:  # keep the analyst's own comment above ours
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, _AUTHOR)
        comment.width, comment.height = 320, min(60 + 18 * (len(text) // 45), 400)
        cell.comment = comment
        sheets[title].page_setup.cellComments = "atEnd"  # printed, the comments follow the sheet
    _list_sheet(workbook, problems, sheets, source.name)
    save(workbook, target)


def _opened(source: Path) -> openpyxl.Workbook:
    """`source` as openpyxl reads it for editing; whatever openpyxl raises on the package
    becomes a WorkbookUnreadable, as when loading."""
    check_file(source)
    with trimmed(source) as package:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # features openpyxl drops from the copy (slicers, extensions)
                return openpyxl.load_workbook(package)
        except Exception as exc:
            raise WorkbookUnreadable(unreadable(source, exc)) from exc


def _shown_at(worksheet: Worksheet, ref: str) -> str:
    """The cell a note on `ref` goes in: `ref`, or the first cell of the merged range covering
    it, the one Excel shows (the others cannot hold a note)."""
    for merged in worksheet.merged_cells.ranges:
        if ref in merged:
            return merged.start_cell.coordinate
    return ref


def _anchor(found: Problem) -> str:
    """The cell a problem is shown on: its own, else the start of its row, else A1."""
    if found.cell:
        return found.cell
    return f"A{found.row}" if found.row else "A1"


def _list_sheet(workbook: openpyxl.Workbook, problems: list[Problem], sheets: dict[str, Worksheet], source_name: str) -> None:
    title, number = LIST_TITLE, 1
    while title in sheets:
        number += 1
        title = f"{LIST_TITLE} {number}"
    listing = workbook.create_sheet(title, 0)
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = False  # several selected tabs would open grouped in Excel
    workbook.active = 0
    listing.sheet_view.tabSelected = True
    errors = sum(p.severity == Severity.ERROR for p in problems)
    listing["A1"] = f"Validation of {visible(source_name)}: {errors} error(s), {len(problems) - errors} warning(s)"
    listing["A1"].font = Font(bold=True, size=13)
    listing["A2"] = (
        "This is a copy for review: fix problems in the original workbook, then validate again. "
        "Errors stop the briefing; warnings are worth a look."
    )
    headers = ("Severity", "Where", "Code", "Problem", "What to do")
    listing.append([])
    listing.append(headers)
    for cell in listing[4]:
        cell.font = Font(bold=True)
    for found in problems:
        listing.append([found.severity, found.location, found.code, found.message, found.fix])
        row = listing.max_row
        listing.cell(row, 1).fill = _FILL[found.severity]
        if found.sheet in sheets:
            where = listing.cell(row, 2)
            # An internal link (a location, not a target), which Excel and LibreOffice both follow.
            where.hyperlink = Hyperlink(ref=where.coordinate, location=f"{quote_sheetname(found.sheet)}!{_anchor(found)}")
            where.style = "Hyperlink"
        for column in range(1, 6):
            listing.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
        # Readers do not all grow wrapped rows themselves; about 1.1 characters per width unit.
        lines = max(math.ceil(len(text) / (_WIDTHS[i] * 1.1)) for i, text in ((3, found.message), (4, found.fix)))
        listing.row_dimensions[row].height = 15 * max(lines, 1)
    if not problems:
        listing.append(["", "", "", "No problems found."])
    for letter, width in zip("ABCDE", _WIDTHS):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A5"
    listing.page_setup.orientation = "landscape"
    listing.page_setup.fitToWidth, listing.page_setup.fitToHeight = 1, 0
    listing.sheet_properties.pageSetUpPr.fitToPage = True
    listing.auto_filter.ref = f"A4:E{max(listing.max_row, 5)}"
