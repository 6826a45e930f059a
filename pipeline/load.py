"""Read the analysts' workbook into typed records that remember their sheet and cell.

The workbook is opened read-only and never written. Each cell is typed by its contract column;
a cell that cannot be typed keeps its raw value and a `CellIssue` for the validator to report.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .contract import FLAG_WORDS, KEY_VALUE_HEADERS, SHEETS, Column, ColumnType, Sheet
from .dates import PartialDate
from .formats import clipped


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message says why and what to do."""


@dataclass(frozen=True)
class CellIssue:
    code: str
    message: str


@dataclass(frozen=True)
class Cell:
    ref: str  # "F7"
    raw: object  # what Excel holds (a formula's cached result)
    value: object  # typed by the column, text tidied; None when blank or unreadable
    issue: CellIssue | None = None  # why the value could not be read
    notes: tuple[CellIssue, ...] = ()  # what was odd about a value that could be read

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
    notes: list[CellIssue] = field(default_factory=list)  # about the file as a whole

    def records(self, sheet_name: str) -> list[Record]:
        data = self.sheets.get(sheet_name)
        return data.records if data else []


def load(path: str | Path) -> LoadedWorkbook:
    """Read `path`; raise WorkbookUnreadable if it is not a workbook openpyxl can read."""
    path = Path(path)
    notes = _check_file(path)
    titles, raw_sheets = _read_sheets(path)
    return LoadedWorkbook(path, {raw.contract.name: _typed_sheet(raw) for raw in raw_sheets}, titles, notes)


# --- the file ---------------------------------------------------------------------------------

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits checked on the zip's own directory before anything is decompressed, so that a small
# file that inflates to gigabytes (a zip bomb) is refused. Real workbooks compress 5–30 times.
MAX_UNPACKED_BYTES = 1 << 30
MAX_RATIO = 200
_RATIO_APPLIES_ABOVE = 10 << 20


