"""The review round trip's middle: an editor's remarks, read from the .docx on the Word side
(`word.review`), placed on the workbook's cells, and written back on the workbook side
(`workbook.annotate.write_review`); the comments left open kept for the next build to put
back (`carried`). Which sheet an item is on comes from the contract and the editions' kinds,
which column from the field the Word side marked (blank: the row's id), which row from the
workbook as it is now: an item the analyst has since deleted is not placed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .briefing.editions import KINDS
from .errors import CannotWrite, InputError
from .files import reading, write_bytes
from .formats import visible
from .json_input import JsonInput
from .packages import InputKind, read_head
from .word.marks import OpenComment
from .word.review import Remark, RemarkKind
from .workbook.load import LoadedWorkbook, load

_SHEETS = {kind.value: sheet for sheet, kind in KINDS.items()}


@dataclass(frozen=True)
class Placed:
    """A remark and the cell it lands on (all None: not placed)."""

    remark: Remark
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None  # "C12"

    @property
    def item_id(self) -> str | None:
        return self.remark.mark.item_id if self.remark.mark else None

    def as_json(self) -> dict[str, object]:
        r = self.remark
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "id": self.item_id,
            "kind": r.kind.value,
            "author": r.author,
            "date": r.date,
            "text": r.text,
            "proposed": r.proposed,
            "context": r.context,
            "replies": [{"author": p.author, "date": p.date, "text": p.text} for p in r.replies],
            "resolved": r.resolved,
        }


@dataclass(frozen=True)
class Review:
    """What `review` found in `reviewed`, placed on `workbook`; the copy it wrote, and where the
    open comments wait for the next build."""

    reviewed: Path
    workbook: Path
    remarks: list[Placed]
    copy: Path
    carried: Path

    @property
    def not_placed(self) -> list[Placed]:
        return [p for p in self.remarks if p.sheet is None]


def carried_path(output: Path) -> Path:
    """Where the open comments of a review of `output` (reports/x.docx) wait: reports/x.review.json."""
    return output.with_name(f"{output.stem}.review.json")


def review(reviewed: str | Path, workbook: str | Path | None = None, reports: str | Path = "reports") -> Review:
    """Read the review of the briefing `reviewed` and place each remark on its cell of
    `workbook` (by default inputs/<the name it was built from>.xlsx); write the workbook's copy
    with the remarks, reports/<name>.review.xlsx, and the open comments for the next build,
    reports/<name>.review.json. The workbook is only read; a .docx this pipeline did not build,
    or built from another workbook, is refused."""
    from .word import review as word_review  # here: python-docx is loaded only to read a .docx

    reviewed = Path(reviewed)
    if reviewed.suffix.lower() != ".docx":
        raise InputError(f"review reads a briefing (.docx) an editor reviewed, not {reviewed.name}.")
    found = word_review.read(reviewed)
    workbook = Path(workbook) if workbook is not None else Path("inputs") / f"{found.workbook_name}.xlsx"
    if workbook.stem != found.workbook_name:
        raise InputError(
            f"{reviewed} was built from the workbook {found.workbook_name}, not {workbook.name}; its remarks would land "
            f"on the wrong rows. Give the workbook it was built from."
        )
    reports = Path(reports)
    copy, carried = reports / f"{workbook.stem}.review.xlsx", reports / f"{workbook.stem}.review.json"
    with reading(workbook, reviewed):
        loaded = load(workbook)
        placed = [_placed(remark, loaded) for remark in found.remarks]
        from .workbook import annotate  # here: openpyxl is loaded only to write a workbook

        remarks = [
            annotate.CellRemark(
                p.sheet,
                p.cell or "A1",
                p.remark.kind.value,
                p.remark.author,
                p.remark.date,
                _said(p.remark),
                p.remark.proposed,
                p.remark.context,
            )
            for p in placed
        ]
        try:
            annotate.write_review(workbook, remarks, reviewed.name, copy)
            write_bytes(carried, _open_comments(placed))
        except OSError as exc:
            raise CannotWrite(copy, exc) from exc
    return Review(reviewed, workbook, placed, copy, carried)


def _said(remark: Remark) -> str:
    """A comment's text with its replies, each with who wrote it."""
    replies = "".join(f"\n↳ {reply.author}: {reply.text}" for reply in remark.replies)
    resolved = " (resolved)" if remark.resolved else ""
    return f"{remark.text}{resolved}{replies}"


