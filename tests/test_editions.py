"""Editions: a released edition, the next one built against it, what the briefing says changed,
what `diff` prints, and the redline as Word, LibreOffice and pandoc read it."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import pipeline
from pipeline.briefing import editions, model
from pipeline.contract import SHEETS, ColumnType
from pipeline.dates import PartialDate
from pipeline.word import contents, customxml, ooxml

from .conftest import ROOT, VALID, check_docx, need, released_edition, run_in_process, without_layout, write_workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def first_edition() -> dict:
    book = copy.deepcopy(VALID)
    book["Briefing"]["edition"] = "1"
    return book


def second_edition() -> dict:
    """The first edition with one of each change: a statement reworded, one added, one
    withdrawn (kept in the workbook, marked, with why), a figure revised (with why), a key
    judgement's likelihood raised, a source added."""
    book = first_edition()
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    statements = book["Statements"]
    statements[0]["text"] = "Large drone drills were held in August."
    statements[2].update(likelihood="very likely", text="Trade will very likely keep growing.")
    statements[1].update(withdrawn="Y", change_note="Sullivan's words were misquoted")
    statements.append(
        {"statement_id": "ST04", "section_id": "trade", "text": "A new rail link opened.", "kind": "fact", "source_id": "S3"}
    )
    book["Figures"][1].update(value=15.2, qualifier="about", change_note="The report was corrected.")
    book["Sources"].append(
        {
            "source_id": "S3",
            "publisher": "Publisher Three",
            "title": "A new report",
            "url": "https://example.org/3",
            "source_type": "think_tank",
        }
    )
    return book


@pytest.fixture(scope="session")
def two(tmp_path_factory):
    """Edition 1 released beside the workbook, then edition 2 built against it."""
    folder = tmp_path_factory.mktemp("editions")
    workbook = folder / "book.xlsx"
    write_workbook(workbook, first_edition())
    released = pipeline.release(workbook)
    assert released.new and not released.checked.errors
    write_workbook(workbook, second_edition())
    built = pipeline.build(workbook, folder / "reports" / "book.docx")
    assert built.written and built.redline is not None
    return {
        "workbook": workbook,
        "old": released.briefing,
        "snapshot": released.snapshot,
        "new": built.output,
        "redline": built.redline,
        "built": built,
    }


def _body(path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(path).paragraphs]


# --- the snapshot -------------------------------------------------------------------------------


def test_the_snapshot_is_canonical_json_of_every_row_by_id(book, write):
    valid = pipeline.check(write(book)).valid
    snapshot = editions.snapshot(valid, None, None)
    assert snapshot == editions.snapshot(pipeline.check(write(book, "again.xlsx")).valid, None, None)
    document = json.loads(snapshot)
    assert snapshot == (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()
    content = document["content"]
    assert [row["statement_id"] for row in content["Statements"]] == ["ST01", "ST02", "ST03"]
    assert content["Figures"][1] == {
        "figure_id": "F02",
        "section_id": "trade",
        "indicator": "Non-oil trade",
        "value": 14.8,
        "unit": "USD bn",
        "period": "2021",
        "source_id": ["S2"],
    }
    assert content["Briefing"]["as_of"] == "2022-08-31" and content["Events"][1]["date"] == "2022-07"


# A value of each column type, as a typed record holds it.
TYPED = {
    ColumnType.TEXT: "text",
    ColumnType.ID: "X1",
    ColumnType.INTEGER: 3,
    ColumnType.NUMBER: 4.5,
    ColumnType.DATE: dt.date(2022, 8, 9),
    ColumnType.PARTIAL_DATE: PartialDate(2022, 8),
    ColumnType.FLAG: True,
    ColumnType.ID_LIST: ("F1", "F2"),
}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_column_of_the_contract_goes_into_the_snapshot_and_back_typed(sheet):
    """Generic over the contract: a column the contract gains is kept with no change to the snapshot."""
    row = {c.name: (c.choices[0].value if c.choices else ("S1", "S2") if c.several else TYPED[c.type]) for c in sheet.columns}
    encoded = editions._encoded_row(sheet, row.get)
    assert set(encoded) == set(row)
    assert json.loads(json.dumps(encoded)) == encoded
    assert editions._decoded_row(encoded, editions._decoders(sheet.name)) == row


def test_an_edition_reads_back_as_the_workbook_it_was(book, write):
    valid = pipeline.check(write(book)).valid
    edition = editions.Edition.parse(editions.snapshot(valid, None, None), "test")
    assert editions.content(edition) == editions.content(valid)
    again, built = model.build(edition), model.build(valid)
    assert again.outline == built.outline and again.sections == built.sections and again.sources == built.sources


def test_rows_the_snapshot_spells_otherwise_than_the_workbook_are_compared_by_their_values(book, write):
    """Rows whose JSON is the same are taken as unchanged at once; the rest are compared column
    by column, typed: a blank written out, or a number written as an integer, changes nothing."""
    valid = pipeline.check(write(book)).valid
    document = json.loads(editions.snapshot(valid, None, None))
    document["content"]["Statements"][0]["translation"] = ""
    figure = document["content"]["Figures"][0]
    figure["value"] = int(figure["value"]) if float(figure["value"]).is_integer() else figure["value"]
    document["content"]["Statements"][1]["text"] += " Since reworded."
    edition = editions.Edition.parse(json.dumps(document).encode(), "test")
    changes = editions.compare(edition, valid).changes
    assert [(c.id, c.change, c.columns) for c in changes] == [
        (document["content"]["Statements"][1]["statement_id"], editions.ChangeKind.REVISED, ("text",))
    ]


def test_every_sheet_of_the_contract_is_a_kind_of_item_the_comparison_tells():
    """A sheet the contract gains is compared with no other change: its rows are items of a kind."""
    assert {sheet.name for sheet in SHEETS} == set(editions.KINDS)


def test_an_outlook_row_revised_and_one_added_are_changes_and_the_redline_marks_them(tmp_path):
    def outlook_changed(book: dict) -> None:
        book["Outlook"][0]["text"] += " Watch the Caspian too."
        book["Outlook"].append({"outlook_id": "O9", "kind": "gap", "text": "Whether the rail link will carry grain."})

    built = _redline_of(tmp_path, outlook_changed)
    comparison = pipeline.diff(tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx", tmp_path / "book.xlsx").comparison
    assert comparison is not None
    assert [(c.kind, c.id, c.change) for c in comparison.changes] == [
        (editions.ItemKind.OUTLOOK, "O1", editions.ChangeKind.REVISED),
        (editions.ItemKind.OUTLOOK, "O9", editions.ChangeKind.ADDED),
    ]
    old = tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx"
    assert _paragraph_texts(built.redline, "del") == _paragraph_texts(old)
    assert _paragraph_texts(built.redline, "ins") == _paragraph_texts(built.output)
    check_docx(built.redline)


def test_the_changes_section_tells_the_outlook_entries_added_and_revised(tmp_path):
    """An edition whose only changes are in its outlook says what they are, quoted, where the
    changes section once stood under its heading with nothing below it."""

    def outlook_changed(book: dict) -> None:
        book["Outlook"][0]["text"] += " Watch the Caspian too."
        book["Outlook"].append({"outlook_id": "O9", "kind": "gap", "text": "Whether the rail link will carry grain."})

    built = _redline_of(tmp_path, outlook_changed)
    printed = [p.text for p in docx.Document(str(built.output)).paragraphs]
    start = next(i for i, text in enumerate(printed) if text.startswith("Changes since"))
    said = " ".join(printed[start + 1 : start + 5])
    assert "Watch the Caspian too." in said
    assert "Whether the rail link will carry grain." in said
    assert "New in 3 Outlook" in said


def test_a_briefing_retitled_and_re_marked_says_so_in_every_header_and_footer_of_its_redline(tmp_path):
    """The title in the footer and the TLP marking at the top and foot of each page are the
    previous edition's, deleted, beside the new, inserted: an editor sees on every page that the
    briefing was renamed and that its sharing changed."""

    def retitled(book: dict) -> None:
        book["Briefing"].update(title="Russia–Iran relations", marking="TLP:AMBER")

    built = _redline_of(tmp_path, retitled)
    assert built.redline is not None
    with zipfile.ZipFile(built.redline) as package:
        frames = {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.match(r"word/(header|footer)\d*\.xml", name)
        }
    footers = [root for name, root in frames.items() if "footer" in name]
    assert footers and frames
    for root in footers:
        # the words that changed: "Russia–Iran" stands in both
        assert "ties" in [redline_text(d) for d in root.iter(f"{W}del")]
        assert "relations" in [redline_text(i) for i in root.iter(f"{W}ins")]
    for root in frames.values():
        assert "TLP:CLEAR" in "".join(redline_text(d) for d in root.iter(f"{W}del"))
        assert "TLP:AMBER" in "".join(redline_text(i) for i in root.iter(f"{W}ins"))
    check_docx(built.redline)


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda d: b"not json", "not JSON"),
        (lambda d: d.replace(editions.FORMAT.encode(), b"something/else"), "format"),
        (lambda d: d.replace(b'"source_id": [\n     "S1"\n    ]', b'"source_id": [\n     "S9"\n    ]', 1), "S9"),
        (lambda d: d.replace(b'"as_of": "2022-08-31"', b'"as_of": "31/08/2022"', 1), "damaged"),
    ],
)
def test_a_damaged_snapshot_is_refused_naming_the_file(book, write, damage, says):
    data = editions.snapshot(pipeline.check(write(book)).valid, None, None)
    with pytest.raises(pipeline.InputError, match=says) as raised:
        editions.Edition.parse(damage(data), "editions/x.json")
    assert "editions/x.json" in str(raised.value)


