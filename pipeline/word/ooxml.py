"""WordprocessingML that python-docx has no API for, or no fast one: footnotes, fields, a
table of contents, numbering, table styles, section breaks, paragraphs and table rows in bulk,
and a package that is the same bytes every time.

This module knows Word, not briefings: `render` decides what goes where.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import re
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import IO, Literal, NamedTuple, Protocol, TypeVar, cast, overload

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.coreprops import CT_CoreProperties
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser
from docx.oxml.section import CT_SectPr
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.text.hyperlink import CT_Hyperlink
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package
from docx.section import Section, _BaseHeaderFooter
from docx.shared import Emu, Inches, Length
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from .. import forked, languages
from ..characters import CONTROL
from ..files import DatedZip, replacing, write_dated
from . import templates

# python-docx's name for a tag ("w:p" -> its Clark name), remembered: a long briefing asks for
# the same few names a million times.
qn = lru_cache(maxsize=None)(_qn)


def _new(tag: str) -> etree._Element:
    """A new element of python-docx's class for a w: `tag`, as OxmlElement makes it, without
    parsing the tag's name again each time (`tag` is "w:p", "w:r")."""
    return oxml_parser.makeelement(qn(tag), nsmap=_W)


_W = {"w": _qn("w:p")[1:].split("}")[0]}


@dataclass(frozen=True)
class Link:
    """A run of text that links to `url`, outside the document, in the link style."""

    text: str
    url: str
    style: str


# A run of text: its text, or (text, character style), or (text, character style, language tag).
TextRun = str | tuple[str, str | None] | tuple[str, str | None, str | None]
Run = TextRun | Link
# A bookmark's two ends, made with a paragraph around the runs that print an item's text: their
# id and name are still to set (`marks.Marks.mark`).
Bookmark = tuple[etree._Element, etree._Element]


class Marking(Protocol):
    """What marks a paragraph `Body` makes as printing an item (the renderer's, through
    `marks.Marks`): called with the paragraph, and with the bookmark made in it around the runs
    that print `printed` (empty where it bookmarks none), where `span_printing` finds such runs;
    None where it does not, and the marking looks itself."""

    @property
    def printed(self) -> str: ...

    def __call__(self, paragraph: CT_P, placed: Bookmark | None = None) -> None: ...


def span_printing(texts: Iterable[str], printed: str) -> tuple[int, int] | None:
    """Where among a paragraph's runs, whose `texts` these are in order, `printed` is printed:
    the first and the last of the first runs whose texts together are `printed`, the texts read
    no further than that; None when no runs are."""
    if not printed:
        return None
    read: list[str] = []
    unread = iter(texts)

    def text(index: int) -> str | None:
        while len(read) <= index:
            following = next(unread, None)
            if following is None:
                return None
            read.append(following)
        return read[index]

    index = 0
    while (current := text(index)) is not None:
        if current and printed.startswith(current):
            joined, later = "", index
            while (following := text(later)) is not None:
                joined += following
                if joined == printed:
                    return index, later
                if not printed.startswith(joined):
                    break
                later += 1
        index += 1
    return None