def _placed(remark: Remark, loaded: LoadedWorkbook) -> Placed:
    mark = remark.mark
    if mark is None:
        return Placed(remark)
    data = loaded.sheets.get(_SHEETS.get(mark.kind, ""))
    if data is None:
        return Placed(remark)
    if data.contract.key_value:  # the Briefing sheet: the field's value cell
        cell = data.fields().get(mark.item_id or "")
        if cell is None:
            return Placed(remark)
        row = int("".join(ch for ch in cell.ref if ch.isdigit()))
        return Placed(remark, data.title, row, "value", cell.ref)
    id_column = data.contract.id_column
    if id_column is None:
        return Placed(remark)
    column = mark.field or id_column.name
    letter = data.columns.get(column) or data.columns.get(id_column.name)
    ids = data.column(id_column.name)
    try:
        index = ids.index(mark.item_id)
    except ValueError:  # the analyst has deleted the row since
        return Placed(remark)
    row = data.rows[index]
    return Placed(remark, data.title, row, column, f"{letter}{row}")


def _open_comments(placed: list[Placed]) -> bytes:
    """The comments left open (not resolved) on an item, as the next build puts them back."""
    kept = [
        {
            "kind": p.remark.mark.kind,
            "id": p.remark.mark.item_id,
            "field": p.remark.mark.field,
            "author": p.remark.author,
            "date": p.remark.date,
            "text": _said(p.remark),
        }
        for p in placed
        if p.remark.kind == RemarkKind.COMMENT and not p.remark.resolved and p.remark.mark is not None
    ]
    return (json.dumps(kept, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


# The open comments a review left, read back as any input is (`json_input`): no larger than
# the comments on every item of the longest briefing, text as a workbook cell may hold it.
_CARRIED = JsonInput(
    noun="list of the comments a review left open",
    article="a",
    limit=64 << 20,
    remedy="Run review again on the reviewed briefing, or remove the file.",
)
_CARRIED_FILE = InputKind(
    noun="list of open comments", error=InputError, program="review", missing=_CARRIED.remedy, too_big=_CARRIED.remedy
)
# Each open comment's fields, as `_open_comments` writes them: text, but the id may be null.
_COMMENT_FIELDS = ("kind", "id", "field", "author", "date", "text")


def carried(output: Path) -> tuple[OpenComment, ...]:
    """The open comments a review of `output` left, for its next build; none without a review.
    A damaged or hostile file is refused, naming it, never printing its text."""
    path = carried_path(output)
    if not os.path.lexists(path):
        return ()
    read_head(path, _CARRIED_FILE)  # a regular file: reading a pipe would wait for ever
    listed = _CARRIED.parse(_CARRIED.read(path), str(path))
    try:
        if not isinstance(listed, list):
            raise ValueError("it is not a list")
        return tuple(_open_comment(entry) for entry in listed)
    except ValueError as exc:
        raise InputError(f"{path} holds a damaged {_CARRIED.noun}: {exc}. {_CARRIED.remedy}") from None


def _open_comment(entry: object) -> OpenComment:
    if not isinstance(entry, dict):
        raise ValueError("an entry is not an object")
    for field in _COMMENT_FIELDS:
        if field not in entry:
            raise ValueError(f"an entry has no {field}")
        if not isinstance(entry[field], str) and not (field == "id" and entry[field] is None):
            raise ValueError(f"the {field} of an entry is not a string")
    return OpenComment(entry["kind"], entry["id"], entry["field"], entry["author"], entry["date"], entry["text"])


def gone(comment: OpenComment) -> str:
    """The build's word on an open comment whose item the briefing no longer prints."""
    return visible(
        f"An open comment of {comment.author or 'the editor'} ({comment.date[:10]}) on {comment.kind} "
        f"{comment.item_id} is not carried over: the briefing no longer prints that item. It said: {comment.text}"
    )


def text_report(found: Review) -> str:
    """The remarks grouped by sheet, then those not placed, with their context."""
    lines = [f"Review of {found.reviewed}: {len(found.remarks)} remark(s), {len(found.not_placed)} not placed."]
    by_sheet: dict[str, list[Placed]] = {}
    for p in found.remarks:
        by_sheet.setdefault(p.sheet or "", []).append(p)
    for sheet in sorted(by_sheet, key=lambda s: (s == "", s)):
        lines.append("")
        lines.append(f"{sheet}:" if sheet else "Not placed:")
        for p in by_sheet[sheet]:
            r = p.remark
            where = f"{sheet}!{p.cell}" if sheet else f"in “{r.context[:80]}”"
            who = f" by {r.author}" if r.author else ""
            said = f"{where}: {r.kind.value}{who}: {_said(r)}"
            if r.proposed is not None and r.kind != RemarkKind.COMMENT:
                said += f" → {r.proposed}"
            lines.append(visible(said.replace("\n", " ")))
    lines.append("")
    lines.append(f"Wrote {found.copy}; the open comments go back into the next build ({found.carried}).")
    return "\n".join(lines)
