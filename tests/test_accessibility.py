"""The briefing as every reader can use it: a PDF tagged as PDF/UA asks, each chart described."""

from __future__ import annotations

import copy

import pikepdf
import pytest

from pipeline.word import pdf

from .conftest import VALID, need, write_workbook


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


@pytest.fixture(scope="module")
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
@pytest.mark.parametrize("briefing", ["sample_docx", "qualified_docx", "long_docx"])
def test_the_pdf_is_tagged_as_pdf_ua_asks_with_each_chart_described(briefing, request, tmp_path):
    """The sample, a multi-source briefing with qualified and conflicting values, and a long one
    with a contents list: the pdfua checker finds no error and no warning; each chart is a
    figure carrying the .docx's alt text, and nothing else is tagged a figure; the document's
    language and title are set and shown."""
    import pdfua

    need("soffice", "libreoffice-writer-nogui")
    docx = request.getfixturevalue(briefing)
    target = tmp_path / "briefing.pdf"
    pdf.convert(docx, target)
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
