"""The redline: the new briefing with Word's tracked changes against the previous edition.

The new briefing is rendered once, to two sinks: its own file and the redline (`Redline`),
each block keyed by the item (statement, figure, event, source, chapter, chart) it prints. A
block whose item the comparison (`editions.compare`) finds unchanged goes into the redline as
it is. The previous edition is rendered only where it may differ (`render.previous`): the items
the comparison names and the blocks that print no item (the cover, headings, captions, the
contents and changes). What each edition prints between the same two unchanged items is matched
item by item, and by text where a block prints no item; what only the old one has goes in at
its place, marked deleted, and what only the new one has is marked inserted: whole paragraphs,
events and table rows; within a paragraph both print, the words that differ, never the
paragraph replaced. Footnotes are compared with the paragraphs that cite them. Accepting every
change gives the new briefing; rejecting every change, the old one. Neither document is held
whole: the redline is written out as it is made.

Word is stricter than other readers about where a revision may stand: runs go inside w:ins and
w:del (never the other way round), deleted text is w:delText and a deleted field code
w:delInstrText, a paragraph's own mark carries its revision in w:pPr/w:rPr, a table row its
revision in w:trPr, a changed paragraph style w:pPrChange at the end of w:pPr.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import difflib
import io
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.parts.image import ImagePart
from lxml import etree

from ..briefing import wording
from ..briefing.editions import Comparison, ItemKind
from ..briefing.items import Briefing, Chart, Citation, Event, Figure, PartRole, Section, Source, Statement
from . import ooxml, render
from .citations import SaidOf
from .marks import OpenComment
from .ooxml import qn
from .render import ItemKey, Rendered
from .writing_out import Element

# Who the revisions are by, where the workbook does not say who prepared the briefing.
DEFAULT_AUTHOR = "The desk"
# The comparison's kinds of item, as the renderer names them where it differs.
_RENDERED_KIND: dict[str, str] = {ItemKind.KEY_JUDGEMENT: ItemKind.STATEMENT}
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORD = {"w": etree.QName(qn("w:p")).namespace}
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def _pieces(text: str) -> list[str]:
    """`text` as a revision marks it: words (a word with its combining marks), numbers (4.5,
    14,800) and the space and punctuation between them."""
    marks = frozenset(c for c in set(text) if not c.isascii() and unicodedata.category(c)[0] == "M")
    return _tokens(marks).findall(text)


@lru_cache(maxsize=256)
def _tokens(marks: frozenset[str]) -> re.Pattern[str]:
    """The pattern of `_pieces` for a text whose combining marks (Unicode's M categories:
    Devanagari vowel signs, Arabic harakat, accents written apart) are `marks`: part of the word
    they sit on, though `re`'s \\w leaves them out. Made from the marks a text holds, not from
    all of Unicode's, whose listing takes a scan of every character."""
    word = f"[\\w{''.join(re.escape(mark) for mark in sorted(marks))}]+"
    return re.compile(f"{word}(?:[.,'\u2019\u2013-]{word})*|\\s+|[^\\w\\s]")


