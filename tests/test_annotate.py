"""The annotated copy: problems shown in the workbook itself, the original left alone."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

from pipeline.workbook.annotate import LIST_TITLE
from pipeline.cli import main

from .conftest import UNSHOWABLE, with_unshowable_text


@pytest.fixture
def broken(book, write):
    book["Figures"][1]["value"] = "$4 bn"  # error at Figures!D3
    book["Statements"][0]["text"] = "  Drone drills were held."  # warning at Statements!C2
    book["Events"][0]["source_id"] = "S9"  # error at Events!E2
    del book["Charts"]
    return write(book)


def annotate(path, target, capsys):
    code = main(["validate", str(path), "--annotate", str(target)])
    return code, capsys.readouterr()


def test_problem_cells_are_highlighted_and_commented(broken, tmp_path, capsys):
    target = tmp_path / "out" / "problems.xlsx"
    code, _ = annotate(broken, target, capsys)
    assert code == 1
    copy = load_workbook(target)
    shown = {
        (ws.title, cell.coordinate): (cell.fill.fgColor.rgb[-6:], cell.comment.text)
        for ws in copy.worksheets[1:]
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }
    assert set(shown) == {("Figures", "D3"), ("Statements", "C2"), ("Events", "E2")}
    assert shown[("Figures", "D3")][0] == "FFC7CE" and "not-a-number" in shown[("Figures", "D3")][1]
    assert shown[("Statements", "C2")][0] == "FFEB9C" and "extra-spaces" in shown[("Statements", "C2")][1]
    assert "Did you mean 4?" in shown[("Figures", "D3")][1]


def test_the_first_sheet_lists_every_problem_with_a_link_to_its_cell(broken, tmp_path, capsys):
    target = tmp_path / "problems.xlsx"
    annotate(broken, target, capsys)
    copy = load_workbook(target)
    listing = copy.worksheets[0]
    assert listing.title == LIST_TITLE and copy.active.title == LIST_TITLE
    assert [ws.sheet_view.tabSelected for ws in copy.worksheets].count(True) == 1
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=5)]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("error", "Figures!D3", "not-a-number"),
        ("warning", "Statements!C2", "extra-spaces"),
        ("error", "Events!E2", "unknown-reference"),
    ]
    assert listing["B5"].hyperlink.location == "'Figures'!D3"
    assert all(r[4] for r in rows)  # what to do, for each
    assert listing["A1"].value.endswith("2 error(s), 1 warning(s)")


def test_the_original_is_never_touched_and_never_the_target(broken, tmp_path, capsys):
    before = hashlib.sha256(broken.read_bytes()).hexdigest()
    annotate(broken, tmp_path / "problems.xlsx", capsys)
    assert hashlib.sha256(broken.read_bytes()).hexdigest() == before
    code, (_, err) = annotate(broken, broken, capsys)
    assert code == 2 and "only ever read" in err
    assert hashlib.sha256(broken.read_bytes()).hexdigest() == before
    code, (_, err) = annotate(broken, tmp_path / "problems.csv", capsys)
    assert code == 2 and ".xlsx" in err


def test_an_analysts_own_comment_is_kept_and_a_problems_sheet_not_overwritten(broken, tmp_path, capsys):
    workbook = load_workbook(broken)
    workbook["Figures"]["D3"].comment = Comment("Check with Ana", "Ana")
    workbook.create_sheet(LIST_TITLE)
    workbook.save(broken)
    target = tmp_path / "problems.xlsx"
    annotate(broken, target, capsys)
    copy = load_workbook(target)
    assert copy.sheetnames[0] == f"{LIST_TITLE} 2" and LIST_TITLE in copy.sheetnames
    text = copy["Figures"]["D3"].comment.text
    assert text.startswith("Check with Ana") and "not-a-number" in text


def test_a_clean_workbook_gets_a_copy_that_says_so(book, write, tmp_path, capsys):
    target = tmp_path / "problems.xlsx"
    code, _ = annotate(write(book), target, capsys)
    assert code == 0
    listing = load_workbook(target).worksheets[0]
    assert listing["D5"].value == "No problems found."


def test_problems_without_a_cell_are_shown_at_the_start_of_their_row(book, write, tmp_path, capsys):
    from openpyxl import load_workbook as open_book

    path = write(book)
    workbook = open_book(path)
    workbook["Figures"].row_dimensions[3].hidden = True
    workbook.save(path)
    target = tmp_path / "problems.xlsx"
    annotate(path, target, capsys)
    assert "hidden-row" in load_workbook(target)["Figures"]["A3"].comment.text


def test_quoted_controls_are_spelled_out_in_the_comments_and_the_list(book, tmp_path, capsys):
    """openpyxl refuses controls in a cell, and a comment that held an escape sequence would
    hide it: the copy is written (exit 1, the workbook's errors) and shows them as escapes."""
    target = tmp_path / "problems.xlsx"
    code, (_, err) = annotate(with_unshowable_text(book, tmp_path / "book\x1b[31m.xlsx"), target, capsys)
    assert code == 1, err
    copy = load_workbook(target)
    assert copy.worksheets[0]["A1"].value == "Validation of book\\x1b[31m.xlsx: 5 error(s), 1 warning(s)"
    comment = copy["Figures"]["D2"].comment.text
    assert 'ERROR [not-a-number]: value holds "\\x1b[31m4", which is not a number.' in comment
    assert "Did you mean 'publisher\\x1b[31m'?" in copy["Sources"]["A1"].comment.text
    assert "unknown-reference" in copy["Events\x85"]["E2"].comment.text
    listed = {row[1]: row[3] for row in copy.worksheets[0].iter_rows(min_row=5, values_only=True)}
    assert listed["Statements!A2"].startswith('statement_id is "ST01\\u202e";')
    assert "Events\\x85!E2" in listed
    texts = [c.comment.text for ws in copy.worksheets for row in ws.iter_rows() for c in row if c.comment]
    texts += [str(v) for ws in copy.worksheets[:1] for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if UNSHOWABLE.search(t.replace("\n", ""))]


def test_libreoffice_shows_the_highlights_and_comments(broken, calc, tmp_path, capsys):
    """LibreOffice reads the copy as an analyst's spreadsheet program would: its own re-save
    keeps each fill, comment and link."""
    target = tmp_path / "problems.xlsx"
    annotate(broken, target, capsys)
    resaved = load_workbook(calc("xlsx", target) / target.name)
    figures = resaved["Figures"]["D3"]
    assert figures.fill.fgColor.rgb[-6:] == "FFC7CE" and "not-a-number" in figures.comment.text
    assert "extra-spaces" in resaved["Statements"]["C2"].comment.text
    assert resaved.worksheets[0].title == LIST_TITLE
    link = resaved.worksheets[0]["B5"].hyperlink
    assert "Figures" in (link.location or link.target or "") and "D3" in (link.location or link.target or "")
    assert calc("pdf", target).joinpath("problems.pdf").read_bytes().startswith(b"%PDF")
