"""Whether a briefing gets a contents list, and the page each part starts on.

A contents page earns its place only in a long paper: below `CONTENTS_FROM_PAGES` a reader
turns the pages faster than the list. Whether a briefing is that long is *estimated* from its
content (lines of text at each style's size, table rows, charts, footnotes, page breaks), never
measured, so that the same workbook gives the same document on any machine, with or without a
word processor installed. The page numbers of a long briefing's contents, which only a layout
can tell, come from LibreOffice where it is installed (`pdf.part_pages`); where it is installed
but cannot lay the briefing out in time, the build fails, rather than give a list that has
numbers or not depending on how busy the machine was.
"""

from __future__ import annotations

import math
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml.ns import nsmap
from docx.shared import Emu, Length
from docx.styles.style import BaseStyle
from lxml import etree

from .. import packages
from ..errors import InputError
from .customxml import PREVIOUS
from .ooxml import cited_notes, printed_length, qn

CONTENTS_FROM_PAGES = 12
# Laying out a briefing costs LibreOffice about a second, and a second more for every dozen
# pages: beyond this it would cost more than the build, and the list goes without page numbers.
LAY_OUT_UP_TO_PAGES = 60


def bookmark_name(number: int) -> str:
    """The bookmark on the heading of part `number`, which its contents entry links to; hidden
    in Word, as its own "_Toc" bookmarks are."""
    return f"_TocPart{number}"


def listed_in(briefing: Path) -> bool | None:
    """Whether the briefing this pipeline wrote at `briefing` printed a contents list (its TOC
    field, which stands before the first part's heading: a long briefing is read no further);
    None when it cannot be told, the file being gone, damaged or refused. It is read through the
    same gate as a briefing given to compare with (`customxml.PREVIOUS`): a regular file whose
    zip is within the limits, its XML without a DTD."""
    try:
        packages.read_head(briefing, PREVIOUS)
        with packages.opened(briefing, PREVIOUS) as package, package.open("word/document.xml") as part:
            for element in packages.elements(part, qn("w:instrText"), qn("w:fldSimple")):
                field = element.text if element.tag == qn("w:instrText") else element.get(qn("w:instr"))
                if (field or "").lstrip().startswith("TOC "):
                    return True
    except (InputError, KeyError, etree.XMLSyntaxError, packages.DTDRefused):
        return None
    return False


def layout_seconds(pages: int) -> float:
    """How long a layout of some `pages` pages may take before the build gives up on it and
    fails (`pdf.LayoutFailed`): ten times what it takes here, so that a busy machine is not
    a failed build and only a layout gone wrong (thousands of letters no font has, say) runs
    out of time."""
    return 30.0 + pages


# An average character of the house fonts prints 0.41 of its size wide (Caladea and Carlito, the
# metric twins LibreOffice sets Cambria and Calibri in, on full lines of the sample): a little more,
# as a line breaks before the word that would not fit.
CHARACTER_WIDTH = 0.42
LEADING = 1.2  # a line's height, as a multiple of the font size
FOOTNOTE_SIZE = 8.0
# A table cell's margins, as the house table style sets them (`templates.TABLE_STYLE`): its
# text is narrower than the cell by the sides', its row taller by the top's and bottom's.
CELL_SIDES, CELL_ENDS = 8.5, 4.5


def estimated_pages(document: Document, text_width: Length, page_height: Length) -> int:
    """About how many pages `document` prints on, from its body and footnotes alone."""
    pages = PageCount(document, text_width, page_height)
    pages.add(document.element.body, _footnote_heights(document, text_width))
    return pages.pages


class PageCount:
    """The estimate of `estimated_pages`, counted block by block as blocks are added, so that
    a briefing written out as it is made (`ooxml.Spill`) is counted as it goes."""

    def __init__(self, document: Document, text_width: Length, page_height: Length):
        self.sizes = _Sizes(document)
        self.width, self.height = Length(text_width).pt, Length(page_height).pt
        self.pages, self.used = 1, 0.0

    def add(self, blocks, notes: dict[str, float]) -> None:
        """Count `blocks` (the body's paragraphs and tables, in order), whose footnotes are
        `notes` tall, by id."""
        sizes = self.sizes
        for block in blocks:
            if block.tag == qn("w:p"):
                heights = [_paragraph_height(block, sizes, self.width) + _notes_in(block, notes)]
                self._place(sizes.breaks_page(block), heights, _ENDS_SECTION(block))
            elif block.tag == qn("w:tbl"):
                self._place(False, [_row_height(row, sizes, notes) for row in block.iter(qn("w:tr"))], False)

    def add_paragraph(self, style_id: str | None, length: float, notes: float) -> None:
        """Count a paragraph known by its measures: its style, the length of its text, and
        the height of its footnotes."""
        self._place(self.sizes.breaks_page_in(style_id), [self.sizes.height(style_id, length, self.width) + notes], False)

    def add_table(self, rows) -> None:
        """Count a table known by its measures: for each row, its cells (width in twips, style,
        length of text) and the height of its footnotes."""
        height = self.sizes.height
        self._place(
            False,
            [
                max(height(style, length, twips / 20 - CELL_SIDES) for twips, style, length in cells) + CELL_ENDS + notes
                for cells, notes in rows
            ],
            False,
        )

    def _place(self, new_page: bool, heights: list[float], ends_section: bool) -> None:
        """Lay out, in the count, a block that starts a page or not and takes `heights` (its
        rows, which a page break may fall between)."""
        if new_page and self.used:
            self.pages, self.used = self.pages + 1, 0.0
        for row in heights:
            if self.used + row > self.height and self.used:
                self.pages, self.used = self.pages + 1, 0.0
            self.used += row
        if ends_section:  # a section ends: a new page
            self.pages, self.used = self.pages + 1, 0.0

    def note_height(self, length: float) -> float:
        """How tall a footnote whose text is `length` characters long prints."""
        return _note_height(length, self.width)