# Children of a run that are text; the rest are kept whole.
_TEXT = qn("w:t")
# Paragraph children that only mark places (bookmarks): kept from the new document, dropped
# from the old.
_MARKS = {qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:proofErr"), qn("w:permStart"), qn("w:permEnd")}
# The kinds of item the comparison tells changed: a block of one it does not is compared.
_COMPARED = {ItemKind.STATEMENT, ItemKind.SECTION, ItemKind.FIGURE, ItemKind.EVENT, ItemKind.CHART, ItemKind.SOURCE}
_BLOCKS = {qn("w:p"), qn("w:tbl")}
_ROW = qn("w:tr")
_SEQUENCED = {*_BLOCKS, _ROW}  # what `_gaps` takes in: body blocks, table rows
_NOTE = qn("w:footnote")
_RUN = qn("w:r")
# What a run's text and field code become, deleted.
_DELETED_AS = {qn("w:t"): qn("w:delText"), qn("w:instrText"): qn("w:delInstrText")}
# A revision's attributes, in the order it is given them.
_ID, _AUTHOR, _DATE = qn("w:id"), qn("w:author"), qn("w:date")
# Revision ids, above any bookmark or comment id the briefing uses (annotations share the space).
_FIRST_REVISION_ID = 1 << 24
# The ids of deleted pictures and charts: above the new briefing's, below its header pictures'.
_ADOPTED_DRAWINGS = 1 << 29


def _say_it_is_the_redline(document: Document, old_edition: str | None, old_as_of: dt.date, new: Briefing, listed: bool) -> None:
    """The redline's title, and a line at the top of every page, say what it is: a reader who
    opens it, or is handed a page of it, never takes it for the briefing."""
    said = wording.redline_line(new.edition, new.as_of, old_edition, old_as_of, listed)
    document.core_properties.title = wording.redline_title(new.title)[:255]
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            if header.is_linked_to_previous:  # none of its own: it shows the previous section's
                continue
            marking = header.paragraphs[0] if header.paragraphs else None
            line = header.add_paragraph(said)
            if marking is not None and marking._p.pPr is not None:
                line._p.insert(0, copy.deepcopy(marking._p.pPr))


def _without_page_numbers(document: Document) -> bool:
    """Take the page numbers out of the contents list's entries, which keep their text and link;
    whether there is a contents list."""
    try:
        style = document.styles["toc 1"].style_id
    except KeyError:
        return False
    found = False
    for paragraph in document.element.body.iter(qn("w:p")):
        if _style(paragraph) != style:
            continue
        found = True
        for link in paragraph.iter(qn("w:hyperlink")):
            after_tab = False
            for run in link.findall(qn("w:r")):
                for child in list(run):
                    after_tab = after_tab or child.tag == qn("w:tab")
                    if after_tab and child.tag != qn("w:rPr"):
                        run.remove(child)
                if after_tab and all(child.tag == qn("w:rPr") for child in run):
                    link.remove(run)
    return found


class _Revision:
    """Makes w:ins and w:del elements: each with its own id, all by one author on one date."""

    def __init__(self, author: str, date: str, first_id: int):
        self.author, self.date, self._next = author, date, first_id
        self.made = 0  # how many so far
        # One of each kind, copied in C for each revision: made afresh, an element looks up its
        # namespace and each attribute's (a redline against a long edition makes hundreds of thousands).
        self._kinds: dict[str, Element] = {}

    def element(self, kind: str) -> Element:
        """A w:ins or w:del (kind "ins" or "del"), or another revision element such as w:pPrChange."""
        made = self._kinds.get(kind)
        if made is None:
            made = self._kinds[kind] = etree.Element(
                qn(f"w:{kind}"), {_ID: "", _AUTHOR: self.author, _DATE: self.date}, nsmap=_WORD
            )
        element = made.__copy__()
        element.set(_ID, str(self._next))
        self._next += 1
        self.made += 1
        return element


@dataclass
class _Atom:
    """A piece of a paragraph as the comparison sees it: a word, a space, a tab, a footnote
    reference, a field character, a picture; with the run properties it is printed in."""

    key: tuple  # what two editions' atoms are compared by
    properties: Element  # the run's w:rPr, or None
    text: str | None = None  # a piece of text
    element: Element = None  # anything else, kept whole: w:tab, w:footnoteReference, w:drawing; or a
    # paragraph child that is not a run (a bookmark, a hyperlink), when `run_child` is False
    run_child: bool = True


def write(
    old: Briefing,
    new: Briefing,
    comparison: Comparison,
    paths: tuple[Path, Path],
    template: Path | None = None,
    snapshot: Callable[[], bytes] | None = None,
    workbook_name: str = "",
    carried: tuple[OpenComment, ...] = (),
    old_listed: bool | None = None,
) -> Rendered:
    """Write the briefing `new` and its redline against `old`, the edition `comparison`
    compared it with, to `paths` (the briefing's, the redline's), each in one step, from one
    rendering of `new` (`render.write`, which takes the rest of the arguments). Items the
    comparison names as replaced (an id reused for other content) are deleted and inserted,
    never compared word by word. The revisions are by whoever prepared the new briefing (or the
    desk), dated its as_of. `old_listed` says whether the previous edition, as printed, had a
    contents list (`contents.listed_in`); unknown (None), it is taken to have had one where the
    new briefing has."""
    marked = Redline(old, new, comparison, paths[1], template, old_listed)
    try:
        return render.write(
            new, paths[0], template, snapshot, workbook_name, carried, redline=marked, figure_notes=marked.figure_notes
        )
    finally:
        marked.close()


class Redline:
    """The second sink of the new briefing's blocks: the redline, written out as they come.
    The previous edition is rendered first, but for the items unchanged since (`render.previous`);
    what it printed between two unchanged items (`_gaps`) is compared with what the new
    briefing prints between the same two, block by block (`_merged`); an unchanged item's
    block goes in as it is. Footnotes are numbered, and stored, in the order the redline cites
    them: LibreOffice pairs references with notes by that order."""

    def __init__(
        self,
        old: Briefing,
        new: Briefing,
        comparison: Comparison,
        path: Path,
        template: Path | None,
        old_listed: bool | None = None,
    ):
        self.path = path
        self._old_listed = old_listed
        self._editions = (old.edition, old.as_of, new)  # what the redline says it compares: not the old content, which goes
        told = {(_RENDERED_KIND.get(c.kind, c.kind), c.id) for c in comparison.changes}
        alike: dict[Source, Source] = {}
        self.figure_notes: render.FigureNotes = SaidOf()  # both editions', for their renderers too
        before, now = _surroundings(old, alike, self.figure_notes), _surroundings(new, alike, self.figure_notes)
        self._changed = told | {item for item, printed in now.items() if before.get(item, printed) != printed} | _moved(old, new)
        unmatched = {(_RENDERED_KIND.get(kind, kind), item) for kind, item in comparison.replaced()}
        self.previous = render.previous(old, template, self.unchanged, self.figure_notes)
        self.old_document = self.previous.document
        # A key is (part, chapter, kind, id, occurrence): an unrelated item's blocks match nothing new.
        self.old_keys = {element: key for element, key in self.previous.keys.items() if key[2:4] not in unmatched}
        self.old_notes = _notes(self.old_document)
        old_body = list(self.old_document.element.body)
        self._old_front_ends = old_body.index(self.previous.first_heading)
        self._old_gaps = _Gaps(
            self._gaps(old_body[self._old_front_ends : -1]), self._merge_blocks, self._unchanged_key, self._as_before
        )
        self.revision = _Revision(new.prepared_by or DEFAULT_AUTHOR, f"{new.as_of:%Y-%m-%d}T00:00:00Z", _FIRST_REVISION_ID)
        self.keys: dict[Element, ItemKey] = {}  # which item each block taken in prints, by the redline's copy
        self._made_keys: dict[Element, ItemKey] = {}  # the renderer's: by the blocks it made
        # The new briefing's footnotes not yet cited in the redline, by id: what each says, as the
        # renderer gave it (`follow`), and, once the redline has asked for it, the note, made as
        # the briefing's are.
        self._note_texts: dict[str, str] = {}
        self._new_notes: dict[str, Element] = {}
        self._deleted_notes: dict[str, Element] = {}  # the previous edition's, brought in with deleted text
        self._deleted = 0  # the previous edition's notes brought in so far
        self._numbered = 0  # the footnotes numbered so far, in the order the redline cites them
        self._drawings = 0  # the pictures and charts of deleted text, numbered apart
        self.adopted_parts: dict[str, str] = {}  # old relationship id -> new one
        self._old_column: list[int | None] = []  # for each column of the table compared, the old one of its heading
        self._held: list[Element] = []  # the last two blocks, held back: the body's last paragraph keeps its mark
        self._spills: tuple[ooxml.Spill, ooxml.Spill] | None = None  # the redline's body and footnotes, written out
        self._notes_out: ooxml.NotesWritten | None = None  # what writes its footnotes out: made, or sent to a child
        self._briefing_body: ooxml.Spill | None = None  # the briefing's body as written out, once it is
        self._shared_from: int | None = None  # where in it the blocks the redline shares now begin
        # The blocks (the redline's copies) waiting to be merged with what the previous edition
        # printed in their place; where in the briefing's body the first of them begins, and how
        # many edits (`_edits`) the redline had made by then.
        self._gap: list[Element] = []
        self._gap_from: int | None = None
        self._edits_before_gap = 0
        self._rewritten = 0  # the paragraphs whose runs were made again, the words that differ marked

    def unchanged(self, key: ItemKey) -> bool:
        """Whether the block keyed `key` prints an item unchanged since the previous edition."""
        role, _, kind, item_id = key[:4]
        return (
            kind in _COMPARED
            and isinstance(item_id, str)
            and (kind, item_id) not in self._changed
            and (kind != ItemKind.SECTION or role == PartRole.CHAPTER)
        )

    def _unchanged_key(self, element: Element) -> ItemKey | None:
        key = self.keys.get(element)
        return key if key is not None and self.unchanged(key) else None

    def _gaps(self, children: list[Element]) -> dict[ItemKey | None, list[Element]]:
        """The previous edition's blocks (or rows) of `children` by the unchanged item they follow
        (None: none), each a placeholder or an unchanged block, which go."""
        gaps: dict[ItemKey | None, list[Element]] = {}
        anchor: ItemKey | None = None
        for child in children:
            key = self.previous.skipped.pop(child, None)  # read once: let go
            if key is None and child.tag in _SEQUENCED:
                key = self.previous.keys.get(child)
                if key is None or not self.unchanged(key):
                    gaps.setdefault(anchor, []).append(child)
                    continue
            if key is not None:
                anchor = key
        return gaps

    # --- the sink -------------------------------------------------------------------------------

    def follow(
        self,
        document: Document,
        names: ooxml.PackageNames,
        keys: dict[Element, ItemKey],
        note_texts: dict[str, str],
        note_saying: Callable[[str, str], Element],
    ) -> None:
        self.document, self.part_names, self._made_keys = document, names, keys
        self._note_texts = note_texts
        self._note_saying = note_saying
        notes = _notes_root(document)
        if notes is None:
            raise RuntimeError("a briefing is rendered with its footnotes part")
        self.notes_root = notes
        body, notes_spill = ooxml.Spill(document.element.body, "word/document.xml"), ooxml.Spill(notes, "word/footnotes.xml")
        self._spills = (body, notes_spill)
        self._notes_out = ooxml.NotesWritten(notes_spill, note_saying)

    def shares(self, body: ooxml.Spill, notes_beside: bool = False) -> None:
        self._briefing_body = body
        if notes_beside:  # the redline's notes, as the briefing's, made by a child: none is written yet
            self._notes_out = ooxml.NotesWritten(self._written_out[1], self._note_saying, beside=True)

    def blocks(self, elements: list[Element]) -> None:
        """Each block as the briefing writes it out (or as `finish` finds it in the tree): an
        unchanged item's shared where nothing waits to be compared before it, the rest copied
        and compared; those compared and found as the briefing prints them shared too."""
        for element in elements:
            if element.tag not in _BLOCKS:
                continue
            key = self._made_keys.get(element)
            if key is not None and self._shares(element, key):
                self._share(element, key)
                continue
            copied = self._copied(element)
            if not self._gap:
                self._gap_from = self._briefing_body.written() if self._briefing_body is not None else None
                self._edits_before_gap = self._edits
            self._gap.append(copied)
            self._merged_gap(self._old_gaps.take(copied))

    @property
    def _edits(self) -> int:
        """The changes the redline has made to blocks so far: revisions marked, paragraphs' runs made again."""
        return self.revision.made + self._rewritten

    def _merged_gap(self, merging: Iterator[Element]) -> None:
        """What the gap waiting gives, merged with the previous edition's, and the unchanged block
        after it (nothing while the gap goes on): shared where it is the gap's blocks and that
        one, as the briefing writes them out (none changed, none deleted before them, their notes
        numbered alike); else written. The merge is taken block by block, and written as it comes
        from the first block that is not the gap's own: the previous edition's deleted blocks are
        never held all at once."""
        merged: list[Element] = []
        for block in merging:
            if len(merged) < len(self._gap) and block is self._gap[len(merged)]:
                merged.append(block)
                continue
            self._gap = []
            self._end_sharing(self._gap_from)
            self._emit(itertools.chain(merged, [block], merging))
            return
        if not merged:
            return  # the gap goes on
        gap, self._gap = self._gap, []
        if (
            self._gap_from is not None
            and self._edits == self._edits_before_gap
            and len(merged) == len(gap)
            and all(
                reference.get(qn("w:id")) == str(self._numbered + n)
                for n, reference in enumerate((r for block in merged for r in block.iter(_NOTE_REFERENCE)), start=1)
            )
        ):
            if self._shared_from is None:
                self._written_out[0].write(self._held)
                self._held = []
                self._shared_from = self._gap_from
            for block in merged:
                self._notes_as_cited(block)
                self._let_go(block)
            return
        self._end_sharing(self._gap_from)
        self._emit(merged)

    def _shares(self, element: Element, key: ItemKey) -> bool:
        """Whether the redline takes `element` as the briefing writes it out: it prints an
        unchanged item, the redline numbers the notes it cites as the briefing does (none
        deleted before them), and nothing waits to be compared before it."""
        return (
            self._briefing_body is not None
            and self.unchanged(key)
            and all(
                reference.get(qn("w:id")) == str(self._numbered + n)
                for n, reference in enumerate(element.iter(_NOTE_REFERENCE), start=1)
            )
            and self._old_gaps.passes(key)
        )

    def _share(self, element: Element, key: ItemKey) -> None:
        """An unchanged item's block, the briefing's bytes as they are written out: it is
        serialised once, for both. Its footnotes go into the redline's, compared where worded
        otherwise before (`_as_before`)."""
        body, notes = self._written_out
        if self._briefing_body is None:
            raise RuntimeError("only a block written out is shared")
        del self._made_keys[element]
        self._as_before(element, key)
        self._notes_as_cited(element)
        if self._shared_from is None:
            body.write(self._held)
            self._held = []
            self._shared_from = self._briefing_body.written()

    def _notes_as_cited(self, element: Element) -> None:
        """The notes a block shared cites go into the redline's, numbered as the briefing numbers them."""
        for reference in element.iter(_NOTE_REFERENCE):
            self._numbered += 1
            cited = reference.get(qn("w:id"))
            self._write_note(cited, cited)

    def _new_note(self, note_id: str) -> Element:
        """The new briefing's note `note_id`, which the redline may mark before it writes it
        out: made as the briefing's (whose own are written out, or made by another process)
        the first time it is asked for."""
        note = self._new_notes.get(note_id)
        if note is None:
            note = self._new_notes[note_id] = self._note_saying(note_id, self._note_texts[note_id])
        return note

    def _write_note(self, cited: str, note_id: str) -> None:
        """The new briefing's note `cited` written out as the redline's `note_id`, and forgotten
        here: as it says, made as the briefing's are, where the redline has not marked it."""
        note = self._new_notes.pop(cited, None)
        text = self._note_texts.pop(cited)
        if note is None:
            self._notes_written.say(note_id, text)
        else:
            note.set(qn("w:id"), note_id)
            self._notes_written.put(note)

    def _end_sharing(self, at: int | None = None) -> None:
        """The blocks shared so far go into the redline: those written out since sharing began,
        up to `at` in the briefing's body (where a gap to be written began), or all of them."""
        if self._shared_from is not None and self._briefing_body is not None:
            body, _ = self._written_out
            body.share(self._briefing_body, self._shared_from, self._briefing_body.written() if at is None else at)
            self._shared_from = None

    def _copied(self, element: Element) -> Element:
        """The redline's copy of a block of the briefing, keyed as the block is."""
        copied = element.__copy__()
        for made, copy_of in [(element, copied), *zip(element.iterchildren(_ROW), copied.iterchildren(_ROW))]:
            key = self._made_keys.pop(made, None)
            if key is not None:
                self.keys[copy_of] = key
        return copied

    def _emit(self, elements: Iterable[Element]) -> None:
        """Blocks of the redline, in order: their footnotes numbered as cited, and written out."""
        body, _ = self._written_out
        for element in elements:
            for reference in element.iter(_NOTE_REFERENCE):
                cited = reference.get(qn("w:id"))
                self._numbered += 1
                note_id = str(self._numbered)
                reference.set(qn("w:id"), note_id)
                deleted = self._deleted_notes.pop(cited, None)
                if deleted is None:
                    self._write_note(cited, note_id)
                else:
                    deleted.set(qn("w:id"), note_id)
                    self._notes_written.put(deleted)
            self._let_go(element)
            self._held.append(element)
            if len(self._held) > 2:
                body.write([self._held.pop(0)])

    def _let_go(self, element: Element) -> None:
        """A block of the redline is done with: which items it and its rows print are forgotten."""
        self.keys.pop(element, None)
        for row in element.iterchildren(_ROW):
            self.keys.pop(row, None)

    @property
    def _notes_written(self) -> ooxml.NotesWritten:
        if self._notes_out is None:
            raise RuntimeError("the redline follows no briefing")
        return self._notes_out

    @property
    def _written_out(self) -> tuple[ooxml.Spill, ooxml.Spill]:
        if self._spills is None:
            raise RuntimeError("the redline follows no briefing")
        return self._spills

    def finish(self, first_heading: Element, timestamp: dt.datetime) -> None:
        """Take in what the briefing left in the tree: the cover and contents list before
        `first_heading` (compared with the previous edition's, in place) and the blocks after
        it; then write the redline."""
        document, body = self.document, self.document.element.body
        end = body.sectPr
        listed = _without_page_numbers(document)
        # The previous edition's list as it printed one: a list only one edition has is all inserted, or all deleted.
        if self._old_listed or (listed and self._old_listed is None):
            self.previous.list_contents()
        for note in list(self.notes_root):  # the briefing's notes left in the tree, and where those written out stood
            if note.tag == _NOTE and note.get(qn("w:type")) is None:
                self._new_notes[note.get(qn("w:id"))] = note
            elif note.tag == _NOTE:
                continue
            self.notes_root.remove(note)
        self._end_sharing(self._gap_from if self._gap else None)
        self._briefing_body = self._gap_from = None  # what is left is in the tree: the redline writes it out itself
        spilled, notes = self._written_out
        children = list(body)
        split = children.index(first_heading)
        spilled.start(first_heading)
        for element in children[split:]:
            if element is end:
                continue
            if element.tag in _BLOCKS:
                self.blocks([element])
                element.clear()
            body.remove(element)
        self._emit(self._old_gaps.end())
        if self._held and self._held[-1].tag == qn("w:p"):
            self._end_body(*self._held)
        spilled.write(self._held)
        old_body = list(self.old_document.element.body)
        old_front = [e for e in old_body[: old_body.index(self.previous.first_heading)] if e.tag in _BLOCKS]
        front = list(self._merge_blocks(old_front, [e for e in children[:split] if e.tag in _BLOCKS]))
        for element in front:
            if element.tag == _NOTE_REFERENCE or next(element.iter(_NOTE_REFERENCE), None) is not None:
                raise RuntimeError("the front matter cites no source")
            spilled.marker.addprevious(element)
        notes.start(None)
        self._frames()
        _say_it_is_the_redline(document, *self._editions, listed)
        self._notes_written.written()
        ooxml.save_atomically(document, self.path, timestamp, (spilled, notes))

    def _frames(self) -> None:
        """Each page's header and footer against the previous edition's (its marking, its title),
        the words that changed marked as in the body: a briefing retitled or re-marked says so
        on every page of its redline. The template, which gives their pictures, is the same for both."""
        for old_section, new_section in zip(self.old_document.sections, self.document.sections):
            for frame in _FRAMES:
                old, new = getattr(old_section, frame), getattr(new_section, frame)
                if old.is_linked_to_previous or new.is_linked_to_previous:  # asked for its paragraphs, it would get some
                    continue
                for old_paragraph, new_paragraph in zip(old.paragraphs, new.paragraphs):
                    self._paragraph(old_paragraph._p, new_paragraph._p)

    def _end_body(self, *held: Element) -> None:
        """The body's last paragraph, whose mark cannot be deleted or inserted, unmarked. Where
        it is deleted after a paragraph both editions print alike, the mark of that one is
        deleted instead, as Word does: Accept All joins the two, which leaves no empty paragraph."""
        *_, before, last = (None, *held)
        deleted = last.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is not None
        if deleted and before is not None and before.tag == qn("w:p") and _unrevised_alike(before, last):
            self._mark_end(before, "del")
        _unmark_paragraph(last)

    def close(self) -> None:
        if self._notes_out is not None:
            self._notes_out.close()
        for spill in self._spills or ():
            spill.close()

    def _merge_blocks(self, olds: list[Element], news: list[Element]) -> Iterator[Element]:
        return self._merged(
            olds, news, self._block_signature, self._block_pairing, self._matched_block, self._deleted_block, self._inserted_block
        )

    def _as_before(self, element: Element, key: ItemKey) -> Element:
        """An unchanged item's block or row, as it is; but a footnote the previous edition
        worded otherwise (a source given in full there, short here) is compared with it."""
        for reference, text in zip(element.iter(_NOTE_REFERENCE), self.previous.skipped_notes.pop(key, [])):
            note_id = reference.get(qn("w:id"))
            if self._note_texts.get(note_id) == text:  # worded alike, as nearly all are: read no further
                continue
            note = self._new_note(note_id)
            if _text(note) == ooxml.xml_text(f" {text}").replace("\n", "").replace("\t", ""):
                continue
            self.previous.footnotes.reference(text)
            old_note = self.previous.footnotes.element[-1]
            for old_paragraph, new_paragraph in zip(old_note.findall(qn("w:p")), note.findall(qn("w:p"))):
                self._paragraph(old_paragraph, new_paragraph)
            self.previous.footnotes.element.remove(old_note)
        return element

    # --- sequences: body blocks, table rows --------------------------------------------------

    def _merged(
        self,
        olds: list[Element],
        news: list[Element],
        signature: Callable[[Element, bool], tuple[object, ...]],
        pairing: Callable[[Element, bool], object],
        matched: Callable[[Element, Element], list[Element]],
        deleted: Callable[[Element], list[Element]],
        inserted: Callable[[Element], list[Element]],
    ) -> Iterator[Element]:
        """One sequence from two, in both their orders: blocks matched by signature (their item,
        else their text) and, between matches, paired where they are of one `pairing` group (a
        paragraph reworded); the rest deleted (old) or inserted (new). Each handler returns the
        elements to put in the sequence, which are given as they are made."""
        old_signatures = [signature(e, True) for e in olds]
        new_signatures = [signature(e, False) for e in news]
        matcher = difflib.SequenceMatcher(None, old_signatures, new_signatures, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for old, new in zip(olds[i1:i2], news[j1:j2]):
                    yield from matched(old, new)
                continue
            waiting: dict[object, list[int]] = defaultdict(list)  # a group -> its new blocks, in order
            for k in range(j1, j2):
                group = pairing(news[k], False)
                if group is not None:
                    waiting[group].append(k)
            j = j1
            for old in olds[i1:i2]:
                group = pairing(old, True)
                candidates = waiting.get(group, []) if group is not None else []
                at = bisect.bisect_left(candidates, j)
                if at == len(candidates):
                    yield from deleted(old)
                    continue
                k = candidates[at]
                for new in news[j:k]:
                    yield from inserted(new)
                yield from matched(old, news[k])
                j = k + 1
            for new in news[j:j2]:
                yield from inserted(new)

    def _block_signature(self, element: Element, old: bool) -> tuple[object, ...]:
        key = (self.old_keys if old else self.keys).get(element)
        if key is not None:
            return ("item", key)
        if element.tag == qn("w:p"):
            return ("paragraph", _style(element), _text(element))
        return ("other", element.tag, _text(element))

    def _block_pairing(self, element: Element, old: bool) -> object:
        """Paragraphs that print no item pair with one of their style, between matches: the same
        paragraph, reworded (a cover line, a caption)."""
        if element.tag != qn("w:p") or element in (self.old_keys if old else self.keys):
            return None
        return ("paragraph", _style(element))  # a paragraph in Normal has no style named

    def _matched_block(self, old: Element, new: Element) -> list[Element]:
        if new.tag == qn("w:p"):
            return [self._paragraph(old, new)]
        if new.tag == qn("w:tbl"):
            return self._table(old, new)
        return [new]

    def _deleted_block(self, old: Element) -> list[Element]:
        if old.tag in _MARKS:
            return []
        deleted = self._marked_block(self._adopted(old), "del")
        old.clear()  # done with: its memory goes at once
        return deleted

    def _inserted_block(self, new: Element) -> list[Element]:
        return self._marked_block(new, "ins")

    def _marked_block(self, element: Element, change: str) -> list[Element]:
        """A whole paragraph or table inserted or deleted (`change`: ins or del)."""
        if element.tag == qn("w:p"):
            self._mark_paragraph(element, change, mark_end=True)
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                self._mark_row(row, change)
        return [element]

    # --- tables ------------------------------------------------------------------------------

    def _table(self, old: Element, new: Element) -> list[Element]:
        """A table both editions print, row by row: matched by the item each row prints, its
        cells by their column's heading, so that one changed cell shows as that change even
        where a column came or went (the chronology gains a source column when an event has
        a source of its own). A new column's cells are marked inserted; a column the new
        edition no longer has is not printed, as a table cannot hold it."""
        old_headings, new_headings = _headings(old), _headings(new)
        if len(old_headings) == len(new_headings):  # the same columns, or renamed: by place
            self._old_column = list(range(len(new_headings)))
        else:
            self._old_column = [old_headings.index(h) if h in old_headings else None for h in new_headings]
        new_rows = new.findall(_ROW)
        rows = _Gaps(self._gaps(list(old)), self._merge_rows, self._unchanged_key, self._as_before)
        merged = [*(row for new_row in new_rows for row in rows.take(new_row)), *rows.end()]
        for row in new_rows:
            new.remove(row)
        new.extend(merged)
        return [new]

    def _merge_rows(self, olds: list[Element], news: list[Element]) -> Iterator[Element]:
        return self._merged(
            olds, news, self._row_signature, self._row_pairing, self._matched_row, self._deleted_row, self._inserted_row
        )

    def _row_signature(self, row: Element, old: bool) -> tuple[object, ...]:
        key = (self.old_keys if old else self.keys).get(row)
        if key is not None:
            return ("item", key)
        if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
            return ("heading",)  # the headings of one table, whatever its columns
        return ("row", tuple(_text(cell) for cell in row.iter(qn("w:tc"))))

    def _row_pairing(self, row: Element, old: bool) -> object:
        """Rows that print no item pair with one of as many cells (a row of a scale)."""
        return None if row in (self.old_keys if old else self.keys) else len(row.findall(qn("w:tc")))

    def _matched_row(self, old: Element, new: Element) -> list[Element]:
        old_cells = old.findall(qn("w:tc"))
        for new_cell, at in zip(new.findall(qn("w:tc")), self._old_column):
            if at is not None and at < len(old_cells):
                self._cell(old_cells[at], new_cell)
            else:
                for paragraph in new_cell.iter(qn("w:p")):
                    self._mark_paragraph(paragraph, "ins", mark_end=False)
        return [new]

    def _deleted_row(self, old: Element) -> list[Element]:
        row = self._adopted(old)
        old.clear()  # done with: its memory goes at once
        self._mark_row(row, "del")
        return [row]

    def _inserted_row(self, new: Element) -> list[Element]:
        self._mark_row(new, "ins")
        return [new]

    def _cell(self, old_cell: Element, new_cell: Element) -> None:
        olds, news = old_cell.findall(qn("w:p")), new_cell.findall(qn("w:p"))
        for old, new in zip(olds, news):
            self._paragraph(old, new)
        for old in olds[len(news) :]:
            element = self._adopted(old)
            self._mark_paragraph(element, "del", mark_end=False)
            new_cell.append(element)
        for new in news[len(olds) :]:
            self._mark_paragraph(new, "ins", mark_end=False)

    def _mark_row(self, row: Element, kind: str) -> None:
        """A whole row inserted or deleted: the row itself in w:trPr, and the runs in its cells."""
        properties = row.find(qn("w:trPr"))
        if properties is None:
            properties = etree.Element(qn("w:trPr"))
            exceptions = row.find(qn("w:tblPrEx"))
            (exceptions.addnext if exceptions is not None else lambda e: row.insert(0, e))(properties)
        properties.append(self.revision.element(kind))  # w:ins and w:del follow the row's own properties
        for paragraph in row.iter(qn("w:p")):
            self._mark_paragraph(paragraph, kind, mark_end=False)

    # --- paragraphs --------------------------------------------------------------------------

    def _paragraph(self, old: Element, new: Element) -> Element:
        """A paragraph both editions print, with the words that differ marked, its footnotes
        compared, and a change of style recorded."""
        if _shape(old) == _shape(new):  # most are: no need to look word by word
            for old_reference, new_reference in zip(old.iter(_NOTE_REFERENCE), new.iter(_NOTE_REFERENCE)):
                self._notes(old_reference, new_reference)
            return new
        old_atoms, new_atoms = _atoms(old), _atoms(new)
        if _style(old) != _style(new):
            self._record_style(old, new)
        if [a.key for a in old_atoms] == [a.key for a in new_atoms]:
            for old_atom, new_atom in zip(old_atoms, new_atoms):
                self._equal(old_atom, new_atom)
            return new
        runs = []
        for tag, olds, news in _changes(old_atoms, new_atoms):
            if tag == "equal":
                for old_atom, new_atom in zip(olds, news):
                    self._equal(old_atom, new_atom)
                runs += self._runs(news, None)
            else:
                runs += self._runs([self._adopted_atom(a) for a in olds], "del") + self._runs(news, "ins")
        _replace_content(new, runs)
        self._rewritten += 1
        return new

    def _mark_paragraph(self, paragraph: Element, kind: str, mark_end: bool) -> None:
        """Every run of `paragraph` inserted or deleted (its footnotes too); with `mark_end`, its
        own mark as well, so that accepting or rejecting removes the paragraph, not only its text."""
        wrapper = None  # the w:ins or w:del the runs go into, one for each stretch of runs
        for child in list(paragraph):
            if child.tag == _RUN:
                for part in child:
                    if part.tag == _NOTE_REFERENCE and kind == "ins":
                        self._inserted_note(part)
                    elif kind == "del" and part.tag in _DELETED_AS:
                        part.tag = _DELETED_AS[part.tag]
                if wrapper is None:
                    wrapper = self.revision.element(kind)
                    child.addprevious(wrapper)
                wrapper.append(child)
                continue
            wrapper = None
            if child.tag in _MARKS:
                if kind == "del":
                    paragraph.remove(child)
            elif child.tag != qn("w:pPr"):
                self._mark_runs_within(child, kind)
        if mark_end and paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            self._mark_end(paragraph, kind)

    def _mark_end(self, paragraph: Element, kind: str) -> None:
        properties = paragraph.find(qn("w:pPr"))
        if properties is None:
            properties = etree.Element(qn("w:pPr"))
            paragraph.insert(0, properties)
        run_properties = properties.find(qn("w:rPr"))
        if run_properties is None:
            run_properties = etree.Element(qn("w:rPr"))
            later = [properties.find(qn(tag)) for tag in ("w:sectPr", "w:pPrChange")]
            later = [e for e in later if e is not None]
            (later[0].addprevious if later else properties.append)(run_properties)
        run_properties.insert(0, self.revision.element(kind))  # w:ins/w:del come first in a paragraph mark's w:rPr

    def _record_style(self, old: Element, new: Element) -> None:
        """w:pPrChange: the paragraph's properties before, so that rejecting restores its style."""
        properties = new.find(qn("w:pPr"))
        if properties is None:
            return
        change = self.revision.element("pPrChange")
        before = copy.deepcopy(old.find(qn("w:pPr")))
        if before is None:
            before = etree.Element(qn("w:pPr"))
        for tag in ("w:rPr", "w:sectPr", "w:pPrChange"):
            for element in before.findall(qn(tag)):
                before.remove(element)
        change.append(before)
        properties.append(change)

    def _runs(self, atoms: list[_Atom], kind: str | None) -> list:
        """Runs printing `atoms`, one per stretch of one run's properties; inside a w:ins or
        w:del for `kind` "ins" or "del". A paragraph child that is not a run stands between them."""
        runs: list = []
        wrapper = None
        current, current_properties = None, object()
        text = None  # the text element the current run ends in, if any
        texts: dict[Element, list[str]] = {}  # each text element's pieces, joined once at the end
        for atom in atoms:
            if not atom.run_child:
                if kind is None or atom.element.tag in _MARKS:
                    if kind != "del":
                        runs.append(atom.element)
                else:
                    self._mark_runs_within(atom.element, kind)
                    runs.append(atom.element)
                wrapper, current = None, None
                continue
            if kind is not None and wrapper is None:
                wrapper = self.revision.element(kind)
                runs.append(wrapper)
            if current is None or atom.properties is not current_properties or atom.text is None:
                current = etree.Element(qn("w:r"))
                if atom.properties is not None:
                    current.append(copy.deepcopy(atom.properties))
                current_properties = atom.properties
                (wrapper.append if wrapper is not None else runs.append)(current)
            if atom.text is not None:
                if text is None or text.getparent() is not current:
                    text = etree.SubElement(current, qn("w:delText" if kind == "del" else "w:t"))
                    text.set(_XML_SPACE, "preserve")
                    texts[text] = []
                texts[text].append(atom.text)
            else:
                element = copy.deepcopy(atom.element)
                if kind == "del" and element.tag == qn("w:instrText"):
                    element.tag = qn("w:delInstrText")
                current.append(element)
                current, text = None, None  # text after it starts a run of its own
        for element, pieces in texts.items():
            element.text = "".join(pieces)
        return runs

    def _mark_runs_within(self, element: Element, kind: str) -> None:
        """The runs inside a paragraph child that is not a run (a hyperlink), wrapped whole."""
        for run in list(element.iter(qn("w:r"))):
            wrapper = self.revision.element(kind)
            run.addprevious(wrapper)
            wrapper.append(run)
            if kind == "del":
                for text in run.iter(_TEXT):
                    text.tag = qn("w:delText")

    # --- footnotes ---------------------------------------------------------------------------

    def _equal(self, old: _Atom, new: _Atom) -> None:
        """Atoms both editions print: a footnote reference's two notes are compared."""
        if new.element is not None and new.element.tag == _NOTE_REFERENCE:
            self._notes(old.element, new.element)

    def _notes(self, old_reference: Element, new_reference: Element) -> None:
        """The notes two footnote references both editions print cite, compared paragraph by paragraph."""
        old_note = self.old_notes[old_reference.get(qn("w:id"))]
        new_note = self._new_note(new_reference.get(qn("w:id")))
        for old_paragraph, new_paragraph in zip(old_note.findall(qn("w:p")), new_note.findall(qn("w:p"))):
            self._paragraph(old_paragraph, new_paragraph)

    def _inserted_note(self, reference: Element) -> None:
        """The note a footnote reference inserted whole cites, inserted whole too."""
        for paragraph in self._new_note(reference.get(qn("w:id"))).findall(qn("w:p")):
            self._mark_paragraph(paragraph, "ins", mark_end=False)

    def _adopted_atom(self, atom: _Atom) -> _Atom:
        """An old atom made the new document's: its note and pictures brought over."""
        if atom.element is None:
            return atom
        element = self._adopted(atom.element)
        return _Atom(atom.key, atom.properties, atom.text, element, atom.run_child)

    def _adopted(self, old: Element) -> Element:
        """A copy of an old element for the new document: footnotes it cites copied over (their
        text deleted, as its reference is), pictures related anew, section breaks dropped."""
        element = copy.deepcopy(old)
        for reference in element.iter(_NOTE_REFERENCE):
            note = copy.deepcopy(self.old_notes[reference.get(qn("w:id"))])
            for paragraph in note.findall(qn("w:p")):
                self._mark_paragraph(paragraph, "del", mark_end=False)
            self._deleted += 1
            cited = f"deleted-{self._deleted}"  # until numbered as the redline cites it
            self._deleted_notes[cited] = note
            reference.set(qn("w:id"), cited)
        for properties in element.iter(f"{{{_WP}}}docPr", f"{{{_PIC}}}cNvPr"):
            self._drawings += 1
            properties.set("id", str(_ADOPTED_DRAWINGS + self._drawings))
        for node in _RELATING(element):
            for attribute in [a for a in node.attrib if a.startswith(f"{{{_R}}}")]:
                node.set(attribute, self._adopted_relationship(node.get(attribute)))
        for dropped in [e for e in element.iter(*_MARKS, qn("w:sectPr")) if e.getparent() is not None]:
            dropped.getparent().remove(dropped)
        return element

    def _adopted_relationship(self, old_id: str) -> str:
        """The new document's relationship to what the old one's `old_id` names: the same
        picture, or a copy of the part (a chart) under a name of its own."""
        if old_id in self.adopted_parts:
            return self.adopted_parts[old_id]
        relationship = self.old_document.part.rels[old_id]
        part = self.document.part
        if relationship.is_external:
            new_id = self.part_names.link(part, relationship.reltype, relationship.target_ref)
        elif isinstance(relationship.target_part, ImagePart):
            new_id, _ = part.get_or_add_image(io.BytesIO(relationship.target_part.blob))
        else:
            _rename_apart(relationship.target_part, self.part_names)
            new_id = part.relate_to(relationship.target_part, relationship.reltype)
        self.adopted_parts[old_id] = new_id
        return new_id


def _surroundings(
    briefing: Briefing, alike: dict[Source, Source], figure_notes: render.FigureNotes
) -> dict[tuple[str, str], object]:
    """What each item's blocks print that is not the item's own (the comparison's): the sources
    it (or a chapter's intro) cites as numbered and given, a figure's note on the values that disagree with it, an
    event's chapter, a chart's points. An item whose surroundings changed is compared too. Each
    source is said by the first of those equal to it in `alike`, shared by the two editions'
    surroundings: compared, the same source is then the same object, not one compared field by field.
    Figures' notes are said in `figure_notes`, where the renderers find them."""
    numbers = {source.id: number for number, source in enumerate(briefing.sources, start=1)}
    # Each distinct citation (the model makes each once, however many items it notes) and figure said once.
    once = SaidOf[object]().once

    def cited(citation: Citation | None) -> object:
        if citation is None:
            return ()
        return once(
            citation, lambda: tuple((numbers.get(s.id), alike.setdefault(s, s)) for s in (*citation.sources, *citation.origins))
        )

    def noted(figure: Figure) -> object:
        return once(figure, lambda: (cited(figure.citation), render.figure_note(figure, figure_notes)))

    found: dict[tuple[str, str], object] = {}
    for section in briefing.sections:
        if section.id is not None:
            found[(ItemKind.SECTION, section.id)] = cited(section.intro_citation)
        for statement in section.statements:
            found[(ItemKind.STATEMENT, statement.id)] = cited(statement.citation)
        for figure in section.figures:
            found[(ItemKind.FIGURE, figure.id)] = noted(figure)
        for event in section.events:
            found[(ItemKind.EVENT, event.id)] = (cited(event.citation), event.section)
        for chart in section.charts:
            found[(ItemKind.CHART, chart.id)] = tuple(
                (p.label, p.credit, p.figure.value, cited(p.figure.citation)) for p in chart.points
            )
    for statement in (*briefing.key_judgements, *briefing.key_points):
        found[(ItemKind.STATEMENT, statement.id)] = cited(statement.citation)
    for figure in briefing.key_figures:
        found[(ItemKind.FIGURE, figure.id)] = noted(figure)
    for event in briefing.chronology:
        found[(ItemKind.EVENT, event.id)] = (cited(event.citation), event.section)
    for number, source in enumerate(briefing.sources, start=1):
        found[(ItemKind.SOURCE, source.id)] = number
    return found


def _moved(old: Briefing, new: Briefing) -> set[tuple[str, str]]:
    """The items both editions print, unchanged, but in another order among the others: a
    chapter put before another, a statement before its neighbour. Shared as they are, they
    would stand only where the new edition has them, and Reject All would not give the old;
    compared, each goes in deleted where it stood and inserted where it stands. Those off the
    longest run the two orders share have moved; a moved chapter takes its items along."""
    found: set[tuple[str, str]] = set()

    def off_the_run(kind: str, before: list[str], now: list[str]) -> set[str]:
        common = set(before) & set(now)
        olds = [i for i in before if i in common]
        news = [i for i in now if i in common]
        matcher = difflib.SequenceMatcher(None, olds, news, autojunk=False)
        kept = {i for at, _, size in matcher.get_matching_blocks() for i in olds[at : at + size]}
        moved = common - kept
        found.update((kind, i) for i in moved)
        return moved

    def items(section: Section) -> Iterator[tuple[str, str]]:
        yield from ((ItemKind.STATEMENT, s.id) for s in section.statements)
        yield from ((ItemKind.FIGURE, f.id) for f in section.figures)
        yield from ((ItemKind.EVENT, e.id) for e in section.events)
        yield from ((ItemKind.CHART, c.id) for c in section.charts)

    old_sections = {s.id: s for s in old.sections if s.id is not None}
    new_sections = {s.id: s for s in new.sections if s.id is not None}
    moved = off_the_run(ItemKind.SECTION, list(old_sections), list(new_sections))
    for section_id in old_sections.keys() & new_sections.keys():
        before, now = old_sections[section_id], new_sections[section_id]
        if section_id in moved:
            found.update(items(before))
            found.update(items(now))
            continue
        off_the_run(ItemKind.STATEMENT, _ids(before.statements), _ids(now.statements))
        off_the_run(ItemKind.FIGURE, _ids(before.figures), _ids(now.figures))
        off_the_run(ItemKind.EVENT, _ids(before.events), _ids(now.events))
        off_the_run(ItemKind.CHART, _ids(before.charts), _ids(now.charts))
    off_the_run(ItemKind.STATEMENT, _ids(old.key_judgements), _ids(new.key_judgements))
    off_the_run(ItemKind.STATEMENT, _ids(old.key_points), _ids(new.key_points))
    off_the_run(ItemKind.FIGURE, _ids(old.key_figures), _ids(new.key_figures))
    off_the_run(ItemKind.EVENT, _ids(old.chronology), _ids(new.chronology))
    return found


def _ids(items: Iterable[Statement | Figure | Event | Chart]) -> list[str]:
    return [item.id for item in items]


class _Gaps:
    """Merges a sequence (body blocks, or a table's rows) with the previous edition's: what
    each printed between two unchanged items is merged (`merge`) with the other's between the
    same two; an unchanged item's own block is `kept` as it is. Taken a block at a time."""

    def __init__(
        self,
        olds: dict[ItemKey | None, list[Element]],
        merge: Callable[[list[Element], list[Element]], Iterator[Element]],
        unchanged: Callable[[Element], ItemKey | None],
        kept: Callable[[Element, ItemKey], Element],
    ):
        self._olds, self._merge, self._unchanged, self._kept = olds, merge, unchanged, kept
        self._anchor: ItemKey | None = None
        self._waiting: list[Element] = []

    def take(self, new: Element) -> Iterator[Element]:
        """What goes into the merged sequence now that `new` comes."""
        key = self._unchanged(new)
        if key is None:
            self._waiting.append(new)
            return
        yield from self._gap()
        self._anchor = key
        yield self._kept(new, key)

    def passes(self, key: ItemKey) -> bool:
        """Whether the block of the unchanged item `key`, coming now, follows on with nothing to
        merge before it; then it is taken, to go as it is."""
        if self._waiting or self._anchor in self._olds:
            return False
        self._anchor = key
        return True

    def end(self) -> Iterator[Element]:
        """The rest: the last gap, and what the previous edition printed after items the new one moved."""
        yield from self._gap()
        while self._olds:
            yield from self._merge(self._olds.pop(next(iter(self._olds))), [])

    def _gap(self) -> Iterator[Element]:
        olds, news, self._waiting = self._olds.pop(self._anchor, []), self._waiting, []
        if olds or news:
            yield from self._merge(olds, news)


# --- helpers ----------------------------------------------------------------------------------

# The elements within one (itself too) that name a relationship, found in C.
_RELATING = etree.XPath(f"descendant-or-self::*[@*[namespace-uri() = '{_R}']]")

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _atoms(paragraph: Element) -> list[_Atom]:
    """A paragraph's content as the comparison sees it, in order: its text word by word, and
    what else it holds."""
    atoms = []
    for child in paragraph:
        if child.tag == qn("w:pPr"):
            continue
        if child.tag != qn("w:r"):
            atoms.append(_Atom(("other", child.tag, _text(child)), None, element=child, run_child=False))
            continue
        properties = child.find(qn("w:rPr"))
        style = _canonical(properties) if properties is not None else b""
        for part in child:
            if part.tag == qn("w:rPr"):
                continue
            if part.tag == _TEXT:
                pieces = _pieces(part.text or "")
                atoms += [_Atom(("text", piece, style), properties, text=piece) for piece in pieces]
            elif part.tag == qn("w:footnoteReference"):
                atoms.append(_Atom(("note", style), properties, element=part))
            elif part.tag == qn("w:drawing"):
                described = part.find(f".//{{{_WP}}}docPr")
                atoms.append(
                    _Atom(("drawing", described.get("descr") if described is not None else ""), properties, element=part)
                )
            elif part.tag == qn("w:fldChar"):
                atoms.append(_Atom(("field", part.get(qn("w:fldCharType")), style), properties, element=part))
            else:
                atoms.append(_Atom(("element", part.tag, part.text, style), properties, element=part))
    return atoms


_NOTE_REFERENCE = qn("w:footnoteReference")
# A section's headers and footers, as python-docx names them.
_FRAMES = ("header", "first_page_header", "even_page_header", "footer", "first_page_footer", "even_page_footer")
_NOTE_ID = re.compile(rb'(<w:footnoteReference w:id=")\d+')


def _shape(element: Element) -> bytes:
    """An element's XML with its footnotes' numbers left out, which two editions number apart."""
    return _NOTE_ID.sub(rb"\1", _canonical(element))


def _canonical(element: Element) -> bytes:
    """An element's XML declaring only the namespaces it uses: the same wherever it stands (a
    block of the new briefing is compared apart from its document, the old one's within it)."""
    return etree.tostring(element, method="c14n", exclusive=True)


def _changes(olds: list[_Atom], news: list[_Atom]) -> list[tuple[str, list[_Atom], list[_Atom]]]:
    """The two sequences of atoms as stretches in common and stretches changed. A stretch in
    common that is only space or punctuation between two changes joins them, so that a
    reworded phrase reads as one deletion and one insertion rather than word by word."""
    matcher = difflib.SequenceMatcher(None, [a.key for a in olds], [a.key for a in news], autojunk=False)
    stretches: list[tuple[str, list[_Atom], list[_Atom]]] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old, new = olds[i1:i2], news[j1:j2]
        between = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (between and all(a.text is not None and not a.text.strip("\u00a0 ,;:.") for a in new)):
            stretches.append(("equal", old, new))
        elif stretches and stretches[-1][0] == "change":
            _, before_old, before_new = stretches.pop()
            stretches.append(("change", before_old + old, before_new + new))
        else:
            stretches.append(("change", old, new))
    return stretches


def _replace_content(paragraph: Element, children: list[Element]) -> None:
    for child in [c for c in paragraph if c.tag != qn("w:pPr")]:
        paragraph.remove(child)
    for child in children:
        paragraph.append(child)


def _unrevised_alike(paragraph: Element, other: Element) -> bool:
    """Whether `paragraph`'s mark is not revised and the two paragraphs' properties, but for
    their marks', are the same: joined, the one keeps the other's."""

    def properties(of: Element) -> bytes:
        found = of.find(qn("w:pPr"))
        if found is None:
            return b""
        found = copy.deepcopy(found)
        for mark in found.findall(qn("w:rPr")):
            found.remove(mark)
        return _canonical(found)

    marks = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    revised = marks is not None and any(e.tag in (qn("w:ins"), qn("w:del")) for e in marks)
    return not revised and properties(paragraph) == properties(other)


def _unmark_paragraph(paragraph: Element) -> None:
    marks = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
    if marks is not None:
        for revision in [e for e in marks if e.tag in (qn("w:ins"), qn("w:del"))]:
            marks.remove(revision)


def _style(paragraph: Element) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _text(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(_TEXT))


def _headings(table: Element) -> tuple[str, ...]:
    """The text of each cell of a table's first row: its columns' headings."""
    first = table.find(qn("w:tr"))
    return tuple(_text(c) for c in first.iter(qn("w:tc"))) if first is not None else ()


def _notes(document: Document) -> dict[str, Element]:
    root = _notes_root(document)
    return {note.get(qn("w:id")): note for note in root.findall(qn("w:footnote"))} if root is not None else {}


def _notes_root(document: Document) -> Element | None:
    """The document's footnotes, w:footnotes; None where it has none."""
    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return None
    return part.element if isinstance(part, XmlPart) else None


def _rename_apart(part: Part, names: ooxml.PackageNames) -> None:
    """Give `part` and the parts it relates to names the new package does not use yet (`names`)."""
    pending = [part]
    while pending:
        current = pending.pop()
        name = str(current.partname)
        current.partname = names.next(re.sub(r"\d*(\.\w+)$", r"%d\1", name)) if name in names else names.take(name)
        pending += [r.target_part for r in current.rels.values() if not r.is_external]
