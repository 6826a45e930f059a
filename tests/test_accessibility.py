"""The briefing as every reader can use it: a PDF tagged as PDF/UA asks, each chart described."""

from __future__ import annotations

import copy
import re

import pikepdf
import pytest

from pipeline.briefing import wording
from pipeline.word import pdf

from .conftest import VALID, write_workbook


def qualified_book() -> dict:
    """The valid workbook with values from several sources, qualified (a range, a bound, an
    about value) and conflicting (`≥ 10` and `8` for one measure, from two sources), charted."""
    book = copy.deepcopy(VALID)
    base = {"section_id": "trade", "unit": "USD bn", "period": "2021"}
    book["Figures"][1].update(qualifier="range", value_high=16)
    book["Figures"] += [
        {**base, "figure_id": "F03", "indicator": "Exports", "value": -3, "source_id": "S2", "qualifier": "about"},
        {**base, "figure_id": "F04", "indicator": "Imports", "value": 5, "source_id": "S1, S2", "qualifier": "under"},
        {**base, "figure_id": "F05", "indicator": "Arms trade", "value": 10, "source_id": "S1", "qualifier": "at least"},
        {**base, "figure_id": "F06", "indicator": "Arms trade", "value": 8, "source_id": "S2"},
    ]
    book["Charts"][0]["figures"] = "F01, F02, F03, F04, F05, F06"
    book["Charts"].append({"chart_id": "C2", "section_id": "trade", "title": "Imports", "kind": "line", "figures": "F01, F04"})
    return book


@pytest.fixture(scope="session")
def qualified_docx(tmp_path_factory):
    """`qualified_book`'s briefing: built, its conflicting values warned of."""
    import pipeline

    folder = tmp_path_factory.mktemp("qualified")
    path = folder / "qualified.docx"
    built = pipeline.build(write_workbook(folder / "qualified.xlsx", qualified_book()), path)
    assert built.written and {p.code for p in built.checked.problems} == {"conflicting-figures"}
    return path


