"""The streaming reader: the workbook package's structure, and its parts as they stream by.

Read with lxml alone: the package's structure (its sheets, their names and states, the styles
that make a number a date) is small and read whole; the two parts that grow with the data,
the shared strings and the sheets, are streamed element by element, so that memory stays flat
however long they are. openpyxl, which the pipeline uses to write workbooks, is not loaded to
read one (`excel` holds the definitions its reading rests on).

The annotated copy is made by openpyxl from the whole package, so `trimmed` streams the
sheets here first, to leave out what would make openpyxl take minutes over a sheet formatted
to its bottom row.
"""

from __future__ import annotations

import io
import itertools
import os
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from lxml import etree

from ..errors import WorkbookUnreadable
from ..formats import clipped
from ..packages import elements, iterparse, parse, release
from .excel import (
    BUILTIN_DATE_FORMATS,
    MAC_EPOCH,
    MAX_COLUMN,
    WINDOWS_EPOCH,
    closed_bounds,
    column_letter,
    column_number,
    from_iso,
    from_serial,
    shows_date,
    shows_duration,
)


@contextmanager
def opened_workbook(path: Path) -> Iterator[Package]:
    """The workbook package, its structure read; whatever a malformed package makes fail
    (anything from KeyError to a bad zip) becomes a WorkbookUnreadable. The package is read
    from the open file, not judged by its name's ending: /dev/stdin redirected from a
    workbook is read like the workbook."""
    with open(path, "rb") as handle, failing_as_unreadable(path), zipfile.ZipFile(handle) as archive:
        yield Package(archive, handle.fileno())


@contextmanager
def failing_as_unreadable(path: Path) -> Iterator[None]:
    """Whatever a malformed package makes fail in the block raised as WorkbookUnreadable."""
    try:
        yield
    except WorkbookUnreadable:
        raise
    except Exception as exc:
        raise WorkbookUnreadable(unreadable(path, exc)) from exc


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R, _IS = f"{_MAIN}si", f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}is"
_ROW, _CELL, _COL, _MERGE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}col", f"{_MAIN}mergeCell"
_V, _FORMULA, _PHONETIC = f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}rPh"
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


def _row_number(row: etree._Element, previous: int) -> int:
    """A row element's number: its `r`, or the one after the previous row's when it has none."""
    number = row.get("r")
    if not number:
        return previous + 1
    return int(number) if number.isdigit() else int(float(number))


def string_text(si: etree._Element) -> str:
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


class Package:
    """The workbook package's structure: where its workbook part is (by [Content_Types].xml),
    its worksheets in tab order (chart sheets have no cells and are left out), the shared
    strings, and the styles whose number formats show dates and times."""

    def __init__(self, archive: zipfile.ZipFile, descriptor: int):
        self.archive = archive
        self.descriptor = descriptor  # of the file open beneath it, which `read_apart` reads again
        types = parse(archive.read(_CONTENT_TYPES))
        workbook_path = _workbook_part(types)
        workbook = parse(archive.read(workbook_path))
        properties = workbook.find(f"{_MAIN}workbookPr")
        self.epoch = MAC_EPOCH if properties is not None and properties.get("date1904") in _TRUE else WINDOWS_EPOCH
        relationships = self._relationships(workbook_path)
        parts = set(archive.namelist())
        self.worksheets = []
        for sheet in workbook.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
            if not sheet.get(_LINK_ID):
                continue  # an invalid entry older .xlsm files hold; no part to read
            kind, target = relationships[sheet.get(_LINK_ID)]
            if target in parts and "chartsheet" not in kind:
                self.worksheets.append(SheetPart(sheet.get("name"), sheet.get("state") or "visible", target))
        strings = next((o.get("PartName") for o in types.iterfind(_OVERRIDE) if o.get("ContentType") == _SHARED_STRINGS), None)
        self.shared_strings: list[str] = []
        if strings is not None:
            with archive.open(strings[1:]) as source:
                self.shared_strings = [string_text(si) for si in elements(source, _SI)]
        self.date_styles, self.duration_styles = self._date_styles() if _STYLES in parts else (set(), set())

    def read_apart(self) -> None:
        """Read the package from now on at positions of this process's own. A forked child
        shares its parent's open file, and with it the position that every read moves: were
        both to read through it at once, each would read the other's bytes."""
        self.archive = zipfile.ZipFile(_ReadAt(self.descriptor))

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships by id: (type, target), each target a path in the package."""
        folder, name = posixpath.split(part)
        root = parse(self.archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
        found = {}
        for relationship in root.iterfind(_RELATIONSHIP):
            target = relationship.get("Target") or ""
            if relationship.get("TargetMode") != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[relationship.get("Id")] = (relationship.get("Type") or "", target)
        return found

    def _date_styles(self) -> tuple[set[int], set[int]]:
        """The cell styles (by index, as a cell's s names them) whose number format shows a date
        or time, and of those the ones that count elapsed time."""
        styles = parse(self.archive.read(_STYLES))
        custom = {number.get("numFmtId"): number.get("formatCode") for number in styles.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")}
        dates, durations = set(), set()
        for index, style in enumerate(styles.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
            number = style.get("numFmtId", "0")
            shown = custom[number] if number in custom else BUILTIN_DATE_FORMATS.get(int(number))
            if shows_date(shown):
                dates.add(index)
            if shows_duration(shown):
                durations.add(index)
        return dates, durations


class _ReadAt(io.RawIOBase):
    """An open file read at a position of its own (pread), leaving the file's shared one alone."""

    def __init__(self, descriptor: int):
        self.descriptor, self.position = descriptor, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self.position
        elif whence == os.SEEK_END:
            offset += os.fstat(self.descriptor).st_size
        self.position = offset
        return offset

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = os.fstat(self.descriptor).st_size - self.position
        data = os.pread(self.descriptor, size, self.position)
        self.position += len(data)
        return data


_CONTENT_TYPES, _STYLES = "[Content_Types].xml", "xl/styles.xml"
_CONTENT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OVERRIDE, _DEFAULT = f"{_CONTENT}Override", f"{_CONTENT}Default"
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# A workbook part's content types: macro-enabled template, template, macro-enabled, plain.
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)


