"""Render the briefing's content as a Word document.

Every piece of formatting is a named style (`housestyle`), so the look changes in one place,
or in Word by editing a template. Rendering knows nothing of Excel: it reads only
`items.Briefing`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import cast

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Length
from docx.text.paragraph import Paragraph
from lxml import etree

from .. import forked, languages
from ..briefing import wording
from ..briefing.items import Briefing, Chart, Citation, Figure, OutlookItem, OutlookKind, Part, PartRole, Statement, StatementKind
from ..formats import format_date
from . import blank, charts, contents, customxml, frame, housestyle, ooxml, pdf
from .citations import Citations, SaidOf
from .marks import Marks, OpenComment
from .writing_out import Element, Redlining, WritingOut

# Which item a block prints: (part's role, its chapter's section id, kind, item id, occurrence).
ItemKey = tuple[object, ...]
# The note of each figure said so far: where the redline and the renderers of both editions ask
# for one, it is worked out once.
FigureNotes = SaidOf[str]

# Level-1 headings; \u takes in the styles based on Heading 1 (the unnumbered and annex ones).
CONTENTS_FIELD = 'TOC \\o "1-1" \\h \\z \\u'
# Table text is 9 pt, some six characters to the centimetre: near enough to tell that a
# table's cells would run long on a portrait page.
CHARS_PER_CM = 6.0
WIDE_LINES = 3
# An annex of this many entries or fewer takes less than half a page: it follows on the page
# before rather than leaving most of one blank.
SHORT_ANNEX = 12
# The changes' bullets that keep together at the start of the list, with its heading, and at its end.
KEPT_TOGETHER = 4
NO_LAYOUT = (
    "The contents list has no page numbers: they come from laying the pages out with LibreOffice and "
    "poppler, which this machine lacks or which failed (Debian and Ubuntu: apt-get install "
    "libreoffice-writer-nogui poppler-utils). In Word, right-click the list and choose Update Field to add them."
)
TOO_LONG_TO_LAY_OUT = (
    "The contents list has no page numbers: at some {pages} pages, laying the briefing out to find "
    "them would take longer than building it. In Word, right-click the list and choose Update Field to add them."
)


def write(
    briefing: Briefing,
    path: Path,
    template: Path | None = None,
    snapshot: Callable[[], bytes] | None = None,
    workbook_name: str = "",
    carried: tuple[OpenComment, ...] = (),
    redline: Redlining | None = None,
    figure_notes: FigureNotes | None = None,
) -> Rendered:
    """Build the .docx for `briefing` and put it at `path` in one step. The styles, page and
    header and footer look come from `template` (a .docx) when given. The edition's snapshot,
    which `snapshot` gives once the briefing is rendered (it may be made meanwhile), goes
    inside, as the document's own custom XML part (`customxml`). Returns what
    was rendered, with what the user should know of it (a contents list left without page
    numbers, say). A long briefing is written out as it is made, so that memory stays flat.
    Each item's text is bookmarked (`marks`), listed in a part named for `workbook_name`, and
    the `carried` comments of a review are put back on their items; `Rendered.unplaced` holds
    those whose item is gone. With `redline`, every finished block also goes there, keyed by
    the item it prints, and the redline is finished once the briefing is saved. The figures'
    notes said already are taken from `figure_notes`, and those said now go there."""
    renderer = _Renderer(
        briefing, template, write_out=True, carried=carried, keyed=redline is not None, figure_notes=figure_notes
    )
    if redline is not None:
        redline.follow(
            renderer.document,
            renderer.body.names,
            renderer.items.keys,
            renderer.footnotes.keep_texts(),
            renderer.footnotes.note_saying,
        )
        renderer.writing_out.redline = redline
    try:
        rendered = Rendered(
            renderer.render(),
            renderer.items.keys,
            renderer.timestamp,
            tuple(renderer.notes),
            tuple(renderer.marks.unplaced),
        )
        renderer.footnotes.written()
        if snapshot is not None:
            customxml.embed(rendered.document, snapshot())
        renderer.marks.embed(rendered.document, workbook_name)
        ooxml.save_atomically(rendered.document, Path(path), rendered.timestamp, renderer.writing_out.spilled)
        if redline is not None:
            redline.finish(renderer.writing_out.first_heading(), rendered.timestamp)
    finally:
        renderer.footnotes.close()
        for spill in renderer.writing_out.spilled:
            spill.close()
    return rendered


@dataclass(frozen=True)
class Rendered:
    """A briefing rendered: its document, dated `timestamp`, and which item each paragraph,
    table and table row prints, where it is one: (part's role, its chapter's section id, kind,
    item id, occurrence). The redline (`redline`) matches two editions' documents by these; a
    briefing written out with no redline (`write`) has none. `notes` say what the user should
    know of the result."""

    document: Document
    keys: dict[Element, ItemKey]
    timestamp: dt.datetime
    notes: tuple[str, ...] = ()
    unplaced: tuple[OpenComment, ...] = ()  # comments carried over whose item is gone


def render(briefing: Briefing, template: Path | None = None) -> Rendered:
    """The briefing rendered whole, in memory, each block keyed by the item it prints."""
    renderer = _Renderer(briefing, template, keyed=True)
    return Rendered(renderer.render(), renderer.items.keys, renderer.timestamp, tuple(renderer.notes))


@dataclass(frozen=True)
class Previous:
    """The previous edition as the redline needs it: rendered only where it may differ. The
    blocks of an item `unchanged` since are never made: a placeholder (`skipped`, a processing
    instruction) stands where each would be, with the text of its footnotes (`skipped_notes`),
    so that the redline knows where what was withdrawn stood and can tell a note reworded."""

    document: Document
    keys: dict[Element, ItemKey]
    skipped: dict[Element, ItemKey]
    skipped_notes: dict[ItemKey, list[str]]
    first_heading: Element
    footnotes: ooxml.Footnotes
    list_contents: Callable[[], None]  # adds the contents list, without page numbers, before the first heading


def previous(
    briefing: Briefing, template: Path | None, unchanged: Callable[[ItemKey], bool], figure_notes: FigureNotes
) -> Previous:
    """The previous edition `briefing`, rendered whole but for the items `unchanged` since (see
    `Previous`), without a contents list until one is asked for; its figures' notes as `write` takes them."""
    renderer = _Renderer(briefing, template, keyed=True, unchanged=unchanged, figure_notes=figure_notes)
    document = renderer.render()
    # Neither the renderer nor the edition's content is kept: only the document and what lists its contents.
    body, first = renderer.body, renderer.headings[0]._p
    entries = [(part.listed, contents.bookmark_name(number)) for number, part in enumerate(briefing.outline, start=1)]

    def list_contents() -> None:
        with body.inserting_before(first):
            body.paragraph("TOC Heading", wording.CONTENTS)
            ooxml.add_contents(body, CONTENTS_FIELD, "toc 1", entries, None)

    return Previous(
        document,
        renderer.items.keys,
        renderer.items.skipped,
        renderer.items.skipped_notes,
        first,
        renderer.footnotes,
        list_contents,
    )