def _lines(length: float, size: float, width: float) -> int:
    per_line = max(width / (size * CHARACTER_WIDTH), 1)
    return max(math.ceil(length / per_line), 1)


# The queries the estimate makes of every block, compiled once and answered by lxml in C:
# walking the elements from Python costs several times the building of them.
_NAMESPACES = {"w": nsmap["w"], "wp": nsmap["wp"]}
# What the estimate reads of a paragraph, in one query: its style, its text and the height of
# each drawing in it.
_MEASURES = etree.XPath("w:pPr/w:pStyle/@w:val | .//w:t/text() | .//wp:extent/@cy", namespaces=_NAMESPACES)
_CELLS = etree.XPath(".//w:tc", namespaces=_NAMESPACES)
_CELL_WIDTH = etree.XPath("string(w:tcPr/w:tcW/@w:w)", namespaces=_NAMESPACES)
_CELL_PARAGRAPHS = etree.XPath(".//w:p", namespaces=_NAMESPACES)
_STYLE = etree.XPath("string(w:pPr/w:pStyle/@w:val)", namespaces=_NAMESPACES)
_PAGE_BREAK = etree.XPath("w:pPr/w:pageBreakBefore", namespaces=_NAMESPACES)
_ENDS_SECTION = etree.XPath("boolean(w:pPr/w:sectPr)", namespaces=_NAMESPACES)


def _text(element) -> str:
    return "".join(element.itertext(qn("w:t"), with_tail=False))


def _paragraph_height(paragraph, sizes: _Sizes, width: float) -> float:
    style, texts, drawn = None, [], 0.0
    for found in _MEASURES(paragraph):  # in the paragraph's order
        if not found.is_attribute:
            texts.append(found)
        elif found.attrname == "cy":
            drawn += Emu(int(found)).pt
        else:
            style = str(found) or None
    return sizes.height(style, printed_length("".join(texts)), width) + drawn


def _row_height(row, sizes: _Sizes, notes: dict[str, float]) -> float:
    tallest = 0.0
    for cell in _CELLS(row):
        width = _CELL_WIDTH(cell)
        points = int(width) / 20 - CELL_SIDES if width else 100.0
        tallest = max(tallest, sum(_paragraph_height(p, sizes, points) for p in _CELL_PARAGRAPHS(cell)))
    return tallest + CELL_ENDS + _notes_in(row, notes)


def _notes_in(element, notes: dict[str, float]) -> float:
    return sum(notes.get(note_id, 0.0) for note_id in cited_notes(element))


def _footnote_heights(document: Document, text_width: Length) -> dict[str, float]:
    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return {}
    # The part as built, or as python-docx reads it back from a file: raw XML.
    notes = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
    return _note_heights(notes.iter(qn("w:footnote")), Length(text_width).pt)


def _note_heights(notes, width: float) -> dict[str, float]:
    return {note.get(qn("w:id")): _note_height(printed_length(_text(note)), width) for note in notes}


def _note_height(length: float, width: float) -> float:
    return _lines(length, FOOTNOTE_SIZE, width) * FOOTNOTE_SIZE * LEADING


class _Sizes:
    """Each paragraph style's font size, spacing and page break, as its base styles give them."""

    def __init__(self, document: Document):
        self._styles: dict[str | None, BaseStyle] = {}
        for style in document.styles:
            self._styles.setdefault(style.style_id, style)  # of two with one id, the first, as Word takes it
        self._default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)  # Normal
        self._looks: dict[str | None, tuple[float, float, float, float, bool]] = {}

    def height(self, style_id: str | None, length: float, width: float) -> float:
        """How tall a paragraph in the style prints, with text `length` long in lines `width` wide."""
        size, before, after, line, _ = self._look(style_id)
        return before + _lines(length, size, width) * size * line * LEADING + after

    def breaks_page(self, paragraph) -> bool:
        """Whether the paragraph starts a page: as it says itself (a short annex does not), or
        as its style does."""
        own = _PAGE_BREAK(paragraph)
        if own:
            return own[0].get(qn("w:val"), "1") not in ("0", "false", "off")
        return self.breaks_page_in(_STYLE(paragraph) or None)

    def breaks_page_in(self, style_id: str | None) -> bool:
        """Whether the style starts a page."""
        return self._look(style_id)[4]

    def _look(self, style_id: str | None) -> tuple[float, float, float, float, bool]:
        if style_id not in self._looks:
            self._looks[style_id] = self._resolved(self._styles.get(style_id, self._default))
        return self._looks[style_id]

    def _resolved(self, style) -> tuple[float, float, float, float, bool]:
        size = before = after = line = breaks = None
        chain = 0
        while style is not None and chain < 20:
            chain += 1
            font, paragraph = style.font, style.paragraph_format
            size = size if size is not None else (font.size.pt if font.size else None)
            before = before if before is not None else (paragraph.space_before.pt if paragraph.space_before is not None else None)
            after = after if after is not None else (paragraph.space_after.pt if paragraph.space_after is not None else None)
            spacing = paragraph.line_spacing
            line = line if line is not None else (spacing if isinstance(spacing, float) else None)
            breaks = breaks if breaks is not None else paragraph.page_break_before
            # Its base found by id among the styles read once: python-docx searches them all for each.
            based_on = style.element.basedOn_val
            style = self._styles.get(based_on) if based_on is not None else None
        return size or 11.0, before or 0.0, after or 0.0, line or 1.0, bool(breaks)