def _workbook_part(types: etree._Element) -> str:
    """The workbook part's path, as [Content_Types].xml declares it."""
    overrides: dict[str, str] = {}
    for override in types.iterfind(_OVERRIDE):
        overrides.setdefault(override.get("ContentType"), override.get("PartName"))
    for kind in _WORKBOOK_TYPES:
        if overrides.get(kind):
            return overrides[kind].lstrip("/")
    # Some programs declare the workbook's type as the default for .xml instead.
    if any(default.get("ContentType") in _WORKBOOK_TYPES for default in types.iterfind(_DEFAULT)):
        return "xl/workbook.xml"
    raise ValueError("the package declares no workbook part")


class SheetStream:
    """One worksheet part, streamed: its rows' cells as Excel typed them, and what its layout
    says: hidden rows and columns, merged ranges, hyperlinks. Only the cells present are
    visited, never the sheet's declared size, which can claim a million rows by 16,384 columns.

    A cell is (column number, value, kind). The value is typed as Excel stored it: text, a
    number (an int where Excel wrote no fraction or exponent), a bool, a date or time where
    the cell's style is a date format; a formula's value is its cached result, None if it was
    never calculated. The kind is FORMULA for a formula, ERROR for an error value such as
    #REF!, else PLAIN (a `CellKind`)."""

    def __init__(self, package: Package, part: SheetPart):
        self.package, self.part = package, part
        self.epoch = package.epoch
        self.date_styles, self.duration_styles = package.date_styles, package.duration_styles
        self._date_style: dict[str, bool] = {}
        self.strings = package.shared_strings
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.merged: list[str] = []
        self.links: list[tuple[str, str]] = []  # (cell or range, the address it links to)

    def rows(self) -> Iterator[tuple[int, list[tuple[int, object, CellKind]]]]:
        """(row number, [(column, value, kind)]) for each row element. Once the rows are read,
        so is the layout that follows them in the part."""
        number = 0
        linked: list[tuple[str, str]] = []  # (cell or range, relationship id)
        with self.package.archive.open(self.part.path) as source:
            for element in elements(source, _ROW, _COL, _MERGE, _HYPERLINK):
                if element.tag == _ROW:
                    number = _row_number(element, number)
                    if element.get("hidden") in _TRUE:
                        self.hidden_rows.add(number)
                    yield number, self._cells(element)
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

    def _cells(self, row: etree._Element) -> list[tuple[int, object, CellKind]]:
        """A row's cells. Most rows are plain: every cell holds one stored value (a <v>, or an
        inline string without phonetic guides) and no white space between the elements, so
        that a cell's whole text is its value, which lxml gives at C speed. Any other row, a
        formula, phonetic guides or an indented file, is read element by element."""
        cells: list[tuple[int, object, CellKind]] = []
        if not len(row):  # a row only formatted, as a sheet formatted to its last row has a million
            return cells
        append = cells.append
        column = 0
        as_stored = CellKind.PLAIN  # looked up once: the loop runs for every cell of the workbook
        plain = row.text is None and next(row.iter(_FORMULA, _PHONETIC), None) is None
        for element in row:
            if element.tag != _CELL:
                continue
            reference = element.get("r")
            if reference:
                column = _COLUMNS.get(reference.rstrip(_DIGITS)) or _column_number(reference)
            else:
                column += 1
            kind = element.get("t")
            if plain and element.text is None:
                text = _text_of(element, method="text", encoding=str, with_tail=False)
                if kind == "inlineStr" or not text:  # the commonest cells first
                    append((column, text if kind == "inlineStr" else None, as_stored))
                    continue
                if kind == "s":
                    append((column, self.strings[int(text)], as_stored))
                    continue
                formula = False
            else:
                text, formula = _stored(element, kind)
            value, stored = self._typed(text, kind, element.get("s")) if text else (None if kind != "inlineStr" else text, kind)
            append((column, value, CellKind.FORMULA if formula else CellKind.ERROR if stored == "e" else as_stored))
        return cells

    def _typed(self, text: str, kind: str | None, style: str | None) -> tuple[object, str | None]:
        """A stored value as Excel means it, by the cell's type and, for a number, its style;
        and its type, which is an error where a date lies beyond the calendar."""
        if kind is None or kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style and self._is_date(style):  # an empty s="" is the default style
                try:
                    return from_serial(number, self.epoch, duration=int(style) in self.duration_styles), kind
                except (OverflowError, ValueError):
                    return "#VALUE!", "e"  # as Excel shows such a date
            return number, kind
        if kind == "s":
            return self.strings[int(text)], kind
        if kind == "b":
            return bool(int(text)), kind
        if kind == "d":
            return from_iso(text), kind
        return text, kind  # inlineStr, str (a formula's text), e (an error such as #REF!)

    def _is_date(self, style: str) -> bool:
        """Whether a cell style's number format shows a date or time."""
        found = self._date_style.get(style)
        if found is None:
            found = self._date_style[style] = int(style) in self.date_styles
        return found

    def _link_targets(self) -> dict[str, str]:
        """The addresses the sheet's hyperlinks point to, by relationship id."""
        folder, _, name = self.part.path.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels"
        if rels not in self.package.archive.namelist():
            return {}
        with self.package.archive.open(rels) as source:
            return {r.get("Id"): r.get("Target") for r in elements(source, _RELATIONSHIP)}