@dataclass(frozen=True)
class _Column:
    heading: str
    share: float  # of the line's width, in proportion to the other columns
    numeric: bool = False


@dataclass(frozen=True)
class _MadeUp:
    """A blank document made up in the house style, in a template's look if given, saved as a
    package: each renderer opens its own copy of it, in a fifteenth of the time making one up
    takes (1.5 ms against 23), which a build with a previous edition does twice."""

    package: bytes
    fonts: dict[str, housestyle.Face]
    pictures: list[blank.Picture]
    left_out: list[str]


# The blanks made up so far in this process, by the template (its file as it is: device, inode,
# size and time of change, never its name alone; None for none) and the paper.
_MADE_UP: dict[tuple[object, str | None], _MadeUp] = {}
_MADE_UP_KEPT = 8


def _made_up(template: Path | None, paper: str | None) -> _MadeUp:
    """The blank made up for `template` and `paper`: made once, then kept while the template's
    file stays as it was."""
    key: tuple[object, str | None] | None = (None, paper)
    if template is not None:
        try:
            found = os.stat(template)
        except OSError:  # not kept: blank.document says what is wrong with it
            key = None
        else:
            key = ((found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns), paper)
    made = _MADE_UP.get(key) if key is not None else None
    if made is None:
        fresh = blank.document(template)
        document = cast(Document, fresh.document)
        ooxml.trim_template(document, keep_table_styles={housestyle.TABLE_STYLE})
        page = frame.set_up(document, paper, from_template=template is not None)
        fonts = housestyle.apply(document, template is not None, page.text_width, page.wide_text_width)
        package = io.BytesIO()
        document.save(package)
        made = _MadeUp(package.getvalue(), fonts, fresh.pictures, fresh.left_out)
        if key is not None:
            if len(_MADE_UP) >= _MADE_UP_KEPT:
                _MADE_UP.clear()
            _MADE_UP[key] = made
    return made


# Blocks written out at a time, at most: a chapter of thousands of statements is not held whole.
WRITE_OUT_EVERY = 500