def test_every_briefing_carries_its_snapshot_as_its_own_custom_xml_part(two):
    with zipfile.ZipFile(two["new"]) as package:
        names = package.namelist()
        items = [n for n in names if re.fullmatch(r"customXml/item\d+\.xml", n)]
        ours = [n for n in items if etree.fromstring(package.read(n)).tag == f"{{{customxml.NAMESPACE}}}edition"]
        assert len(ours) == 1
        properties = etree.fromstring(package.read(ours[0].replace("item", "itemProps")))
        assert [r.get(f"{{{customxml._DATASTORE}}}uri") for r in properties.iter(f"{{{customxml._DATASTORE}}}schemaRef")] == [
            customxml.NAMESPACE
        ]
        relationships = package.read(ours[0].replace("customXml/", "customXml/_rels/") + ".rels")
        assert b"customXmlProps" in relationships
    assert customxml.read(two["new"]) == two["built"].snapshot
    assert editions.Edition.parse(customxml.read(two["old"]), "old").label == "1"


# --- what the briefing says changed ---------------------------------------------------------------


def test_the_changes_section_lists_each_change_once_after_the_key_judgements(two):
    body = _body(two["new"])
    start = body.index(("Changes Heading", "Changes since edition 1 (31 August 2022)"))
    end = next(i for i in range(start + 1, len(body)) if body[i][0].startswith("Heading"))
    assert [text for _, text in body[start + 1 : end]] == [
        "Key judgement 1: likelihood raised from likely (55\u201380%) to very likely (80\u201395%); reworded: "
        "\u201cTrade will likely keep growing.\u201d \u2192 \u201cTrade will very likely keep growing.\u201d",
        "Non-oil trade (2021): 14.8 USD bn \u2192 about 15.2 USD bn (Publisher Two [3]). Why: The report was corrected.",
        "New in chapter 2, Trade: \u201cA new rail link opened.\u201d",
        "Reworded in chapter 1, Drones: \u201cDrone drills were held.\u201d \u2192 \u201cLarge drone drills were held in August.\u201d",
        "Withdrawn from Drones: \u201cprofound threat\u201d Why: Sullivan's words were misquoted.",
        "1 source added: [2] Publisher Three, \u201cA new report\u201d.",
    ]
    headings = [text for style, text in body if style in ("Heading Unnumbered", "Changes Heading")]
    assert headings == ["Key judgements", "Changes since edition 1 (31 August 2022)", "Bottom line up front"]
    contents = [text.rstrip("\t") for style, text in body if style == "toc 1"]
    assert contents == []  # a short briefing has no contents page; the long one's follows the outline


def _changes_kept(path: Path) -> list[bool]:
    """Whether each of the changes section's bullets keeps with the next paragraph."""
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
    styles = [(p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), p.find(f"{W}pPr/{W}keepNext") is not None) for p in body.iter(f"{W}p")]
    start = styles.index(("ChangesHeading", False))  # the heading's style keeps it with what follows
    bullets = []
    for style, kept in styles[start + 1 :]:
        if style != "ListBullet":
            break
        bullets.append(kept)
    return bullets


def test_the_changes_heading_keeps_with_its_bullets_and_a_short_list_stands_whole(two):
    assert _changes_kept(two["new"]) == [True] * 5 + [False]  # all but the last keep with the next: one page holds them


