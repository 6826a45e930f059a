"""The review round trip: an editor's comments, tracked changes and untracked edits in a
briefing come back onto the workbook's cells; no build writes over a reviewed briefing; open
comments are carried into the next build."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree

import pipeline
from pipeline.cli import main
from pipeline.reviews import carried as reviews_carried
from pipeline.word.marks import NAME_AT_MOST, bookmark_name

from .conftest import PERSIAN, check_docx, multilingual_book, released_edition, repacked, write_workbook
from .test_make import make  # noqa: F401  (the fixture)

NAME = "russia_iran_ties"  # the sample's name, as the tests' own copy of it has it


def _bookmarked_runs(document, name: str):
    """The python-docx runs between the bookmark `name`'s start and end, and their paragraph."""
    for paragraph in document.paragraphs + [p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]:
        element = paragraph._p
        starts = [s for s in element.iter(qn("w:bookmarkStart")) if s.get(qn("w:name")) == name]
        if not starts:
            continue
        number = starts[0].get(qn("w:id"))
        runs, inside = [], False
        for child in element:
            if child is starts[0]:
                inside = True
            elif child.tag == qn("w:bookmarkEnd") and child.get(qn("w:id")) == number:
                break
            elif inside and child.tag == qn("w:r"):
                runs.append(child)
        return paragraph, [r for r in paragraph.runs if r._r in runs]
    raise AssertionError(f"no bookmark {name}")


def _tracked(tag: str, author: str, text: str, number: int):
    change = etree.Element(qn(tag))
    change.set(qn("w:id"), str(number))
    change.set(qn("w:author"), author)
    change.set(qn("w:date"), "2022-09-02T10:00:00Z")
    run = etree.SubElement(change, qn("w:r"))
    shown = etree.SubElement(run, qn("w:delText" if tag == "w:del" else "w:t"))
    shown.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    shown.text = text
    return change


def _statements(docx_path: Path) -> list[str]:
    """The ids of the statements printed in the chapters, by their bookmarks."""
    with zipfile.ZipFile(docx_path) as package:
        names = [n for n in package.namelist() if n.startswith("customXml/item") and "Props" not in n]
        listed = next(json.loads(etree.fromstring(package.read(n)).text) for n in names if b"marks" in package.read(n)[:300])
    return [m[2] for m in listed["marks"] if m[1] == "statement" and m[3] == "text"]


def _reviewed(built: Path, target: Path) -> dict:
    """`built` as an editor returns it: comments on a statement, a figure's value and the
    summary; a word inserted and one deleted, tracked, in a statement; another edited untracked."""
    document = docx.Document(str(built))
    statements = _statements(built)
    commented, tracked, edited = statements[5], statements[6], statements[7]
    _, runs = _bookmarked_runs(document, bookmark_name("statement", commented, "text", 0))
    document.add_comment(runs, text="Source? This needs a second one.", author="Ed Itor", initials="EI")
    figures = [m for m in _marks(built) if m[1] == "figure" and m[3] == "value"]
    _, runs = _bookmarked_runs(document, figures[0][0])
    document.add_comment(runs, text="Check this value against the IMF.", author="Ed Itor", initials="EI")
    _, runs = _bookmarked_runs(document, bookmark_name("briefing", "summary", "value", 0))
    document.add_comment(runs, text="Too long for a bottom line.", author="Second Reader", initials="SR")
    _, runs = _bookmarked_runs(document, bookmark_name("statement", tracked, "text", 0))
    last = runs[-1]._r
    words = last.find(qn("w:t")).text.rsplit(" ", 1)
    last.find(qn("w:t")).text = words[0] + " "
    last.addnext(_tracked("w:del", "Ed Itor", words[1], 9001))
    last.addnext(_tracked("w:ins", "Ed Itor", "reportedly ", 9002))
    _, runs = _bookmarked_runs(document, bookmark_name("statement", edited, "text", 0))
    runs[0].text = "An untracked rewording."
    document.save(str(target))
    return {"commented": commented, "tracked": tracked, "edited": edited, "figure": figures[0][2]}


def _marks(built: Path) -> list:
    with zipfile.ZipFile(built) as package:
        for name in package.namelist():
            if name.startswith("customXml/item") and "Props" not in name:
                root = etree.fromstring(package.read(name))
                if root.tag.endswith("}marks"):
                    return json.loads(root.text)["marks"]
    raise AssertionError("no marks")


