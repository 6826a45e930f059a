"""The streaming reader: the workbook package's parts, read as they stream by.

openpyxl reads the package's structure: workbook, styles, names, the list of sheets. The two
parts that grow with the data, the shared strings and the sheets, are streamed here with
lxml: openpyxl parses them through defusedxml's pure-Python handlers, and sizes every sheet
by parsing it once more, which made loading the slowest stage by far. This is the only code
that touches openpyxl's internals.

The annotated copy is made by openpyxl from the whole package, so `trimmed` streams the
sheets here first, to leave out what would make openpyxl take minutes over a sheet formatted
to its bottom row.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from lxml import etree
from openpyxl.utils import coordinate_to_tuple, get_column_letter, range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from ..errors import WorkbookUnreadable
from ..formats import clipped
from ..packages import elements, iterparse, release


@contextmanager
def opened(path: Path):
    """The workbook package as openpyxl reads it, read-only; whatever openpyxl raises on a
    malformed package (anything from KeyError to TypeError) becomes a WorkbookUnreadable.
    openpyxl is given the open file, not its name, so that it does not judge the package by
    its name's ending: /dev/stdin redirected from a workbook is read like the workbook."""
    handle = open(path, "rb")
    try:
        package = Package(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        handle.close()
        raise WorkbookUnreadable(unreadable(path, exc)) from exc
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (slicers, extensions): they hold no values.
            warnings.simplefilter("ignore")
            package.read()
            yield package
    except WorkbookUnreadable:
        raise
    except Exception as exc:
        raise WorkbookUnreadable(unreadable(path, exc)) from exc
    finally:
        package.archive.close()
        handle.close()


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _IS = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}is"
_ROW, _CELL, _COL, _MERGE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}col", f"{_MAIN}mergeCell"
_SHEET_DATA, _MERGE_CELLS = f"{_MAIN}sheetData", f"{_MAIN}mergeCells"
_HYPERLINK = f"{_MAIN}hyperlink"
_LINK_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TRUE = ("1", "true")

# A sheet longer than this is refused rather than read for minutes: a briefing rests on
# hundreds of rows, and a million usually means a column formatted or filled to the bottom.
MAX_ROWS = 100_000