def test_a_long_list_of_changes_keeps_its_first_and_last_few_together(tmp_path):
    from pipeline.word.render import KEPT_TOGETHER

    built = _redline_of(tmp_path, lambda book: book["Statements"].extend(_new_statements(20)))
    kept = _changes_kept(built.output)
    n = len(kept)
    assert n > 2 * KEPT_TOGETHER
    assert kept == [i < KEPT_TOGETHER - 1 or n - KEPT_TOGETHER <= i < n - 1 for i in range(n)]


def _new_statements(n: int) -> list[dict]:
    return [
        {"statement_id": f"N{i:02}", "section_id": "trade", "text": f"New finding number {i}.", "source_id": "S1"}
        for i in range(n)
    ]


def test_past_a_dozen_the_changes_quote_the_first_and_count_the_rest(tmp_path, write):
    workbook = tmp_path / "book.xlsx"
    snapshot = released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"].update(edition="2")
    book["Statements"] += _new_statements(model.QUOTED_AT_MOST + 2)
    write_workbook(workbook, book)
    pipeline.release(workbook)
    book["Briefing"].update(edition="3")
    for statement in book["Statements"][3:]:
        statement["text"] = statement["text"].replace("finding", "result")
    checked = pipeline.check(write(book), since=snapshot)
    items = model.build(checked.valid, editions.compare(checked.previous, checked.valid)).changes.items
    assert [i for i in items if i.startswith("New in")] == [
        f"New in chapter 2, Trade: \u201cNew result number {i}.\u201d" for i in range(model.QUOTED_AT_MOST)
    ]
    assert "2 more new statements, in chapter 2, Trade." in items
    again = pipeline.check(write(book), since=tmp_path / "editions" / "book" / "2022-08-31_edition-2.json")
    items = model.build(again.valid, editions.compare(again.previous, again.valid)).changes.items
    assert items[0] == "Reworded in chapter 2, Trade: \u201cNew finding number 0.\u201d \u2192 \u201cNew result number 0.\u201d"
    assert items[-1] == "2 more statements reworded, in chapter 2, Trade."


def test_a_withdrawn_figure_is_told_with_its_value_and_why(tmp_path, write):
    workbook = tmp_path / "book.xlsx"
    snapshot = released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"].update(edition="2")
    book["Figures"][1].update(withdrawn="Y", change_note="it counted oil too")
    book["Charts"][0]["figures"] = "F01"
    checked = pipeline.check(write(book), since=snapshot)
    items = model.build(checked.valid, editions.compare(checked.previous, checked.valid)).changes.items
    assert "Withdrawn from Trade: Non-oil trade (2021), 14.8 USD bn. Why: It counted oil too." in items


def test_a_chart_naming_a_withdrawn_figure_is_told_so(tmp_path, write):
    book = second_edition()
    book["Figures"][1]["withdrawn"] = "Y"  # the chart C1 plots F01 and F02
    checked = pipeline.check(write(book))
    assert [(p.location, p.code) for p in checked.errors] == [("Charts!E2", "unknown-reference")]
    assert "F02, which is marked withdrawn in the Figures sheet. Take it out of this row too." in checked.errors[0].message


def test_a_note_left_from_the_last_edition_is_not_told_again(two, tmp_path, write):
    workbook = tmp_path / "book.xlsx"  # a copy: the other tests read `two` as it is
    workbook.write_bytes(two["workbook"].read_bytes())
    (tmp_path / "editions").mkdir()
    (tmp_path / "editions" / two["snapshot"].name).write_bytes(two["snapshot"].read_bytes())
    released = pipeline.release(workbook)  # edition 2, with its notes
    book = second_edition()
    book["Briefing"].update(edition="3", as_of=dt.datetime(2022, 10, 31))
    del book["Statements"][1]  # withdrawn in edition 2: gone now, and nothing to tell
    book["Figures"][1]["value"] = 15.4  # revised again; its note is edition 2's
    book["Figures"][0]["change_note"] = "A note on a figure that did not change."
    checked = pipeline.check(write(book), since=released.snapshot)
    assert [p.code for p in checked.problems] == []
    found = editions.compare(checked.previous, checked.valid)
    assert [(c.id, c.change, c.columns, c.note) for c in found.changes] == [("F02", "revised", ("value",), None)]
    assert [r.value("change_note") for r in checked.previous.withdrawn("Statements")] == ["Sullivan's words were misquoted"]


def test_the_first_edition_says_it_is_the_first_and_has_no_changes_part(two):
    old = _body(two["old"])
    assert ("Cover Details", "This is the first edition; later editions open with what changed since.") in old
    assert not any(style == "Changes Heading" for style, _ in old)
    assert not any("first edition" in text for _, text in _body(two["new"]))


def test_nothing_changed_says_so(tmp_path):
    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"].update(edition="1a", as_of=dt.datetime(2022, 9, 1))
    write_workbook(workbook, book)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    assert built.briefing.changes == editions.ChangesNote(
        "Changes since edition 1 (31 August 2022)",
        "Nothing in this briefing\u2019s content has changed since edition 1 (31 August 2022).",
        (),
    )


def test_diff_names_each_id_and_kind_of_change_from_a_briefing_alone(two):
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", two["old"], two["workbook"], "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"diff printed {name}, which is not JSON"))
    assert (found["from"], found["to"]) == ({"edition": "1", "as_of": "2022-08-31"}, {"edition": "2", "as_of": "2022-09-30"})
    assert [(c["kind"], c["id"], c["change"]) for c in found["changes"]] == [
        ("key judgement", "ST03", "revised"),
        ("statement", "ST01", "revised"),
        ("statement", "ST04", "added"),
        ("statement", "ST02", "withdrawn"),
        ("figure", "F02", "revised"),
        ("source", "S3", "added"),
    ]
    assert found["changes"][0]["columns"]["likelihood"] == {"old": "likely", "new": "very likely"}
    assert found["changes"][4]["columns"] == {"value": {"old": 14.8, "new": 15.2}, "qualifier": {"old": None, "new": "about"}}
    assert found["changes"][4]["note"] == "The report was corrected."
    assert found["changes"][3]["note"] == "Sullivan's words were misquoted"


def test_diff_text_groups_the_changes_by_kind(two):
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "diff", two["snapshot"], two["new"]], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "From edition 1 (31 August 2022) to edition 2 (30 September 2022): 6 changes.",
        "",
        "Key judgements (Statements)",
        "  ST03  revised: text \u201cTrade will likely keep growing.\u201d \u2192 \u201cTrade will very likely keep growing.\u201d; likelihood \u201clikely\u201d \u2192 \u201cvery likely\u201d",
        "",
        "Statements",
        "  ST01  revised: text \u201cDrone drills were held.\u201d \u2192 \u201cLarge drone drills were held in August.\u201d",
        "  ST04  added",
        "  ST02  withdrawn (why: \u201cSullivan's words were misquoted\u201d)",
        "",
        "Figures",
        "  F02   revised: value 14.8 \u2192 15.2; qualifier blank \u2192 \u201cabout\u201d (why: \u201cThe report was corrected.\u201d)",
        "",
        "Sources",
        "  S3    added",
    ]


