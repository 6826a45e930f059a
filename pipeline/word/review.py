"""Read an editor's review out of a briefing this pipeline built: every comment (with its
replies, and whether it is resolved, where commentsExtended says), every tracked insertion and
deletion, and every untracked edit, each placed on the item whose bookmark (`marks`) it falls
in. A remark in no bookmark is placed by its paragraph's text where that holds an item's text
whole (a bookmark lost on the way); else it stays unplaced, with its paragraph as context.
This knows items by kind, id and field only; which cell they are is the briefing side's to say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from lxml import etree

from ..briefing import wording
from ..characters import unheld
from ..errors import InputError
from ..packages import DTDRefused, opened, read_head
from . import customxml
from .marks import Mark
from .ooxml import qn

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
# An item's text found whole in a paragraph places a remark there only when this long: a short
# one (a heading, "Trade") may stand in any sentence.
_FOUND_FROM = 20
_DC = "http://purl.org/dc/elements/1.1/"
# The parts read: the text, the comments, Word's note of replies and resolved ones, the title.
_PARTS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml", "docProps/core.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class RemarkKind(StrEnum):
    COMMENT = "comment"
    INSERTION = "insertion"
    DELETION = "deletion"
    EDIT = "edit"  # text changed without tracking


@dataclass(frozen=True)
class Reply:
    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Remark:
    """One remark, on the item `mark` bookmarks (None: not placed). `proposed` is the item's
    text with every change to it applied; `context`, the text of the paragraph it stands in."""

    kind: RemarkKind
    mark: Mark | None
    author: str
    date: str
    text: str
    context: str
    proposed: str | None = None
    replies: tuple[Reply, ...] = ()
    resolved: bool = False


@dataclass(frozen=True)
class Reviewed:
    workbook_name: str  # the workbook the briefing was built from, by name
    snapshot: bytes
    remarks: list[Remark]


def read(path: Path) -> Reviewed:
    """The review of the briefing at `path`; InputError when this pipeline did not build it."""
    snapshot = customxml.read(path)
    listed = customxml.read(path, customxml.MARKS_NAMESPACE, customxml.MARKS_ROOT)
    if snapshot is None or listed is None:
        raise InputError(
            f"{path} was not built by this pipeline (or was built before its items were marked for review); "
            "review reads only a briefing `make report` wrote. Build one and send that for review."
        )
    try:
        marks, workbook_name = _listed(json.loads(listed))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(f"{path} holds a damaged list of its items ({exc}); build the briefing again.") from None
    read_head(path, customxml.PREVIOUS)
    with opened(path, customxml.PREVIOUS) as package:
        present = set(package.namelist())
        parts = {name: _parsed(path, name, package.read(name)) for name in _PARTS if name in present}
    document = parts.get("word/document.xml")
    if document is None:
        raise InputError(f"{path} has no text (no word/document.xml): it is not a Word document. Give the briefing as saved.")
    comments, extended, properties = (parts.get(name) for name in _PARTS[1:])
    if _is_redline(properties, marks.values()):
        raise InputError(
            f"{path} is the redline of a briefing, not the briefing: its tracked changes are the build's own, marking "
            "what changed since the last edition, and would be read as an editor's. Review reads the briefing itself "
            "(reports/<name>.docx, not <name>.changes.docx): send the editor that one, or have her comments made there."
        )
    return Reviewed(workbook_name, snapshot, _Walk(marks).remarks(document, comments, extended))


def _listed(data: Any) -> tuple[dict[str, Mark], str]:
    """The marks by bookmark name, and the workbook's name, of the list the build wrote: what
    review copies from it into the open comments must be what the next build reads, and the
    name is a file's in inputs/, never a path elsewhere."""
    rows, workbook_name = data["marks"], data["workbook"]
    for row in rows:
        if not isinstance(row, list) or not all(isinstance(v, str) or (n == 2 and v is None) for n, v in enumerate(row)):
            raise ValueError("an item is not a list of texts")
    if not isinstance(workbook_name, str) or Path(workbook_name).name != workbook_name or workbook_name in ("", ".", ".."):
        raise ValueError("the workbook is not named by a file name")
    character = unheld([workbook_name, *(v for row in rows for v in row if v is not None)])
    if character is not None:
        raise ValueError(f"it holds U+{ord(character):04X}, which no workbook cell may hold")
    return {row[0]: Mark(*row) for row in rows}, workbook_name