def too_long(title: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(
        f"Sheet '{title}' has more than {MAX_ROWS:,} rows of data, more than a briefing can use. "
        "If a column was filled or formatted to the bottom of the sheet, delete the rows below your data."
    )


def _row_number(row, previous: int) -> int:
    """A row element's number: its `r`, or the one after the previous row's when it has none."""
    number = row.get("r")
    if not number:
        return previous + 1
    return int(number) if number.isdigit() else int(float(number))



def string_text(si) -> str:
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
class SheetPart:
    title: str
    state: str  # visible, hidden or veryHidden
    path: str  # within the package


class Package(ExcelReader):
    """openpyxl's reader of the package, streaming the shared strings itself and only listing
    the sheets, which _Sheet streams."""

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        self.shared_strings = []
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = [string_text(si) for si in elements(source, _SI)]

    def read_worksheets(self):
        self.worksheets = [
            SheetPart(sheet.name, sheet.state or "visible", rel.target)
            for sheet, rel in self.parser.find_sheets()
            if rel.target in self.valid_files and "chartsheet" not in rel.Type
        ]


class SheetStream:
    """One worksheet part, streamed: its rows as openpyxl types their cells, and what its
    layout says: hidden rows and columns, merged ranges. Only the cells present are visited,
    never the sheet's declared size, which can claim a million rows by 16,384 columns."""

    def __init__(self, package: Package, part: SheetPart):
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
        self.links: list[tuple[str, str]] = []  # (cell or range, the address it links to)

    def rows(self):
        """(row number, [cell dicts]) for each row element. A cell holding a formula has the
        data type "formula" and its cached result as value, None if never calculated. Once
        the rows are read, so is the layout that follows them in the part."""
        number = 0
        linked: list[tuple[str, str]] = []  # (cell or range, relationship id)
        with self.package.archive.open(self.part.path) as source:
            for element in elements(source, _ROW, _COL, _MERGE, _HYPERLINK):
                if element.tag == _ROW:
                    number = _row_number(element, number)
                    if element.get("hidden") in _TRUE:
                        self.hidden_rows.add(number)
                    self.typing.row_counter, self.typing.col_counter = number, 0
                    yield number, [self._cell(c) for c in element if c.tag == _CELL]
                elif element.tag == _COL:
                    if element.get("hidden") in _TRUE:
                        first = int(element.get("min", 0))
                        self.hidden_columns.update(range(first, min(int(element.get("max", first)), 16_384) + 1))
                elif element.tag == _HYPERLINK:
                    if element.get(_LINK_ID):  # a link out of the workbook; one within it has a location instead
                        linked.append((element.get("ref", ""), element.get(_LINK_ID)))
                else:
                    self.merged.append(element.get("ref", ""))
        if linked:
            targets = self._link_targets()
            self.links = [(ref, targets[rel_id]) for ref, rel_id in linked if targets.get(rel_id)]

    def _link_targets(self) -> dict[str, str]:
        """The addresses the sheet's hyperlinks point to, by relationship id."""
        folder, _, name = self.part.path.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels"
        if rels not in self.package.archive.namelist():
            return {}
        with self.package.archive.open(rels) as source:
            return {r.get("Id"): r.get("Target") for r in elements(source, _RELATIONSHIP)}

    def _cell(self, element) -> dict:
        formula = element.find(FORMULA_TAG) is not None
        if element.get("t") == "inlineStr" and not formula:
            # Text as programs other than Excel write it; openpyxl's own path for it is slow.
            reference = element.get("r")
            column = coordinate_to_tuple(reference)[1] if reference else self.typing.col_counter + 1
            self.typing.col_counter = column
            inline = element.find(_IS)
            return {"column": column, "value": string_text(inline) if inline is not None else None, "data_type": "s"}
        cell = self.typing.parse_cell(element)
        if formula:
            cell["data_type"] = "formula"
        return cell


@contextmanager
def trimmed(path: Path):
    """A copy of the package at `path`, as a temporary file, that openpyxl can open in bounded
    time and memory. openpyxl makes an object of every row element and every merged cell, so
    a sheet formatted or merged down to its last row (1,048,576) would take most of a minute
    and a gigabyte: each sheet is copied as `_KeptRows` says, its merged ranges cut to match.
    A sheet with more than `MAX_ROWS` rows holding values is refused, as loading refuses it."""
    with tempfile.TemporaryFile() as copy:
        with opened(path) as package, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            titles = {part.path: part.title for part in package.worksheets}
            for entry in package.archive.infolist():
                with tempfile.SpooledTemporaryFile(1 << 24) as rewritten:
                    shortened = False
                    if entry.filename in titles:
                        with package.archive.open(entry) as source:
                            shortened = _write_trimmed(source, rewritten, titles[entry.filename])
                        rewritten.seek(0)
                    # A sheet with nothing left out is copied as it is, not as rewritten.
                    source = rewritten if shortened else package.archive.open(entry)
                    with source, target.open(entry.filename, "w") as out:
                        shutil.copyfileobj(source, out)
        copy.seek(0)
        yield copy


# Rows holding nothing that the copy keeps at most. Blank rows between rows of data are a
# handful; thousands are formatting run down the sheet.
_MAX_EMPTY_ROWS = 10_000


class _KeptRows:
    """Which rows of a sheet the copy keeps, decided as they stream by: every row holding a
    value, and the rows holding nothing between them until `_MAX_EMPTY_ROWS` of those are
    kept. Rows after the last one holding a value are left out."""

    def __init__(self, title: str):
        self.title = title
        self.number = self.last = self.held = self.kept_empty = 0
        self.waiting: list = []  # rows holding nothing since the last value: kept if another comes
        self.left_out = False

    def take(self, row) -> list:
        """The rows to write now that `row` has streamed by (it and those waiting, or none)."""
        self.number = _row_number(row, self.number)
        if _holds_value(row):
            self.held += 1
            if self.held > MAX_ROWS:
                raise too_long(self.title)
            ready, self.waiting = [*self.waiting, row], []
            self.kept_empty += len(ready) - 1
            self.last = self.number
            return ready
        if not self.left_out and self.kept_empty + len(self.waiting) < _MAX_EMPTY_ROWS:
            self.waiting.append(row)
        else:  # too many: these and every later row holding nothing are left out
            self.left_out, self.waiting = True, []
        return []

    def finish(self) -> bool:
        """Whether any row was left out."""
        return self.left_out or bool(self.waiting)


def _holds_value(row) -> bool:
    """Whether a row has a cell with a value, a formula or inline text (not only a style)."""
    return len(row) > 0 and any(len(cell) for cell in row if cell.tag == _CELL)


def _write_trimmed(source, out, title: str) -> bool:
    """The sheet part `source`, streamed to `out` as `trimmed` copies it; whether anything was
    left out. Only the rows stream by one by one: what comes before and after them (views,
    columns, merged ranges) is small and read whole."""
    rows = iterparse(source, events=("end",), tag=_ROW)
    kept = _KeptRows(title)
    with etree.xmlfile(out, encoding="UTF-8") as xml:
        xml.write_declaration(standalone=True)
        first = next(rows, None)
        if first is None:  # no rows: the whole part is read, and only its merged ranges can change
            shortened = _cut_merged_ranges(rows.root, 0)
            xml.write(rows.root)
            return shortened
        sheet_data = first[1].getparent()
        root = sheet_data.getparent()
        with xml.element(root.tag, dict(root.attrib), nsmap=root.nsmap):
            for before in reversed(list(sheet_data.itersiblings(preceding=True))):
                xml.write(before)
            with xml.element(sheet_data.tag, dict(sheet_data.attrib)):
                for _, row in itertools.chain([first], rows):
                    ready = kept.take(row)
                    for each in ready:
                        xml.write(each)
                    if not kept.waiting:  # a waiting row stays in the tree until it is written or dropped
                        release(row)
            shortened = kept.finish() | _cut_merged_ranges(root, kept.last)
            for after in sheet_data.itersiblings():
                xml.write(after)
    return shortened


# A merged range of more cells than this is left out of the copy: openpyxl would make each one.
_MAX_MERGED_CELLS = 100_000


def _cut_merged_ranges(root, last: int) -> bool:
    """Cut each merged range under `root` to end at row `last`. One below it, cut to a single
    cell, too large to copy or naming no cells goes, and the list of them if none is left.
    Whether any changed."""
    changed = False
    for merge_cells in list(root.iter(_MERGE_CELLS)):
        for merge in list(merge_cells):
            bounds = _merged_range(merge)
            if bounds is not None and bounds[3] <= last and _cells(bounds) <= _MAX_MERGED_CELLS:
                continue
            changed = True
            cut = (*bounds[:3], min(bounds[3], last)) if bounds else None
            if cut is None or not 1 < _cells(cut) <= _MAX_MERGED_CELLS:
                merge_cells.remove(merge)
            else:
                first_column, first_row, last_column, last_row = cut
                merge.set("ref", f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{last_row}")
        if not len(merge_cells):
            merge_cells.getparent().remove(merge_cells)
        elif merge_cells.get("count") is not None:
            merge_cells.set("count", str(len(merge_cells)))
    return changed


def _merged_range(merge) -> tuple[int, int, int, int] | None:
    """(first column, first row, last column, last row) of a mergeCell; None if it names no range."""
    try:
        bounds = range_boundaries(merge.get("ref", ""))
    except (TypeError, ValueError):
        return None
    return bounds if None not in bounds else None


def _cells(bounds: tuple[int, int, int, int]) -> int:
    first_column, first_row, last_column, last_row = bounds
    return (last_column - first_column + 1) * (last_row - first_row + 1)


def unreadable(path: Path, exc: Exception) -> str:
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
