"""Show the problems where the analyst works: a copy of the workbook with every problem cell
highlighted (red for errors, amber for warnings) and commented, and a first sheet listing
every problem with a link to its cell. The original workbook is only read.

openpyxl makes the copy, from the workbook as the loader reads it: through the same gate and
limits, with the rows below each sheet's last value left out (see `reader.trimmed`).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
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


@dataclass(frozen=True)
class Annotation:
    """One note on a cell of the copy: the cell (`sheet`, `cell`; no sheet: listed only), its
    comment `text` by `author`, the highlight's colour, and its row in the list sheet."""

    sheet: str | None
    cell: str
    text: str
    author: str
    fill: PatternFill
    listed: tuple[object, ...]  # the list sheet's row; its `linked`th cell links to the note's cell


@dataclass(frozen=True)
class Listing:
    """The list sheet that opens the copy: its title, the lines over it, and its columns."""

    title: str
    lines: tuple[str, str]
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    linked: int  # the column (from 0) that links to each note's cell
    wrapped: tuple[int, ...]  # columns whose text sets a row's height
    empty: str


# The date of a copy of a workbook that gives none of its own: the earliest a zip entry can hold.
UNDATED = dt.datetime(1980, 1, 1)


def write(source: Path, problems: list[Problem], target: Path) -> None:
    """Write the annotated copy of `source` to `target`, atomically."""
    errors = sum(p.severity == Severity.ERROR for p in problems)
    listing = Listing(
        LIST_TITLE,
        (
            f"Validation of {visible(source.name)}: {errors} error(s), {len(problems) - errors} warning(s)",
            "This is a copy for review: fix problems in the original workbook, then validate again. "
            "Errors stop the briefing; warnings are worth a look.",
        ),
        ("Severity", "Where", "Code", "Problem", "What to do"),
        _WIDTHS,
        1,
        (3, 4),
        "No problems found.",
    )
    notes = [
        Annotation(
            p.sheet,
            _anchor(p),
            f"{p.severity.upper()} [{p.code}]: {p.message}",
            _AUTHOR,
            _FILL[p.severity],
            (p.severity, p.location, p.code, p.message, p.fix),
        )
        for p in problems
    ]
    annotated(source, notes, listing, target)