def _is_redline(properties, marks) -> bool:
    """Whether the document's title is the one the redline of this briefing carries: exact, so
    that a briefing whose own title starts "Redline:" is still read. Word and LibreOffice keep
    the title when they save."""
    title = next((m.printed for m in marks if m.key == ("briefing", "title", "value")), None)
    found = properties.find(f"{{{_DC}}}title") if properties is not None else None
    return title is not None and found is not None and found.text == wording.redline_title(title)[:255]


def _parsed(path: Path, name: str, data: bytes):
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path} is damaged: its part {name} is not XML Word can read ({exc}).") from None
    if root.getroottree().docinfo.doctype:
        raise customxml.PREVIOUS.refuse(f"{path} is refused: {DTDRefused()}.")
    return root


@dataclass
class _Text:
    original: list[str] = field(default_factory=list)  # as built: deletions kept, insertions left out
    accepted: list[str] = field(default_factory=list)  # every change applied


class _Walk:
    """One pass over the document in reading order, noting which bookmarks are open where."""

    def __init__(self, marks: dict[str, Mark]):
        self.marks = marks
        self.texts: dict[str, _Text] = {}
        self.open: dict[str, str] = {}  # bookmark id -> name, of ours
        self.comment_marks: dict[str, str | None] = {}
        self.comment_context: dict[str, str] = {}
        self.open_comments: set[str] = set()
        self.changes: list[tuple[RemarkKind, Any, str | None, str]] = []
        self.by_opening: dict[str, list[tuple[int, Mark]]] = {}  # marks of text long enough to be found, by its start
        self.found_in: dict[str, Mark | None] = {}  # the mark each paragraph's text holds whole

    def remarks(self, document, comments, extended) -> list[Remark]:
        body = document.find(qn("w:body"))
        for paragraph in body.iter(qn("w:p")) if body is not None else ():
            self._paragraph(paragraph)
        found = [self._comment(c) for c in self._comments(comments, extended)]
        for kind, element, name, context in self.changes:
            text = "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))
            mark = self._placed(name, context)
            found.append(
                Remark(
                    kind,
                    mark,
                    element.get(qn("w:author"), ""),
                    element.get(qn("w:date"), ""),
                    text,
                    context,
                    self._proposed(mark),
                )
            )
        found += self._edits()
        return found

    def _paragraph(self, paragraph) -> None:
        context: list[str] = []
        starts = []
        for element in paragraph.iter():
            tag = element.tag
            if tag == qn("w:bookmarkStart"):
                name = element.get(qn("w:name"))
                if name in self.marks:
                    self.open[element.get(qn("w:id"))] = name
                    self.texts.setdefault(name, _Text())
                    for comment in self.open_comments:
                        if self.comment_marks.get(comment) is None:
                            self.comment_marks[comment] = name
            elif tag == qn("w:bookmarkEnd"):
                self.open.pop(element.get(qn("w:id")), None)
            elif tag == qn("w:commentRangeStart") or tag == qn("w:commentReference"):
                number = element.get(qn("w:id"))
                if number not in self.comment_marks:
                    self.comment_marks[number] = self._innermost()
                    starts.append(number)
                if tag == qn("w:commentRangeStart"):
                    self.open_comments.add(number)
            elif tag == qn("w:commentRangeEnd"):
                self.open_comments.discard(element.get(qn("w:id")))
            elif tag in (qn("w:ins"), qn("w:del")):
                kind = RemarkKind.INSERTION if tag == qn("w:ins") else RemarkKind.DELETION
                self.changes.append((kind, element, self._innermost(), ""))
                starts.append(len(self.changes) - 1)
            elif tag in (qn("w:t"), qn("w:delText")):
                self._text(element, context)
        shown = "".join(context)
        for start in starts:
            if isinstance(start, int):
                kind, element, name, _ = self.changes[start]
                self.changes[start] = (kind, element, name, shown)
            else:
                self.comment_context[start] = shown

    def _text(self, element, context: list[str]) -> None:
        text = element.text or ""
        deleted = element.tag == qn("w:delText") or _within(element, qn("w:del"))
        inserted = not deleted and _within(element, qn("w:ins"))
        if not deleted:
            context.append(text)
        for name in self.open.values():
            held = self.texts[name]
            if not inserted:
                held.original.append(text)
            if not deleted:
                held.accepted.append(text)

    def _innermost(self) -> str | None:
        return next(reversed(self.open.values()), None)

    def _placed(self, name: str | None, context: str) -> Mark | None:
        """The mark `name`, or the item whose text the paragraph holds whole (the longest; of
        those as long, the first listed)."""
        if name is not None:
            return self.marks[name]
        if context not in self.found_in:
            self.found_in[context] = self._holding(context)
        return self.found_in[context]

    def _holding(self, context: str) -> Mark | None:
        # Each of the paragraph's places looked up by the text that starts there: a paragraph's
        # length of look-ups, not one per item, for each of thousands of remarks on no item.
        if not self.by_opening:
            for number, mark in enumerate(self.marks.values()):
                if len(mark.printed) >= _FOUND_FROM:
                    self.by_opening.setdefault(mark.printed[:_FOUND_FROM], []).append((number, mark))
        held = [
            (len(mark.printed), -number, mark)
            for at in range(len(context) - _FOUND_FROM + 1)
            for number, mark in self.by_opening.get(context[at : at + _FOUND_FROM], ())
            if context.startswith(mark.printed, at)
        ]
        return max(held, key=lambda found: found[:2], default=(0, 0, None))[2]

    def _proposed(self, mark: Mark | None) -> str | None:
        if mark is None or mark.name not in self.texts:
            return None
        text = "".join(self.texts[mark.name].accepted)
        if mark.before and text.startswith(mark.before):
            text = text[len(mark.before) :]
        if mark.after and text.endswith(mark.after):
            text = text[: len(text) - len(mark.after)]
        return text

    def _edits(self) -> list[Remark]:
        """Items whose text, as built, differs from what the build printed: edited untracked."""
        found = []
        for name, text in self.texts.items():
            mark = self.marks[name]
            original = "".join(text.original)
            if original != mark.printed:
                proposed = self._proposed(mark)
                found.append(Remark(RemarkKind.EDIT, mark, "", "", original, original, proposed))
        return found

    def _comments(self, comments, extended):
        """Each comment as (id, author, date, text, replies, resolved); replies folded into the comment they answer."""
        if comments is None:
            return []
        states: dict[str, tuple[str | None, bool]] = {}
        for entry in extended.iter(f"{{{_W15}}}commentEx") if extended is not None else ():
            states[entry.get(f"{{{_W15}}}paraId")] = (entry.get(f"{{{_W15}}}paraIdParent"), entry.get(f"{{{_W15}}}done") == "1")
        listed: list[list] = []
        by_paragraph: dict[str, list] = {}
        for comment in comments.iter(qn("w:comment")):
            paragraphs = comment.findall(qn("w:p"))
            text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs)
            last = paragraphs[-1].get(f"{{{_W14}}}paraId") if paragraphs else None
            entry = [comment.get(qn("w:id")), comment.get(qn("w:author"), ""), comment.get(qn("w:date"), ""), text, [], False]
            parent, done = states.get(last or "", (None, False))
            entry[5] = done
            if parent is not None and parent in by_paragraph:
                thread = by_paragraph[parent]
                thread[4].append(Reply(entry[1], entry[2], text))
                if last is not None:  # a reply to this reply joins the same thread
                    by_paragraph.setdefault(last, thread)
                continue
            if last is not None:
                by_paragraph[last] = entry
            listed.append(entry)
        return listed

    def _comment(self, entry) -> Remark:
        number, author, date, text, replies, resolved = entry
        context = self.comment_context.get(number, "")
        mark = self._placed(self.comment_marks.get(number), context)
        return Remark(RemarkKind.COMMENT, mark, author, date, text, context, None, tuple(replies), resolved)


def _within(element, tag: str) -> bool:
    parent = element.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False