class _ItemKeys:
    """Which item each paragraph, table and table row prints (see `Rendered`), noted as the
    renderer makes them where they are `wanted`: only the redline matches items. Rendering the
    previous edition for a redline, the blocks of items `unchanged` since are left out, each
    a placeholder in its place (`skip`)."""

    def __init__(self, wanted: bool, unchanged: Callable[[ItemKey], bool] | None = None):
        self.wanted = wanted
        self.keys: dict[Element, ItemKey] = {}
        self.place: tuple[PartRole, str | None] | tuple[()] = ()  # the part being rendered: its role, its chapter's section id
        self._occurrences: dict[tuple[object, ...], int] = {}
        self._unchanged = unchanged
        self.skipped: dict[Element, ItemKey] = {}  # a placeholder -> the key of the block left out there
        self.skipped_notes: dict[ItemKey, list[str]] = {}  # the text of each footnote a block left out cited

    def note(self, element: Element, kind: str, item_id: str | None = "") -> None:
        """Note that `element` prints the item of `kind` and `item_id` (its nth time)."""
        if self.wanted:
            self.keys[element] = self._next(kind, item_id)

    def _next(self, kind: str, item_id: str | None) -> ItemKey:
        stem = (*self.place, kind, item_id)
        occurrence = self._occurrences.get(stem, 0)
        self._occurrences[stem] = occurrence + 1
        return (*stem, occurrence)

    def skips(self, kind: str, item_id: str | None) -> bool:
        """Whether the next block of the item is left out: it is unchanged since the previous edition."""
        if self._unchanged is None:
            return False
        stem = (*self.place, kind, item_id)
        return self._unchanged((*stem, self._occurrences.get(stem, 0)))

    def skip(self, before: Element | None, parent: Element | None, kind: str, item_id: str | None, notes: list[str]) -> None:
        """Leave the item's next block out: a placeholder goes `before` an element, or at the end
        of `parent`, with the text of the footnotes it would have cited. Where a placeholder stands
        there already, it stands for this block too: of a run of blocks left out, the redline
        reads only the last (what follows it follows them all)."""
        key = self._next(kind, item_id)
        if notes:
            self.skipped_notes[key] = notes
        last = before.getprevious() if before is not None else parent[-1] if parent is not None and len(parent) else None
        if last is not None and last in self.skipped:
            self.skipped[last] = key
            return
        placeholder = etree.ProcessingInstruction(SKIPPED)
        if before is not None:
            before.addprevious(placeholder)
        elif parent is not None:
            parent.append(placeholder)
        self.skipped[placeholder] = key


# What stands for a block left out of the previous edition (`_ItemKeys.skip`).
SKIPPED = "left-out"


@dataclass(slots=True)
class _Marking:
    """What `Body.paragraph` is given to mark a paragraph it makes (`ooxml.Marking`): which
    item it prints, noted where the `items` are keyed (for the redline), and, with `marks`, its
    `field`'s text, `printed`, bookmarked (`Marks.mark`), in the bookmark the paragraph was made
    with where there is one. One is made for most paragraphs: not frozen, it is made in a
    fifth of the time."""

    marks: Marks | None
    kind: str
    item_id: str | None
    field: str = ""
    printed: str = ""
    cell_text: str | None = None
    items: _ItemKeys | None = None

    def __call__(self, paragraph: Element, placed: ooxml.Bookmark | None = None) -> None:
        if self.items is not None:
            self.items.note(paragraph, self.kind, self.item_id)
        if self.marks is not None:
            self.marks.mark(paragraph, self.kind, self.item_id, self.field, self.printed, self.cell_text, placed)


