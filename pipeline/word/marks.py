"""Where each item's text lies in the briefing, so that an editor's remarks find their way back.

Each item the workbook gives text for (a statement, a figure's indicator and value, an event,
a chart, a chapter's heading and intro, the Briefing fields the cover and the bottom line
print) is wrapped in a bookmark named from its kind, id and field. Word and LibreOffice keep
bookmarks when they save, and the names are hidden ones (starting with `_`, as Word's own
`_Toc` marks do), so that the editor's bookmark list shows none of the thousands a long
briefing has. Beside the snapshot, a custom XML part (`customxml.MARKS_NAMESPACE`) lists each
bookmark with the item it marks and the text it printed, which `review` compares with the text
found there, to tell untracked edits. The Word side knows items by their kind and field only;
which sheet, row and column they are is the briefing side's to say.

Open comments of a review carry over: given `OpenComment`s, the marks put each back, as a Word
comment with its author and date, around the same item's text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from lxml import etree

from . import customxml
from .ooxml import Bookmark, qn, span_printing, xml_text

# Word's limit on a bookmark's name; a name is a letter or `_`, then letters, digits and `_`.
NAME_AT_MOST = 40
_KIND_LETTERS = {"statement": "S", "figure": "F", "event": "E", "chart": "C", "section": "H", "briefing": "B"}
_UNSAFE = re.compile(r"[^A-Za-z0-9]")
_ID_AT_MOST = 20


@dataclass(frozen=True)
class Mark:
    """One bookmark: the item (`kind`, `item_id`, `field`) whose text it wraps, and that text as
    printed; `before` and `after` are what the print adds around the workbook's text (a
    quote's quotation marks), left out of what an edit proposes for the cell."""

    name: str
    kind: str
    item_id: str | None
    field: str
    printed: str
    before: str = ""
    after: str = ""

    @property
    def key(self) -> tuple[str, str | None, str]:
        return self.kind, self.item_id, self.field


@dataclass(frozen=True)
class OpenComment:
    """A comment a review left open, to put back on its item (`kind`, `item_id`, `field`)."""

    kind: str
    item_id: str | None
    field: str
    author: str
    date: str  # as Word writes it, 2022-08-31T00:00:00Z
    text: str


def bookmark_name(kind: str, item_id: str | None, field: str, occurrence: int) -> str:
    """`_RST_S12`: hidden (`_`), R for a row, the kind's and the field's letters, the id as far
    as it is letters and digits, the occurrence past the first; with a hash of the whole where
    the id had to change or be cut, so that every item has a name of its own, within Word's 40."""
    field_letter = (field[:1] or "W").upper()
    text = item_id or ""
    safe = _UNSAFE.sub("", text)
    name = f"_R{_KIND_LETTERS[kind]}{field_letter}_{safe[:_ID_AT_MOST]}"
    if safe != text or len(safe) > _ID_AT_MOST or field not in _PLAIN_FIELDS:
        name += "_" + hashlib.sha256(f"{kind}\0{text}\0{field}".encode()).hexdigest()[:8]
    if occurrence:
        name += f"_{occurrence}"
    return name[:NAME_AT_MOST]


# Fields told apart by their first letter alone; any other gets a hash too.
_PLAIN_FIELDS = {"text", "value", "indicator", "heading", "intro", "title", "event", ""}


