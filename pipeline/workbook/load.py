"""Read the analysts' workbook into typed records that remember their sheet and cell.

The stages of the workbook side, in order: the file gate (`gate`), the streaming reader
(`reader`), the sheet's layout (`layout`), and each cell typed by its contract column
(`cells`). The workbook is opened read-only and never written. A cell that cannot be typed
keeps its raw value and an `Issue` from the catalogue for the validator to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from ..checks import catalogue
from ..contract import SHEETS, Column, ColumnType, Sheet
from ..errors import WorkbookUnreadable
from .cells import PARSERS, Untyped, decoded, shown, tidy
from .gate import Issue, check_file
from .layout import LayoutIssue, RawSheet, normal, read_rows
from .reader import SheetPart, SheetStream, opened


@dataclass(frozen=True)
class Cell:
    ref: str  # "F7"
    raw: object  # what Excel holds (a formula's cached result)
    value: object  # typed by the column, text tidied; None when blank or unreadable
    issue: Issue | None = None  # why the value could not be read
    notes: tuple[Issue, ...] = ()  # what was odd about a value that could be read

    @property
    def is_blank(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


@dataclass(frozen=True)
class Record:
    """One data row. `cells` holds the contract columns the sheet has."""

    sheet: str
    row: int
    cells: dict[str, Cell]

    def value(self, column: str) -> object:
        cell = self.cells.get(column)
        return None if cell is None else cell.value

    def ref(self, column: str) -> str | None:
        cell = self.cells.get(column)
        return None if cell is None else cell.ref


@dataclass
class SheetData:
    contract: Sheet
    title: str  # the sheet's name as the workbook spells it
    header_row: int
    columns: dict[str, str]  # contract column -> column letter where it was found
    headers: list[str]  # every header in the header row, as written
    layout: list[LayoutIssue]
    records: list[Record] = field(default_factory=list)

    def fields(self) -> dict[str, Cell]:
        """A key-value sheet's fields: name -> value cell, the first row of each name."""
        found: dict[str, Cell] = {}
        for record in self.records:
            name = record.value("field")
            if isinstance(name, str) and name.casefold() not in found and "value" in record.cells:
                found[name.casefold()] = record.cells["value"]
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


def load(path: str | Path) -> LoadedWorkbook:
    """Read `path`; raise WorkbookUnreadable if it is not a workbook that can be read."""
    path = Path(path)
    notes = check_file(path)
    titles, raw_sheets = _read_sheets(path)
    return LoadedWorkbook(path, {raw.contract.name: _typed_sheet(raw) for raw in raw_sheets}, titles, notes)


def _read_sheets(path: Path) -> tuple[list[str], list[RawSheet]]:
    """Every worksheet's title, and the contract sheets' headers, rows and layout."""
    with opened(path) as package:
        if not package.worksheets:
            raise WorkbookUnreadable(
                f"{path} has no worksheets that can be read. If it was saved as 'Strict Open XML', "
                "save it as 'Excel Workbook (.xlsx)' instead."
            )
        titles = [part.title for part in package.worksheets]
        by_name: dict[str, list[SheetPart]] = {}
        for part in package.worksheets:
            by_name.setdefault(part.title.strip().casefold(), []).append(part)
        raw_sheets = []
        for sheet in SHEETS:
            alike = by_name.get(sheet.name.casefold(), [])
            if not alike:
                continue
            # The tab named exactly as the contract names it, where there is one, is read; a
            # copy named alike is an error all the same, since either may be the stale one.
            chosen = next((part for part in alike if part.title == sheet.name), alike[0])
            raw = read_rows(SheetStream(package, chosen), sheet)
            raw.layout[:0] = [_duplicate_sheet(chosen, other) for other in alike if other is not chosen]
            raw_sheets.append(raw)
    return titles, raw_sheets


def _duplicate_sheet(read: SheetPart, other: SheetPart) -> LayoutIssue:
    return LayoutIssue(
        catalogue.DUPLICATE_SHEET,
        f"The tabs '{read.title}' and '{other.title}' have the same name once spaces and capitals are ignored, so it is "
        f"not clear which one the briefing should read ('{read.title}' was read). Delete the stale copy, or rename it.",
    )


def _typed_sheet(raw: RawSheet) -> SheetData:
    sheet = raw.contract
    letters = {name: get_column_letter(number) for name, number in raw.columns.items()}
    data = SheetData(sheet, raw.title, raw.header_row, letters, raw.headers, raw.layout)
    typing = {name: _FIELD_AS_TEXT if sheet.key_value else sheet.column(name) for name in letters}
    fields = {column.name: column for column in sheet.columns}
    for number, raw_cells in raw.rows:
        if sheet.key_value:  # the row's field says how to type its value
            field = normal(raw_cells.get("field", _BLANK)[0])
            typing["value"] = fields.get(field, _FIELD_AS_TEXT)
        cells = {
            name: _typed_cell(f"{letter}{number}", *raw_cells.get(name, _BLANK), typing[name], raw.links.get((number, name)))
            for name, letter in letters.items()
        }
        data.records.append(Record(raw.title, number, cells))
    return data


_BLANK = (None, "n")
_FIELD_AS_TEXT = Column("field", ColumnType.TEXT, "")


def _typed_cell(ref: str, raw: object, kind: str, column: Column, link: str | None = None) -> Cell:
    """The cell typed by its column. A cell of a column that takes links, and has one, is
    the address it links to, with a warning where it shows other text."""
    if raw is None:
        issue = Issue(catalogue.FORMULA_WITHOUT_VALUE, _FORMULA_WITHOUT_VALUE) if kind == "formula" else None
        return Cell(ref, None, False if column.type is ColumnType.FLAG else None, issue)
    if kind == "e" or (kind == "formula" and isinstance(raw, str) and raw in ERROR_CODES):
        return Cell(ref, raw, None, Issue(catalogue.EXCEL_ERROR, f"holds the Excel error {raw}. Correct the formula or type the value."))
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
        return Cell(ref, raw, None, Issue(problem.rule, problem.message))
    return Cell(ref, raw, value, notes=linked + (_text_notes(written, value, column) if isinstance(written, str) else ()))


# Longer than any paragraph a briefing should print: most likely several cells pasted into one.
LONG_TEXT_LIMIT = 2_500
_EXCEL_CELL_LIMIT = 32_767


# Invisible characters that change no letter's shape, so that text which looks alike does not
# match. The joiners U+200C and U+200D are left alone: Persian and Indic scripts spell with them.
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


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
    if column.type is ColumnType.TEXT and len(written) > LONG_TEXT_LIMIT:
        cut = " It is exactly Excel's limit, so the end may have been cut off." if len(written) >= _EXCEL_CELL_LIMIT else ""
        notes.append(
            Issue(
                catalogue.LONG_TEXT,
                f"is {len(written):,} characters long; a briefing paragraph is rarely over {LONG_TEXT_LIMIT:,}. "
                f"Check that it is one entry, not several pasted together.{cut}",
            )
        )
    return tuple(notes)


_FORMULA_WITHOUT_VALUE = (
    "holds a formula that has never been calculated, so there is no value to read. "
    "Open the workbook in Excel and save it, or type the value."
)
