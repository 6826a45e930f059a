"""The briefing built from the sample workbook: every statement, figure and event is there,
each carrying a real footnote that names its source."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import docx
import pytest
from lxml import etree

from pipeline import model, render
from pipeline.formats import format_number
from pipeline.load import load
from pipeline.validate import validate

from .conftest import SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "briefing.docx"
    workbook = load(SAMPLE)
    assert validate(workbook) == []
    render.write(model.build(workbook), path)
    return path


@pytest.fixture(scope="module")
def sample_records():
    return load(SAMPLE)


def _parts(path):
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def _paragraphs(xml: bytes):
    """(text, footnote ids) of every paragraph in a part."""
    root = etree.fromstring(xml)
    for p in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        ids = [r.get(f"{W}id") for r in p.iter(f"{W}footnoteReference")]
        yield text, ids


def _footnotes(parts) -> dict[str, str]:
    root = etree.fromstring(parts["word/footnotes.xml"])
    return {
        note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t"))
        for note in root.iter(f"{W}footnote")
        if note.get(f"{W}type") is None
    }


def _cited_paragraphs(path):
    parts = _parts(path)
    notes = _footnotes(parts)
    return [(text, [notes[i] for i in ids]) for text, ids in _paragraphs(parts["word/document.xml"])], notes


def test_every_statement_appears_with_a_footnote_to_its_source(sample_docx, sample_records):
    paragraphs, _ = _cited_paragraphs(sample_docx)
    sources = {r.value("source_id"): r for r in sample_records.records("Sources")}
    for row in sample_records.records("Statements"):
        text = row.value("text")
        carrying = [notes for para, notes in paragraphs if text in para and notes]
        assert carrying, f"statement {row.value('statement_id')} is missing or has no footnote"
        source = sources[row.value("source_id")]
        for notes in carrying:
            assert any(source.value("publisher") in n and source.value("title") in n for n in notes)
            assert any(f"At {row.value('locator')}." in n for n in notes)


def test_every_figure_and_event_is_cited(sample_docx, sample_records):
    paragraphs, _ = _cited_paragraphs(sample_docx)
    for row in sample_records.records("Figures"):
        cited = [notes for text, notes in paragraphs if text == row.value("indicator") and notes]
        assert cited, f"figure {row.value('figure_id')} has no cited row"
        if row.value("attribution"):
            assert any(row.value("attribution")[1:] in n for notes in cited for n in notes)
    for row in sample_records.records("Events"):
        assert any(row.value("event") in text and notes for text, notes in paragraphs), row.value("event_id")


def test_figures_show_their_values_units_and_periods(sample_docx, sample_records):
    document = docx.Document(sample_docx)
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    for figure in sample_records.records("Figures"):
        assert [figure.value("indicator"), format_number(figure.value("value")), figure.value("unit"), figure.value("period")] in [
            r[:4] for r in rows
        ]


def test_footnotes_are_real_word_footnotes(sample_docx):
    parts = _parts(sample_docx)
    assert b"footnotes+xml" in parts["[Content_Types].xml"]
    assert b"relationships/footnotes" in parts["word/_rels/document.xml.rels"]
    document_xml = parts["word/document.xml"]
    notes = _footnotes(parts)
    references = etree.fromstring(document_xml).findall(f".//{W}footnoteReference")
    assert len(references) == len(notes) > 0
    assert all(text.startswith(" [1] ") or text.startswith("[1] ") for text in notes.values())


def test_marking_and_page_numbers_on_every_page(sample_docx):
    document = docx.Document(sample_docx)
    section = document.sections[0]
    assert "TLP:CLEAR" in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert "TLP:CLEAR" in section.footer.paragraphs[0].text
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_structure_sections_in_order_and_tables_with_repeating_headers(sample_docx, sample_records):
    document = docx.Document(sample_docx)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    sections = sorted(sample_records.records("Sections"), key=lambda r: r.value("order"))
    assert headings == ["Bottom line up front", *[r.value("heading") for r in sections], "Chronology", "Sources"]
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    numbers = [p for t in document.tables for row in t.rows[1:] for p in row.cells[1].paragraphs if p.style.name == "Table Number"]
    assert numbers, "figure values are right-aligned through the Table Number style"


def test_no_direct_formatting_in_the_body(sample_docx):
    """Formatting comes from named styles, so a restyle is an edit of styles, not of text."""
    body = etree.fromstring(_parts(sample_docx)["word/document.xml"])
    direct = {"b", "i", "sz", "color", "rFonts", "u"}
    for run_properties in body.iter(f"{W}rPr"):
        assert not {child.tag.removeprefix(W) for child in run_properties} & direct


def test_charts_are_pictures_with_alt_text(sample_docx):
    document = docx.Document(sample_docx)
    shapes = document.inline_shapes
    assert len(shapes) == 2
    for shape in shapes:
        assert "USD bn" in shape._inline.docPr.get("descr") or "%" in shape._inline.docPr.get("descr")


def test_same_workbook_gives_the_same_bytes(tmp_path):
    briefing = model.build(load(SAMPLE))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render.write(briefing, first)
    render.write(model.build(load(SAMPLE)), second)
    assert first.read_bytes() == second.read_bytes()


def test_model_orders_sections_and_files_unsectioned_items(book, write):
    book["Statements"].append({"statement_id": "ST09", "text": "Filed nowhere.", "source_id": "S2"})
    briefing = model.build(load(write(book)))
    assert [s.heading for s in briefing.sections] == ["Drones", "Trade", model.UNFILED_HEADING]
    assert briefing.sections[-1].statements[0].kind == "fact"
    assert [e.id for e in briefing.chronology] == ["E02", "E01"]  # July before 9 August
    assert [s.id for s in briefing.key_points] == ["ST01"]
    assert [s.id for s in briefing.sources] == ["S1", "S2"]


def test_briefing_from_a_built_workbook_carries_grades_and_assessments(book, write, tmp_path):
    path = tmp_path / "out.docx"
    render.write(model.build(load(write(book))), path)
    paragraphs, notes = _cited_paragraphs(path)
    assert any("Assessment (moderate confidence): Trade will keep growing." in text for text, _ in paragraphs)
    assert any("\u201cprofound threat\u201d \u2014 Jake Sullivan" in text for text, _ in paragraphs)
    assert any("Source reliability B (usually reliable); information credibility 2 (probably true)." in n for n in notes.values())
    assert any("https://example.org/r (accessed 30 August 2022)." in n for n in notes.values())


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed (apt-get install pandoc)")
def test_pandoc_reads_the_footnotes_as_notes(sample_docx):
    markdown = subprocess.run(["pandoc", "-t", "markdown", str(sample_docx)], capture_output=True, text=True, check=True).stdout
    assert markdown.count("[^") > 50
    assert "# Bottom line up front" in markdown


def test_charts_are_drawn_once_and_read_back_from_the_cache(book, write, tmp_path):
    from pipeline import charts

    chart = model.build(load(write(book))).sections[1].charts[0]
    cache = tmp_path / "cache"
    first = charts.png(chart, cache)
    assert first.startswith(b"\x89PNG") and first == charts.png(chart, None)
    (drawn,) = cache.glob("chart-*.png")
    drawn.write_bytes(b"from the cache")
    assert charts.png(chart, cache) == b"from the cache"


def test_the_sample_points_into_its_source_for_every_row(sample_records):
    """The sample's promise: every figure, statement and event says where in the article it is."""
    for sheet in ("Figures", "Statements", "Events"):
        rows = sample_records.records(sheet)
        assert rows and all(r.value("locator") and r.value("locator").startswith("para. ") for r in rows), sheet


def test_footnote_styles_are_words_own(sample_docx):
    document = docx.Document(sample_docx)
    styles = {s.style_id: s for s in document.styles}
    for style_id, name in (("FootnoteText", "footnote text"), ("FootnoteReference", "footnote reference")):
        assert styles[style_id].name == name and styles[style_id].builtin
