"""Where a briefing's blocks go as the renderer finishes them: counted for the page estimate
and, once the briefing is longer than a layout pass takes (so that its contents list will have
no page numbers), out of the tree to a file (`ooxml.Spill`), so that memory stays flat however
long the briefing. Until then, and for any document wanted whole, they stay in the tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol, TypeAlias

from docx.document import Document
from docx.shared import Length
from docx.text.paragraph import Paragraph
from lxml import etree

from . import contents, ooxml

# An element of a part's tree; lxml ships no types of its own (mypy reads it as Any).
Element: TypeAlias = etree._Element


class Redlining(Protocol):
    """The second sink of a briefing's blocks (`redline.Redline`): every block as it is
    finished, in order, then the rest of the document once the briefing is saved."""

    def follow(
        self,
        document: Document,
        names: ooxml.PackageNames,
        keys: dict[Element, tuple[object, ...]],
        note_texts: dict[str, str],
        note_saying: Callable[[str, str], Element],
    ) -> None:
        """The document being rendered, what names its new parts and relationships, which item
        each block prints and what each footnote says (by id), noted as they are made; and
        what makes a footnote as the briefing's are made, from its id and text."""

    def shares(self, body: ooxml.Spill, notes_beside: bool = False) -> None:
        """The briefing's blocks are written out to `body` from now on: the redline may share
        them. With `notes_beside`, its notes, as the briefing's, are made by a forked child."""

    def blocks(self, elements: list[Element]) -> None:
        """Finished body blocks, in order, as they leave for the briefing's file."""

    def finish(self, first_heading: Element, timestamp: dt.datetime) -> None:
        """The briefing is saved: take in the blocks left in the tree, and write the redline."""


class WritingOut:
    """The page count of the body as its blocks are finished, and the moment its blocks start
    leaving the tree; the headings (python-docx paragraphs, in the outline's order) are
    bookmarked for the contents list before they leave. With `wanted` False the document
    stays whole: nothing is counted until the end, nothing written out. With `notes_beside`,
    the footnotes written out are made by a forked child, where one may be."""

    def __init__(
        self,
        document: Document,
        body: ooxml.Body,
        footnotes: ooxml.Footnotes,
        headings: list[Paragraph],
        text_width: Length,
        text_height: Length,
        wanted: bool,
        notes_beside: bool = False,
    ):
        self._document, self._body, self._footnotes, self._headings = document, body, footnotes, headings
        self._text_width, self._text_height = text_width, text_height
        self.wanted = wanted
        self._notes_beside = notes_beside  # once written out, the notes are made by a child (`ooxml.Footnotes.write_out`)
        self.spilled: tuple[ooxml.Spill, ...] = ()
        self.redline: Redlining | None = None  # the second sink of the blocks written out, if any
        self.bookmarked = 0  # the headings (by number) bookmarked as they were written out
        self._pages = contents.PageCount(document, text_width, text_height) if wanted else None
        self._counted = None  # the last block counted
        self._unsettled = 0

    @property
    def _page_count(self) -> contents.PageCount:
        """The running page count, which only a briefing that may be written out keeps."""
        if self._pages is None:
            raise RuntimeError("pages are counted only where writing out is wanted")
        return self._pages

    def settle(self, every: int = 0) -> None:
        """Count the blocks finished since last time for the contents estimate and, once the
        briefing is past what a layout pass takes, write them out of the tree. With `every`,
        only when that many blocks wait. The last block is left: a section break may yet end
        it (`ooxml.end_section`)."""
        if not self.wanted:
            return
        self._unsettled += 1
        if every and self._unsettled < every:
            return
        self._unsettled = 0
        if self.spilled:
            self._body.write_waiting(keep_last=True)  # counted on their way
            return
        blocks = self._unsettled_blocks(last=False)
        if not blocks:
            return
        self._count(blocks)
        # Past both lengths: a contents list is certain, whose headings are bookmarked as they go.
        if self._page_count.pages > max(contents.LAY_OUT_UP_TO_PAGES, contents.CONTENTS_FROM_PAGES):
            self._start()

    def heading_added(self) -> None:
        """A part's heading was added: bookmarked now if it may be written out with the next block."""
        if self.spilled:
            self._bookmark_headings()

    def estimated_pages(self) -> int:
        """About how many pages the finished briefing prints on (`contents.estimated_pages`)."""
        if not self.spilled:
            return contents.estimated_pages(self._document, self._text_width, self._text_height)
        self._body.finish_writing_out()
        self._count(self._unsettled_blocks(last=True))
        return self._page_count.pages

    def first_heading(self) -> Element:
        """Where the first part starts, for the contents list to go before: its heading, or
        where the blocks written out stand in the tree."""
        first = self._headings[0]._p
        return self.spilled[0].marker if self.spilled and first.getparent() is None else first

    def _start(self) -> None:
        """From here on, blocks leave the tree for a file as they are finished (`ooxml.Spill`):
        at once those from the first heading on, counted already; the cover stays."""
        body = ooxml.Spill(self._document.element.body, "word/document.xml")
        footnotes = ooxml.Spill(self._footnotes.element, "word/footnotes.xml")
        body.start(self._headings[0]._p)
        footnotes.start(self._footnotes.first_note())
        if self.redline is not None:
            body.passing = self.redline.blocks
            self.redline.shares(body, self._notes_beside)
        self.spilled = (body, footnotes)
        self._bookmark_headings()
        self._footnotes.write_out(footnotes, beside=self._notes_beside)
        body.write(self._unsettled_blocks(last=False))
        self._body.write_out(body, self._count_written)

    def _bookmark_headings(self) -> None:
        """Bookmark the headings not yet bookmarked, for the contents list to link to, before
        they are written out."""
        for number, heading in enumerate(self._headings, start=1):
            if number > self.bookmarked:
                ooxml.bookmark(heading, contents.bookmark_name(number), number)
                self.bookmarked = number

    def _unsettled_blocks(self, last: bool) -> list:
        """The body's blocks not yet counted, the last of them only with `last`."""
        start = self.spilled[0].marker if self.spilled else self._counted
        end = self._document.element.body.sectPr
        blocks = list(start.itersiblings()) if start is not None else list(self._document.element.body)
        blocks = blocks[: blocks.index(end)] if end in blocks else blocks
        return blocks if last else blocks[:-1]

    def _count(self, blocks: list) -> None:
        """Add `blocks` to the running page count, with the footnotes they cite."""
        self._page_count.add(blocks, {note: self._note_height(note) for block in blocks for note in ooxml.cited_notes(block)})
        if blocks:
            self._counted = blocks[-1]

    def _count_written(self, written: list[Element] | ooxml.MeasuredParagraph | ooxml.MeasuredTable) -> None:
        """Add what the body wrote out to the running page count: blocks of the tree, or a
        paragraph or table measured as it was made."""
        if isinstance(written, ooxml.MeasuredParagraph):
            self._page_count.add_paragraph(written.style_id, written.length, sum(map(self._note_height, written.notes)))
        elif isinstance(written, ooxml.MeasuredTable):
            self._page_count.add_table([(cells, sum(map(self._note_height, notes))) for cells, notes in written.rows])
        else:
            self._count(written)

    def _note_height(self, note_id: str) -> float:
        return self._page_count.note_height(self._footnotes.lengths[note_id])