class CellKind(StrEnum):
    """What a cell holds besides its value."""

    PLAIN = ""
    FORMULA = "formula"
    ERROR = "e"


_text_of = etree.tostring


def _stored(cell: etree._Element, kind: str | None) -> tuple[str | None, bool]:
    """The text a cell stores, read element by element, and whether it holds a formula."""
    if kind == "inlineStr":
        inline = cell.find(_IS)
        return (string_text(inline) if inline is not None else None), False
    return cell.findtext(_V), cell.find(_FORMULA) is not None


_COLUMNS: dict[str, int] = {}  # column letters -> number, as met
_DIGITS = "0123456789"


def _column_number(reference: str) -> int:
    """The column of a cell reference: A1 -> 1, AB7 -> 28."""
    letters = reference.rstrip(_DIGITS)
    number = column_number(letters)
    if number > MAX_COLUMN:
        raise ValueError(f"{reference} is not a cell reference")
    _COLUMNS[letters] = number
    return number


@contextmanager
def trimmed(path: Path) -> Iterator[IO[bytes]]:
    """A copy of the package at `path`, as a temporary file, that openpyxl can open in bounded
    time and memory. openpyxl makes an object of every row element and every merged cell, so
    a sheet formatted or merged down to its last row (1,048,576) would take most of a minute
    and a gigabyte: each sheet is copied as `_KeptRows` says, its merged ranges cut to match.
    A sheet with more than `MAX_ROWS` rows holding values is refused, as loading refuses it."""
    with tempfile.TemporaryFile() as copy:
        with opened_workbook(path) as package, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
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

    def take(self, row: etree._Element) -> list[etree._Element]:
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


def _holds_value(row: etree._Element) -> bool:
    """Whether a row has a cell with a value, a formula or inline text (not only a style)."""
    return len(row) > 0 and any(len(cell) for cell in row if cell.tag == _CELL)


def _write_trimmed(source: IO[bytes], out: IO[bytes], title: str) -> bool:
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


def _cut_merged_ranges(root: etree._Element, last: int) -> bool:
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
                merge.set("ref", f"{column_letter(first_column)}{first_row}:{column_letter(last_column)}{last_row}")
        if not len(merge_cells):
            merge_cells.getparent().remove(merge_cells)
        elif merge_cells.get("count") is not None:
            merge_cells.set("count", str(len(merge_cells)))
    return changed


def _merged_range(merge: etree._Element) -> tuple[int, int, int, int] | None:
    """(first column, first row, last column, last row) of a mergeCell; None if it names no range."""
    return closed_bounds(merge.get("ref", ""))


def _cells(bounds: tuple[int, int, int, int]) -> int:
    first_column, first_row, last_column, last_row = bounds
    return (last_column - first_column + 1) * (last_row - first_row + 1)


def unreadable(path: Path, exc: BaseException) -> str:
    """What to tell the analyst when the package cannot be read; what failed comes last,
    first line only, for whoever looks deeper: the first cause, which says most."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    said = str(exc).strip()
    reason = clipped(said.splitlines()[0], 300) if said else type(exc).__name__
    return (
        f"{path} could not be read as an Excel workbook. Open it in Excel or LibreOffice and save it "
        f"as 'Excel Workbook (.xlsx)'; if it will not open, it is damaged. (The reader said: {reason})"
    )