class _Renderer:
    """Renders the briefing's parts, block by block, into the document: what goes where. Where
    the blocks go (`WritingOut`) and which item each prints (`_ItemKeys`) are kept apart."""

    def __init__(
        self,
        briefing: Briefing,
        template: Path | None,
        write_out: bool = False,
        carried: tuple[OpenComment, ...] = (),
        keyed: bool = False,
        unchanged: Callable[[ItemKey], bool] | None = None,
        figure_notes: FigureNotes | None = None,
    ):
        self.briefing = briefing
        self.figure_notes = figure_notes
        # The document is dated by its content, never by the clock: same workbook, same bytes.
        self.timestamp = dt.datetime.combine(briefing.as_of, dt.time())
        made = _made_up(template, briefing.paper)
        self.document = docx.Document(io.BytesIO(made.package))
        # The page as made up, read again: its section properties are this copy's own.
        self.page = frame.set_up(self.document, briefing.paper, from_template=template is not None)
        self.fonts = made.fonts
        ooxml.set_language(self.document, briefing.language)
        self.marking = (wording.marking_label(briefing.marking, briefing.tlp), housestyle.marking_style(briefing.tlp))
        self.body = ooxml.Body(self.document, briefing.language)
        self.frames = frame.Frames(self.document, self.body, made.pictures, briefing.title, self.marking)
        self.footnotes = ooxml.Footnotes(self.body, "footnote text", "footnote reference")
        self.citations = Citations(briefing.sources)
        self.tables = 0
        self.figures = 0
        self.items = _ItemKeys(keyed, unchanged)  # only the redline matches items
        # The previous edition, rendered for a redline, only where it may differ: no contents list unless asked.
        self.previous = unchanged is not None
        self._end = self.document.element.body.sectPr  # the body's own section properties, its last child
        self.headings: list[Paragraph] = []  # each part's heading paragraph, in the outline's order
        # Each item's text bookmarked; ids after the contents list's, which number the parts from 1.
        self.marks = Marks(len(briefing.outline) + 1, carried)
        self.notes: list[str] = list(made.left_out)
        # A long briefing's notes made by a child while this process renders the rest.
        notes_beside = sum(len(section.statements) for section in briefing.sections) >= forked.BESIDE_FROM_STATEMENTS
        self.writing_out = WritingOut(
            self.document,
            self.body,
            self.footnotes,
            self.headings,
            self.page.text_width,
            self.page.text_height,
            wanted=write_out,
            notes_beside=notes_beside,
        )
        self._shape_id: int | None = None  # the last drawing's id, counted once the first chart is added

    def render(self) -> Document:
        self.frames.put_on(self.document.sections[-1], "Footer")
        self._cover()
        parts = {
            PartRole.KEY_JUDGEMENTS: self._key_judgements,
            PartRole.CHANGES: self._changes,
            PartRole.BOTTOM_LINE: self._bottom_line,
            PartRole.CHAPTER: self._section,
            PartRole.OUTLOOK: self._outlook,
            PartRole.CHRONOLOGY: self._chronology,
            PartRole.SOURCES: self._sources,
        }
        for part in self.briefing.outline:
            self.items.place = (part.role, part.section.id if part.section else None)
            parts[part.role](part)
            if part.explains_judgements:
                self._scale()
            self.writing_out.settle()
        self._properties()
        if not self.previous:
            self._contents()
        return self.document

    # --- frame ---------------------------------------------------------------------------------

    def _properties(self) -> None:
        """The document's properties, from the Briefing sheet alone. A property holds 255
        characters at most (python-docx refuses more); the cover shows the whole text."""
        b = self.briefing
        marking = b.marking[:255]
        ooxml.set_properties(
            self.document,
            self.timestamp,
            {"Marking": marking},
            title=b.title[:255],
            subject=(b.subtitle or "")[:255],
            author=(b.prepared_by or "")[:255],
            keywords=marking,
            category="Briefing",
            language=b.language,
        )

    # --- front matter --------------------------------------------------------------------------

    def _cover(self) -> None:
        b = self.briefing
        self.body.paragraph("Cover Marking", self.marking)
        self.body.paragraph("Title", b.title, marking=self._marking("briefing", "title", "value", b.title))
        if b.subtitle:
            self.body.paragraph("Subtitle", b.subtitle, marking=self._marking("briefing", "subtitle", "value", b.subtitle))
        self.body.paragraph("Cover Details", (wording.AS_OF, "Strong"), format_date(b.as_of))
        if b.edition:
            self.body.paragraph("Cover Details", (wording.EDITION, "Strong"), b.edition)
        if b.prepared_by:
            self.body.paragraph("Cover Details", (wording.PREPARED_BY, "Strong"), b.prepared_by)
        if b.changes is None:
            self.body.paragraph("Cover Details", wording.FIRST_EDITION)
        if b.scope_note:
            self.body.paragraph(
                "Scope Note",
                (wording.SCOPE, "Strong"),
                b.scope_note,
                marking=self._marking("briefing", "scope_note", "value", b.scope_note),
            )
        if b.tlp:  # at the foot of the cover, as a distribution statement goes
            self.body.paragraph("Handling Note", (wording.HANDLING_LABEL, "Strong"), wording.HANDLING[b.tlp])

    def _contents(self) -> None:
        """The contents list, after the cover, for a briefing long enough to want one: each
        part linked to its heading, with its page where LibreOffice can lay the pages out."""
        estimate = self.writing_out.estimated_pages()
        if estimate < contents.CONTENTS_FROM_PAGES:
            return
        entries = []
        for number, (part, heading) in enumerate(zip(self.briefing.outline, self.headings), start=1):
            bookmark = contents.bookmark_name(number)
            if number > self.writing_out.bookmarked:
                ooxml.bookmark(heading, bookmark, number)
            entries.append((part.listed, bookmark))
        first = self.writing_out.first_heading()
        with self.body.inserting_before(first):
            self.body.paragraph("TOC Heading", wording.CONTENTS)
            # Laid out once with stand-in numbers as wide as the real ones, then given the real ones.
            stand_in = [estimate] * len(entries)
            listed = ooxml.add_contents(self.body, CONTENTS_FIELD, "toc 1", entries, stand_in)
        pages = self._part_pages(estimate)
        for element in listed:
            body = element.getparent()
            if body is not None:
                body.remove(element)
        with self.body.inserting_before(first):
            ooxml.add_contents(self.body, CONTENTS_FIELD, "toc 1", entries, pages)

    def _part_pages(self, estimate: int) -> list[int] | None:
        """The page each part starts on, from a layout of the document as it stands; None,
        with a note saying why, where there is none to be had."""
        if estimate > contents.LAY_OUT_UP_TO_PAGES:
            self.notes.append(TOO_LONG_TO_LAY_OUT.format(pages=estimate))
            return None
        buffer = io.BytesIO()
        self.marks.comments_in(self.document)
        self.document.save(buffer)
        pages = pdf.part_pages(buffer.getvalue(), timeout=contents.layout_seconds(estimate))
        if pages is None or len(pages) != len(self.headings):
            self.notes.append(NO_LAYOUT)
            return None
        return pages

    def _heading(self, style: str, part: Part) -> Paragraph:
        """A part's level-1 heading, which the contents list links to."""
        heading = _made(self.body.paragraph(style, part.heading))
        self.headings.append(heading)
        self.writing_out.heading_added()
        return heading

    def _key_judgements(self, part: Part) -> None:
        """The desk's key judgements, numbered, each with its likelihood and confidence spelled
        out and the sources it rests on."""
        self._heading("Heading Unnumbered", part)
        self.body.paragraph("Intro", wording.KEY_JUDGEMENTS_LEAD)
        for judgement in self.briefing.key_judgements:
            if self.items.skips("statement", judgement.id):
                self._skip("statement", judgement.id, [self.citations.note(judgement.citation)])
                self._skip("statement", judgement.id)
                continue
            paragraph = _made(
                self.body.paragraph(
                    "Key Judgement", judgement.text, marking=self._marking("statement", judgement.id, "text", judgement.text)
                )
            )
            self._keyed(paragraph, "statement", judgement.id)
            self._cite(paragraph, judgement.citation)
            grades = self.body.paragraph(
                "Judgement Grades",
                (wording.judgement_grades(judgement), "Strong"),
                wording.judgement_basis(judgement, self.citations.numbered([judgement.citation])),
            )
            self._keyed(_made(grades), "statement", judgement.id)

    def _changes(self, part: Part) -> None:
        """What changed since the previous edition, a bullet each. The first few bullets keep
        with the heading and the last few together, so that no page holds only a few of
        them: a short list stands on one page, whole."""
        changes = self.briefing.changes
        if changes is None:
            raise ValueError("a first edition has no changes part")
        self._heading("Changes Heading", part)
        if changes.lead:
            self.body.paragraph("Body Text", changes.lead, keep_with_next=bool(changes.items))
        last = len(changes.items) - 1
        for n, item in enumerate(changes.items):
            kept = n < last and (n < KEPT_TOGETHER - 1 or n > last - KEPT_TOGETHER)
            self.body.paragraph("List Bullet", item, keep_with_next=kept)

    def _scale(self) -> None:
        """What the words of likelihood and of confidence mean, as the yardstick's table gives them."""
        self.body.paragraph("Heading 2", wording.SCALE_HEADING)
        self.body.paragraph("Body Text", wording.LIKELIHOOD_NOTE[self.briefing.yardstick])
        terms, synonyms, bands = zip(*wording.likelihood_scale(self.briefing.yardstick))
        term, synonym, band = wording.SCALE_ROWS
        self._grid(
            wording.LIKELIHOOD_CAPTION,
            [_Column(term, 1.1), *(_Column(t, 1.0) for t in terms)],
            [[synonym, *synonyms], [band, *bands]],
            self.page.text_width,
            centred=True,
            row_headings=True,
        )
        self.body.paragraph("Scale Note", wording.CONFIDENCE_NOTE)
        heading, meaning = wording.CONFIDENCE_HEADINGS
        self._grid(
            wording.CONFIDENCE_CAPTION,
            [_Column(heading, 1.0), _Column(meaning, 3.0)],
            [list(row) for row in wording.confidence_scale()],
            self.page.text_width,
        )

    def _bottom_line(self, part: Part) -> None:
        b = self.briefing
        self._heading("Heading Unnumbered", part)
        self.body.paragraph("Summary", b.summary, marking=self._marking("briefing", "summary", "value", b.summary))
        if b.key_points:
            self.body.paragraph("Heading 2", wording.KEY_POINTS)
            for statement in b.key_points:
                self._statement(statement, style="List Bullet")
        if b.key_figures:
            self.body.paragraph("Heading 2", wording.KEY_FIGURES)
            self._figure_table(b.key_figures, wording.KEY_FIGURES)
        self.body.paragraph("Heading 2", wording.SOURCES_AND_CONFIDENCE)
        for text in wording.sourcing_note(b.sourcing):
            self.body.paragraph("Body Text", text)

    # --- chapters ------------------------------------------------------------------------------

    def _section(self, part: Part) -> None:
        section = part.section
        if section is None:
            raise ValueError("a chapter renders its section")
        heading = self._heading("Heading 1", part)
        self._keyed(heading, "section", section.id)
        if section.id is not None:
            self._mark(heading._p, "section", section.id, "heading", section.heading)
        if section.intro:
            marking = self._marking("section", section.id, "intro", section.intro) if section.id is not None else None
            intro = _made(self.body.paragraph("Intro", section.intro, marking=marking))
            self._keyed(intro, "section", section.id)
            if section.intro_citation:
                self._cite(intro, section.intro_citation)
        for statement in section.statements:
            self._statement(statement)
            self.writing_out.settle(every=WRITE_OUT_EVERY)
        if section.figures:
            self._figure_table(section.figures, wording.figures_caption(section.heading))
        for chart in section.charts:
            self._chart(chart)
        if section.events:
            self.body.paragraph("Heading 2", wording.EVENTS)  # under the chapter's Heading 1: no level skipped
            for event in section.events:
                if self.items.skips("event", event.id):
                    self._skip("event", event.id, [self.citations.note(event.citation)])
                    continue
                self.body.paragraph(
                    "List Bullet",
                    (event.date.display(), "Strong"),
                    f" {wording.DASH} ",
                    event.text,
                    notes=(self.citations.note(event.citation),),
                    complete=True,
                    marking=self._marking("event", event.id, "event", event.text, keyed=True),
                )

    def _statement(self, statement: Statement, style: str | None = None) -> None:
        if self.items.skips("statement", statement.id):
            self._skip("statement", statement.id, [self.citations.note(statement.citation)])
            if statement.translation:
                self._skip("statement", statement.id)
            return
        if statement.kind == StatementKind.QUOTE:
            # One pair of quotation marks, the quote's own language's; its words tagged with that
            # language, which also sets a right-to-left quote right to left.
            style = style or "Quote"
            printed = languages.quoted(statement.text, statement.language)
            runs: list[ooxml.Run] = [(printed, None, statement.language), (wording.quote_attribution(statement), "Attribution")]
        else:
            printed = statement.text
            label = wording.statement_label(statement)
            # An assessment's confidence follows in a sentence of its own, apart from its likelihood.
            confidence = [f" {wording.confidence_sentence(statement)}"] if statement.kind == StatementKind.ASSESSMENT else []
            style, runs = style or "Body Text", [*([(label, "Label")] if label else []), statement.text, *confidence]
        self.body.paragraph(
            style,
            *runs,
            notes=(self.citations.note(statement.citation),),
            keep_with_next=bool(statement.translation),
            complete=True,  # on the page of its translation
            marking=self._marking("statement", statement.id, "text", printed, statement.text, keyed=True),
        )
        if statement.translation:
            self.body.paragraph(
                "Quote Translation",
                wording.translation(statement),
                complete=True,
                marking=self._marking("statement", statement.id, keyed=True),
            )

    def _outlook(self, part: Part) -> None:
        """Indicators to watch, under the key judgement each bears on; then the gaps in what the
        desk knows, and the alternative views."""
        self._keyed(self._heading("Heading 1", part), "section", "outlook")
        outlook = self.briefing.outlook
        indicators = [item for item in outlook if item.kind == OutlookKind.INDICATOR]
        if indicators:
            self.body.paragraph("Heading 2", wording.INDICATORS)
            judgements = list(dict.fromkeys(item.bears_on for item in indicators))
            for judgement in judgements:
                if judgement is not None:
                    self.body.paragraph("Body Text", (judgement.text, "Strong"), keep_with_next=True)
                for item in indicators:
                    if item.bears_on is judgement:
                        self._outlook_item(item)
        for kind, heading in ((OutlookKind.GAP, wording.GAPS), (OutlookKind.ALTERNATIVE, wording.ALTERNATIVES)):
            items = [item for item in outlook if item.kind == kind]
            if items:
                self.body.paragraph("Heading 2", heading)
                for item in items:
                    self._outlook_item(item)

    def _outlook_item(self, item: OutlookItem) -> None:
        notes = (self.citations.note(item.citation),) if item.citation else ()
        self.body.paragraph(
            "List Bullet",
            wording.outlook_line(item),
            notes=notes,
            complete=True,
            marking=self._marking("outlook", item.id, keyed=True),
        )

    def _figure_table(self, figures: tuple[Figure, ...], caption: str) -> None:
        """Figures with their values as the sources qualify them, and a note column saying
        whom each source credits and which other values disagree, wherever any row has one."""
        notes = [figure_note(f, self.figure_notes) for f in figures]
        with_notes = any(notes)
        columns = [
            _Column("Indicator", 6.0 if with_notes else 9.8),
            _Column("Value", 2.0, numeric=True),
            _Column("Unit", 2.0),
            _Column("Period", 2.4),
        ] + ([_Column("Note", 4.0)] if with_notes else [])
        rows = [
            [(f.indicator, f.citation), wording.figure_value(f), f.unit, f.period] + ([note] if with_notes else [])
            for f, note in zip(figures, notes)
        ]
        marked: list[tuple[str, str, list[str | None]]] = [("figure", f.id, ["indicator", "value"]) for f in figures]
        self._table(caption, columns, rows, [f.citation for f in figures], self.page.text_width, marked)

    def _chart(self, chart: Chart) -> None:
        self.figures += 1
        display = self.fonts[housestyle.DISPLAY]
        if self.items.skips("chart", chart.id):
            self._skip("chart", chart.id)
        else:
            self._draw(
                chart,
                _made(self.body.paragraph("Chart Frame")),
                charts.Look(display.latin, display.complex, self.briefing.language),
            )
        caption = self._caption("Figure", chart.title)
        self._mark(caption._p, "chart", chart.id, "title", chart.title)
        if chart.caption:
            self.body.paragraph("Caption Note", chart.caption)
        self._source_line([f.citation for f in chart.figures])

    def _draw(self, chart: Chart, drawing: Paragraph, look: charts.Look) -> None:
        """The chart itself, in the paragraph `drawing`."""
        self._keyed(drawing, "chart", chart.id)
        run = drawing.add_run()
        # Unique in the document: after the document's own ids, counted once (a whole-document
        # query per chart took quadratic time), then one more for each chart, those written out
        # of the tree included.
        if self._shape_id is None:
            self._shape_id = run.part.next_id - 1
        self._shape_id += 1
        charts.add(
            run,
            chart,
            self.page.text_width,
            look,
            wording.chart_description(chart),
            self.figures,
            self.timestamp,
            self._shape_id,
            self.body.names,
        )
        self._mark(drawing._p, "chart", chart.id, "", "")

    # --- annexes -------------------------------------------------------------------------------

    def _chronology(self, part: Part) -> None:
        """The chronology annex, with each event's source beside it, or only where in the
        source when all share one (the line under the table names it once); on landscape pages
        when its cells would run long on a portrait one."""
        events = self.briefing.chronology
        one_source = len({tuple(s.id for s in e.citation.sources) for e in events}) == 1 and len(events[0].citation.sources) == 1
        if one_source:
            where = [[e.citation.references[0].locator or ""] for e in events]
            cited = [_Column("Where", 1.8)] if any(w[0] for w in where) else []
            where = where if cited else [[] for _ in events]
        else:
            cited, where = [_Column("Source", 3.6)], [[self.citations.short(e.citation)] for e in events]
        columns = [_Column("Date", 2.4), _Column("Event", 9.0), _Column("Chapter", 3.0), *cited]
        rows = [[e.date.display(), e.text, e.section or "", *w] for e, w in zip(events, where)]
        landscape = _is_wide(columns, rows, self.page.text_width)
        if landscape:
            ooxml.end_section(self.body, self.page.portrait, keep_frame=True)
        self._annex_heading(part, short=not landscape and len(events) <= SHORT_ANNEX)
        self._table(
            wording.CHRONOLOGY_CAPTION,
            columns,
            rows,
            [e.citation for e in events],
            self.page.wide_text_width if landscape else self.page.text_width,
            [("event", e.id, [None, "event"]) for e in events],
        )
        if landscape:
            wide = ooxml.end_section(self.body, self.page.portrait, keep_frame=False)
            wide.orientation = WD_ORIENT.LANDSCAPE
            wide.page_height, wide.page_width = self.page.size
            self.frames.put_on(wide, "Landscape Footer")

    def _sources(self, part: Part) -> None:
        self._annex_heading(part, short=len(self.briefing.sources) <= SHORT_ANNEX)
        for number, source in enumerate(self.briefing.sources, start=1):
            if self.items.skips("source", source.id):
                self._skip("source", source.id)
                continue
            reference = wording.full_reference(source)
            # The source's address is a link a reader can follow, not text to copy.
            before, address, after = reference.partition(source.url) if source.url else (reference, "", "")
            self.body.paragraph(
                "Source Entry",
                (f"[{number}]\t", "Strong"),
                before,
                *([ooxml.Link(address, address, housestyle.LINK)] if address else []),
                after,
                (f" {wording.source_details(source)}", "Source Detail"),
                complete=True,
                marking=self._marking("source", source.id, keyed=True),
            )

    @cached_property
    def _table_style_id(self) -> str | None:
        """The house table style's id, as python-docx gives a table's style: found by name once,
        not by a search of every style for each table."""
        return self.document.part.get_style_id(housestyle.TABLE_STYLE, WD_STYLE_TYPE.TABLE)

    def _annex_heading(self, part: Part, short: bool) -> None:
        """An annex starts a page of its own, as its style says, unless it is `short` and
        follows on from the page before."""
        heading = self._heading("Annex Heading", part)
        if short:
            heading.paragraph_format.page_break_before = False

    # --- building blocks -----------------------------------------------------------------------

    def _keyed(self, block: Paragraph | Element, kind: str, item_id: str | None = "") -> None:
        """Note which item `block` (a paragraph, or a table's element or row) prints."""
        self.items.note(block._p if isinstance(block, Paragraph) else block, kind, item_id)

    def _skip(self, kind: str, item_id: str | None, notes: list[str] | None = None) -> None:
        """Leave out the next block of an item unchanged since the previous edition (`_ItemKeys.skip`)."""
        self.items.skip(self._end, None, kind, item_id, notes or [])

    def _marking(
        self,
        kind: str,
        item_id: str | None,
        field: str | None = None,
        printed: str = "",
        cell_text: str | None = None,
        keyed: bool = False,
    ) -> _Marking | None:
        """What marks a paragraph `Body.paragraph` makes: as printing the item's `field`, its
        text `printed` bookmarked (`Marks.mark`), where a field is given; and, `keyed`, as
        printing the item, where the redline matches items (`_ItemKeys`). A paragraph written
        out at once is never returned to key."""
        items = self.items if keyed and self.items.wanted else None
        if field is None and items is None:
            return None
        return _Marking(None if field is None else self.marks, kind, item_id, field or "", printed, cell_text, items)

    def _mark(
        self, element: Element, kind: str, item_id: str | None, field: str, printed: str, placed: ooxml.Bookmark | None = None
    ) -> None:
        """Mark `element` as printing the item's `field` (`Marks.mark`), in the bookmark `placed` where it was made with one."""
        self.marks.mark(element, kind, item_id, field, printed, placed=placed)

    def _cite(self, paragraph: Paragraph, citation: Citation) -> None:
        """Footnote `paragraph` with every source it rests on (`Citations.note`)."""
        self.footnotes.add(paragraph, self.citations.note(citation))

    def _source_line(self, citations: list[Citation]) -> None:
        self.body.paragraph("Source Line", wording.source_line(self.citations.numbered(citations)))

    def _caption(self, label: str, text: str) -> Paragraph:
        """A caption such as "Table 3. Key figures"; the number is a SEQ field, which Word renumbers."""
        number = self.tables if label == "Table" else self.figures
        caption = _made(self.body.paragraph("Caption", f"{label} "))
        ooxml.add_field(caption, f"SEQ {label} \\* ARABIC", str(number))
        self.body.add_runs(caption, ". ", text)
        return caption

    def _table(
        self,
        caption: str,
        columns: list[_Column],
        rows: list[list],
        citations: list[Citation],
        width: Length,
        keys: list[tuple[str, str, list[str | None]]],
    ) -> None:
        """A captioned table, `width` wide, whose header row repeats on every page, and the
        line naming its sources. A cell is its text, or (text, citation) to footnote it; each
        row prints the item its (kind, id, fields) in `keys` names, the nth cell its nth field
        where there is one."""
        self._grid(caption, columns, rows, width, keys=keys)
        self._source_line(citations)

    def _grid(
        self,
        caption: str,
        columns: list[_Column],
        rows: list[list],
        width: Length,
        centred: bool = False,
        keys: list[tuple[str, str, list[str | None]]] | None = None,
        row_headings: bool = False,
    ) -> None:
        """A captioned table `width` wide in the house table style, its heading row marked as
        such and repeated on every page, its caption also the table's own (w:tblCaption, what
        a screen reader announces). With `row_headings`, each row's first cell heads the row,
        as the first column of the table style. A cell is its text, or (text, citation) to
        footnote it."""
        self.tables += 1
        self._caption("Table", caption)
        table = self.body.table(len(columns))
        self._keyed(table._tbl, "table")
        table._tbl.tblStyle_val = self._table_style_id
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        ooxml.set_table_look(table, first_row=True, banded_rows=True, first_column=row_headings)
        ooxml.set_table_caption(table, caption)
        widths = _widths(columns, width)
        for column, column_width in zip(table.columns, widths):
            column.width = column_width
        heading_styles = [
            "Table Heading Centred" if centred else "Table Heading Number" if c.numeric else "Table Heading Text" for c in columns
        ]
        self.body.table_row(
            table, widths, [(style, column.heading) for style, column in zip(heading_styles, columns)], header=True
        )
        styles = ["Table Centred" if centred else "Table Number" if c.numeric else "Table Text" for c in columns]
        if row_headings:
            styles[0] = "Table Row Heading"
        for number, values in enumerate(rows):
            cells = [value if isinstance(value, tuple) else (value, None) for value in values]
            if keys and self.items.skips(keys[number][0], keys[number][1]):
                notes = [self.citations.note(citation) for _, citation in cells if citation]
                self.items.skip(None, table._tbl, keys[number][0], keys[number][1], notes)
                continue
            kind, item_id, fields = keys[number] if keys else ("", "", [])
            placed = self.body.table_row(
                table,
                widths,
                [(style, text) for style, (text, _) in zip(styles, cells)],
                notes=[(self.citations.note(citation),) if citation else () for _, citation in cells],
                marked=tuple(field is not None for field in fields),
            )
            if keys:
                row = table._tbl[-1]
                self._keyed(row, kind, item_id)
                for cell, field, (text, _), bookmark in zip(row.iterchildren(ooxml.qn("w:tc")), fields, cells, placed):
                    if field is not None:
                        self._mark(cell.find(ooxml.qn("w:p")), kind, item_id, field, text, bookmark)
        self.body.end_table(table)


def figure_note(figure: Figure, said: FigureNotes | None) -> str:
    """The figure's note (`wording.figure_note`), as `said` has it, or said now and kept there
    (where there is a `said`: a build with no redline asks for each once)."""
    if said is None:
        return wording.figure_note(figure)
    return said.once(figure, lambda: wording.figure_note(figure))


def _made(paragraph: Paragraph | None) -> Paragraph:
    """A paragraph `Body.paragraph` put in the tree: one it was not told is complete."""
    if paragraph is None:
        raise RuntimeError("a paragraph still to be added to was written out")
    return paragraph


def _widths(columns: list[_Column], width: Length) -> list[Length]:
    total = sum(c.share for c in columns)
    return [Length(int(width * c.share / total)) for c in columns]


def _is_wide(columns: list[_Column], rows: list[list], width: Length) -> bool:
    """Whether some cell would run past WIDE_LINES lines in a table `width` wide."""
    capacities = [w.cm * CHARS_PER_CM * WIDE_LINES for w in _widths(columns, width)]
    return any(len(text) > capacity for row in rows for text, capacity in zip(row, capacities))