def test_an_edition_compared_with_itself_has_no_changes(two):
    result = run_in_process("diff", two["old"], two["snapshot"])
    assert result.returncode == 0
    assert result.stdout.strip() == "From edition 1 (31 August 2022) to edition 1 (31 August 2022): 0 changes."


def test_diff_with_a_workbook_that_has_errors_shows_them_and_exits_1(two, write):
    book = second_edition()
    book["Figures"][0]["value"] = "lots"
    result = run_in_process("diff", two["old"], write(book))
    assert result.returncode == 1
    assert "Figures!D2: error [not-a-number]" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "since, says",
    [
        ("missing.docx", "does not exist"),
        ("book.xlsx", "is a snapshot (.json) or a briefing this pipeline wrote (.docx), not book.xlsx"),
        ("not-a-zip.docx", "is damaged"),
    ],
)
def test_an_edition_that_cannot_be_read_is_exit_2_naming_it(two, tmp_path, since, says):
    (tmp_path / "not-a-zip.docx").write_text("plain text")
    (tmp_path / "book.xlsx").write_bytes(two["workbook"].read_bytes())
    result = run_in_process("build", tmp_path / "book.xlsx", "-o", tmp_path / "out.docx", "--since", tmp_path / since)
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.docx").exists()


def test_diff_refuses_a_docx_without_a_snapshot(two, tmp_path):
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    result = run_in_process("diff", plain, two["workbook"])
    assert result.returncode == 2
    assert "carries no edition snapshot" in result.stderr and "Traceback" not in result.stderr


# --- the redline --------------------------------------------------------------------------------


def _text(path: Path, *options: str) -> list[str]:
    """What pandoc reads, line by line: list markers, indents and blank lines left out, for pandoc
    keeps an empty item where a tracked list paragraph, or a tracked table row, was taken out,
    and indents a paragraph by its style as it is now (it reads no w:pPrChange)."""
    pandoc = need("pandoc", "pandoc")
    out = subprocess.run(
        [pandoc, *options, "-t", "plain", "--wrap=none", str(path)], capture_output=True, text=True, check=True
    ).stdout
    lines = (re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s+", "", line).strip() for line in out.splitlines())
    return [line for line in lines if line.strip(" -")]


@pytest.mark.reader
def test_accepting_every_change_gives_the_new_edition_and_rejecting_them_the_old(two):
    assert _text(two["redline"], "--track-changes=accept") == _text(two["new"])
    assert _text(two["redline"], "--track-changes=reject") == _text(two["old"])


def test_the_redline_marks_words_within_a_paragraph_and_whole_items(two):
    body = etree.fromstring(zipfile.ZipFile(two["redline"]).read("word/document.xml")).find(f"{W}body")
    authors = {e.get(f"{W}author") for e in body.iter(f"{W}ins", f"{W}del")}
    dates = {e.get(f"{W}date") for e in body.iter(f"{W}ins", f"{W}del")}
    assert authors == {"The desk"} and dates == {"2022-09-30T00:00:00Z"}

    def paragraph(text: str):  # in the chapters, not the changes section's bullets that quote it
        return next(
            p
            for p in body.iter(f"{W}p")
            if text in "".join(t.text for t in p.iter(f"{W}t", f"{W}delText"))
            and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") != "ListBullet"
        )

    reworded = paragraph("drills were held")  # word by word, the rest kept as it was
    assert ["".join(t.text for t in e.iter(f"{W}delText")) for e in reworded.iter(f"{W}del")] == ["Drone"]
    assert ["".join(t.text for t in e.iter(f"{W}t")) for e in reworded.iter(f"{W}ins")] == ["Large drone", " in August"]
    withdrawn = paragraph("profound threat")  # a whole statement: its text and its paragraph mark
    assert not list(withdrawn.iter(f"{W}t")) and withdrawn.find(f"{W}pPr/{W}rPr/{W}del") is not None
    added = paragraph("A new rail link opened.")
    assert added.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    revised = [row for row in body.iter(f"{W}tr") if "Non-oil trade" in "".join(t.text for t in row.iter(f"{W}t"))]
    assert all("".join(t.text for t in row.iter(f"{W}delText")) == "14.8" for row in revised)


@pytest.mark.reader
def test_the_redline_deletes_and_inserts_whole_table_rows(tmp_path):
    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    book["Events"][1] = {
        "event_id": "E03",
        "date": "2022-09-02",
        "section_id": "trade",
        "event": "A treaty was signed.",
        "source_id": "S2",
    }
    write_workbook(workbook, book)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    rows = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).iter(f"{W}tr")
    marked = {
        "".join(t.text for t in row.iter(f"{W}t", f"{W}delText")): [
            e.tag.removeprefix(W) for e in row.find(f"{W}trPr") if e.tag in (f"{W}ins", f"{W}del")
        ]
        for row in rows
    }
    assert [marks for text, marks in marked.items() if text.startswith("July 2022A visit took place.")] == [["del"]]
    assert [marks for text, marks in marked.items() if text.startswith("2 September 2022A treaty was signed.")] == [["ins"]]
    assert _text(built.redline, "--track-changes=accept") == _text(built.output)
    check_docx(built.redline)


def _redline_of(tmp_path, change) -> pipeline.Built:
    """Edition 1 released, then edition 2 with `change` made to its content, built against it."""
    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    change(book)
    write_workbook(workbook, book)
    return pipeline.build(workbook, tmp_path / "out.docx")


def _paragraph_texts(path: Path, keeping: str | None = None, empty: bool = False) -> list[str]:
    """The body's paragraphs' texts, in order; of a redline, with every change accepted
    (`keeping` "ins") or rejected ("del"): the other kind's text and rows taken out, and a
    paragraph that is then empty (wholly the other kind's) with it; with `empty`, a paragraph
    whose mark is the other kind's is joined to the next, as Word joins them, and the empty
    paragraphs that are left are kept."""
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(f"{W}body")
    dropped = {"ins": "del", "del": "ins"}.get(keeping or "")
    if dropped is not None:
        for row in [r for r in body.iter(f"{W}tr") if r.find(f"{W}trPr/{W}{dropped}") is not None]:
            row.getparent().remove(row)
        for element in [e for e in body.iter(f"{W}{dropped}") if e.getparent().tag not in (f"{W}rPr", f"{W}trPr")]:
            element.getparent().remove(element)
    texts, joined = [], ""
    for paragraph in body.iter(f"{W}p"):
        text = joined + "".join(t.text or "" for t in paragraph.iter(f"{W}t", f"{W}delText"))
        if empty and dropped is not None and paragraph.find(f"{W}pPr/{W}rPr/{W}{dropped}") is not None:
            joined = text
            continue
        joined = ""
        texts.append(text)
    return [text for text in texts if empty or text.strip()]


