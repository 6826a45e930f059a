"""The streaming reader: the workbook package's parts, read as they stream by.

openpyxl reads the package's structure: workbook, styles, names, the list of sheets. The two
parts that grow with the data, the shared strings and the sheets, are streamed here with
lxml: openpyxl parses them through defusedxml's pure-Python handlers, and sizes every sheet
by parsing it once more, which made loading the slowest stage by far. This is the only code
that touches openpyxl's internals.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.datetime import from_excel, from_ISO8601

from ..errors import WorkbookUnreadable
from ..formats import clipped
from ..packages import elements


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
_V, _FORMULA, _PHONETIC = f"{_MAIN}v", f"{_MAIN}f", f"{_MAIN}rPh"
_HYPERLINK = f"{_MAIN}hyperlink"
_LINK_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TRUE = ("1", "true")


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
    """One worksheet part, streamed: its rows' cells as Excel typed them, and what its layout
    says: hidden rows and columns, merged ranges, hyperlinks. Only the cells present are
    visited, never the sheet's declared size, which can claim a million rows by 16,384 columns.

    A cell is (column number, value, kind). The value is typed as Excel stored it: text, a
    number (an int where Excel wrote no fraction or exponent), a bool, a date or time where
    the cell's style is a date format; a formula's value is its cached result, None if it was
    never calculated. The kind is FORMULA for a formula, ERROR for an error value such as
    #REF!, else PLAIN."""

    def __init__(self, package: Package, part: SheetPart):
        self.package, self.part = package, part
        workbook = package.wb
        self.epoch = workbook.epoch
        self.date_styles, self.timedelta_styles = workbook._date_formats, workbook._timedelta_formats
        self._date_style: dict[str, bool] = {}
        self.strings = package.shared_strings
        self.hidden_rows: set[int] = set()
        self.hidden_columns: set[int] = set()
        self.merged: list[str] = []
        self.links: list[tuple[str, str]] = []  # (cell or range, the address it links to)

    def rows(self):
        """(row number, [(column, value, kind)]) for each row element. Once the rows are read,
        so is the layout that follows them in the part."""
        number = 0
        linked: list[tuple[str, str]] = []  # (cell or range, relationship id)
        with self.package.archive.open(self.part.path) as source:
            for element in elements(source, _ROW, _COL, _MERGE, _HYPERLINK):
                if element.tag == _ROW:
                    number = int(float(element.get("r"))) if element.get("r") else number + 1
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

    def _cells(self, row) -> list[tuple[int, object, str]]:
        """A row's cells. Most rows are plain: every cell holds one stored value (a <v>, or an
        inline string without phonetic guides) and no white space between the elements, so
        that a cell's whole text is its value, which lxml gives at C speed. Any other row, a
        formula, phonetic guides or an indented file, is read element by element."""
        cells = []
        append = cells.append
        column = 0
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
                    append((column, text if kind == "inlineStr" else None, PLAIN))
                    continue
                if kind == "s":
                    append((column, self.strings[int(text)], PLAIN))
                    continue
                formula = False
            else:
                text, formula = _stored(element, kind)
            value, stored = self._typed(text, kind, element.get("s")) if text else (None if kind != "inlineStr" else text, kind)
            append((column, value, FORMULA if formula else ERROR if stored == "e" else PLAIN))
        return cells

    def _typed(self, text: str, kind: str | None, style: str | None) -> tuple[object, str | None]:
        """A stored value as Excel means it, by the cell's type and, for a number, its style;
        and its type, which is an error where a date lies beyond the calendar."""
        if kind is None or kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style is not None and self._is_date(style):
                try:
                    return from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_styles), kind
                except (OverflowError, ValueError):
                    return "#VALUE!", "e"  # as Excel shows such a date
            return number, kind
        if kind == "s":
            return self.strings[int(text)], kind
        if kind == "b":
            return bool(int(text)), kind
        if kind == "d":
            return from_ISO8601(text), kind
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


# What a cell holds besides its value.
PLAIN, FORMULA, ERROR = "", "formula", "e"
_text_of = etree.tostring


def _stored(cell, kind: str | None) -> tuple[str | None, bool]:
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
    number = _COLUMNS.get(letters)
    if number is None:
        number = 0
        for letter in letters.upper():
            number = number * 26 + ord(letter) - 64
        if not (letters.isalpha() and letters.isascii() and 1 <= number <= 16_384):
            raise ValueError(f"{reference} is not a cell reference")
        _COLUMNS[letters] = number
    return number


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