def annotated(source: Path, notes: list[Annotation], listing: Listing, target: Path) -> None:
    """Write to `target`, atomically, a copy of `source` with each note's cell highlighted and
    commented (notes on one cell together, the first's colour) and a first sheet listing every
    note, linked to its cell. `source` is only read."""
    workbook = _opened(source)
    sheets = {ws.title: ws for ws in workbook.worksheets}
    by_cell: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for note in notes:
        if note.sheet is not None and note.sheet in sheets:
            by_cell[(note.sheet, _shown_at(sheets[note.sheet], note.cell))].append(note)
    for (title, ref), here in by_cell.items():
        cell = sheets[title][ref]
        cell.fill = here[0].fill
        text = "\n\n".join(note.text for note in here)
        if cell.comment is not None:  # keep the analyst's own comment above ours
            text = f"{cell.comment.text}\n\n{text}"
        comment = Comment(text, here[0].author)
        comment.width, comment.height = 320, min(60 + 18 * (len(text) // 45), 400)
        cell.comment = comment
        sheets[title].page_setup.cellComments = "atEnd"  # printed, the comments follow the sheet
    _list_sheet(workbook, notes, listing, sheets)
    # Dated as the workbook says it was last saved, not the moment of copying: the same
    # workbook and notes give the same bytes.
    properties = workbook.properties
    save(workbook, target, dated=properties.modified or properties.created or UNDATED)


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


def _list_sheet(workbook: openpyxl.Workbook, notes: list[Annotation], listing: Listing, sheets: dict[str, Worksheet]) -> None:
    title, number = listing.title, 1
    while title in sheets:
        number += 1
        title = f"{listing.title} {number}"
    sheet = workbook.create_sheet(title, 0)
    for ws in workbook.worksheets:
        ws.sheet_view.tabSelected = False  # several selected tabs would open grouped in Excel
    workbook.active = 0
    sheet.sheet_view.tabSelected = True
    sheet["A1"], sheet["A2"] = listing.lines
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(listing.headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    columns = len(listing.headers)
    # Rows counted here: the sheet's max_row looks at every cell, once per remark a review has thousands.
    for row, note in enumerate(notes, start=sheet.max_row + 1):
        sheet.append(list(note.listed))
        sheet.cell(row, 1).fill = note.fill
        if note.sheet in sheets:
            where = sheet.cell(row, listing.linked + 1)
            # An internal link (a location, not a target), which Excel and LibreOffice both follow.
            where.hyperlink = Hyperlink(ref=where.coordinate, location=f"{quote_sheetname(note.sheet)}!{note.cell}")
            where.style = "Hyperlink"
        for column in range(1, columns + 1):
            sheet.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")
        # Readers do not all grow wrapped rows themselves; about 1.1 characters per width unit.
        lines = max(math.ceil(len(str(note.listed[i] or "")) / (listing.widths[i] * 1.1)) for i in listing.wrapped)
        sheet.row_dimensions[row].height = 15 * max(lines, 1)
    if not notes:
        sheet.append(["", "", "", listing.empty])
    for index, width in enumerate(listing.widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.auto_filter.ref = f"A4:{get_column_letter(columns)}{max(sheet.max_row, 5)}"


# A reviewer's remark by its kind: comments in Excel's "Neutral" amber, changes in "Good" green,
# and what could not be placed in "Bad" red, so that it is not missed.
_REVIEW_FILL = {
    "comment": PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
    "change": PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE"),
    "not placed": PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
}
REVIEW_TITLE = "Review"
_REVIEW_WIDTHS = (12, 18, 18, 12, 60, 50, 50)


@dataclass(frozen=True)
class CellRemark:
    """A reviewer's remark on a cell (`sheet` None: not placed), as the review copy shows it. Its
    texts are as a cell may hold them (`characters.held`, by which `reviews` writes the open
    comments too): shown as they are, a reply on its own line."""

    sheet: str | None
    cell: str
    kind: str  # comment, insertion, deletion, edit
    author: str
    date: str
    text: str
    proposed: str | None
    context: str

    @property
    def where(self) -> str:
        return f"{quote_sheetname(self.sheet)}!{self.cell}" if self.sheet else "not placed"


def write_review(source: Path, remarks: list[CellRemark], reviewed_name: str, target: Path) -> None:
    """Write to `target` a copy of `source` with each remark of the review of `reviewed_name`
    on its cell, highlighted, and a Review sheet listing them all (those not placed too, with
    the text they stood in)."""
    placed = sum(r.sheet is not None for r in remarks)
    listing = Listing(
        REVIEW_TITLE,
        (
            f"Review of {visible(reviewed_name)}: {placed} remark(s) on cells, {len(remarks) - placed} not placed",
            "This is a copy for the analyst: make the changes in the original workbook, then build again. "
            "A remark not placed is on text the pipeline writes itself, or on an item the workbook no longer has.",
        ),
        ("Kind", "Where", "Author", "Date", "Remark", "Proposed text", "Context"),
        _REVIEW_WIDTHS,
        1,
        (4, 5, 6),
        "No remarks found.",
    )
    notes = []
    for remark in remarks:
        fill = _REVIEW_FILL["not placed" if remark.sheet is None else "comment" if remark.kind == "comment" else "change"]
        said = f"{remark.kind.upper()} by {remark.author or 'unknown'}: {remark.text}"
        if remark.proposed is not None:
            said += f"\n→ {remark.proposed}"
        listed = (remark.kind, remark.where, remark.author, remark.date[:10], remark.text, remark.proposed, remark.context)
        notes.append(Annotation(remark.sheet, remark.cell, said, remark.author or "Review", fill, listed))
    annotated(source, notes, listing, target)