def _chapters_reordered(book: dict) -> None:
    for section in book["Sections"]:
        section["order"] = {"trade": 1, "drones": 2}[section["section_id"]]


def _rows_reversed(book: dict) -> None:
    for sheet in ("Statements", "Figures", "Events"):
        book[sheet].reverse()


@pytest.mark.parametrize("reordered", [_chapters_reordered, _rows_reversed], ids=["chapters", "rows"])
def test_items_put_in_another_order_reject_to_the_old_order_each_under_its_own_heading(tmp_path, reordered):
    """Items both editions print unchanged, in another order (a chapter put first, statements
    within a chapter): the redline deletes them where they stood and inserts them where they stand."""
    built = _redline_of(tmp_path, reordered)
    old = tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx"
    assert _paragraph_texts(built.redline, "del") == _paragraph_texts(old)
    assert _paragraph_texts(built.redline, "ins") == _paragraph_texts(built.output)
    check_docx(built.redline)


def test_the_body_s_last_paragraph_deleted_leaves_no_empty_paragraph_after_accept_all(tmp_path):
    """A source renamed to sort first: the sources annex's last entry, the body's last paragraph,
    is deleted; its mark cannot be, so the mark before it is, as Word does."""

    def renamed(book: dict) -> None:
        book["Sources"][1]["publisher"] = "A Publisher Two"

    built = _redline_of(tmp_path, renamed)
    old = tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx"
    assert _paragraph_texts(built.redline, "ins", empty=True) == _paragraph_texts(built.output, empty=True)
    assert _paragraph_texts(built.redline, "del", empty=True) == _paragraph_texts(old, empty=True)
    check_docx(built.redline)


def test_a_changed_vowel_sign_marks_its_whole_word_deleted_and_inserted(tmp_path):
    """A combining mark (a Devanagari vowel sign, an Arabic haraka) is part of its word: the word
    is marked, never the sign alone on a letter outside the revision."""

    def with_text(text: str) -> Callable[[dict], None]:
        return lambda book: book["Statements"][0].update(text=text)

    book = first_edition()
    with_text("वह किताब देती है and كَتَبَ")(book)
    workbook = write_workbook(tmp_path / "book.xlsx", book)
    pipeline.release(workbook)
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    with_text("वह किताब देता है and كُتِبَ")(book)
    built = pipeline.build(write_workbook(workbook, book), tmp_path / "out.docx")
    body = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).find(f"{W}body")
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")]
    inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in body.iter(f"{W}ins")]
    assert "देती" in deleted and "كَتَبَ" in deleted
    assert "देता" in inserted and "كُتِبَ" in inserted
    check_docx(built.redline)


@pytest.mark.reader
def test_a_statement_that_changes_kind_keeps_its_old_style_to_reject_to(tmp_path):
    built = _redline_of(tmp_path, lambda book: book["Statements"][1].update(kind="claim"))  # the quote, now a claim
    body = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).find(f"{W}body")
    (paragraph,) = [
        p
        for p in body.iter(f"{W}p")
        if "profound threat" in "".join(t.text for t in p.iter(f"{W}t"))
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") != "ListBullet"  # not the changes section's quote of it
    ]
    assert paragraph.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "BodyText"
    assert paragraph.find(f"{W}pPr/{W}pPrChange/{W}pPr/{W}pStyle").get(f"{W}val") == "Quote"
    assert _text(built.redline, "--track-changes=reject") == _text(tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx")
    check_docx(built.redline)


@pytest.mark.reader
def test_a_table_that_gains_a_column_is_compared_row_by_row_its_new_cells_inserted(tmp_path):
    workbook = tmp_path / "book.xlsx"
    first = first_edition()
    first["Figures"][0]["attribution"] = None  # no row of the trade table has a note: no Note column
    write_workbook(workbook, first)
    pipeline.release(workbook)
    second = copy.deepcopy(first)
    second["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    second["Figures"][1]["note"] = "Goods and services."
    write_workbook(workbook, second)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    body = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).find(f"{W}body")
    (table,) = [t for t in body.iter(f"{W}tbl") if "Non-oil trade" in redline_text(t)]
    assert len(table.find(f"{W}tblGrid")) == 5
    assert not [row for row in table.iter(f"{W}tr") if row.find(f"{W}trPr/{W}del") is not None]
    inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in table.iter(f"{W}ins")]
    assert "Goods and services." in inserted and "Note" in inserted  # the new cells, heading and all
    assert _text(built.redline, "--track-changes=accept") == _text(built.output)
    rejected = "\n".join(_text(built.redline, "--track-changes=reject"))
    assert "Goods and services." not in rejected and "Non-oil trade" in rejected
    check_docx(built.redline)


def test_the_redline_is_valid_wordprocessingml(two):
    check_docx(two["redline"])
    check_docx(two["new"])