def _check_file(path: Path) -> list[CellIssue]:
    """Refuse what is not an .xlsx package, before any XML is parsed; note what is odd about
    one that is."""
    if not path.exists():
        raise WorkbookUnreadable(f"{path} does not exist. Check the path, or create a blank workbook with `init`.")
    if path.is_dir():
        raise WorkbookUnreadable(f"{path} is a folder, not a workbook. Give the path of the .xlsx file.")
    suffix = path.suffix.lower()
    if suffix in {".xls", ".xlsb", ".ods", ".csv"}:
        raise WorkbookUnreadable(
            f"{path} is a {suffix} file; the pipeline reads Excel workbooks (.xlsx). "
            "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise WorkbookUnreadable(f"{path} is empty (0 bytes). Save the workbook again from Excel.")
    if head == _OLE2_SIGNATURE:
        raise WorkbookUnreadable(
            f"{path} is password-protected or an old-format (.xls) workbook. "
            "Remove the password, or save it as 'Excel Workbook (.xlsx)', and try again."
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookUnreadable(f"{path} is not an Excel workbook (an .xlsx file is a zip package, and this is not one).")
    _check_package(path)
    notes = []
    if suffix == ".xlsm":
        notes.append(CellIssue("macros-ignored", "The workbook holds macros (.xlsm). Its data is read; its macros are never run."))
    lock = path.with_name("~$" + path.name)
    if lock.exists():
        notes.append(
            CellIssue(
                "workbook-open",
                f"{lock.name} exists, so the workbook is probably open in Excel. Edits not yet saved are not included: "
                "save in Excel and run again.",
            )
        )
    return notes


def _check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            inflated = [
                e for e in entries if e.file_size > _RATIO_APPLIES_ABOVE and e.file_size > MAX_RATIO * max(e.compress_size, 1)
            ]
            if unpacked > MAX_UNPACKED_BYTES or inflated:
                raise WorkbookUnreadable(
                    f"{path} would unpack to {unpacked / (1 << 20):,.0f} MB"
                    f"{' and is compressed far more than real workbooks are' if inflated else ''}; "
                    "it is refused unread, as it looks like a zip bomb. If it is a real workbook, delete unused sheets and rows."
                )
            if "xl/workbook.xml" not in {entry.filename for entry in entries}:
                raise WorkbookUnreadable(f"{path} is a zip file but not an Excel workbook (it has no xl/workbook.xml).")
            with package.open("xl/workbook.xml") as workbook_part:
                workbook_xml = workbook_part.read(4096)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise WorkbookUnreadable(f"{path} is damaged (its zip package cannot be read: {exc}). Save it again from Excel.") from exc
    if b"purl.oclc.org/ooxml/spreadsheetml" in workbook_xml:
        raise WorkbookUnreadable(
            f"{path} is saved as 'Strict Open XML Spreadsheet', which cannot be read. "
            "In Excel, use Save As and choose 'Excel Workbook (.xlsx)'."
        )


@dataclass(frozen=True)
class LayoutIssue:
    """Something about how a sheet is laid out rather than what a cell says: a header in the
    wrong row, merged cells, hidden or blank rows. `ref` is a cell, or None for a whole row."""

    code: str
    message: str
    row: int | None = None
    ref: str | None = None
    column: str | None = None


@dataclass
class _RawSheet:
    """A contract sheet as read, before typing."""

    contract: Sheet
    title: str
    header_row: int
    headers: list[str]  # every header in the header row, as written
    columns: dict[str, int]  # contract column -> 1-based column number
    rows: list[tuple[int, dict[str, tuple[object, str]]]] = field(default_factory=list)  # (row number, {column: (raw, kind)})
    layout: list[LayoutIssue] = field(default_factory=list)

    def ref(self, column: str, row: int) -> str:
        return f"{get_column_letter(self.columns[column])}{row}"


# A sheet longer than this is refused rather than read for minutes: a briefing rests on
# hundreds of rows, and a million usually means a column formatted or filled to the bottom.
MAX_ROWS = 100_000
# How far down a header row is looked for when row 1 does not hold one (a title above it).
_HEADER_SEARCH_ROWS = 20


def _read_sheets(path: Path) -> tuple[list[str], list[_RawSheet]]:
    """Every worksheet's title, and the contract sheets' headers, rows and layout."""
    with _opened(path) as package:
        if not package.worksheets:
            raise WorkbookUnreadable(
                f"{path} has no worksheets that can be read. If it was saved as 'Strict Open XML', "
                "save it as 'Excel Workbook (.xlsx)' instead."
            )
        titles = [part.title for part in package.worksheets]
        by_name = {part.title.strip().casefold(): part for part in package.worksheets}
        raw_sheets = [
            _read_rows(_Sheet(package, by_name[sheet.name.casefold()]), sheet)
            for sheet in SHEETS
            if sheet.name.casefold() in by_name
        ]
    return titles, raw_sheets


@contextmanager
def _opened(path: Path):
    """The workbook package as openpyxl reads it, read-only; whatever openpyxl raises on a
    malformed package (anything from KeyError to TypeError) becomes a WorkbookUnreadable."""
    try:
        package = _Package(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        raise WorkbookUnreadable(_unreadable(path, exc)) from exc
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (slicers, extensions): they hold no values.
            warnings.simplefilter("ignore")
            package.read()
            yield package
    except WorkbookUnreadable:
        raise
    except Exception as exc:
        raise WorkbookUnreadable(_unreadable(path, exc)) from exc
    finally:
        package.archive.close()


# --- streaming the XML ------------------------------------------------------------------------
# openpyxl reads the package's structure: workbook, styles, names, the list of sheets. The two
# parts that grow with the data, the shared strings and the sheets, are streamed here with
# lxml: openpyxl parses them through defusedxml's pure-Python handlers, and sizes every sheet
# by parsing it once more, which made loading the slowest stage by far.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _IS = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}is"
_ROW, _CELL, _COL, _MERGE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}col", f"{_MAIN}mergeCell"
_TRUE = ("1", "true")


def _elements(source, *tags: str):
    """Each element of `source` with one of `tags`, complete, then released along with those
    before it, so that memory stays flat however long the part is.

    Entities are never expanded and no DTD or network is read (the attacks defusedxml guards
    openpyxl against); a part that declares a DTD, which Excel never writes, is refused."""
    events = etree.iterparse(
        source, events=("end",), tag=tags, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    checked = False
    for _, element in events:
        if not checked:
            if element.getroottree().docinfo.doctype:
                raise ValueError("a part declares a DTD, which Excel never writes; it is refused as a possible XML attack")
            checked = True
        yield element
        element.clear(keep_tail=False)
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def _string_text(si) -> str:
    """A shared or inline string's text: plain, or its rich-text runs, without phonetic
    guides. Excel's _xHHHH_ escapes are left for the typing to decode."""
    pieces = []
    for child in si:
        if child.tag == _T:
            pieces.append(child.text or "")
        elif child.tag == _R:
            pieces += [t.text or "" for t in child.iter(_T)]
    return "".join(pieces)


@dataclass(frozen=True)
class _SheetPart:
    title: str
    state: str  # visible, hidden or veryHidden
    path: str  # within the package


class _Package(ExcelReader):
    """openpyxl's reader of the package, streaming the shared strings itself and only listing
    the sheets, which _Sheet streams."""

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        self.shared_strings = []
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = [_string_text(si) for si in _elements(source, _SI)]

    def read_worksheets(self):
        self.worksheets = [
            _SheetPart(sheet.name, sheet.state or "visible", rel.target)
            for sheet, rel in self.parser.find_sheets()
            if rel.target in self.valid_files and "chartsheet" not in rel.Type
        ]


class _Sheet:
    """One worksheet part, streamed: its rows as openpyxl types their cells, and what its
    layout says: hidden rows and columns, merged ranges. Only the cells present are visited,
    never the sheet's declared size, which can claim a million rows by 16,384 columns."""

    def __init__(self, package: _Package, part: _SheetPart):
        self.package, self.part = package, part
        workbook = package.wb
        # openpyxl's own typing of a cell: shared strings, errors, booleans, dates by style.
        self.typing = WorkSheetParser(
            None, package.shared_strings, data_only=True, epoch=workbook.epoch,
            date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
        )
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.merged: list[str] = []

    def rows(self):
        """(row number, [cell dicts]) for each row element. A cell holding a formula has the
        data type "formula" and its cached result as value, None if never calculated."""
        number = 0
        with self.package.archive.open(self.part.path) as source:
            for element in _elements(source, _ROW, _COL, _MERGE):
                if element.tag == _ROW:
                    number = int(float(element.get("r"))) if element.get("r") else number + 1
                    if element.get("hidden") in _TRUE:
                        self.hidden_rows.add(number)
                    self.typing.row_counter, self.typing.col_counter = number, 0
                    yield number, [self._cell(c) for c in element if c.tag == _CELL]
                elif element.tag == _COL:
                    if element.get("hidden") in _TRUE:
                        first = int(element.get("min", 0))
                        self.hidden_columns.update(range(first, min(int(element.get("max", first)), 16_384) + 1))
                else:
                    self.merged.append(element.get("ref", ""))

    def _cell(self, element) -> dict:
        formula = element.find(FORMULA_TAG) is not None
        if element.get("t") == "inlineStr" and not formula:
            # Text as programs other than Excel write it; openpyxl's own path for it is slow.
            reference = element.get("r")
            column = coordinate_to_tuple(reference)[1] if reference else self.typing.col_counter + 1
            self.typing.col_counter = column
            inline = element.find(_IS)
            return {"column": column, "value": _string_text(inline) if inline is not None else None, "data_type": "s"}
        cell = self.typing.parse_cell(element)
        if formula:
            cell["data_type"] = "formula"
        return cell


def _unreadable(path: Path, exc: Exception) -> str:
    """What to tell the analyst when openpyxl fails on the package; the library's own words
    come last, first line only, for whoever looks deeper: the first cause, which says most."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    said = str(exc).strip()
    reason = clipped(said.splitlines()[0], 300) if said else type(exc).__name__
    return (
        f"{path} could not be read as an Excel workbook. Open it in Excel or LibreOffice and save it "
        f"as 'Excel Workbook (.xlsx)'; if it will not open, it is damaged. (The reader said: {reason})"
    )


def _normal(header: object) -> str:
    return str(header).strip().casefold() if header is not None else ""


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_rows(sheet_xml: _Sheet, sheet: Sheet) -> _RawSheet:
    """The header row, the rows that hold anything in the contract's columns, and what the
    sheet's layout hides or garbles."""
    title = sheet_xml.part.title
    rows = sheet_xml.rows()
    raw, after_header = _header(rows, title, sheet)
    by_number = {number: name for name, number in raw.columns.items()}
    last_with_content = raw.header_row
    for number, cells in itertools.chain(after_header, rows):
        present = [cell for cell in cells if not _is_blank(cell["value"]) or cell["data_type"] == "formula"]
        if not present:
            continue
        if number > last_with_content + 1:
            raw.layout.append(_blank_rows(last_with_content + 1, number - 1))
        last_with_content = number
        values = {by_number[c["column"]]: (c["value"], c["data_type"]) for c in present if c["column"] in by_number}
        if not values:
            continue
        raw.rows.append((number, values))
        if len(raw.rows) > MAX_ROWS:
            raise WorkbookUnreadable(
                f"Sheet '{title}' has more than {MAX_ROWS:,} rows of data, more than a briefing can use. "
                "If a column was filled or formatted to the bottom of the sheet, delete the rows below your data."
            )
        if number in sheet_xml.hidden_rows:
            raw.layout.append(
                LayoutIssue(
                    "hidden-row",
                    f"Row {number} is hidden but holds data, which goes into the briefing. Unhide it to check it.",
                    row=number,
                )
            )
    merged, hidden_columns = sheet_xml.merged, sheet_xml.hidden_columns
    raw.layout += _merged_cells(raw, merged)
    for name, number in raw.columns.items():
        if number in hidden_columns and any(name in cells for _, cells in raw.rows):
            raw.layout.append(
                LayoutIssue(
                    "hidden-column",
                    f"Column {get_column_letter(number)} ({name}) is hidden but holds data, which goes into the briefing. "
                    "Unhide it to check it.",
                    row=raw.header_row, ref=raw.ref(name, raw.header_row), column=name,
                )
            )
    if sheet_xml.part.state != "visible" and raw.rows:
        raw.layout.insert(
            0,
            LayoutIssue("hidden-sheet", f"The sheet '{title}' is hidden, but its rows go into the briefing. Unhide it to check them."),
        )
    return raw


def _header(rows, title: str, sheet: Sheet) -> tuple[_RawSheet, list]:
    """The sheet's header: row 1 if it names any contract column, otherwise the first of the
    first rows that names several (a title or notes above the table), otherwise row 1 as it
    is. Also the rows read past the header while looking, which are data."""
    wanted = KEY_VALUE_HEADERS if sheet.key_value else tuple(c.name for c in sheet.columns)
    enough = min(2, len(wanted))
    read: list[tuple[int, list]] = []
    chosen = None
    for number, cells in rows:
        read.append((number, cells))
        matches = sum(_normal(c["value"]) in wanted for c in cells)
        if (number == 1 and matches) or matches >= enough:
            chosen = number
            break
        if number >= _HEADER_SEARCH_ROWS:
            break
    header_row = chosen or 1
    header_cells = next((cells for number, cells in read if number == header_row), [])
    raw = _RawSheet(sheet, title, header_row, [], {})
    for cell in header_cells:
        if _is_blank(cell["value"]):
            continue
        raw.headers.append(str(cell["value"]).strip())
        name = _normal(cell["value"])
        if name not in wanted:
            continue
        ref = f"{get_column_letter(cell['column'])}{header_row}"
        if name in raw.columns:
            first = raw.ref(name, header_row)
            raw.layout.append(
                LayoutIssue(
                    "duplicate-column",
                    f"Two columns are headed '{name}' ({first} and {ref}); only the first is read. Delete or rename one.",
                    row=header_row, ref=ref, column=name,
                )
            )
        else:
            raw.columns[name] = cell["column"]
    if header_row != 1:
        raw.layout.append(
            LayoutIssue(
                "header-not-in-row-1",
                f"The column headers are in row {header_row}, not row 1. Delete the rows above them, "
                "so that the headers are the first row of the sheet.",
                row=header_row, ref=f"A{header_row}",
            )
        )
    return raw, [(number, cells) for number, cells in read if number > header_row]


def _blank_rows(first: int, last: int) -> LayoutIssue:
    rows = f"Row {first} is" if first == last else f"Rows {first}–{last} are"
    return LayoutIssue(
        "blank-rows",
        f"{rows} empty, between rows of data. The rows below are still read; delete the empty rows "
        "if the gap is not meant to be there.",
        row=first,
    )


def _merged_cells(raw: _RawSheet, ranges: list[str]) -> list[LayoutIssue]:
    """Merged ranges that cover a contract column in the table. Excel keeps a merged range's
    value in its top-left cell only, so the other rows it seems to fill read as empty."""
    issues = []
    by_number = {number: name for name, number in raw.columns.items()}
    for text in ranges:
        try:
            first_col, first_row, last_col, last_row = range_boundaries(text)
        except (TypeError, ValueError):
            continue
        names = [by_number[n] for n in range(first_col, last_col + 1) if n in by_number]
        if not names or last_row < raw.header_row:
            continue
        issues.append(
            LayoutIssue(
                "merged-cells",
                f"Cells {text} are merged. Excel keeps the value of merged cells in the first one only, "
                "so the others read as empty. Unmerge them and type each row's value in its own cell.",
                row=first_row, ref=f"{get_column_letter(first_col)}{first_row}", column=names[0],
            )
        )
    return issues


# --- typing -----------------------------------------------------------------------------------


def _typed_sheet(raw: _RawSheet) -> SheetData:
    sheet = raw.contract
    letters = {name: get_column_letter(number) for name, number in raw.columns.items()}
    data = SheetData(sheet, raw.title, raw.header_row, letters, raw.headers, raw.layout)
    typing = {name: _FIELD_AS_TEXT if sheet.key_value else sheet.column(name) for name in letters}
    fields = {column.name: column for column in sheet.columns}
    for number, raw_cells in raw.rows:
        if sheet.key_value:  # the row's field says how to type its value
            field = _normal(raw_cells.get("field", _BLANK)[0])
            typing["value"] = fields.get(field, _FIELD_AS_TEXT)
        cells = {
            name: _typed_cell(f"{letter}{number}", *raw_cells.get(name, _BLANK), typing[name])
            for name, letter in letters.items()
        }
        data.records.append(Record(raw.title, number, cells))
    return data


_BLANK = (None, "n")
_FIELD_AS_TEXT = Column("field", ColumnType.TEXT, "")


def _typed_cell(ref: str, raw: object, kind: str, column: Column) -> Cell:
    if raw is None:
        issue = CellIssue("formula-without-value", _FORMULA_WITHOUT_VALUE) if kind == "formula" else None
        return Cell(ref, None, False if column.type is ColumnType.FLAG else None, issue)
    if kind == "e" or (kind == "formula" and isinstance(raw, str) and raw in ERROR_CODES):
        return Cell(ref, raw, None, CellIssue("excel-error", f"holds the Excel error {raw}. Correct the formula or type the value."))
    written = _decoded(raw) if isinstance(raw, str) else raw  # as Excel shows it
    try:
        value = _PARSERS[column.type](written, column)
    except _Untyped as problem:
        return Cell(ref, raw, None, CellIssue(problem.code, problem.message))
    return Cell(ref, raw, value, notes=_text_notes(written, value, column) if isinstance(written, str) else ())


# Longer than any paragraph a briefing should print: most likely several cells pasted into one.
LONG_TEXT = 2_500
_EXCEL_CELL_LIMIT = 32_767


def _text_notes(written: str, value: object, column: Column) -> tuple[CellIssue, ...]:
    """What was tidied in a text value, and text too long to be one paragraph."""
    notes = []
    if isinstance(value, (str, tuple)) and _tidy(written) != written:
        notes.append(
            CellIssue(
                "extra-spaces",
                "has spaces at the start or end, or two spaces in a row; the briefing prints it without them. "
                "Tidy the cell to clear this warning.",
            )
        )
    if column.type is ColumnType.TEXT and len(written) > LONG_TEXT:
        cut = " It is exactly Excel's limit, so the end may have been cut off." if len(written) >= _EXCEL_CELL_LIMIT else ""
        notes.append(
            CellIssue(
                "long-text",
                f"is {len(written):,} characters long; a briefing paragraph is rarely over {LONG_TEXT:,}. "
                f"Check that it is one entry, not several pasted together.{cut}",
            )
        )
    return tuple(notes)


_FORMULA_WITHOUT_VALUE = (
    "holds a formula that has never been calculated, so there is no value to read. "
    "Open the workbook in Excel and save it, or type the value."
)


class _Untyped(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# Excel writes characters XML cannot carry as _xHHHH_ escapes; openpyxl leaves them escaped.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters Word cannot hold: the C0 controls except tab, newline and carriage return, and
# the surrogates an _xD800_ escape can spell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def _shown(raw: object) -> str:
    return f'"{clipped(str(raw), 60)}"'


def _text(raw: object, column: Column) -> str:
    if isinstance(raw, bool):
        raise _Untyped("wrong-type", f"holds TRUE/FALSE where {column.type.value} is expected.")
    if isinstance(raw, (dt.datetime, dt.date, dt.time)):
        raise _Untyped(
            "date-in-text-column",
            f"holds the date {raw:%Y-%m-%d}, but {column.name} is text. If Excel turned your text into a date, "
            "type it again starting with an apostrophe (for example 'Jul 2022).",
        )
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    text = str(raw)
    # Checked before tidying: strip() would silently drop the controls \x1c-\x1f at either end.
    if _CONTROL.search(text):
        raise _Untyped("control-character", "contains an invisible control character that Word cannot show. Retype the text.")
    return _tidy(text)


def _decoded(text: str) -> str:
    """The text as Excel shows it: escapes decoded, line ends as newlines."""
    text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SPACES = re.compile(r"[ \t]{2,}|\t")


_UNTIDY = re.compile(r"^\s|\s$|[ \t]{2}|\t| \n|\n ")


def _tidy(text: str) -> str:
    """No spaces at either end of the text or of its lines, none doubled."""
    if not _UNTIDY.search(text):  # nearly every cell: skip the split and join
        return text
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def _identifier(raw: object, column: Column) -> str:
    text = _text(raw, column)
    if not _ID.fullmatch(text):
        raise _Untyped(
            "bad-id",
            f"is {_shown(text)}; an identifier uses only letters, digits, '-', '_' or '.', with no spaces.",
        )
    return text


def _number(raw: object, column: Column) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        hint = _number_hint(raw)
        raise _Untyped("not-a-number", f"holds {_shown(raw)}, which is not a number.{hint}")
    try:
        number = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):  # 1E+309 in the file reads as infinity
        raise _Untyped("not-a-number", f"holds {_shown(raw)}, which is beyond the numbers a workbook can hold.")
    if abs(number) > LARGEST_NUMBER:
        raise _Untyped(
            "number-too-large",
            f"holds {number:,.6g}, larger than any figure a briefing states ({LARGEST_NUMBER:,.0g}). "
            "Check for a slip, or give it in a larger unit (USD bn rather than USD).",
        )
    return number


# A quadrillion: beyond world GDP in US dollars; larger is a slip of the keyboard or the unit.
LARGEST_NUMBER = 1e15


def _number_hint(raw: object) -> str:
    """Suggest the number an analyst probably meant by text such as "4,0" or "$4 bn"."""
    digits = re.sub(r"[^\d,.\-]", "", str(raw))
    decimal_comma = re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}", digits)
    digits = digits.replace(",", ".") if decimal_comma else digits.replace(",", "")
    try:
        suggestion = float(digits)
    except ValueError:
        return " Type the number alone, and put its unit in the unit column."
    return f" Did you mean {_number_text(suggestion)}? Type the number alone, with its unit in the unit column."


def _integer(raw: object, column: Column) -> int:
    number = _number(raw, column)
    if not number.is_integer():
        raise _Untyped("not-a-whole-number", f"holds {_number_text(number)}, but {column.name} takes a whole number.")
    return int(number)


def _date(raw: object, column: Column) -> dt.date:
    date = _partial_date(raw, column)
    if not date.is_full:
        raise _Untyped("incomplete-date", f"holds {date.iso()}, but {column.name} needs a full date (YYYY-MM-DD).")
    return date.start


def _partial_date(raw: object, column: Column) -> PartialDate:
    if isinstance(raw, (dt.datetime, dt.date)):
        return PartialDate.of(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
        return PartialDate(raw)  # a year typed as a number
    if isinstance(raw, str):
        try:
            return PartialDate.parse(raw)
        except ValueError as exc:
            raise _Untyped("bad-date", f"{exc}.") from None
    raise _Untyped("bad-date", f"holds {_shown(raw)}, which is not a date. Type it as YYYY-MM-DD or format the cell as a date.")


def _flag(raw: object, column: Column) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().casefold()
    if word not in FLAG_WORDS:
        raise _Untyped("not-allowed", f"holds {_shown(raw)}; {column.name} takes Y or N.")
    return FLAG_WORDS[word]


def _choice(raw: object, column: Column) -> str:
    text = _number_text(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip()
    for value in column.choice_values:
        if text.casefold() == value.casefold():
            return value
    allowed = ", ".join(column.choice_values)
    raise _Untyped("not-allowed", f"holds {_shown(raw)}; {column.name} must be one of: {allowed}.")


def _identifiers(raw: object, column: Column) -> tuple[str, ...]:
    parts = [part.strip() for part in _text(raw, column).split(",")]
    bad = [part for part in parts if not _ID.fullmatch(part)]
    if bad:
        raise _Untyped("bad-id", f"holds {_shown(raw)}; list identifiers separated by commas, like F01, F02.")
    return tuple(parts)


_PARSERS = {
    ColumnType.TEXT: _text,
    ColumnType.ID: _identifier,
    ColumnType.INTEGER: _integer,
    ColumnType.NUMBER: _number,
    ColumnType.DATE: _date,
    ColumnType.PARTIAL_DATE: _partial_date,
    ColumnType.FLAG: _flag,
    ColumnType.CHOICE: _choice,
    ColumnType.ID_LIST: _identifiers,
}