@pytest.fixture(scope="session")
def built(tmp_path_factory, sample_xlsx) -> Path:
    folder = tmp_path_factory.mktemp("review")
    inputs = folder / "inputs"
    inputs.mkdir()
    shutil.copy(sample_xlsx, inputs / sample_xlsx.name)
    built = pipeline.build(inputs / sample_xlsx.name, folder / "reports" / f"{NAME}.docx")
    assert built.written
    return built.output


def _cells(workbook: Path) -> dict:
    """Each id's row on each sheet of `workbook`, and each column's letter, by header."""
    book = openpyxl.load_workbook(workbook, read_only=True)
    found = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        headers = [str(h).strip().lower() if h else "" for h in rows[0]]
        found[sheet.title] = (headers, {row[0]: n for n, row in enumerate(rows[1:], start=2) if row and row[0]})
    return found


def _check_placed(remarks: list[dict], names: dict, workbook: Path) -> None:
    cells = _cells(workbook)
    by = {(r["kind"], r["id"]): r for r in remarks}
    headers, rows = cells["Statements"]
    text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[headers.index("text")]
    comment = by[("comment", names["commented"])]
    assert (comment["sheet"], comment["cell"], comment["author"]) == (
        "Statements",
        f"{text}{rows[names['commented']]}",
        "Ed Itor",
    )
    figure = by[("comment", names["figure"])]
    fheaders, frows = cells["Figures"]
    assert (figure["sheet"], figure["column"]) == ("Figures", "value")
    assert figure["cell"] == f"{'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[fheaders.index('value')]}{frows[names['figure']]}"
    summary = by[("comment", "summary")]
    assert (summary["sheet"], summary["column"], summary["author"]) == ("Briefing", "value", "Second Reader")
    inserted, deleted = by[("insertion", names["tracked"])], by[("deletion", names["tracked"])]
    assert inserted["text"] == "reportedly " and inserted["cell"] == f"{text}{rows[names['tracked']]}"
    assert deleted["author"] == "Ed Itor" and deleted["text"]
    assert "reportedly" in inserted["proposed"] and deleted["text"] not in inserted["proposed"].split()[-1:]
    edit = by[("edit", names["edited"])]
    assert edit["proposed"] == "An untracked rewording." and edit["cell"] == f"{text}{rows[names['edited']]}"
    assert ("edit", names["tracked"]) not in by  # tracked changes are not also an untracked edit


def _review_json(reviewed: Path, workbook: Path, reports: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["review", str(reviewed), str(workbook), "--format", "json", "--reports", str(reports)]) == 0
    return json.loads(capsys.readouterr().out)


def test_each_remark_lands_on_its_cell(built, tmp_path, capsys):
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    before = workbook.read_bytes()
    remarks = _review_json(reviewed, workbook, tmp_path / "reports", capsys)
    _check_placed(remarks, names, workbook)
    assert workbook.read_bytes() == before
    copy = openpyxl.load_workbook(tmp_path / "reports" / f"{NAME}.review.xlsx")
    assert copy.sheetnames[0] == "Review"
    comment = copy["Statements"]
    assert any(c.comment is not None and "Source?" in c.comment.text for row in comment.iter_rows() for c in row)
    carried = json.loads((tmp_path / "reports" / f"{NAME}.review.json").read_text())
    assert {c["author"] for c in carried} == {"Ed Itor", "Second Reader"} and len(carried) == 3


@pytest.mark.reader
def test_a_copy_resaved_by_libreoffice_reviews_the_same(built, tmp_path, capsys, calc, writer):
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)
    out = writer("docx", reviewed)
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    remarks = _review_json(out / "reviewed.docx", workbook, tmp_path / "reports", capsys)
    _check_placed(remarks, names, workbook)
    folder = calc("csv", tmp_path / "reports" / f"{NAME}.review.xlsx")
    assert "Ed Itor" in (folder / f"{NAME}.review.csv").read_bytes().decode("utf-8", "replace")