# The children of w:settings in schema order (ECMA-376 Part 1, CT_Settings).
SETTINGS_ORDER = (
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def put_setting(document: Document, element: etree._Element) -> None:
    """Put `element` into the document's settings, in its place in the schema's order and
    instead of any element of its kind already there."""
    settings = document.settings.element
    tag = f"w:{etree.QName(element).localname}"  # a w: element
    for old in settings.findall(element.tag):
        settings.remove(old)
    settings.insert_element_before(element, *SETTINGS_ORDER[SETTINGS_ORDER.index(tag) + 1 :])


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


class Body:
    """Appends paragraphs, runs and tables to a document, each block made once as elements,
    then sent to one of two places: into the document's tree, where a layout pass or the
    redline needs the document whole, or written out to a file as it is finished (`write_out`),
    where memory must stay flat however long the briefing.

    Text only ever enters as an element's text or an attribute's value, so the serialiser
    escapes it; blocks are made from small prototypes, copied in C: python-docx's
    add_paragraph looks for the section properties among all the body's children on every call
    and builds each element through Python, which a briefing of tens of thousands of statements
    spent most of its time in.
    """

    footnotes: Footnotes  # the notes `paragraph` adds go there: set by the Footnotes made for the body
    _counted: Callable[[Written], None]  # while writing out: what counts each block written

    def __init__(self, document: Document, language: str = languages.DEFAULT):
        self.document = document
        # The document's language: what a left-to-right run in a right-to-left paragraph is
        # tagged with, so that no reader takes it for the paragraph's language.
        self.language = language
        self._end = self._last = document.element.body.sectPr  # new blocks go just before it, the last child
        self._style_ids = {style.name: style.style_id for style in document.styles}
        self._prototypes: dict[tuple[object, ...], BaseOxmlElement] = {}
        # Once a long briefing is written out as it is made (`write_out`): where blocks go,
        # what counts them on their way, and the last complete block, kept back until the
        # next one (a section break may yet end it: `last_paragraph`).
        self._out: Spill | None = None
        self._pending: tuple[CT_P | CT_Tbl, MeasuredParagraph | MeasuredTable] | None = None
        self._tables: dict[CT_Tbl, list[MeasuredRow]] = {}  # a table being written out -> its rows' measures
        # New part names and relationship ids: python-docx walks every relationship of a part
        # for each link added to it, which a briefing of thousands of sources paid for in quadratic time.
        self.names = PackageNames(document.part.package)

    @overload
    def paragraph(
        self,
        style: str,
        *runs: Run,
        notes: tuple[str, ...] = ...,
        keep_with_next: bool = ...,
        complete: Literal[False] = ...,
        marking: Marking | None = ...,
    ) -> Paragraph: ...

    @overload
    def paragraph(
        self,
        style: str,
        *runs: Run,
        notes: tuple[str, ...] = ...,
        keep_with_next: bool = ...,
        complete: bool,
        marking: Marking | None = ...,
    ) -> Paragraph | None: ...

    def paragraph(
        self,
        style: str,
        *runs: Run,
        notes: tuple[str, ...] = (),
        keep_with_next: bool = False,
        complete: bool = False,
        marking: Marking | None = None,
    ) -> Paragraph | None:
        """A new paragraph at the end of the body. A run is text, (text, character style) or
        (text, character style, language tag). A paragraph mostly in a right-to-left script
        is laid out right to left. Each of `notes` is a footnote, its reference at the end.
        A `complete` paragraph (nothing will be added to it) is written out at once when the
        body is being written out, and then None is returned. `marking` is given the paragraph's
        element before it goes anywhere (to mark where an item's text is), and the bookmark
        made with it around the runs that print its text, where they are plain runs."""
        texts = [run if isinstance(run, str) else run.text if isinstance(run, Link) else run[0] for run in runs]
        right_to_left = not all(text.isascii() for text in texts) and languages.mainly_right_to_left(" ".join(texts))
        printed = marking.printed if marking is not None else ""
        span = span_printing([xml_text(text) for text in texts], printed) if printed else None
        element, placed = self._paragraph(style, runs, right_to_left, keep_with_next, span)
        element.extend([self.footnotes.reference(text) for text in notes])
        if marking is not None:
            marking(element, placed)
        if complete and self._out is not None and self._end is self._last:
            length = sum(printed_length(text) for text in texts)
            self._write(
                element,
                MeasuredParagraph(self._style_ids[style] or None, length, self.footnotes.last(len(notes)) if notes else ()),
            )
            return None
        self._tree_block_follows()
        self._end.addprevious(element)
        return Paragraph(element, self.document._body)

    def _paragraph(
        self,
        style: str,
        runs: Iterable[Run],
        right_to_left: bool = False,
        keep_with_next: bool = False,
        bookmarked: tuple[int, int] | None = None,
    ) -> tuple[CT_P, Bookmark | None]:
        """A w:p in `style` holding `runs`; its properties in schema order: w:keepNext keeps it
        on the page of the next, w:bidi lays it out right to left. Where each run is one piece
        of text (as nearly all are), the paragraph is a copy of one made with runs of their
        shapes, their text put in: one copy in C, not one for each run; and with a bookmark
        around the runs `bookmarked` (the first and the last), returned with it, where asked."""
        shapes = tuple(self._shape(run, right_to_left) for run in runs)
        if None in shapes:
            shapes, bookmarked = (), None
        element = self._prototype(
            ("w:p", style, keep_with_next, right_to_left, shapes, bookmarked),
            self._paragraph_start,
            style,
            keep_with_next,
            right_to_left,
            shapes,
            bookmarked,
        ).__copy__()
        if not shapes:
            element.extend(self._runs(runs, right_to_left))
            return element, None
        for run, text in zip(element.iterchildren(_RUN), runs):
            run[-1].text = xml_text(_text_of(text))
        if bookmarked is None:
            return element, None
        first, last = bookmarked
        # After the paragraph's properties and the runs before the first: the start; the end
        # after the last run, past the start.
        return element, (element[1 + first], element[last + 3])

    def _shape(self, run: Run, right_to_left_paragraph: bool) -> tuple[object, ...] | None:
        """The shape of the w:r that `_runs` makes of `run` where it is one piece of text in one
        direction, the prototype key of such a run (its style and language, as `run` makes it);
        None for any other run (a link, text in both directions or with line breaks or tabs, no
        text)."""
        if isinstance(run, Link):
            return None
        text, style, language = (run, None, None) if isinstance(run, str) else (run + (None,))[:3]
        if not text or "\n" in text or "\t" in text or not (text.isascii() or not languages.has_right_to_left(text)):
            return None
        left_to_right = language or (self.language if right_to_left_paragraph else None)
        return ("w:r", style, left_to_right, None, "w:t")

    def _prototype(self, key: tuple[object, ...], made: Callable[..., BaseOxmlElement], *arguments: object) -> BaseOxmlElement:
        """The block or part of one that `made(*arguments)` makes, made once and kept under
        `key`: blocks are copies of it, which lxml makes in C. Each declares its own namespace,
        so that it joins and leaves a part in time that grows only with its size."""
        prototype = self._prototypes.get(key)
        if prototype is None:
            prototype = self._prototypes[key] = made(*arguments)
        return prototype

    def _paragraph_start(
        self,
        style: str,
        keep_with_next: bool,
        right_to_left: bool,
        shapes: tuple[tuple[object, ...], ...] = (),
        bookmarked: tuple[int, int] | None = None,
    ) -> CT_P:
        element = _new("w:p")
        properties = etree.SubElement(element, qn("w:pPr"))
        etree.SubElement(properties, qn("w:pStyle")).set(qn("w:val"), self._style_ids[style])
        for tag, wanted in (("w:keepNext", keep_with_next), ("w:bidi", right_to_left)):
            if wanted:
                etree.SubElement(properties, qn(tag))
        runs = [self._run_of(shape) for shape in shapes]
        element.extend(runs)
        if bookmarked is not None:
            first, last = bookmarked
            runs[first].addprevious(_new("w:bookmarkStart"))
            runs[last].addnext(_new("w:bookmarkEnd"))
        return element

    def _run_of(self, shape: tuple[object, ...]) -> CT_R:
        """A w:r of `shape` (`_shape`), its text still to put in."""
        return self._prototype(shape, self._run_start, *shape[1:4], True).__copy__()

    @staticmethod
    def _row_start(header: bool) -> CT_Row:
        """A table row's opening: never split across pages; a header row repeats on each."""
        element = _new("w:tr")
        properties = etree.SubElement(element, qn("w:trPr"))
        etree.SubElement(properties, qn("w:cantSplit"))
        if header:
            etree.SubElement(properties, qn("w:tblHeader"))
        return element

    def _row_of_cells(
        self,
        header: bool,
        twips: tuple[int, ...],
        styles: tuple[str, ...],
        shapes: tuple[tuple[object, ...] | None, ...],
        bookmarked: tuple[bool, ...],
    ) -> CT_Row:
        """A table row's opening (`_row_start`) and its cells, each `twips` wide (Word reads
        widths from the cells) and holding a paragraph in its style of `styles` with a run of
        its shape of `shapes` (none where the shape is None), in a bookmark where `bookmarked`:
        a table's rows are copies of one such, their text put in."""
        row = self._row_start(header)
        for width, style, shape, marked in zip(twips, styles, shapes, bookmarked):
            cell = _new("w:tc")
            etree.SubElement(etree.SubElement(cell, qn("w:tcPr")), qn("w:tcW"), {qn("w:w"): str(width), qn("w:type"): "dxa"})
            shapes_in_cell = () if shape is None else (shape,)
            cell.append(self._paragraph_start(style, False, False, shapes_in_cell, (0, 0) if marked else None))
            row.append(cell)
        return row

    # --- writing out ------------------------------------------------------------------------

    def write_out(self, spill: Spill, counted: Callable[[Written], None]) -> None:
        """From now on, complete paragraphs and tables go to `spill` as they are made, never
        into the tree, and blocks left in the tree follow them there in order. Each block is
        passed to `counted` (a list of elements, or a measured block) as it is written."""
        self._out, self._counted = spill, counted

    def _write(self, element: CT_P | CT_Tbl, measured: MeasuredParagraph | MeasuredTable) -> None:
        """Write out the complete block `element`, after those before it: it is kept back
        until the next block comes."""
        self._write_pending()
        self.write_waiting()
        self._pending = (element, measured)

    def write_waiting(self, keep_last: bool = False) -> None:
        """Write out, counted, the blocks waiting in the tree after the last one written: all
        of them, or with `keep_last` all but the last (a section break may yet end it)."""
        assert self._out is not None, "only a body being written out has blocks waiting"
        if self._out.marker.getnext() is self._last:  # none wait, as after most blocks
            return
        waiting = list(self._out.marker.itersiblings())[:-1]  # the section's properties last
        if keep_last:
            waiting = waiting[:-1]
        if waiting:
            self._counted(waiting)
            self._out.write(waiting)

    def _write_pending(self) -> None:
        if self._pending is not None:
            element, measured = self._pending
            self._pending = None
            assert self._out is not None, "only a body being written out keeps a block back"
            self._counted(measured)
            self._out.write([element])

    def _tree_block_follows(self) -> None:
        """A block is about to go into the tree: the complete block kept back goes first."""
        if self._end is self._last:
            self._write_pending()

    def finish_writing_out(self) -> None:
        """Write out the complete block kept back: nothing more will follow it."""
        self._write_pending()

    def last_paragraph(self) -> CT_P | None:
        """The body's last block, a w:p, in the tree; None when the last block is not one. A
        complete block kept back from writing out goes into the tree for it."""
        if self._pending is not None:
            element, _ = self._pending
            self._pending = None
            self._last.addprevious(element)
        last = self._last.getprevious()
        return last if last is not None and last.tag == qn("w:p") else None

    def table(self, columns: int) -> Table:
        """A new table at the end of the body, `columns` wide, with no rows yet. When the body is
        being written out, it is made apart from the tree, and written out whole at `end_table`:
        lxml takes a block made within the tree out of it in time that grows faster than its
        size, one that declares its own namespace in next to none."""
        self._tree_block_follows()
        # As python-docx's add_table, but for the width between the margins read off the body's own
        # w:sectPr (the last section's): python-docx finds it by a search of the whole document,
        # a second per table in a previous edition rendered whole for a redline.
        page = self.document.element.body.sectPr
        width = (page.page_width or Inches(8.5)) - (page.left_margin or Inches(1)) - (page.right_margin or Inches(1))
        table = self.document._body.add_table(0, columns, Emu(width))
        table.style = None
        if self._out is not None:
            table._tbl.getparent().remove(table._tbl)  # while it is empty
            self._tables[table._tbl] = []
        return table

    def end_table(self, table: Table) -> None:
        """The table is complete: written out, when the body is being written out."""
        rows = self._tables.pop(table._tbl, None)
        if rows is not None:
            self._write(table._tbl, MeasuredTable(tuple(rows)))

    def restyle(self, paragraph: Paragraph, style: str) -> None:
        element = paragraph._p
        properties = element.find(qn("w:pPr"))
        if properties is None:
            properties = _new("w:pPr")
            element.insert(0, properties)  # w:pPr comes first in w:p
        style_element = properties.find(qn("w:pStyle"))
        if style_element is None:
            style_element = _new("w:pStyle")
            properties.insert(0, style_element)  # pStyle comes first in w:pPr
        style_element.set(qn("w:val"), self._style_ids[style])

    def add_runs(self, paragraph: Paragraph, *runs: Run) -> None:
        properties = paragraph._p.pPr
        right_to_left = properties is not None and properties.find(qn("w:bidi")) is not None
        paragraph._p.extend(self._runs(runs, right_to_left))

    def _runs(self, runs: Iterable[Run], right_to_left_paragraph: bool) -> list[CT_R | CT_Hyperlink]:
        """The w:r elements of `runs`, each cut where its direction changes."""
        made = []
        for run in runs:
            shape = self._shape(run, right_to_left_paragraph)
            if shape is not None:  # one piece of text in one direction, as nearly every run is
                element = self._run_of(shape)
                element[-1].text = xml_text(_text_of(run))
                made.append(element)
            elif isinstance(run, Link):
                link = _new("w:hyperlink")
                link.set(qn("r:id"), self.names.link(self.document.part, RT.HYPERLINK, run.url))
                link.extend(self._runs([(run.text, run.style)], right_to_left_paragraph))
                made.append(link)
            else:
                # mypy reads a tuple of either length, padded, as one of any length
                text, style, language = (
                    (run, None, None) if isinstance(run, str) else cast("tuple[str, str | None, str | None]", (run + (None,))[:3])
                )
                left_to_right = language or (self.language if right_to_left_paragraph else None)
                if text.isascii() or not languages.has_right_to_left(text):  # line breaks, tabs, or no text
                    made.append(self.run(text, style, left_to_right))
                else:
                    made += [
                        self.run(piece, style, language if to_left else left_to_right, to_left)
                        for piece, to_left in languages.directional_runs(text, right_to_left_paragraph)
                    ]
        return made

    def runs(
        self, text: str, style: str | None = None, language: str | None = None, right_to_left_paragraph: bool = False
    ) -> list[CT_R | CT_Hyperlink]:
        """The w:r elements of `text`, one for each stretch of one direction."""
        return self._runs([(text, style, language)], right_to_left_paragraph)

    @contextmanager
    def inserting_before(self, element: etree._Element) -> Iterator[None]:
        """New blocks go before `element` within the block, not at the end of the body."""
        end, self._end = self._end, element
        try:
            yield
        finally:
            self._end = end

    def _run_start(self, style: str | None, language: str | None, right_to_left_language: str | None, text: bool = False) -> CT_R:
        """A run's opening: its properties, in schema order rStyle, rtl, lang; and with `text`
        the element its text goes in."""
        element = _new("w:r")
        if style or language or right_to_left_language:  # else a plain run, as most are
            properties = etree.SubElement(element, qn("w:rPr"))
            if style:
                etree.SubElement(properties, qn("w:rStyle")).set(qn("w:val"), self._style_ids[style])
            if right_to_left_language:
                etree.SubElement(properties, qn("w:rtl"))
                if languages.is_right_to_left(right_to_left_language):
                    etree.SubElement(properties, qn("w:lang")).set(qn("w:bidi"), right_to_left_language)
            elif language and not languages.is_right_to_left(language):
                etree.SubElement(properties, qn("w:lang")).set(qn("w:val"), language)
        if text:
            etree.SubElement(element, qn("w:t")).set(_XML_SPACE, "preserve")
        return element

    def run(self, text: str, style: str | None = None, language: str | None = None, right_to_left: bool = False) -> CT_R:
        """A w:r holding `text`; line breaks and tabs become Word's own elements. Right-to-left
        text is marked so (w:rtl), which also sets it in the style's complex-script font, and
        tagged with its language, as is text given a `language`."""
        tag = None
        if right_to_left:
            tag = language if language and languages.is_right_to_left(language) else languages.language_of(text)
        if text and "\n" not in text and "\t" not in text:  # one piece of text, as most are
            element = self._prototype(
                ("w:r", style, language, tag, "w:t"), self._run_start, style, language, tag, True
            ).__copy__()
            element[-1].text = xml_text(text)
            return element
        element = self._prototype(("w:r", style, language, tag), self._run_start, style, language, tag).__copy__()
        for line_number, line in enumerate(text.split("\n")):
            if line_number:
                etree.SubElement(element, qn("w:br"))
            for piece_number, piece in enumerate(line.split("\t")):
                if piece_number:
                    etree.SubElement(element, qn("w:tab"))
                if piece:
                    shown = etree.SubElement(element, qn("w:t"))
                    shown.set(_XML_SPACE, "preserve")
                    shown.text = xml_text(piece)
        return element

    def table_row(
        self,
        table: Table,
        widths: list[Length],
        cells: list[tuple[str, TextRun]],
        header: bool = False,
        notes: list[tuple[str, ...]] | None = None,
        marked: tuple[bool, ...] = (),
    ) -> list[Bookmark | None]:
        """A new row at the end of `table`, a cell for each of `widths` (Word reads widths from
        the cells), holding a paragraph in each of `cells`, (paragraph style, run), footnoted
        with its `notes`. Header rows repeat on every page; no row is split across pages. A
        cell `marked` (to mark where an item's text is) has its run in a bookmark, returned for
        each cell, where it is one plain run: None for the others."""
        notes = notes or [()] * len(cells)
        twips = tuple(width.twips for width in widths)
        styles = tuple(style for style, _ in cells)
        shapes = tuple(self._shape(run, False) for _, run in cells)
        texts = [_text_of(run) for _, run in cells]
        # Where a run prints its cell's text as it is (no character XML cannot hold made U+FFFD).
        marked += (False,) * (len(cells) - len(marked))
        bookmarked = tuple(
            wanted and shape is not None and xml_text(text) == text for wanted, shape, text in zip(marked, shapes, texts)
        )
        note_ids: list[str] = []
        row = self._prototype(
            ("w:tr", header, twips, styles, shapes, bookmarked), self._row_of_cells, header, twips, styles, shapes, bookmarked
        ).__copy__()
        placed: list[Bookmark | None] = []
        for cell, (_, run), shape, text, cell_notes, in_bookmark in zip(
            row.iterchildren(_CELL), cells, shapes, texts, notes, bookmarked
        ):
            paragraph = cell[-1]
            if shape is None:
                paragraph.extend(self._runs([run], False))
            else:
                paragraph[2 if in_bookmark else 1][-1].text = xml_text(text)  # after the bookmark's start, if any
            placed.append((paragraph[1], paragraph[3]) if in_bookmark else None)
            if cell_notes:
                paragraph.extend([self.footnotes.reference(text) for text in cell_notes])
                note_ids += self.footnotes.last(len(cell_notes))
        table._tbl.append(row)
        rows = self._tables.get(table._tbl)
        if rows is not None:
            measured = tuple(
                (width, self._style_ids[style] or None, printed_length(t)) for width, (style, _), t in zip(twips, cells, texts)
            )
            rows.append((measured, tuple(note_ids)))
        return placed


class MeasuredParagraph(NamedTuple):
    """A paragraph written out as it was made, as the page count needs it: its style's id, the
    length of its text and the ids of its footnotes. A named tuple, made in a fraction of a
    frozen dataclass's time: there is one for most paragraphs of a long briefing."""

    style_id: str | None
    length: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class MeasuredTable:
    """A table written out as it was made: for each row, its cells (width in twips, style id,
    length of text) and the ids of its footnotes."""

    rows: tuple[MeasuredRow, ...]


# A table row as measured: its cells (width in twips, style id, length of text) and the ids of
# its footnotes.
MeasuredRow = tuple[tuple[tuple[int, str | None, float], ...], tuple[str, ...]]
# What the body passes on as it writes out: blocks of the tree, or a block measured as it was made.
Written = list[etree._Element] | MeasuredParagraph | MeasuredTable


def _text_of(run: Run) -> str:
    """The text of a run that has a shape (`Body._shape`): never a link."""
    return run if isinstance(run, str) else cast(TextRun, run)[0]


def printed_length(text: str) -> float:
    """How wide `text` prints, in average characters of a Latin script: line breaks and tabs
    are elements, not text, and a character of another script (Cyrillic, Arabic) prints
    wider, in the fonts that have them, than the Latin ones of the house fonts do."""
    length = len(text) - text.count("\n") - text.count("\t")
    if text.isascii():
        return length
    return length + (WIDER_SCRIPT - 1) * len(_OTHER_SCRIPT.findall(text))


# A character outside Latin letters and punctuation prints about this many times as wide as an
# average Latin one: Cyrillic in DejaVu Serif (LibreOffice's stand-in where Cambria's
# substitute has none) 1.5 times, Persian 1.2 to 1.4 times.
WIDER_SCRIPT = 1.4
_OTHER_SCRIPT = re.compile("[^\x00-\u024f\u2000-\u206f]")


_CELL, _RUN, _ID = _qn("w:tc"), _qn("w:r"), _qn("w:id")
# The most notes `Footnotes` keeps by what they say.
_NOTES_KEPT = 4096
# The ids of the footnotes a block cites, as lxml finds them in C.
cited_notes = etree.XPath(".//w:footnoteReference/@w:id", namespaces=_W)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def xml_text(text: str) -> str:
    """`text` as XML can hold it: a character it cannot hold at all, even escaped (control
    characters but tab, line feed and carriage return; lone surrogates; U+FFFE and U+FFFF:
    `characters.CONTROL`, which validation keeps out of the workbook; an old edition or a
    template might still hold one) shows as U+FFFD, the replacement character, rather than
    making a part no reader can open."""
    return CONTROL.sub("\ufffd", text) if CONTROL.search(text) else text


class Footnotes:
    """The document's footnotes part. `reference` makes a note and gives the run that refers to
    it; `add` puts that run at the end of a paragraph."""

    def __init__(self, body: Body, text_style: str, reference_style: str):
        self._body = body
        document = body.document
        # A template's own footnotes (and their settings) make way for the briefing's.
        for rel_id in [rid for rid, rel in document.part.rels.items() if rel.reltype == RT.FOOTNOTES]:
            del document.part.rels[rel_id]
        self._part = XmlPart(
            PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, templates.element(templates.FOOTNOTES), document.part.package
        )
        document.part.relate_to(self._part, RT.FOOTNOTES)
        put_setting(document, templates.element(templates.FOOTNOTE_PROPERTIES))
        self._next_id = 1
        # Notes by what they say, made once: a source cited at the same place again and again
        # (a table's figures) says the same each time. Forgotten past a few thousand, so that a
        # briefing of all different notes keeps no second copy of them.
        self._said: dict[str, etree._Element] = {}
        self._out: NotesWritten | None = None  # where notes go once they are written out
        self.lengths: dict[str, float] = {}  # each note's printed length of text, by id, for the page count
        self.texts: dict[str, str] | None = None  # each note's text, by id, where a redline compares them: see `keep_texts`
        body.footnotes = self
        # Every note opens alike: its paragraph's style, then the note's own number; and every
        # reference to a note is a run in the reference style.
        self._note = _new("w:footnote")
        start, _ = body._paragraph(text_style, [])
        self._note.append(start)
        start.append(body.run("", reference_style))
        etree.SubElement(start[-1], qn("w:footnoteRef"))
        self._reference = body.run("", reference_style)
        etree.SubElement(self._reference, qn("w:footnoteReference"))

    def keep_texts(self) -> dict[str, str]:
        """From now on, the text of each note made, by its id (`texts`)."""
        self.texts = {}
        return self.texts

    @property
    def element(self) -> etree._Element:
        """The part's root, w:footnotes."""
        return self._part.element

    def first_note(self) -> etree._Element | None:
        """The first of the briefing's own footnotes (after the separators), None before any."""
        return next((note for note in self._part.element if note.get(qn("w:type")) is None), None)

    def add(self, paragraph: Paragraph, text: str) -> None:
        """Footnote `paragraph` with `text`: the reference mark goes at the paragraph's end."""
        paragraph._p.append(self.reference(text))

    def reference(self, text: str) -> CT_R:
        """A new footnote saying `text`, and the run that refers to it, for the end of the
        paragraph it notes. Once the notes are written out (`write_out`), it goes straight to
        the file, after any notes still in the tree, or to the child that writes them there."""
        note_id = str(self._next_id)
        self._next_id += 1
        self.lengths[note_id] = printed_length(text) + 1
        if self.texts is not None:
            self.texts[note_id] = text
        if self._out is None:
            self._part.element.append(self.note_saying(note_id, text))
        else:
            self._out.say(note_id, text)
        reference = self._reference.__copy__()
        reference[-1].set(_ID, note_id)
        return reference

    def note_saying(self, note_id: str, text: str) -> etree._Element:
        """The note numbered `note_id` saying `text`, as `reference` makes it."""
        said = self._said.get(text)
        if said is None:
            if len(self._said) >= _NOTES_KEPT:
                self._said.clear()
            said = self._said[text] = self._saying(text)
        note = said.__copy__()
        note.set(_ID, note_id)
        return note

    def _saying(self, text: str) -> etree._Element:
        """A note (its id still to set) saying `text`."""
        shown = f" {text}"
        shape = self._body._shape(shown, False)
        if shape is None:
            note = self._note.__copy__()
            note[0].extend(self._body._runs([shown], False))
        else:  # a copy of a note with a run of its shape, as most are: one copy in C
            note = self._body._prototype(("w:footnote", shape), self._note_with_run, shape).__copy__()
            note[0][-1][-1].text = xml_text(shown)
        return note

    def _note_with_run(self, shape: tuple[object, ...]) -> etree._Element:
        """A note's opening with a run of `shape` (`Body._shape`) after its number."""
        note = self._note.__copy__()
        note[0].append(self._body._run_of(shape))
        return note

    def last(self, count: int) -> tuple[str, ...]:
        """The ids of the last `count` notes made."""
        return tuple(str(number) for number in range(self._next_id - count, self._next_id))

    def write_out(self, spill: Spill, beside: bool = False) -> None:
        """From now on, notes go to `spill` as they are made, never into the tree; those made
        so far, after its marker, go now. Notes need only be in the order of their ids, not
        beside the paragraphs citing them. With `beside`, a forked child makes and writes them
        where one may be had (`NotesWritten`)."""
        spill.write(list(spill.marker.itersiblings()))
        self._out = NotesWritten(spill, self.note_saying, beside)

    def written(self) -> None:
        """Every note made is in the file it is written out to (`NotesWritten.written`)."""
        if self._out is not None:
            self._out.written()

    def close(self) -> None:
        """The child making the notes, if one still does, ended: the build goes no further."""
        if self._out is not None:
            self._out.close()


class NotesWritten:
    """Notes written out to `spill`, in the order given: each is its id and text, made as
    `note_saying` makes it, or a note already made (one a redline marked). With `beside`,
    where a child may be forked, a child makes and writes them while this process goes on: a
    note is sent down a pipe as its id and text, or serialised, a few hundred at a time, in
    order, and this process writes nothing to `spill` until `written`. Making a note and
    writing it out is a sixth of rendering a long briefing: at 60,000 statements, some
    100,000 notes, and as many again in its redline."""

    def __init__(self, spill: Spill, note_saying: Callable[[str, str], etree._Element], beside: bool = False):
        self._spill, self._note_saying = spill, note_saying
        self._child: forked.Child[None] | None = None
        if beside and forked.can_fork():
            import pickle  # here: a build that forks no child loads no pickling

            self._pickle = pickle
            spill.flush()  # in the file itself, where the child's notes follow
            received, sending = os.pipe()
            try:
                self._child = forked.Child(partial(_notes_written, spill, note_saying, received, sending))
            except OSError:  # no second process to be had: this one makes them
                os.close(sending)
            else:
                self._pipe = os.fdopen(sending, "wb")
                self._waiting: list[tuple[str, str] | bytes] = []
            finally:
                os.close(received)  # the child's end

    def say(self, note_id: str, text: str) -> None:
        """The note numbered `note_id` says `text`."""
        if self._child is None:
            self._spill.write([self._note_saying(note_id, text)])
        else:
            self._send((note_id, text))

    def put(self, note: etree._Element) -> None:
        """`note`, made already, goes next."""
        if self._child is None:
            self._spill.write([note])
        else:
            self._send(etree.tostring(note, encoding="UTF-8"))

    def _send(self, note: tuple[str, str] | bytes) -> None:
        self._waiting.append(note)
        if len(self._waiting) >= NOTES_SENT_AT_ONCE:
            self._pickle.dump(self._waiting, self._pipe, self._pickle.HIGHEST_PROTOCOL)
            self._waiting = []

    def written(self) -> None:
        """Every note given is in `spill`'s file: the child making them, if one does, has
        made and written the last and ended. Raises what it raised, or ChildDied."""
        if self._child is None:
            return
        try:
            try:
                self._pickle.dump(self._waiting, self._pipe, self._pickle.HIGHEST_PROTOCOL)
                self._pickle.dump(None, self._pipe, self._pickle.HIGHEST_PROTOCOL)
                self._pipe.close()
            except BrokenPipeError:  # the child ended early: its result says how
                pass
            self._child.result()
        finally:
            self.close()

    def close(self) -> None:
        """The child making the notes, if one still does, ended: the build goes no further."""
        if self._child is not None:
            child, self._child = self._child, None
            try:
                self._pipe.close()
            except BrokenPipeError:
                pass
            child.end()


# Notes sent at once to the child making them (`NotesWritten`): each sending costs a few
# microseconds, whatever its size.
NOTES_SENT_AT_ONCE = 512


def _notes_written(spill: Spill, note_saying: Callable[[str, str], etree._Element], received: int, sending: int) -> None:
    """The child's work for `NotesWritten`: each note received made, or read back, and written
    out after those `spill` had written when it was forked, until there are no more; then all
    of them in the file."""
    import pickle

    os.close(sending)  # this process's copy: the pipe's end is the parent's closing it
    with os.fdopen(received, "rb") as pipe:
        while (notes := pickle.load(pipe)) is not None:
            for note in notes:
                spill.write([note_saying(*note) if isinstance(note, tuple) else etree.fromstring(note)])
    spill.flush()


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field such as PAGE or SEQ Table; `shown` is its result until Word updates it."""
    for run in _field_runs(instruction, shown):
        paragraph._p.append(run)


def add_contents(
    body: Body, instruction: str, entry_style: str, entries: list[tuple[str, str]], pages: list[int] | None
) -> list[CT_P]:
    """A table of contents: a TOC field whose stored result lists `entries`, each (text,
    bookmark of its heading) and linked to it, with its page from `pages` after a tab, or
    without page numbers when `pages` is None. Word and LibreOffice show the stored result as
    it is, so the list is right on opening with no prompt; Word's Update Field redoes it.
    Returns the paragraphs' elements."""
    paragraphs = [body.paragraph(entry_style) for _ in entries or [("", "")]]
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    field = _field_runs(instruction)
    for run in field[:-1]:  # begin, code, separate
        first.append(run)
    for index, (paragraph, (text, bookmark)) in enumerate(zip(paragraphs, entries)):
        link = etree.SubElement(paragraph._p, qn("w:hyperlink"))
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        shown = f"{text}\t{pages[index]}" if pages else text
        link.extend(body.runs(shown))
    last.append(field[-1])  # end
    return [paragraph._p for paragraph in paragraphs]


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole of `paragraph` with a bookmark `name` (`number` is its unique id), which
    a link can point at. Names starting with "_Toc" are hidden in Word, as its own are."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    properties = paragraph._p.pPr
    if properties is not None:
        properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.append(end)


def _field_runs(instruction: str, shown: str | None = None) -> list[CT_R]:
    """The runs of a complex field: begin, code, separate, [result], end."""

    def run(child: str, text: str | None = None, **attributes: str) -> CT_R:
        element = OxmlElement("w:r")
        inner = etree.SubElement(element, qn(child))
        for name, value in attributes.items():
            inner.set(qn(f"w:{name}"), value)
        if text is not None:
            inner.text = text
            inner.set(_XML_SPACE, "preserve")
        return element

    runs = [
        run("w:fldChar", fldCharType="begin"),
        run("w:instrText", f" {instruction} "),
        run("w:fldChar", fldCharType="separate"),
    ]
    if shown is not None:
        runs.append(run("w:t", shown))
    return runs + [run("w:fldChar", fldCharType="end")]


def end_section(body: Body, properties: CT_SectPr, keep_frame: bool) -> Section:
    """End a section at the body's last paragraph, with a copy of `properties` (a w:sectPr)
    for its page. Without `keep_frame` the copy drops the header and footer, to be given its
    own; and it returns the new section, to adjust: a landscape page, for instance."""
    last = body.last_paragraph()
    if last is None:
        last = body.paragraph("Normal")._p
    ended = copy.deepcopy(properties)
    if not keep_frame:
        for tag in ("w:headerReference", "w:footerReference", "w:titlePg"):
            for element in ended.findall(qn(tag)):
                ended.remove(element)
    last.get_or_add_pPr().append(ended)  # w:sectPr comes last in w:pPr
    return Section(ended, body.document.part)


def style_font(document: Document, name: str, complex_script: bool = False) -> str | None:
    """The font a style's text is set in, following its base styles, the document defaults
    and the theme, as Word resolves it: the Latin font (which Word also uses for Cyrillic),
    or with `complex_script` the one for scripts such as Arabic."""
    slot, theme_slot = ("cs", "cstheme") if complex_script else ("ascii", "asciiTheme")
    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    style = next((s for s in by_id.values() if _style_name(s) in (name, name.lower())), None)
    chain: list[etree._Element] = []
    while style is not None and len(chain) < 20:  # a loop of basedOn would not end
        chain.append(style)
        based_on = style.find(qn("w:basedOn"))
        style = by_id.get(based_on.get(qn("w:val"))) if based_on is not None else None
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    for holder in chain + ([defaults] if defaults is not None else []):
        fonts = holder.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is None:
            continue
        theme = fonts.get(qn(f"w:{theme_slot}"))
        if theme:
            return theme_font(document, "major" if theme.startswith("major") else "minor", complex_script)
        if fonts.get(qn(f"w:{slot}")):
            return fonts.get(qn(f"w:{slot}"))
    return theme_font(document, "minor", complex_script)


def _style_name(style: etree._Element) -> str | None:
    name = style.find(qn("w:name"))
    return name.get(qn("w:val")) if name is not None else None


_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_font(document: Document, which: str, complex_script: bool = False) -> str | None:
    """The theme's "major" (headings) or "minor" (body) font: Latin, or with `complex_script`
    the complex-script one (a theme often names that per script, Arabic's under "Arab")."""
    try:
        theme = etree.fromstring(document.part.part_related_by(RT.THEME).blob)
    except (KeyError, etree.XMLSyntaxError):
        return None
    fonts = theme.find(f".//{{{_DRAWING}}}{which}Font")
    if fonts is None:
        return None
    found = (
        [fonts.find(f"{{{_DRAWING}}}cs"), fonts.find(f"{{{_DRAWING}}}font[@script='Arab']")]
        if complex_script
        else [fonts.find(f"{{{_DRAWING}}}latin")]
    )
    return next((f.get("typeface") for f in found if f is not None and f.get("typeface")), None)


def set_style_font(style: BaseStyle, latin: str, complex_script: str) -> None:
    """Set a style's fonts by name, dropping theme fonts, which Word would put first: `latin`
    for Latin and Cyrillic text (Word's ascii and hAnsi slots), `complex_script` for Arabic
    and Hebrew (the cs slot)."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute, name in (("ascii", latin), ("hAnsi", latin), ("cs", complex_script)):
        fonts.set(qn(f"w:{attribute}"), name)


def upright_complex_script(style: BaseStyle) -> None:
    """Italic for Latin and Cyrillic text only: Arabic and Persian script are not slanted
    (Word's complex-script italic, w:iCs, is set off wherever a style is italic)."""
    style.element.get_or_add_rPr()._set_bool_val("iCs", False)


def set_run_shading(style: BaseStyle, fill: str) -> None:
    """A colour behind the text of a character style, `fill` as RRGGBB."""
    properties = style.element.get_or_add_rPr()
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    shading = OxmlElement("w:shd")
    for name, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{name}"), value)
    properties.insert_element_before(shading, *_after(_RPR_ORDER, "w:shd"))


def set_language(document: Document, tag: str) -> None:
    """The document's language (`en-GB`): what Word checks spelling and hyphenates in, and
    what a screen reader reads text as, unless a run says otherwise."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)  # first in w:styles
    for level in ("w:rPrDefault", "w:rPr"):
        child = defaults.find(qn(level))
        if child is None:
            child = OxmlElement(level)
            defaults.insert(0, child)  # w:rPrDefault before w:pPrDefault; w:rPr alone in it
        defaults = child
    language = defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        defaults.insert_element_before(language, *_after(_RPR_ORDER, "w:lang"))
    language.set(qn("w:val"), tag)


def set_outline_level(style: BaseStyle, level: int) -> None:
    """The level at which a paragraph style shows in the contents and the navigation pane;
    9 is body text."""
    outline = _paragraph_property(style, "w:outlineLvl")
    outline.set(qn("w:val"), str(level))


def has_numbering(style: BaseStyle) -> bool:
    return _has_paragraph_property(style, "w:numPr")


def has_outline_level(style: BaseStyle) -> bool:
    return _has_paragraph_property(style, "w:outlineLvl")


def _has_paragraph_property(style: BaseStyle, tag: str) -> bool:
    properties = style.element.pPr
    return properties is not None and properties.find(qn(tag)) is not None


def set_rule_below(style: BaseStyle, color: str) -> None:
    """A line under a paragraph style's paragraphs, `color` as RRGGBB."""
    borders = _paragraph_property(style, "w:pBdr")
    for child in list(borders):
        borders.remove(child)
    rule = etree.SubElement(borders, qn("w:bottom"))
    for name, value in (("val", "single"), ("sz", "12"), ("space", "8"), ("color", color)):
        rule.set(qn(f"w:{name}"), value)


def set_style_numbering(style: BaseStyle, num_id: int) -> None:
    """Number a paragraph style's paragraphs with list `num_id` (0: not numbered)."""
    numbering = _paragraph_property(style, "w:numPr")
    for child in list(numbering):
        numbering.remove(child)
    etree.SubElement(numbering, qn("w:numId")).set(qn("w:val"), str(num_id))


def _paragraph_property(style: BaseStyle, tag: str) -> etree._Element:
    properties = style.element.get_or_add_pPr()
    element = properties.find(qn(tag))
    if element is None:
        element = properties.insert_element_before(OxmlElement(tag), *_after(_PPR_ORDER, tag))
    return element


def _after(order: tuple[str, ...], tag: str) -> tuple[str, ...]:
    """The elements that come after `tag` in a schema `order`: a new `tag` goes before them."""
    return order[order.index(tag) + 1 :]


# Children of w:rPr in schema order (ECMA-376 Part 1, CT_RPr).
_RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
# Children of w:pPr in schema order (ECMA-376 Part 1, CT_PPrBase): a new one goes before those
# that follow it. python-docx declares the order for the few children it has an API for.
_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def add_list(document: Document, name: str, number_format: str, text: str, indent: Length | None) -> int:
    """A one-level list definition, numbered `number_format` ("decimal", "upperLetter",
    "bullet") and shown as `text` ("%1", "Annex %1:"), with the text after the number at
    `indent`, or a space after it when None. Returns its w:numId."""
    numbering = _numbering_part(document).element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
    abstract = templates.element(
        templates.LIST,
        abstract_id=abstract_id,
        nsid=zlib.crc32(name.encode()),
        number_format=number_format,
        text=text,
        suffix=templates.LIST_SPACE if indent is None else "",
        indent="" if indent is None else templates.LIST_INDENT.format(twips=indent.twips),
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # every w:abstractNum comes before the w:num elements
    else:
        numbering.append(abstract)
    numbering.append(templates.element(templates.LIST_INSTANCE, num_id=num_id, abstract_id=abstract_id))
    return num_id


def _numbering_part(document: Document) -> XmlPart:
    try:
        # python-docx types a related part as a Part; the numbering part is its NumberingPart, an XmlPart
        return cast(XmlPart, document.part.part_related_by(RT.NUMBERING))
    except KeyError:  # a template without lists
        part = XmlPart(
            PackURI("/word/numbering.xml"), CT.WML_NUMBERING, templates.element(templates.NUMBERING), document.part.package
        )
        document.part.relate_to(part, RT.NUMBERING)
        return part


def add_table_style(document: Document, name: str, accent: str, band: str, replace: bool) -> None:
    """Add our table style, `name`, its heading row on `accent` and rows banded with `band`
    (RRGGBB), unless the document has a style of that name; with `replace`, put it in place
    of the document's."""
    styles = document.styles.element
    existing = next((s for s in styles.findall(qn("w:style")) if _style_name(s) == name), None)
    if existing is not None and not replace:
        return
    style = templates.element(templates.TABLE_STYLE, name=name, style_id=name.title().replace(" ", ""), accent=accent, band=band)
    if existing is not None:
        existing.addprevious(style)
        styles.remove(existing)
    else:
        styles.append(style)


def set_table_look(table: Table, first_row: bool, banded_rows: bool, first_column: bool = False) -> None:
    """Which parts of the table style apply: python-docx leaves Word's default, which also
    emphasises the first column; a table whose rows are headed by their first cell asks for it."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = etree.SubElement(table._tbl.tblPr, qn("w:tblLook"))
    # Each flag twice: as an attribute (Word 2010 on) and as a bit of the legacy w:val mask.
    mask = 0
    for attribute, bit, on in (
        ("firstRow", 0x20, first_row),
        ("lastRow", 0x40, False),
        ("firstColumn", 0x80, first_column),
        ("lastColumn", 0x100, False),
        ("noHBand", 0x200, not banded_rows),
        ("noVBand", 0x400, True),
    ):
        look.set(qn(f"w:{attribute}"), "1" if on else "0")
        mask |= bit if on else 0
    look.set(qn("w:val"), f"{mask:04X}")


def set_table_caption(table: Table, caption: str) -> None:
    """The table's own caption (w:tblCaption), which a screen reader announces with it; last
    of the table's properties, after w:tblLook, as the schema orders them."""
    element = etree.SubElement(table._tbl.tblPr, qn("w:tblCaption"))
    element.set(qn("w:val"), xml_text(caption))


def remove_paragraph_border(style: BaseStyle) -> None:
    properties = style.element.pPr
    borders = properties.find(qn("w:pBdr")) if properties is not None else None
    if borders is not None:
        properties.remove(borders)


def trim_template(document: Document, keep_table_styles: set[str]) -> None:
    """Drop what python-docx's template carries and a briefing never uses: the thumbnail of a
    blank page (a file manager would show it), an empty bibliography (custom XML), the Word 2010
    duplicate of the styles part, the ids of its authors' editing sessions, and some hundred
    table styles. Less to write, and each style lookup has less to scan."""
    for rels, reltype in (
        (document.part.package.rels, RT.THUMBNAIL),
        (document.part.rels, RT.CUSTOM_XML),
        (document.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for rel_id in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
            del rels[rel_id]
    page = document.sections[-1]._sectPr
    for revision in [name for name in page.attrib if etree.QName(name).localname.startswith("rsid")]:
        del page.attrib[revision]
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1":
            name = style.find(qn("w:name"))
            if name is None or name.get(qn("w:val")) not in keep_table_styles:
                styles.remove(style)


_PROPERTY_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
# The format id Office gives every property a user defines.
_USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# Extended properties a writer states without counting: what Word writes, with nothing about the
# machine or program. Statistics (pages, words) are left to the word processor, which counts them.
_EXTENDED_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><DocSecurity>0</DocSecurity>'
    b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def set_properties(document: Document, when: dt.datetime, custom: dict[str, str], **core: str) -> None:
    """The document's core, extended and custom properties, written fresh: the `core` ones
    given (title, subject, author, keywords, category; a blank one is left out), created and
    modified `when`, and `custom` as text properties. Nothing of what the package carried before
    stays: python-docx's blank says it was written by python-docx, in "Microsoft Macintosh
    Word", one page long."""
    package = document.part.package
    replace_part(
        package, RT.CORE_PROPERTIES, CorePropertiesPart, CT_CoreProperties.new(), "/docProps/core.xml", CT.OPC_CORE_PROPERTIES
    )
    properties = document.core_properties
    for name, value in core.items():
        if value:
            setattr(properties, name, value)
    properties.last_modified_by = core.get("author") or ""
    properties.created = properties.modified = when
    properties.revision = 1
    replace_part(package, RT.EXTENDED_PROPERTIES, Part, _EXTENDED_PROPERTIES, "/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES)
    root = etree.Element(f"{{{_CUSTOM_PROPERTIES}}}Properties", nsmap={None: _CUSTOM_PROPERTIES, "vt": _PROPERTY_TYPES})
    for pid, (name, value) in enumerate(custom.items(), start=2):  # ids 0 and 1 are reserved
        entry = etree.SubElement(root, f"{{{_CUSTOM_PROPERTIES}}}property", fmtid=_USER_DEFINED, pid=str(pid), name=name)
        etree.SubElement(entry, f"{{{_PROPERTY_TYPES}}}lpwstr").text = value
    replace_part(package, RT.CUSTOM_PROPERTIES, Part, xml_bytes(root), "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES)


def xml_bytes(element: etree._Element) -> bytes:
    """A part's bytes, as python-docx writes its own parts."""
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_part(
    owner: Part | Package,
    reltype: str,
    part_class: type[Part],
    content: bytes | etree._Element,
    name: str = "",
    content_type: str = "",
) -> Part:
    """A new part holding `content` (an element for an XmlPart, bytes for a Part) in place of
    the one `owner` (a part, or the package) relates to by `reltype`, under its name; or,
    where it has none, under `name` and `content_type`. A new part, not new content in the
    old one: python-docx's part objects keep what they parsed."""
    try:
        old = owner.part_related_by(reltype)
        name, content_type = old.partname, old.content_type
    except KeyError:
        pass
    for rel_id in [rid for rid, rel in owner.rels.items() if rel.reltype == reltype]:
        del owner.rels[rel_id]
    package = owner if isinstance(owner, OpcPackage) else owner.package
    part = part_class(PackURI(name), content_type, content, package)
    owner.relate_to(part, reltype)
    return part


def save_atomically(document: Document, path: Path, timestamp: dt.datetime, spilled: tuple[Spill, ...] = ()) -> None:
    """Write the .docx with every zip entry dated `timestamp`, so the same content gives the
    same bytes, and move it into place only once complete, so a failed build leaves the
    previous file as it was. Parts written out as they were made (`spilled`) are put back in
    their place as the package is written, never whole in memory. python-docx's package writer
    (as `Document.save` runs it) hands each entry straight to the dated zip: the package is
    compressed once, not zipped by python-docx and then unzipped and zipped again with dates."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    with (
        replacing(path) as temporary,
        open(temporary, "wb") as out,
        closing(DatedZip(out, timestamp, {spill.part: spill.put_back for spill in spilled})) as target,
    ):
        entries = cast(PhysPkgWriter, _Entries(target))  # as its zip writer is used: write(name, content)
        PackageWriter._write_content_types_stream(entries, parts)
        PackageWriter._write_pkg_rels(entries, package.rels)
        PackageWriter._write_parts(entries, parts)


class _Entries:
    """Where python-docx's package writer writes a package's entries (as to its zip): to `target`."""

    def __init__(self, target: DatedZip):
        self._target = target

    def write(self, name: PackURI, content: bytes) -> None:
        self._target.write(name.membername, content)


def fixed_zip(package: bytes, timestamp: dt.datetime) -> bytes:
    """The zip `package` with every entry dated `timestamp` and given the same attributes: the
    same content, the same bytes, whenever and wherever it is written."""
    out = io.BytesIO()
    write_dated(io.BytesIO(package), out, timestamp)
    return out.getvalue()


class Spill:
    """Blocks of a large part (the body's paragraphs and tables, the footnotes) written out to
    a temporary file once they are finished, and taken out of the tree, so that memory stays
    flat however long the briefing is: a tree of 100,000 paragraphs takes more than a
    gigabyte. A marker stands where they were; later blocks go after it; on saving, the part's
    XML is written with the blocks put back in place of the marker (`save_atomically`). The
    XML is the same, byte for byte, as the whole tree would give. A second sink (`passing`,
    the redline) is handed each block before it is written; a part that holds blocks another
    spill wrote out takes that spill's bytes for them (`share`), never serialising them again."""

    def __init__(self, parent: etree._Element, part: str):
        self.part = part  # the zip entry: word/document.xml
        self.marker = etree.ProcessingInstruction(_SPILLED)
        self._parent = parent
        # Blocks are serialised inside an empty stand-in for their parent, declaring what the
        # part's root declares, so that they come out as within the part: declaring nothing.
        self._shell = etree.Element(parent.tag, nsmap=parent.nsmap)
        self._shell_end = f"</{parent.prefix}:{etree.QName(parent).localname}>".encode()
        self._file = tempfile.TemporaryFile()
        # A second sink, chosen once: it is handed every block, in order, before the block is written.
        self.passing: Callable[[list], None] | None = None
        # What the part holds, in order, where it also holds blocks another spill wrote out (`share`):
        # stretches of this file or of the other's, (spill, from, to); then this file from `_own_from` on.
        self._pieces: list[tuple[Spill, int, int]] = []
        self._own_from = 0

    def start(self, before: etree._Element | None) -> None:
        """Put the marker before `before` (at the end, where None): blocks from there on may
        be written out."""
        if before is None:
            self._parent.append(self.marker)
        else:
            before.addprevious(self.marker)

    def write(self, blocks: list[etree._Element]) -> None:
        """Write `blocks` (elements: new ones, or the marker's next siblings in order) out;
        they leave the tree. They are serialised a few hundred at a time."""
        for block in blocks:
            if self.passing is not None:  # block by block: it may take what was written out before this one
                self.passing([block])
            if block.getparent() is None:
                self._shell.append(block)
            else:
                # Of the tree: lxml takes a block out of a tree in time that grows faster than
                # its size, but copies it in C, and lets it go at once once emptied.
                self._shell.append(block.__copy__())
                block.clear()
                self._parent.remove(block)
        if len(self._shell) >= WRITE_AT_ONCE:
            self._serialise()

    def _serialise(self) -> None:
        """Serialise the blocks waiting in the stand-in, in order, and let them go."""
        if not len(self._shell):
            return
        xml = etree.tostring(self._shell, encoding="UTF-8")
        self._file.seek(0, io.SEEK_END)
        self._file.write(memoryview(xml)[xml.index(b">") + 1 : len(xml) - len(self._shell_end)])
        for block in self._shell:
            block.clear()  # emptied one by one, the blocks' memory is given back at once; left whole, lxml keeps it
        del self._shell[:]

    def written(self) -> int:
        """Where the next block written out will start in the file: every block given so far serialised."""
        self._serialise()
        return self._file.seek(0, io.SEEK_END)

    def flush(self) -> None:
        """Every block given so far serialised and in the file itself, none in a buffer of this
        process: a forked child may go on writing after them."""
        self._serialise()
        self._file.flush()

    def share(self, source: Spill, start: int, end: int) -> None:
        """Blocks `source` wrote out, from `start` to `end` of its file, go next, as they are:
        the same blocks written out once, for two parts (a briefing and its redline)."""
        own = self.written()
        if own > self._own_from:
            self._pieces.append((self, self._own_from, own))
        self._pieces.append((source, start, end))
        self._own_from = own

    def put_back(self, xml: bytes, out: IO[bytes]) -> None:
        """Write the part's `xml` to `out`, the blocks written out in place of the marker."""
        end = self.written()
        before, after = xml.split(etree.tostring(self.marker), 1)
        out.write(before)
        for spill, start, stop in [*self._pieces, (self, self._own_from, end)]:
            spill._copy(start, stop, out)
        out.write(after)

    def _copy(self, start: int, end: int, out: IO[bytes]) -> None:
        self._file.seek(start)
        left = end - start
        while left:
            chunk = self._file.read(min(left, 1 << 20))
            out.write(chunk)
            left -= len(chunk)

    def close(self) -> None:
        self._file.close()


_SPILLED = "briefing-written-out"
# Blocks serialised in one call when written out: fewer calls, and little held at a time.
WRITE_AT_ONCE = 256


class PackageNames:
    """Names for new parts of a package, and relationship ids for new relationships, as
    python-docx gives them (the lowest number free: "/word/charts/chart3.xml", "rId12"), from
    what is taken counted once. python-docx walks every part for each new name and every
    relationship for each new one, which a briefing of thousands of charts paid for in
    quadratic time."""

    def __init__(self, package: OpcPackage):
        self._package = package
        self._names: set[str] | None = None  # the part names taken, counted when a name is first asked for
        self._lowest: dict[object, int] = {}  # a pattern, or a part's relationships -> the number to try first
        self._links: dict[int, dict[tuple[str, str], str]] = {}  # a part's relationships -> (kind, address) -> id

    @property
    def _taken(self) -> set[str]:
        if self._names is None:
            self._names = {str(part.partname) for part in self._package.iter_parts()}
        return self._names

    def next(self, pattern: str) -> PackURI:
        """A new part's name, by `pattern` ("/word/charts/chart%d.xml")."""
        number = self._lowest_free(pattern, lambda n: pattern % n in self._taken)
        return self.take(pattern % number)

    def take(self, name: str) -> PackURI:
        """Note `name` as taken, and return it as a part name."""
        self._taken.add(name)
        return PackURI(name)

    def __contains__(self, name: str) -> bool:
        return name in self._taken

    def relate(self, source: Part, target: Part, reltype: str) -> str:
        """Relate `source` to `target`, a new part it has no relationship with yet; its id."""
        rels = source.rels
        number = self._lowest_free(id(rels), lambda n: f"rId{n}" in rels)
        return rels.add_relationship(reltype, target, f"rId{number}").rId

    def link(self, source: Part, reltype: str, address: str) -> str:
        """The id of `source`'s relationship to the external `address` (a web page), added where
        it has none yet: the id python-docx's relate_to gives, from the part's external
        relationships read once."""
        rels = source.rels
        links = self._links.get(id(rels))
        if links is None:
            links = self._links[id(rels)] = {}
            for rel in rels.values():
                if rel.is_external:
                    links.setdefault((rel.reltype, rel.target_ref), rel.rId)  # the first, as python-docx finds it
        rel_id = links.get((reltype, address))
        if rel_id is None:
            number = self._lowest_free(id(rels), lambda n: f"rId{n}" in rels)
            rel_id = links[(reltype, address)] = rels.add_relationship(reltype, address, f"rId{number}", is_external=True).rId
        return rel_id

    def _lowest_free(self, key: object, taken: Callable[[int], bool]) -> int:
        """The lowest number from `key`'s last not `taken`: numbers are only ever taken."""
        number = self._lowest.get(key, 1)
        while taken(number):
            number += 1
        self._lowest[key] = number + 1
        return number


def page_properties(section: Section) -> CT_SectPr:
    """A section's page set-up, the w:sectPr element, to copy for a later section."""
    return section._sectPr


def take_page(section: Section, size_and_margins: list[etree._Element], first_page_header: bool) -> None:
    """Give `section` the page size and margins `size_and_margins` (w:pgSz and w:pgMar
    elements) in place of its own, none where the list lacks one; and, with
    `first_page_header`, a header and footer of its own on its first page."""
    properties = section._sectPr
    properties._remove_pgSz()
    properties._remove_pgMar()
    for element in size_and_margins:
        getattr(properties, f"_insert_{etree.QName(element).localname}")(element)
    properties.titlePg_val = first_page_header


# A section's header or footer, python-docx's proxy of it.
HeaderOrFooter = TypeVar("HeaderOrFooter", bound=_BaseHeaderFooter)


def emptied(part: HeaderOrFooter) -> HeaderOrFooter:
    """A header or footer with none of its content left (a template's text, say)."""
    element = part._element
    for child in list(element):
        element.remove(child)
    return part


def picture_run(drawing: etree._Element, rel_id: str, shape_id: int) -> CT_R:
    """A run showing `drawing` (a copy of a template's picture) with its image at `rel_id` of the
    part it goes into, and `shape_id` as its id, unique in the document."""
    drawing = copy.deepcopy(drawing)
    for blip in drawing.iter(qn("a:blip")):
        blip.set(qn("r:embed"), rel_id)
    for properties in drawing.iter(qn("wp:docPr")):
        properties.set("id", str(shape_id))
    run = OxmlElement("w:r")
    run.append(drawing)
    return run