def _structure(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every element of the PDF's structure tree, in reading order."""
    found: list[pikepdf.Dictionary] = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                walk(node.K)

    walk(document.Root.StructTreeRoot.K)
    return found


@pytest.mark.slow
@pytest.mark.reader
@pytest.mark.parametrize("briefing", ["sample_docx", "qualified_docx", "long_docx_laid_out"])
def test_the_pdf_is_tagged_as_pdf_ua_asks_with_each_chart_described(briefing, request, printed):
    """The sample, a multi-source briefing with qualified and conflicting values, and a long one
    with a contents list: the pdfua checker finds no error and no warning; each chart is a
    figure carrying the .docx's alt text, and nothing else is tagged a figure; the document's
    language and title are set and shown. The long one as make pdf prints it, its contents
    list numbered: the print the real-reader tests of those numbers read, not one more."""
    import pdfua

    docx = request.getfixturevalue(briefing)
    target = printed(docx)
    report = pdfua.validate(str(target))
    assert [(f.rule_id, f.message) for f in report.findings if f.severity >= pdfua.Severity.WARNING] == []
    # pdfua 0.1.3's empty-heading rule raises on a heading whose content is an array of marks,
    # as LibreOffice writes a heading of several runs: that one rule is not evaluated.
    assert {outcome.rule_id for outcome in report.skipped} <= {"UA-14-001"}
    with pikepdf.open(target) as document:
        figures = [element for element in _structure(document) if element.S == "/Figure"]
        assert [str(figure.get("/Alt")) for figure in figures] == pdf.chart_descriptions(docx)
        assert str(document.Root.Lang) == "en-GB"
        assert str(document.docinfo.Title) and document.Root.ViewerPreferences.DisplayDocTitle


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _text(element) -> str:
    """The text an element shows (python-docx's elements give their own itertext)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _outline_level(style) -> int | None:
    """The outline level a paragraph style gives (0 is a level-1 heading), through its bases."""
    while style is not None:
        properties = style.element.pPr
        level = properties.find(f"{W}outlineLvl") if properties is not None else None
        if level is not None:
            return int(level.get(f"{W}val"))
        style = style.base_style
    return None


def accessibility_problems(path) -> list[str]:
    """What Word's accessibility rules find wrong in the .docx at `path`, one line each: a
    heading that skips a level; a table without its caption before it, without the caption
    as its own (w:tblCaption) or without a marked header row; a left-to-right run of a
    right-to-left paragraph not tagged with a language of its own; a web address that is not
    a link."""
    import docx

    document = docx.Document(path)
    body = document.element.body
    problems = []
    previous = -1
    for paragraph in document.paragraphs:
        level = _outline_level(paragraph.style)
        if level is not None and level < 9:
            if level > previous + 1:
                problems.append(f"heading {paragraph.text!r} at level {level + 1} after one at level {previous + 1}")
            previous = level
    for table in body.iter(f"{W}tbl"):
        before = table.getprevious()
        style = before.find(f"{W}pPr/{W}pStyle") if before is not None and before.tag == f"{W}p" else None
        caption = table.find(f"{W}tblPr/{W}tblCaption")
        if style is None or style.get(f"{W}val") != "Caption":
            problems.append("a table with no caption before it")
        if caption is None or not caption.get(f"{W}val") or caption.get(f"{W}val") not in _text(before):
            problems.append(f"a table whose w:tblCaption is not its caption: {_text(before)!r}")
        if table.find(f"{W}tr/{W}trPr/{W}tblHeader") is None:
            problems.append("a table with no header row marked")
    for paragraph in body.iter(f"{W}p"):
        if paragraph.find(f"{W}pPr/{W}bidi") is None:
            continue
        for run in paragraph.iter(f"{W}r"):
            text = _text(run)
            if run.find(f"{W}rPr/{W}rtl") is None and any(c.isalpha() for c in text):
                if run.find(f"{W}rPr/{W}lang") is None or not run.find(f"{W}rPr/{W}lang").get(f"{W}val"):
                    problems.append(f"a left-to-right run with no language in a right-to-left paragraph: {text!r}")
    links = {link.get(f"{R}id"): _text(link) for link in body.iter(f"{W}hyperlink") if link.get(f"{R}id")}
    targets = {rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.is_external}
    for paragraph in body.iter(f"{W}p"):
        linked = "".join(_text(link) for link in paragraph.iter(f"{W}hyperlink"))
        for address in re.findall(r"https?://\S+?(?=[\s)]|\.?$| \()", _text(paragraph)):
            if address not in linked:
                problems.append(f"a web address that is not a link: {address}")
    problems += [f"a link to {targets.get(rid)} showing {text!r}" for rid, text in links.items() if targets.get(rid) != text]
    return problems


@pytest.mark.parametrize("briefing", ["sample_docx", "qualified_docx", "multilingual_docx", "long_docx"])
def test_the_docx_keeps_words_accessibility_rules(briefing, request):
    """No heading skips a level; every table has a caption, also as its own, and a marked
    header row; every run of a right-to-left paragraph says its language; web addresses are links."""
    assert accessibility_problems(request.getfixturevalue(briefing)) == []


def test_the_likelihood_scale_is_headed_by_its_rows_and_a_source_address_is_a_link(qualified_docx):
    import docx

    document = docx.Document(qualified_docx)
    scale = next(t for t in document.tables if t.cell(0, 0).text == wording.SCALE_ROWS[0])
    look = scale._tbl.find(f"{W}tblPr/{W}tblLook")
    assert look.get(f"{W}firstColumn") == "1"
    assert [row.cells[0].paragraphs[0].style.name for row in scale.rows][1:] == ["Table Row Heading"] * 2
    assert document.styles["Table Row Heading"].font.bold
    (link,) = document.element.body.iter(f"{W}hyperlink")
    target = document.part.rels[link.get(f"{R}id")]
    assert (target.target_ref, _text(link)) == ("https://example.org/r", "https://example.org/r")