def test_open_comments_come_back_in_the_next_build(built, tmp_path, capsys):
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    reports = tmp_path / "reports"
    _review_json(reviewed, workbook, reports, capsys)
    output = reports / f"{NAME}.docx"
    again = pipeline.build(workbook, output)
    check_docx(output)
    document = docx.Document(str(output))
    comments = {c.author: c.text for c in document.comments}
    assert comments["Second Reader"] == "Too long for a bottom line."
    assert "Source?" in comments["Ed Itor"] or "IMF" in comments["Ed Itor"]
    assert len(list(document.comments)) == 3
    assert not any("open comment" in note for note in again.notes)
    # The same inputs, the same bytes, comments and all.
    (tmp_path / "same").mkdir()
    shutil.copy(reports / f"{NAME}.review.json", tmp_path / "same" / f"{NAME}.review.json")
    pipeline.build(workbook, tmp_path / "same" / f"{NAME}.docx")
    assert (tmp_path / "same" / f"{NAME}.docx").read_bytes() == output.read_bytes()
    # A comment whose item is gone is told.
    carried = json.loads((reports / f"{NAME}.review.json").read_text())
    carried[0]["id"] = "NO-SUCH-ITEM"
    (reports / f"{NAME}.review.json").write_text(json.dumps(carried))
    output.unlink()
    told = pipeline.build(workbook, output)
    assert any("NO-SUCH-ITEM" in note for note in told.notes)
    assert names


_OPEN = {"kind": "statement", "id": "S1", "field": "text", "author": "Ed Itor", "date": "2022-09-01T00:00:00Z", "text": "Source?"}


def _open_comments(**changed: object) -> bytes:
    return json.dumps([{**_OPEN, **changed}], ensure_ascii=False).encode()