class Marks:
    """The bookmarks of one document, made as the renderer prints items, and the comments
    carried over onto them. Bookmark ids follow `first_id` (the contents list's come before);
    comment ids count from 0 in the order placed: the same inputs, the same ids."""

    def __init__(self, first_id: int, carried: tuple[OpenComment, ...] = ()):
        self._next_id = first_id
        # Each mark as the marks part lists it (a `Mark`'s fields, in order): some ten thousand a
        # long briefing, kept as the rows they are written as rather than made into objects.
        self.listed: list[list[str | None]] = []
        self._occurrences: dict[tuple, int] = {}
        self._carried: dict[tuple, list[OpenComment]] = {}
        for comment in carried:
            self._carried.setdefault((comment.kind, comment.item_id, comment.field), []).append(comment)
        self.placed: list[OpenComment] = []

    def mark(
        self,
        paragraph,
        kind: str,
        item_id: str | None,
        field: str,
        printed: str,
        cell_text: str | None = None,
        placed: Bookmark | None = None,
    ) -> None:
        """Wrap the runs of `paragraph` (an element) that print `printed` in a bookmark for the
        item; the whole paragraph when `printed` is empty or not found run for run. The
        bookmark `placed` is the one the paragraph was made with around those runs, where it was
        (`ooxml.Body`): only its id and name are set."""
        key = (kind, item_id, field)
        occurrence = self._occurrences.get(key, 0)
        self._occurrences[key] = occurrence + 1
        name = bookmark_name(kind, item_id, field, occurrence)
        number = str(self._next_id)
        self._next_id += 1
        if placed is not None:
            start, end = placed
        else:
            first, last = _runs_printing(paragraph, printed)
            start, end = _BOOKMARK_START.__copy__(), _BOOKMARK_END.__copy__()
            if first is None:  # the whole paragraph, and its text as printed (a character XML cannot hold shown as U+FFFD)
                cell_text = cell_text or printed
                printed = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
                properties = paragraph.find(qn("w:pPr"))
                paragraph.insert(0 if properties is None else 1, start)
                paragraph.append(end)
            else:
                first.addprevious(start)
                last.addnext(end)
        start.set(_ID, number)
        start.set(_NAME, name)
        end.set(_ID, number)
        before, after = "", ""
        if cell_text and printed != cell_text and cell_text in printed:
            before, _, after = printed.partition(cell_text)
        self.listed.append([name, kind, item_id, field, printed, before, after])
        for comment in self._carried.pop(key, []) if occurrence == 0 else []:
            self._comment_on(start, end, comment)

    def _comment_on(self, start, end, comment: OpenComment) -> None:
        number = str(len(self.placed))
        self.placed.append(comment)
        range_start = OxmlElement("w:commentRangeStart")
        range_start.set(qn("w:id"), number)
        start.addnext(range_start)
        range_end = OxmlElement("w:commentRangeEnd")
        range_end.set(qn("w:id"), number)
        reference = OxmlElement("w:r")
        etree.SubElement(reference, qn("w:commentReference")).set(qn("w:id"), number)
        end.addprevious(range_end)
        end.addnext(reference)

    @property
    def unplaced(self) -> list[OpenComment]:
        """The comments carried over whose item this document no longer prints."""
        return [comment for comments in self._carried.values() for comment in comments]

    def embed(self, document: Document, workbook_name: str) -> None:
        """The list of marks as the document's second custom XML part, and the comments
        carried over as its comments part."""
        listed = {"workbook": workbook_name, "marks": self.listed}
        data = json.dumps(listed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        customxml.embed(document, data, customxml.MARKS_NAMESPACE, customxml.MARKS_ROOT)
        self.comments_in(document)

    def comments_in(self, document: Document) -> None:
        """The comments placed so far as the document's comments part, made or made again: a
        document whose text refers to comments must hold them whenever it is saved (the layout
        pass saves it before the end, and LibreOffice will not open it otherwise)."""
        if self.placed:
            _comments_part(document, self.placed)


# A bookmark's two ends are copies of these, which lxml makes in C: some ten thousand a long briefing.
_BOOKMARK_START, _BOOKMARK_END = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
_ID, _NAME, _RUN, _TEXT = qn("w:id"), qn("w:name"), qn("w:r"), qn("w:t")


def _runs_printing(paragraph, printed: str):
    """The first and last of the paragraph's runs whose text together is `printed`, or (None, None)."""
    runs: list = []

    def texts() -> Iterator[str]:
        # Each run's text read as the search comes to it: the item's text is most often an early
        # run, the runs after it (a confidence sentence, a note's mark) are never read.
        for run in paragraph.iter(_RUN):
            runs.append(run)
            yield "".join(t.text or "" for t in run.iter(_TEXT))

    span = span_printing(texts(), printed)
    return (runs[span[0]], runs[span[1]]) if span is not None else (None, None)


def _comments_part(document: Document, comments: list[OpenComment]) -> None:
    root = OxmlElement("w:comments")
    for number, comment in enumerate(comments):
        element = etree.SubElement(root, qn("w:comment"))
        element.set(qn("w:id"), str(number))
        element.set(qn("w:author"), comment.author)
        element.set(qn("w:date"), comment.date)
        element.set(qn("w:initials"), "".join(word[:1] for word in comment.author.split())[:8])
        for line in comment.text.split("\n") or [""]:
            run = etree.SubElement(etree.SubElement(element, qn("w:p")), qn("w:r"))
            shown = etree.SubElement(run, qn("w:t"))
            shown.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            shown.text = xml_text(line)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    existing = next((r.target_part for r in document.part.rels.values() if r.reltype == RT.COMMENTS), None)
    if existing is not None:
        existing._blob = data
        return
    part = Part(PackURI("/word/comments.xml"), CT.WML_COMMENTS, data, document.part.package)
    document.part.relate_to(part, RT.COMMENTS)
