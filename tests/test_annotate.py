"""The annotated copy: problems shown in the workbook itself, the original left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

from pipeline.cli import main
from pipeline.workbook.annotate import LIST_TITLE
from pipeline.workbook.reader import _MAX_EMPTY_ROWS

from .conftest import UNSHOWABLE, figures_sheet, repacked, run_measured, with_unshowable_text


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


def test_the_same_workbook_gives_the_same_copy_whenever_it_is_made(broken, tmp_path, capsys, monkeypatch):
    """The copy is dated as the workbook is, not by the clock: made again a day later (to the
    zip's entries and openpyxl alike) it is the same file, byte for byte."""
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    annotate(broken, first, capsys)
    later = time.time() + 86_400
    monkeypatch.setattr(time, "time", lambda: later)

    class Tomorrow(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.fromtimestamp(later, tz)

    monkeypatch.setattr(dt, "datetime", Tomorrow)
    annotate(broken, second, capsys)
    assert first.read_bytes() == second.read_bytes()
    assert load_workbook(second).properties.modified == load_workbook(broken).properties.modified


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
    assert listed["Statements!A2"].startswith('statement_id is "ST01\\u200b";')
    assert "Events\\x85!E2" in listed
    texts = [c.comment.text for ws in copy.worksheets for row in ws.iter_rows() for c in row if c.comment]
    texts += [str(v) for ws in copy.worksheets[:1] for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in texts if UNSHOWABLE.search(t.replace("\n", ""))]


# --- through the loader's gate and limits --------------------------------------------------------

LAST_ROW = 1_048_576  # Excel's last row


def formatted_rows(first: int, last: int) -> str:
    """Rows that hold nothing but a style, as Excel writes a sheet formatted to the bottom."""
    return "".join(f'<row r="{n}" s="0" customFormat="1" ht="15"/>' for n in range(first, last + 1))


@pytest.mark.slow
def test_sheets_formatted_or_merged_to_the_last_row_are_copied_in_bounded_time_and_memory(book, write, tmp_path):
    """openpyxl makes an object of every row element and merged cell: validating such sheets
    takes seconds and 50 MB, and so must their annotated copy (it took minutes and gigabytes).
    Figures, formatted to the bottom, is what the memory bound is measured on; Notes only needs
    more empty rows than the copy keeps before its value at the bottom (the same copying, and a
    million rows more took a third of the test's time)."""
    del book["Charts"]  # the rewritten Figures sheet holds no figures to chart
    path = write(book)
    workbook = load_workbook(path)
    workbook.create_sheet("Notes")
    workbook.save(path)
    notes_part = f"xl/worksheets/sheet{len(workbook.sheetnames)}.xml"  # openpyxl numbers them in order
    figures = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>F0{n}</t></is></c></row>' for n in (2, 3))
    notes = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>notes</t></is></c></row>{formatted_rows(2, 2 * _MAX_EMPTY_ROWS)}'
        f'<row r="{LAST_ROW}"><c r="A{LAST_ROW}" t="inlineStr"><is><t>at the bottom</t></is></c></row></sheetData></worksheet>'
    )
    merged = f'</sheetData><mergeCells count="1"><mergeCell ref="C2:C{LAST_ROW}"/></mergeCells>'.encode()
    huge = repacked(
        path,
        tmp_path / "huge.xlsx",
        {
            # Figures: two rows, formatted rows to the bottom, and its indicator column merged down to it.
            "xl/worksheets/sheet4.xml": figures_sheet(figures + formatted_rows(4, LAST_ROW)).replace(b"</sheetData>", merged),
            # Notes, not a contract sheet: formatted past the empty rows kept, with a value in the last row.
            notes_part: notes.encode(),
        },
    )
    target = tmp_path / "problems.xlsx"
    # Memory is the bound that tells: its time (some 6 s here) is make bench's to watch, and a
    # copy that took minutes again would still run out of this limit on any machine.
    run = run_measured(tmp_path, "validate", huge, "--annotate", target, seconds=150)
    assert run.returncode == 1, run.stderr
    assert run.peak_mb < 300, f"{run.peak_mb:.0f} MB"
    copy = load_workbook(target)
    assert [str(cells) for cells in copy["Figures"].merged_cells.ranges] == ["C2:C3"]  # cut to the rows of data
    assert "merged-cells" in copy["Figures"]["C2"].comment.text and "required" in copy["Figures"]["D3"].comment.text
    assert (copy["Notes"]["A1"].value, copy["Notes"][f"A{LAST_ROW}"].value) == ("notes", "at the bottom")
    assert not copy["Notes"].row_dimensions  # its formatted rows left out, as Figures' are, not handed to openpyxl


@pytest.fixture
def with_notes(book, write):
    """The valid workbook with a sheet of the analyst's own, Notes, which the briefing does
    not read; and the name of its part, to rewrite."""
    path = write(book)
    workbook = load_workbook(path)
    workbook.create_sheet("Notes")["A1"] = "notes"
    workbook.save(path)
    return path, f"xl/worksheets/sheet{len(workbook.sheetnames)}.xml"  # openpyxl numbers them in order


def test_a_dtd_in_a_sheet_the_briefing_does_not_read_is_refused_all_the_same(with_notes, tmp_path, capsys):
    path, notes = with_notes
    doctype = b'<!DOCTYPE worksheet [<!ENTITY notes "notes">]>'
    attacked = repacked(path, tmp_path / "attacked.xlsx", {notes: lambda xml: doctype + xml})
    target = tmp_path / "problems.xlsx"
    code, (_, err) = annotate(attacked, target, capsys)
    assert code == 2 and "Traceback" not in err
    assert f"its part {notes} declares a DTD, which Excel never writes" in err
    assert not target.exists()
    assert main(["validate", str(attacked)]) == 2  # the same gate, whether or not a copy is asked for


def test_a_sheet_openpyxl_cannot_read_is_an_unreadable_workbook(with_notes, tmp_path, capsys):
    """Validation never reads Notes; openpyxl, making the copy, does, and refuses a row height
    that is not a number."""
    path, notes = with_notes
    damaged = repacked(
        path,
        tmp_path / "damaged.xlsx",
        {notes: lambda xml: xml.replace(b"<sheetData>", b'<sheetFormatPr defaultRowHeight="tall"/><sheetData>', 1)},
    )
    target = tmp_path / "problems.xlsx"
    code, (_, err) = annotate(damaged, target, capsys)
    assert code == 2, err
    assert err.startswith(f"error: {damaged} could not be read as an Excel workbook.") and err.count("\n") == 1
    assert not target.exists()


@pytest.mark.slow
def test_a_sheet_of_more_rows_than_a_briefing_can_use_is_refused_for_the_copy_too(with_notes, tmp_path, capsys):
    path, notes = with_notes
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>note {n}</t></is></c></row>' for n in range(1, 100_002))
    long = repacked(
        path,
        tmp_path / "long.xlsx",
        {notes: lambda xml: re.sub(rb"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>".encode(), xml)},
    )
    code, (_, err) = annotate(long, tmp_path / "problems.xlsx", capsys)
    assert code == 2 and "Sheet 'Notes' has more than 100,000 rows of data" in err


def test_a_problem_in_a_merged_range_is_noted_on_its_first_cell(book, write, tmp_path, capsys):
    """Excel shows a merged range as its first cell, and only that one can hold a note."""
    del book["Charts"]
    path = write(book)
    workbook = load_workbook(path)
    workbook["Figures"].merge_cells("C2:C3")  # the second row's indicator goes, under the merge
    workbook.save(path)
    target = tmp_path / "problems.xlsx"
    code, (out, _) = annotate(path, target, capsys)
    assert code == 1 and "Figures!C3: error [required]" in out
    note = load_workbook(target)["Figures"]["C2"].comment.text
    assert "[merged-cells]" in note and "[required]: indicator is empty" in note


@pytest.mark.reader
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


def test_the_desks_judgements_and_their_sources_are_annotated_where_they_are(book, write, tmp_path, capsys):
    book["Statements"][2].update(text="Trade will almost certainly keep growing.", key=None)  # likely, not key
    book["Statements"][0].update(source_id="S1, S2", locator="para. 1")
    code, _ = annotate(write(book), tmp_path / "problems.xlsx", capsys)
    assert code == 1
    copy = load_workbook(tmp_path / "problems.xlsx")
    statements = copy["Statements"]
    assert "likelihood-mismatch" in statements["C4"].comment.text and "'almost certainly'" in statements["C4"].comment.text
    assert "locator-count" in statements["H2"].comment.text
    assert "no-key-judgements" in statements["A1"].comment.text  # a problem of the sheet as a whole
    listed = [(r[0], r[1], r[2]) for r in copy.worksheets[0].iter_rows(min_row=5, values_only=True)]
    assert listed == [
        ("warning", "Statements", "no-key-judgements"),
        ("error", "Statements!H2", "locator-count"),
        ("error", "Statements!C4", "likelihood-mismatch"),
    ]