@pytest.mark.parametrize(
    "content, says",
    [
        (b'[{"kind": ', "is not JSON"),
        (b"\xff\xfe[]", "is not JSON"),
        (b"[" * 5000 + b"]" * 5000, "nests deeper"),
        (_open_comments(text="\u202eevil"), "U+202E"),
        (_open_comments(author="\x01"), "U+0001"),
        (_open_comments(text="X").replace(b'"X"', b'"\\ud800"'), "U+D800"),
        (_open_comments(text="\u200b"), "U+200B"),
        (_open_comments().replace(b'"S1"', b"NaN"), "NaN"),
        (_open_comments().replace(b'"S1"', b"9" * 400), "digits"),
        (json.dumps(_OPEN).encode(), "not a list"),
        (json.dumps(["Source?"]).encode(), "not an object"),
        (json.dumps([{k: v for k, v in _OPEN.items() if k != "text"}]).encode(), "has no text"),
        (_open_comments(text=["\u202e"]), "U+202E"),
        (_open_comments(text={"said": "Source?"}), "the text of an entry is not a string"),
    ],
    ids=[
        "cut-short",
        "not-utf8",
        "nested",
        "bidi",
        "control",
        "surrogate",
        "zero-width",
        "NaN",
        "400-digits",
        "not-a-list",
        "entry-not-an-object",
        "no-text",
        "bidi-in-a-list",
        "text-not-a-string",
    ],
)
def test_a_damaged_or_hostile_review_file_stops_the_build_naming_it_never_printing_its_text(
    book, write, tmp_path, capsys, content, says
):
    """The open comments a review left are an input like any other: the next build reads them
    as snapshots are read, and refuses a file that is not one a review wrote, exit 2."""
    workbook = write(book)
    out = tmp_path / "reports" / "book.docx"
    out.parent.mkdir()
    carried = out.with_name("book.review.json")
    carried.write_bytes(content)
    assert main(["build", str(workbook), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(carried) in err and says in err, err
    assert "\u202e" not in err and "Traceback" not in err
    assert not out.exists()


def test_a_review_file_larger_than_any_is_refused_unread(book, write, tmp_path, capsys, monkeypatch):
    from pipeline import reviews

    workbook = write(book)
    out = tmp_path / "book.docx"
    out.with_name("book.review.json").write_bytes(_open_comments(text="Source? " * 100))
    monkeypatch.setattr(reviews, "_CARRIED", dataclasses.replace(reviews._CARRIED, limit=500))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    assert main(["build", str(workbook), "-o", str(out)]) == 2
    assert "refused unread" in capsys.readouterr().err


def test_a_pipe_in_place_of_the_review_file_is_refused_not_waited_on(book, write, tmp_path, capsys):
    workbook = write(book)
    out = tmp_path / "book.docx"
    os.mkfifo(out.with_name("book.review.json"))
    assert main(["build", str(workbook), "-o", str(out)]) == 2
    assert "a pipe" in capsys.readouterr().err


def test_a_docx_not_built_here_or_from_another_workbook_is_refused(built, tmp_path, capsys, sample_xlsx):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    assert main(["review", str(plain), str(sample_xlsx), "--reports", str(tmp_path)]) == 2
    assert "not built by this pipeline" in capsys.readouterr().err
    other = tmp_path / "other_ties.xlsx"
    shutil.copy(sample_xlsx, other)
    assert main(["review", str(built), str(other), "--reports", str(tmp_path)]) == 2
    assert "built from the workbook russia_iran_ties" in capsys.readouterr().err
    assert not (tmp_path / "other_ties.review.xlsx").exists()


def test_remarks_on_generated_text_are_not_placed_but_listed(built, tmp_path, capsys):
    document = docx.Document(str(built))
    generated = next(
        p
        for p in document.paragraphs
        if p.style.name == "Body Text" and p.runs and not any(True for _ in p._p.iter(qn("w:bookmarkStart")))
    )
    document.add_comment(generated.runs, text="Is this count right?", author="Ed Itor")
    reviewed = tmp_path / "reviewed.docx"
    document.save(str(reviewed))
    remarks = _review_json(reviewed, built.parent.parent / "inputs" / f"{NAME}.xlsx", tmp_path / "reports", capsys)
    unplaced = [r for r in remarks if r["sheet"] is None]
    assert len(unplaced) == 1 and unplaced[0]["context"] == generated.text
    copy = openpyxl.load_workbook(tmp_path / "reports" / f"{NAME}.review.xlsx")
    assert any(row[1] == "not placed" for row in copy["Review"].iter_rows(values_only=True))


def test_bookmark_names_are_valid_and_short():
    for item_id in ("S1", "a-very.long_identifier-that-goes-on-and-on-1234567890", "x"):
        for field in ("text", "value", "scope_note", ""):
            name = bookmark_name("statement", item_id, field, 12)
            assert len(name) <= NAME_AT_MOST and name.startswith("_") and name[1:2].isalpha()
            assert all(ch.isalnum() or ch == "_" for ch in name) and name.isascii()
    assert bookmark_name("figure", "F-1", "value", 0) != bookmark_name("figure", "F1", "value", 0)


@pytest.mark.slow
def test_a_reviewed_briefing_is_kept_when_the_next_build_comes(tmp_path, make, sample_xlsx):  # noqa: F811
    inputs = tmp_path / "in"
    inputs.mkdir()
    workbook = inputs / sample_xlsx.name
    shutil.copy(sample_xlsx, workbook)
    first = make("report", f"WORKBOOK={workbook}")
    assert first.returncode == 0, first.stderr
    report = tmp_path / "out" / f"{NAME}.docx"
    document = docx.Document(str(report))
    document.add_comment(document.paragraphs[1].runs, text="Title too long.", author="Ed Itor")
    document.save(str(report))
    edited = report.read_bytes()
    book = openpyxl.load_workbook(workbook)
    sheet = book["Statements"]
    changed = sheet.cell(2, [c.value for c in sheet[1]].index("text") + 1)
    changed.value = f"{changed.value} Revised since."
    book.save(workbook)
    second = make("report", f"WORKBOOK={workbook}")
    assert second.returncode == 0, second.stderr
    kept = list((tmp_path / "out" / "review").glob(f"{NAME} *.docx"))
    assert len(kept) == 1 and kept[0].read_bytes() == edited
    assert str(kept[0]) in second.stdout + second.stderr
    assert report.read_bytes() != edited
    # A build over an unchanged report keeps nothing aside.
    workbook.touch()
    third = make("report", f"WORKBOOK={workbook}")
    assert third.returncode == 0 and len(list((tmp_path / "out" / "review").iterdir())) == 1
    # The kept copy reviewed through make: its comment on the title lands on the Briefing sheet,
    # and the next report, which watches the open comments, puts it back.
    reviewed = make("review", f"REVIEWED={kept[0]}", f"WORKBOOK={workbook}")
    assert reviewed.returncode == 0, reviewed.stderr
    assert "Briefing!" in reviewed.stdout and "Title too long." in reviewed.stdout
    assert (tmp_path / "out" / f"{NAME}.review.xlsx").is_file()
    fourth = make("report", f"WORKBOOK={workbook}")
    assert fourth.returncode == 0, fourth.stderr
    assert [c.text for c in docx.Document(str(report)).comments] == ["Title too long."]


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _threaded(reviewed: Path, target: Path, threads: list[tuple[bool, int | None]]) -> Path:
    """A copy of `reviewed` whose comments, in order, are marked as Word marks them in
    commentsExtended.xml, by the paragraph id of each one's last paragraph: (resolved, the
    number from 1 of the comment it replies to, or None)."""

    def with_ids(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for number, comment in enumerate(root.iter(qn("w:comment"))):
            comment.findall(qn("w:p"))[-1].set(f"{{{W14}}}paraId", f"{number + 1:08d}")
        return etree.tostring(root)

    entries = "".join(
        f'<w15:commentEx w15:paraId="{number:08d}"'
        + (f' w15:paraIdParent="{parent:08d}"' if parent is not None else "")
        + f' w15:done="{int(done)}"/>'
        for number, (done, parent) in enumerate(threads, start=1)
    )
    extended = f'<w15:commentsEx xmlns:w15="{W15}">{entries}</w15:commentsEx>'.encode()
    return repacked(reviewed, target, {"word/comments.xml": with_ids, "word/commentsExtended.xml": extended})


def test_a_resolved_comment_and_a_reply_are_read_and_only_open_ones_carried(built, tmp_path, capsys):
    """Word marks a comment resolved, and a reply its parent, in commentsExtended.xml by the
    paragraph ids of the comments' last paragraphs."""
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)

    marked = _threaded(reviewed, tmp_path / "marked.docx", [(True, None), (False, None), (False, 2)])
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    remarks = [r for r in _review_json(marked, workbook, tmp_path / "reports", capsys) if r["kind"] == "comment"]
    assert len(remarks) == 2  # the third is a reply to the second
    by_id = {r["id"]: r for r in remarks}
    assert by_id[names["commented"]]["resolved"] is True
    answered = by_id[names["figure"]]
    assert answered["replies"] == [
        {"author": "Second Reader", "date": answered["replies"][0]["date"], "text": "Too long for a bottom line."}
    ]
    carried = json.loads((tmp_path / "reports" / f"{NAME}.review.json").read_text())
    assert [c["id"] for c in carried] == [names["figure"]] and "Too long" in carried[0]["text"]


def test_an_unedited_briefing_has_no_remarks_and_a_quotes_edit_proposes_its_text(tmp_path, capsys):
    """Quotes in their quotation marks, right-to-left text, figures, events and charts: what the
    build printed reads back as unchanged; an edit inside a quote proposes the cell's text,
    without the marks the briefing wraps it in."""
    workbook = write_workbook(tmp_path / "multilingual.xlsx", multilingual_book())
    output = tmp_path / "reports" / "multilingual.docx"
    assert pipeline.build(workbook, output).written
    assert _review_json(output, workbook, tmp_path / "reports", capsys) == []
    document = docx.Document(str(output))
    _, runs = _bookmarked_runs(document, bookmark_name("statement", "FA1", "text", 0))
    runs[0].text = runs[0].text.replace(PERSIAN, "روابط ما راهبردی است")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    (edit,) = _review_json(edited, workbook, tmp_path / "reports", capsys)
    assert (edit["kind"], edit["id"], edit["column"], edit["proposed"]) == ("edit", "FA1", "text", "روابط ما راهبردی است")


def test_a_build_that_fails_leaves_the_edited_report_where_it_was(tmp_path, sample_xlsx, monkeypatch):
    """An edited report is set aside only once the new briefing is ready: a build that fails
    on the way (a full disk, say) leaves the editor's copy in place, not moved to review/."""
    from pipeline.word import render

    workbook = tmp_path / "inputs" / sample_xlsx.name
    workbook.parent.mkdir()
    shutil.copy(sample_xlsx, workbook)
    report = tmp_path / "reports" / f"{NAME}.docx"
    pipeline.build(workbook, report)
    edited = docx.Document(str(report))
    edited.add_comment(edited.paragraphs[1].runs, text="Title too long.", author="Ed Itor", initials="EI")
    edited.save(str(report))
    by_the_editor = report.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render, "write", full_disk)
    with pytest.raises(pipeline.CannotWrite):
        pipeline.build(workbook, report)
    assert report.read_bytes() == by_the_editor
    assert not (report.parent / "review").exists()


def test_an_editors_comment_a_cell_may_not_hold_is_kept_spelt_out_and_told_never_wedging_the_next_build(built, tmp_path, capsys):
    """A reviewed .docx is an input: a direction override in a comment, or a comment of nothing
    but a blank that is not a space, would make the open comments' file stop every later build.
    Review keeps the comment, writes such characters as their codes in the review copy and the
    open comments alike, says so naming the comment and its item; a zero-width non-joiner in
    Persian words, which a cell may hold, stays as it is."""
    document = docx.Document(str(built))
    statements = _statements(built)
    persian = "\u0646\u0645\u06cc\u200c\u062f\u0627\u0646\u0645"  # "I do not know", with a ZWNJ
    said = {statements[0]: "Source?\u202e !ffo", statements[1]: "\u00a0", statements[2]: persian}
    for item, text in said.items():
        _, runs = _bookmarked_runs(document, bookmark_name("statement", item, "text", 0))
        document.add_comment(runs, text=text, author="Ed\u200bItor", initials="EI")
    reviewed = tmp_path / "reviewed.docx"
    document.save(str(reviewed))
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    reports = tmp_path / "reports"
    assert main(["review", str(reviewed), str(workbook), "--format", "json", "--reports", str(reports)]) == 0
    out, err = capsys.readouterr()
    remarks = json.loads(out)
    texts = {r["id"]: r["text"] for r in remarks}
    assert texts == {statements[0]: "Source?\\u202e !ffo", statements[1]: "\\xa0", statements[2]: persian}
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 2 and all("\u202e" not in note for note in notes), err
    assert f"on statement {statements[0]} (Statements!" in notes[0] and "U+202E" in notes[0] and "Ed\\u200bItor" in notes[0]
    assert f"statement {statements[1]}" in notes[1] and "U+00A0" in notes[1]
    carried = reviews_carried(reports / f"{NAME}.docx")
    assert sorted(c.text for c in carried) == sorted(texts.values())
    copy = openpyxl.load_workbook(reports / f"{NAME}.review.xlsx")
    noted = [c.comment.text for row in copy["Statements"].iter_rows() for c in row if c.comment is not None]
    assert any("Source?\\u202e !ffo" in note for note in noted) and not any("\u202e" in note for note in noted)
    again = pipeline.build(workbook, reports / f"{NAME}.docx")
    assert again.written
    check_docx(reports / f"{NAME}.docx")
    assert "Source?\\u202e !ffo" in {c.text for c in docx.Document(str(reports / f"{NAME}.docx")).comments}


def test_the_redline_is_refused_as_its_changes_are_the_builds_not_an_editors(tmp_path, capsys):
    """The redline (reports/<name>.changes.docx) carries the build's own tracked changes, which
    review would read as an editor's edits: it is refused, saying to review the briefing. It is
    known by the title it carries exactly, so a briefing whose own title starts "Redline:" is read."""
    from .test_editions import first_edition, second_edition

    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    write_workbook(workbook, second_edition())
    built = pipeline.build(workbook, tmp_path / "reports" / "book.docx")
    assert built.redline is not None
    commented = docx.Document(str(built.redline))
    commented.add_comment(commented.paragraphs[1].runs, text="Title too long.", author="Ed Itor", initials="EI")
    commented.save(str(built.redline))
    reports = tmp_path / "review"
    assert main(["review", str(built.redline), str(workbook), "--reports", str(reports)]) == 2
    err = capsys.readouterr().err
    assert "is the redline of a briefing" in err and "Review reads the briefing itself" in err, err
    assert not reports.exists()
    titled = first_edition()
    titled["Briefing"]["title"] = "Redline: Russia–Iran ties"
    (tmp_path / "own").mkdir()
    own = write_workbook(tmp_path / "own" / "book.xlsx", titled)
    output = pipeline.build(own, tmp_path / "own" / "reports" / "book.docx").output
    assert _review_json(output, own, reports, capsys) == []


def _commented_everywhere(built: Path, target: Path, count: int) -> Path:
    """`built` with `count` comments, one after another on each of its body's paragraphs in
    turn (bookmarked or not), written as Word writes them: a range in the paragraph, a
    reference run after it, and the comment in comments.xml."""
    document = docx.Document(str(built))
    document.add_comment(document.paragraphs[0].runs, text="first", author="Ed Itor")
    document.save(str(target.with_suffix(".one.docx")))
    body = document.element.body
    paragraphs = [p for p in body.iter(qn("w:p")) if p.find(qn("w:r")) is not None]
    for number in range(1, count):
        paragraph = paragraphs[number % len(paragraphs)]
        start = etree.Element(qn("w:commentRangeStart"))
        start.set(qn("w:id"), str(number))
        paragraph.insert(1 if paragraph.find(qn("w:pPr")) is not None else 0, start)
        end = etree.SubElement(paragraph, qn("w:commentRangeEnd"))
        end.set(qn("w:id"), str(number))
        etree.SubElement(etree.SubElement(paragraph, qn("w:r")), qn("w:commentReference")).set(qn("w:id"), str(number))

    def comments(data: bytes) -> bytes:
        root = etree.fromstring(data)
        first = root.find(qn("w:comment"))
        for number in range(1, count):
            comment = copy.deepcopy(first)
            comment.set(qn("w:id"), str(number))
            comment.find(f".//{qn('w:t')}").text = f"Remark {number}"
            root.append(comment)
        return etree.tostring(root)

    return repacked(
        target.with_suffix(".one.docx"),
        target,
        {"word/document.xml": etree.tostring(document.element), "word/comments.xml": comments},
    )


@pytest.mark.slow
def test_ten_thousand_comments_are_all_read_and_carried_in_seconds_not_minutes(built, tmp_path, capsys):
    """A hostile or merely busy review: 10,000 comments over every paragraph, bookmarked or not.
    Each is read, listed in the review copy and, when on an item, carried; the work grows with
    the comments, not with comments times rows (the review copy's listing counted its rows by
    looking at every cell, once a remark: some 20 s of CPU here)."""
    reviewed = _commented_everywhere(built, tmp_path / "reviewed.docx", 10_000)
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    reports = tmp_path / "reports"
    started = time.process_time()
    remarks = _review_json(reviewed, workbook, reports, capsys)
    spent = time.process_time() - started
    assert sorted(r["text"] for r in remarks) == sorted(["first", *(f"Remark {n}" for n in range(1, 10_000))])
    carried = reviews_carried(reports / f"{NAME}.docx")
    assert len(carried) == sum(r["id"] is not None for r in remarks) > 1000
    listed = openpyxl.load_workbook(reports / f"{NAME}.review.xlsx", read_only=True)["Review"]
    assert sum(1 for _ in listed.iter_rows(min_row=5)) == 10_000
    assert spent < 10, f"{spent:.1f} s of CPU"


def test_a_comment_whose_bookmark_was_lost_is_placed_by_the_item_text_its_paragraph_holds(built, tmp_path, capsys):
    """A program on the way that drops bookmarks: a comment is still placed on the item whose
    printed text, long enough to be its own, its paragraph holds whole. (Found by looking up
    the paragraph's places, not by trying every item for each comment: with 10,000 comments on
    a 6,000-statement briefing that took most of review's time.)"""
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)

    def unmarked(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for mark in [*root.iter(qn("w:bookmarkStart")), *root.iter(qn("w:bookmarkEnd"))]:
            mark.getparent().remove(mark)
        return etree.tostring(root)

    lost = repacked(reviewed, tmp_path / "lost.docx", {"word/document.xml": unmarked})
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    comments = {r["text"]: r for r in _review_json(lost, workbook, tmp_path / "reports", capsys) if r["kind"] == "comment"}
    summary = comments["Too long for a bottom line."]
    assert (summary["sheet"], summary["id"], summary["column"]) == ("Briefing", "summary", "value")
    # A figure's value ("10") may stand in any paragraph: not placed, listed with its paragraph.
    figure = comments["Check this value against the IMF."]
    assert figure["sheet"] is None and figure["context"] and names["figure"]


def _marks_part(built: Path) -> str:
    with zipfile.ZipFile(built) as package:
        items = [n for n in package.namelist() if n.startswith("customXml/item") and "Props" not in n]
        return next(n for n in items if etree.fromstring(package.read(n)).tag.endswith("}marks"))


@pytest.mark.parametrize(
    "change",
    [
        lambda listed: listed["marks"][0].__setitem__(2, 12),
        lambda listed: listed["marks"][0].__setitem__(2, "S\u202e1"),
        lambda listed: listed["marks"][0].__setitem__(1, ["statement"]),
        lambda listed: listed["marks"].append([]),
        lambda listed: listed.__setitem__("workbook", "../../elsewhere/russia_iran_ties"),
        lambda listed: listed.__setitem__("workbook", "/tmp/russia_iran_ties"),
    ],
    ids=[
        "id-a-number",
        "id-with-an-override",
        "kind-a-list",
        "an-empty-item",
        "workbook-a-relative-path",
        "workbook-an-absolute-path",
    ],
)
def test_a_docx_whose_list_of_items_is_hostile_is_refused_before_it_can_wedge_the_next_build(built, tmp_path, capsys, change):
    """The list of items is the .docx's, so an input: an id that is no text, or text no cell may
    hold, would be copied into the open comments and stop every later build (or crash review);
    a workbook named by a path would have review read a workbook outside inputs/."""
    document = docx.Document(str(built))
    for paragraph in [p for p in document.paragraphs if p.runs][:10]:
        document.add_comment(paragraph.runs, text="Check.", author="Ed Itor")
    commented = tmp_path / "commented.docx"
    document.save(str(commented))

    def altered(data: bytes) -> bytes:
        root = etree.fromstring(data)
        listed = json.loads(root.text)
        change(listed)
        root.text = json.dumps(listed)
        return etree.tostring(root)

    hostile = repacked(commented, tmp_path / "hostile.docx", {_marks_part(built): altered})
    capsys.readouterr()
    assert main(["review", str(hostile), "--reports", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert "holds a damaged list of its items" in err and "Traceback" not in err and "\u202e" not in err, err
    assert not (tmp_path / "reports").exists()


def test_a_reply_to_a_reply_stays_in_its_thread_not_carried_as_a_comment_of_its_own(built, tmp_path, capsys):
    """Word links a reply to the comment it answers by paragraph id; a reply may answer a reply
    (LibreOffice, or a later Word thread). It belongs to the first comment's thread: carried as
    one comment, not a second open comment on whatever text it was anchored to."""
    reviewed = tmp_path / "reviewed.docx"
    names = _reviewed(built, reviewed)

    marked = _threaded(reviewed, tmp_path / "marked.docx", [(False, None), (False, 1), (False, 2)])
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    (thread,) = [r for r in _review_json(marked, workbook, tmp_path / "reports", capsys) if r["kind"] == "comment"]
    assert thread["id"] == names["commented"]
    assert [reply["text"] for reply in thread["replies"]] == ["Check this value against the IMF.", "Too long for a bottom line."]
    (carried,) = reviews_carried(tmp_path / "reports" / f"{NAME}.docx")
    assert carried.item_id == names["commented"] and "Too long for a bottom line." in carried.text
    # The review copy shows the thread as the next build will: each reply on its own line.
    copy = openpyxl.load_workbook(tmp_path / "reports" / f"{NAME}.review.xlsx")
    (listed,) = [row[4] for row in copy["Review"].iter_rows(min_row=5, values_only=True) if row[0] == "comment"]
    assert listed == carried.text and "\n↳ Second Reader: Too long for a bottom line." in listed


def test_open_comments_larger_than_the_next_build_reads_are_refused_before_anything_is_written(
    built, tmp_path, capsys, monkeypatch
):
    """The next build refuses a list of open comments larger than any (64 MB: seventy comments of
    a megabyte each would pass it); review, which writes it, refuses first, saying what to do,
    rather than leave a file that stops every later build."""
    from pipeline import reviews

    reviewed = tmp_path / "reviewed.docx"
    _reviewed(built, reviewed)
    monkeypatch.setattr(reviews, "_CARRIED", dataclasses.replace(reviews._CARRIED, limit=300))
    workbook = built.parent.parent / "inputs" / f"{NAME}.xlsx"
    assert main(["review", str(reviewed), str(workbook), "--reports", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert "more open comments than the next build reads back" in err and "Nothing was written" in err, err
    assert not (tmp_path / "reports").exists()


def _without(source: Path, target: Path, name: str) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for kept in original.namelist():
            if kept != name:
                copy.writestr(kept, original.read(kept))
    return target


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda built, target: _without(built, target, "word/document.xml"), "it is not a Word document"),
        (
            lambda built, target: repacked(
                built, target, {"word/comments.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aa">]><x>&a;</x>'}
            ),
            "a part declares a DTD",
        ),
        (
            lambda built, target: repacked(built, target, {"word/commentsExtended.xml": b"<not xml"}),
            "its part word/commentsExtended.xml",
        ),
    ],
    ids=["no-document", "a-dtd", "a-part-not-xml"],
)
def test_a_reviewed_docx_damaged_or_hostile_in_its_parts_is_refused_naming_it(built, tmp_path, capsys, damage, says):
    """A .docx that carries the build's lists but not a document Word wrote: no text part (an
    internal error before), a DTD (an entity expanded into a comment before), a part that is
    not XML (refused without naming the file before)."""
    reviewed = damage(built, tmp_path / "reviewed.docx")
    capsys.readouterr()
    assert main(["review", str(reviewed), "--reports", str(tmp_path / "reports")]) == 2
    err = capsys.readouterr().err
    assert str(reviewed) in err and says in err and "Traceback" not in err, err
    assert not (tmp_path / "reports").exists()