@pytest.mark.reader
def test_libreoffice_opens_the_redline_and_prints_it(two, writer):
    pdf = writer("pdf", two["redline"]) / "book.changes.pdf"
    assert pdf.exists()
    text = subprocess.run([need("pdftotext", "poppler-utils"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Changes since edition 1 (31 August 2022)" in text and "profound threat" in text  # the deletion shown, struck


def test_the_same_inputs_give_the_same_bytes(two, tmp_path):
    again = pipeline.build(two["workbook"], tmp_path / "book.docx")
    assert again.output.read_bytes() == two["new"].read_bytes()
    assert again.redline.read_bytes() == two["redline"].read_bytes()


# --- releasing ---------------------------------------------------------------------------------


def test_a_released_edition_builds_again_as_it_was_released(two, tmp_path):
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(two["workbook"].read_bytes())
    (tmp_path / "editions").mkdir()
    for path in two["snapshot"].parent.iterdir():
        (tmp_path / "editions" / path.name).write_bytes(path.read_bytes())
    released = pipeline.release(workbook)
    assert released.new and released.briefing.read_bytes() == two["new"].read_bytes()
    assert pipeline.release(workbook).new is False  # the same content again: nothing to do
    rebuilt = pipeline.build(workbook, tmp_path / "again.docx")  # compared with edition 1 still, not itself
    assert rebuilt.output.read_bytes() == two["new"].read_bytes()


def test_checking_reads_the_latest_edition_and_the_one_it_was_compared_with_not_every_one(two, tmp_path):
    """A desk's editions/ holds years of snapshots; a check reads the latest day's, and the
    edition the latest was compared with, and leaves older ones unread, even damaged ones."""
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(two["workbook"].read_bytes())
    (tmp_path / "editions").mkdir()
    for path in two["snapshot"].parent.iterdir():
        (tmp_path / "editions" / path.name).write_bytes(path.read_bytes())
    assert pipeline.release(workbook).new  # edition 2, compared with edition 1
    (tmp_path / "editions" / "2000-01-01_edition-0.json").write_bytes(b"not json: never read")
    assert pipeline.check(workbook).previous.label == "1"  # as it was released: compared with 1, not itself
    assert pipeline.build(workbook, tmp_path / "again.docx").output.read_bytes() == two["new"].read_bytes()


def test_a_label_released_with_other_content_is_refused_at_its_cell(tmp_path):
    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    book = first_edition()
    book["Briefing"]["summary"] = "Ties are closer still."
    write_workbook(workbook, book)
    released = pipeline.release(workbook)
    assert not released.new and released.briefing is None
    assert [(p.code, p.location) for p in released.checked.errors] == [("edition-label", "Briefing!B7")]
    assert sorted(p.name for p in (tmp_path / "editions" / "book").iterdir()) == [
        "2022-08-31_edition-1.docx",
        "2022-08-31_edition-1.json",
    ]


def test_an_edition_without_a_label_is_not_released(book, write):
    released = pipeline.release(write(book))
    assert [(p.code, p.location) for p in released.checked.errors] == [("edition-label", "Briefing")]
    assert released.snapshot is None


@pytest.mark.slow
def test_release_and_report_through_the_command_line(tmp_path):
    workbook = write_workbook(tmp_path / "book.xlsx", first_edition())

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True, cwd=ROOT)

    first = run("release", workbook)
    assert first.returncode == 0 and "Released" in first.stderr
    again = run("release", workbook)
    assert again.returncode == 0 and "released already" in again.stderr
    write_workbook(workbook, second_edition())
    built = run("build", workbook, "-o", tmp_path / "out.docx")
    assert built.returncode == 0, built.stderr
    assert f"the changes are marked in {tmp_path / 'out.changes.docx'}" in built.stderr


# --- checks against the previous edition --------------------------------------------------------


@pytest.fixture
def released_one(tmp_path):
    return released_edition(tmp_path / "book.xlsx", first_edition())


def located(problems) -> list[tuple[str, str, str]]:
    return [
        (p.severity, p.location, p.code)
        for p in problems
        if p.code in ("edition-label", "as-of-backwards", "withdrawn", "id-reused")
    ]


def test_ids_gone_since_the_last_edition_are_a_warning_listing_them(released_one, write):
    book = second_edition()
    del book["Statements"][1]  # gone, where the second edition marks it withdrawn
    del book["Events"][0]
    checked = pipeline.check(write(book), since=released_one)
    assert located(checked.problems) == [("warning", "Statements", "withdrawn"), ("warning", "Events", "withdrawn")]
    assert "statement_id ST02 was in edition 1 (31 August 2022) and is gone" in checked.problems[0].message
    assert "restore it marked withdrawn, with a change_note" in checked.problems[0].message
    assert checked.valid is not None


def test_a_row_marked_withdrawn_is_set_aside_and_only_its_id_and_note_are_checked(released_one, write):
    book = second_edition()  # ST02 marked withdrawn, with a note
    book["Statements"][1].update(source_id="S9", change_note="  Misquoted.")  # a bad reference no longer matters
    book["Events"][0].update(withdrawn="Y")
    book["Events"].append({"event_id": "E01", "withdrawn": "Y", "change_note": "Twice."})
    checked = pipeline.check(write(book), since=released_one)
    assert [(p.location, p.code) for p in checked.problems] == [
        ("Statements!O3", "extra-spaces"),
        ("Events!A4", "duplicate-id"),
    ]
    del book["Events"][-1]
    valid = pipeline.check(write(book), since=released_one).valid
    assert [r.value("statement_id") for r in valid.records("Statements")] == ["ST01", "ST03", "ST04"]
    assert [r.value("event_id") for r in valid.records("Events")] == ["E02"]
    assert [r.value("event_id") for r in valid.withdrawn("Events")] == ["E01"]


def test_an_id_reused_for_unrelated_content_is_a_warning_at_its_cell(released_one, write):
    book = second_edition()
    book["Statements"][0].update(
        kind="claim", attributed_to="Tehran", section_id="trade", text="Sanctions have no effect on commerce whatsoever."
    )
    checked = pipeline.check(write(book), since=released_one)
    assert ("warning", "Statements!A2", "id-reused") in located(checked.problems)
    changes = editions.compare(editions.Edition.parse(released_one.read_bytes(), "x"), checked.valid)
    assert [(c.id, c.change) for c in changes.of("statement") if c.id == "ST01"] == [("ST01", "replaced")]


def test_the_label_must_move_on_and_as_of_must_not_go_back(released_one, write):
    book = first_edition()
    book["Briefing"].update(as_of=dt.datetime(2022, 8, 1), summary="Revised.")
    checked = pipeline.check(write(book), since=released_one)
    assert located(checked.problems) == [("error", "Briefing!B4", "as-of-backwards"), ("error", "Briefing!B7", "edition-label")]
    assert checked.valid is None


def test_a_briefing_received_by_email_is_a_previous_edition(two, write):
    from_docx = pipeline.check(write(second_edition()), since=two["old"])
    from_json = pipeline.check(write(second_edition(), "again.xlsx"), since=two["snapshot"])
    assert from_docx.previous.content == from_json.previous.content
    assert [p.code for p in from_docx.problems] == []  # ST02 is marked withdrawn, on purpose


def test_the_redline_keeps_the_new_documents_bookmarks_and_marks_words_between_them(two):
    """Paragraph children that are not runs (the bookmarks on each item's text) are the new
    briefing's; the old edition's go with its deleted text."""

    def bookmarks(path: Path) -> list[str]:
        body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]

    assert bookmarks(two["redline"]) == bookmarks(two["new"])
    body = etree.fromstring(zipfile.ZipFile(two["redline"]).read("word/document.xml"))
    reworded = next(p for p in body.iter(f"{W}p") if "Assessment" in "".join(t.text for t in p.iter(f"{W}t")))
    assert [c.tag for c in reworded if c.tag in (f"{W}bookmarkStart", f"{W}ins")][:2] == [f"{W}bookmarkStart", f"{W}ins"]


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_a_snapshot_is_written_as_the_standard_library_writes_canonical_json(value):
    """The snapshot's own writer (faster) gives the very characters json.dumps gives, so a
    snapshot's bytes never depend on which of the two wrote it."""
    assert editions.canonical_json(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


@pytest.mark.reader
def test_libreoffice_prints_each_statements_own_footnote_after_a_withdrawn_one(tmp_path, writer):
    """LibreOffice numbers footnotes in the order footnotes.xml stores them, not the order the
    text cites them: a withdrawn statement's note, stored last, once shifted every later
    statement's footnote onto its neighbour's source."""
    book = first_edition()
    book["Statements"] = [
        *book["Statements"],
        *(
            {
                "statement_id": f"N{k}",
                "section_id": "drones",
                "text": f"Numbered statement {k} holds.",
                "kind": "fact",
                "source_id": "S1",
                "locator": f"para. {100 + k}",
            }
            for k in range(1, 9)
        ),
    ]
    workbook = write_workbook(tmp_path / "book.xlsx", book)
    assert pipeline.release(workbook).new
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    book["Statements"] = [s for s in book["Statements"] if s["statement_id"] != "N4"]  # in the middle
    built = pipeline.build(write_workbook(workbook, book), tmp_path / "reports" / "book.docx")
    check_docx(built.redline)
    pdf = writer("pdf", built.redline) / "book.changes.pdf"
    lines = subprocess.run(
        [need("pdftotext", "poppler-utils"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    # Laid out, a note is its number on a line of its own, then its text; a statement ends in its note's number.
    notes = {line.strip(): text for line, text in zip(lines, lines[1:]) if line.strip().isdigit()}
    # (The changes section quotes the withdrawn statement too, with no note of its own.)
    found = (re.search(r"Numbered statement (\d) holds\.(\d+)", line) for line in lines)
    cited = {int(match[1]): match[2] for match in found if match}
    assert sorted(cited) == list(range(1, 9))  # the withdrawn one too, struck through
    assert {k: notes[n].strip() for k, n in cited.items()} == {
        k: f"[1] Publisher One, “An article”, para. {100 + k}." for k in cited
    }


@pytest.mark.reader
@pytest.mark.slow
def test_a_long_redline_written_out_as_it_is_made_accepts_to_the_new_edition_and_rejects_to_the_old(tmp_path, monkeypatch):
    """Past the length a layout pass takes, the briefing and its redline are both written out as
    they are made, from one rendering: the blocks of unchanged items as they are (the same bytes,
    serialised once), a withdrawn
    statement at its old place with its footnote, the rest compared. Accepting every change
    still gives the new briefing, rejecting them the old one, and the footnotes are numbered and
    stored in the order the redline cites them."""
    from pipeline.word import contents

    from .conftest import long_book, long_book_revised

    monkeypatch.setattr(contents, "LAY_OUT_UP_TO_PAGES", 3)
    book = long_book()
    book["Briefing"]["edition"] = "1"
    workbook = write_workbook(tmp_path / "book.xlsx", book)
    released = pipeline.release(workbook)
    assert released.new
    book = long_book_revised(book)
    written_out = []
    monkeypatch.setattr(
        ooxml.Spill, "write", lambda self, blocks, write=ooxml.Spill.write: (written_out.append(len(blocks)), write(self, blocks))
    )
    shared = []  # stretches of the briefing's written-out blocks the redline takes as they are
    monkeypatch.setattr(
        ooxml.Spill, "share", lambda self, *stretch, share=ooxml.Spill.share: (shared.append(stretch), share(self, *stretch))
    )
    built = pipeline.build(write_workbook(workbook, book), tmp_path / "reports" / "book.docx")
    assert sum(written_out) > 300  # the blocks went out as they were made
    assert sum(end - start for _, start, end in shared) > 5_000  # unchanged statements' serialised once, for both
    check_docx(built.redline)
    assert _text(built.redline, "--track-changes=accept") == _text(built.output)
    assert _text(built.redline, "--track-changes=reject") == _text(released.briefing)
    parts = zipfile.ZipFile(built.redline)
    cited = [r.get(f"{W}id") for r in etree.fromstring(parts.read("word/document.xml")).iter(f"{W}footnoteReference")]
    stored = [n.get(f"{W}id") for n in etree.fromstring(parts.read("word/footnotes.xml")) if n.get(f"{W}type") is None]
    assert cited == stored == [str(n) for n in range(1, len(cited) + 1)]
    body = etree.fromstring(parts.read("word/document.xml")).find(f"{W}body")
    gone = next(p for p in body.iter(f"{W}p") if "Finding 10 of drones" in "".join(t.text for t in p.iter(f"{W}delText")))
    before = gone.getprevious()
    assert "Finding 9 of drones" in "".join(t.text for t in before.iter(f"{W}t"))  # at its old place


def test_the_redline_says_what_it_is_in_its_title_and_at_the_top_of_every_page(two):
    redline = docx.Document(two["redline"])
    assert redline.core_properties.title == "Redline: " + docx.Document(two["new"]).core_properties.title
    said = "Redline: edition 2 (30 September 2022) against edition 1 (31 August 2022), every change marked"
    headers = [s.header for s in redline.sections if not s.header.is_linked_to_previous]
    assert headers and all(any(p.text.startswith(said) for p in h.paragraphs) for h in headers)
    assert not any("Redline" in p.text for p in redline.paragraphs)  # the body is the briefing's, changes marked
    assert not any("Redline" in p.text for s in docx.Document(two["new"]).sections for p in s.header.paragraphs)
    check_docx(two["redline"])


def test_the_redlines_contents_list_the_headings_without_the_clean_copys_page_numbers(tmp_path):
    from pipeline.word import ooxml, redline, render
    from pipeline.word.render import CONTENTS_FIELD

    briefing = model.build(pipeline.check(write_workbook(tmp_path / "book.xlsx", first_edition())).valid)
    rendered = render.render(briefing)
    body = ooxml.Body(rendered.document)
    ooxml.add_contents(body, CONTENTS_FIELD, "toc 1", [("1 Trade", "_Toc1"), ("Annex B Sources", "_Toc2")], [3, 13])
    toc = rendered.document.styles["toc 1"].style_id
    entries = [p for p in rendered.document.element.body.iter(f"{W}p") if redline._style(p) == toc]
    assert [redline._text(p) for p in entries] == ["1 Trade3", "Annex B Sources13"]
    assert redline._without_page_numbers(rendered.document)
    assert [redline._text(p) for p in entries] == ["1 Trade", "Annex B Sources"]
    assert [len(list(p.iter(f"{W}hyperlink"))) for p in entries] == [1, 1]
    assert not [r for p in entries for r in p.iter(f"{W}r") if r.find(f"{W}tab") is not None]
    assert not redline._without_page_numbers(render.render(briefing).document)  # a briefing too short for a list


@pytest.mark.reader
def test_a_chronology_with_one_new_event_shows_one_inserted_row_even_where_a_column_comes(tmp_path):
    """The new event is the first from a source of its own, so the chronology gains a column for
    each event's source: still one row inserted, the others matched row by row."""
    book = first_edition()
    for event in book["Events"]:
        event["source_id"] = "S1"  # one source for every event: the chronology names it once, below
    workbook = write_workbook(tmp_path / "book.xlsx", book)
    pipeline.release(workbook)
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    event = {"event_id": "E09", "date": "2022-09-02", "section_id": "trade", "event": "A treaty was signed.", "source_id": "S2"}
    book["Events"].append(event)
    write_workbook(workbook, book)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    body = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).find(f"{W}body")
    old = etree.fromstring(
        zipfile.ZipFile(tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx").read("word/document.xml")
    )
    chronology = next(t for t in body.iter(f"{W}tbl") if "A treaty was signed." in "".join(t.itertext()))
    old_chronology = next(t for t in old.iter(f"{W}tbl") if "A visit took place." in "".join(t.itertext()))
    headings = [redline_text(c) for c in chronology.find(f"{W}tr").iter(f"{W}tc")]
    assert len(headings) > len(list(old_chronology.find(f"{W}tr").iter(f"{W}tc")))  # a column came
    rows = chronology.findall(f"{W}tr")
    marks = [[e.tag.removeprefix(W) for e in row.find(f"{W}trPr") if e.tag in (f"{W}ins", f"{W}del")] for row in rows]
    inserted = [redline_text(row) for row, mark in zip(rows, marks) if mark == ["ins"]]
    assert len(inserted) == 1 and "A treaty was signed." in inserted[0]
    assert not [mark for mark in marks if "del" in mark]  # no row deleted and inserted again
    assert len(rows) == len(old_chronology.findall(f"{W}tr")) + 1
    assert _text(built.redline, "--track-changes=accept") == _text(built.output)
    check_docx(built.redline)


def redline_text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))


def _old_edition(tmp_path: Path) -> Path:
    return tmp_path / "editions" / "book" / "2022-08-31_edition-1.docx"


@pytest.mark.reader
def test_a_contents_list_new_in_this_edition_is_inserted_whole(tmp_path):
    """Edition 1 was short and printed no contents list; edition 2 is long enough for one: the
    redline shows the list inserted, so that Reject All gives edition 1 as it printed. (Read by
    pandoc, so a reader test; the list's page numbers, LibreOffice's, are not under test.)"""
    with without_layout():
        built = _redline_of(tmp_path, lambda book: book["Statements"].extend(_new_statements(400)))
    assert "Contents" in _text(built.output)  # long enough now for a contents list; edition 1 had none
    assert "Contents" not in _text(_old_edition(tmp_path))
    assert _text(built.redline, "--track-changes=reject") == _text(_old_edition(tmp_path))


@pytest.mark.parametrize("damage", [b"not a zip", b"PK\x03\x04 cut short"])
def test_a_damaged_briefing_beside_the_snapshot_is_not_read_for_its_contents_list_and_stops_nothing(tmp_path, damage):
    """Whether edition 1 printed a contents list is read from its .docx beside the snapshot,
    through the gate every briefing given to compare with passes; a damaged one tells nothing,
    and the second edition and its redline are built from the snapshot as before."""
    workbook = tmp_path / "book.xlsx"
    released_edition(workbook, first_edition())
    released = _old_edition(tmp_path)
    released.chmod(0o644)
    released.write_bytes(damage)
    assert contents.listed_in(released) is None
    book = first_edition()
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    write_workbook(workbook, book)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    assert built.redline is not None and built.redline.exists()


@pytest.mark.reader
def test_a_contents_list_gone_from_this_edition_is_deleted_whole(tmp_path):
    """Edition 1 was long enough for a contents list; edition 2, cut short, prints none: the
    redline shows the list deleted, so that Accept All gives edition 2 without it. (Read by
    pandoc, so a reader test; the list's page numbers, LibreOffice's, are not under test.)"""
    long = first_edition()
    long["Statements"].extend(_new_statements(400))
    workbook = write_workbook(tmp_path / "book.xlsx", long)
    with without_layout():
        pipeline.release(workbook)
    book = first_edition()
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    write_workbook(workbook, book)
    built = pipeline.build(workbook, tmp_path / "out.docx")
    assert "Contents" in _text(_old_edition(tmp_path)) and "Contents" not in _text(built.output)
    assert built.redline is not None
    assert _text(built.redline, "--track-changes=accept") == _text(built.output)
    assert "Contents" in _text(built.redline, "--track-changes=reject")


@pytest.mark.reader
@pytest.mark.xfail(
    strict=True,
    reason="known defect, LibreOffice only: LibreOffice attaches a deleted chart's deletion to the inserted chart after it",
)
def test_libreoffice_reads_the_old_chart_as_deleted_and_the_new_one_as_inserted(tmp_path, writer):
    def one_more_point(book: dict) -> None:
        book["Figures"].append(
            {
                "figure_id": "F03",
                "section_id": "trade",
                "indicator": "Arms trade",
                "value": 2,
                "unit": "USD bn",
                "period": "2021",
                "source_id": "S1",
            }
        )
        book["Charts"][0]["figures"] = "F01, F02, F03"

    built = _redline_of(tmp_path, one_more_point)
    body = etree.fromstring(zipfile.ZipFile(built.redline).read("word/document.xml")).find(f"{W}body")
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    (deleted,) = [e for d in body.iter(f"{W}del") for e in d.iter(f"{wp}extent")]
    content = zipfile.ZipFile(writer("odt", built.redline) / (built.redline.stem + ".odt")).read("content.xml").decode()
    in_deletions = re.findall(r'<text:deletion>.*?svg:height="([\d.]+)in".*?</text:deletion>', content, re.S)
    assert [round(float(h), 2) for h in in_deletions] == [round(int(deleted.get("cy")) / 914400, 2)]
