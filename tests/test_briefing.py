"""The briefing built from the sample workbook: every statement, figure and event is there,
each carrying a real footnote that names its source; and the structure a reader expects."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree
from openpyxl.utils.escape import unescape

from pipeline.briefing import model, wording
from pipeline.formats import format_number
from pipeline.word import render
from pipeline.workbook.load import load

from .conftest import check_docx, valid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="session")
def sample_records(sample_xlsx):
    return load(sample_xlsx)


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
        source = sources[row.value("source_id")[0]]
        for notes in carrying:
            assert any(source.value("publisher") in n and f"{row.value('locator')}." in n for n in notes)


def test_a_source_is_cited_in_full_once_then_in_short(sample_docx):
    notes = list(_footnotes(_parts(sample_docx)).values())
    full = "[1] The Portal Center, \u201cIran and Russia are forging tighter ties than ever\u201d, August 2022. At para. 1."
    short = "[1] The Portal Center, \u201cIran and Russia are forging\u2026\u201d, para. "
    assert notes[0].strip() == full
    assert all(note.strip().startswith(short) for note in notes[1:])


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
        assert [
            figure.value("indicator"),
            format_number(figure.value("value")),
            figure.value("unit"),
            figure.value("period"),
        ] in [r[:4] for r in rows]


def test_footnotes_are_real_word_footnotes(sample_docx):
    parts = _parts(sample_docx)
    assert b"footnotes+xml" in parts["[Content_Types].xml"]
    assert b"relationships/footnotes" in parts["word/_rels/document.xml.rels"]
    document_xml = parts["word/document.xml"]
    notes = _footnotes(parts)
    references = etree.fromstring(document_xml).findall(f".//{W}footnoteReference")
    assert len(references) == len(notes) > 0
    assert all(text.startswith(" [1] ") or text.startswith("[1] ") for text in notes.values())


def test_marking_and_page_numbers_on_every_page(long_docx):
    document = docx.Document(long_docx)
    assert len(document.sections) == 3  # the chronology's landscape pages between portrait ones
    for section in document.sections:
        assert not section.header.is_linked_to_previous
        header = section.header.paragraphs[0]
        assert header.text == "TLP:CLEAR" and header.alignment is None  # right-justified by its style
        assert header.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        # FIRST's TLP 2.0: the label right-justified in header and footer, in 12-point type or greater.
        (label,) = [run for run in header.runs if run.text == "TLP:CLEAR"]
        style = document.styles[label.style.name]
        sizes = [s.font.size for s in (style, style.base_style) if s is not None and s.font.size is not None]
        assert sizes and sizes[0].pt >= 12
        footer = section.footer.paragraphs[0].text
        assert footer.startswith("Russia\u2013Iran ties\tPage ") and footer.endswith("\tTLP:CLEAR")
        footer_xml = section.footer._element.xml
        assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
        assert section.footer.paragraphs[0].style.name in ("Footer", "Landscape Footer")


def test_structure_sections_in_order_and_tables_with_repeating_headers(sample_docx, sample_records):
    document = docx.Document(sample_docx)
    by_style = lambda name: [p.text for p in document.paragraphs if p.style.name == name]  # noqa: E731
    sections = sorted(sample_records.records("Sections"), key=lambda r: r.value("order"))
    assert by_style("Heading Unnumbered") == ["Key judgements", "Bottom line up front"]
    assert by_style("Heading 1") == [*(r.value("heading") for r in sections), "Outlook"]
    assert by_style("Annex Heading") == ["Chronology", "Sources"]
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert table.style.name == "Briefing Table"
    numbers = [
        p for t in document.tables for row in t.rows[1:] for p in row.cells[1].paragraphs if p.style.name == "Table Number"
    ]
    assert numbers, "figure values are right-aligned through the Table Number style"


def test_cover_then_contents_that_word_refreshes_on_opening(sample_docx, long_docx):
    document = docx.Document(sample_docx)
    opening = [(p.style.name, p.text) for p in document.paragraphs[:8]]
    assert opening[:3] == [
        ("Cover Marking", "TLP:CLEAR"),
        ("Title", "Russia and Iran: Tighter Ties Than Ever"),
        ("Subtitle", opening[2][1]),
    ]
    assert ("Cover Details", "As of 31 August 2022") in opening and ("Cover Details", "Edition 1") in opening
    # Ten pages: too short for a contents page.
    assert [p.text for p in document.paragraphs if p.style.name in ("TOC Heading", "toc 1")] == []
    document = docx.Document(long_docx)
    body = document.element.body
    codes = [code.text for code in body.iter(f"{W}instrText")]
    assert ' TOC \\o "1-1" \\h \\z \\u ' in codes
    entries = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert entries[0].startswith("Key judgements") and entries[1].startswith("Bottom line up front")
    assert entries[-1].startswith("Annex B: Sources") and entries[2].startswith("1 ")
    # Opening the document asks nothing: the list is stored as it should read.
    assert document.settings.element.find(f"{W}updateFields") is None


def test_headings_are_numbered_and_in_the_navigation_pane(sample_docx):
    styles = docx.Document(sample_docx).styles

    def level(name):
        outline = styles[name].element.pPr.find(f"{W}outlineLvl")
        return outline.get(f"{W}val") if outline is not None else None

    def numbering(name):
        return styles[name].element.pPr.find(f"{W}numPr/{W}numId").get(f"{W}val")

    assert [level(n) for n in ("Heading 1", "Heading 2", "Heading 3", "TOC Heading")] == ["0", "1", "2", "9"]
    assert numbering("Heading 1") != "0" and numbering("Heading Unnumbered") == "0" and numbering("TOC Heading") == "0"
    assert numbering("Annex Heading") not in ("0", numbering("Heading 1"))


def test_a_long_chronology_gets_landscape_pages_and_a_short_one_does_not(long_docx, book, write, tmp_path):
    sample = docx.Document(long_docx).sections
    assert [s.orientation for s in sample] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert sample[1].page_width == sample[0].page_height
    path = tmp_path / "short.docx"
    render.write(model.build(valid(load(write(book)))), path)
    assert [s.orientation for s in docx.Document(path).sections] == [WD_ORIENT.PORTRAIT]


def test_tables_and_figures_are_captioned_with_their_sources(sample_docx):
    document = docx.Document(sample_docx)
    paragraphs = document.paragraphs
    captions = [p.text for p in paragraphs if p.style.name == "Caption"]
    # The likelihood and confidence scale come first, then the key figures; every table captioned.
    assert captions[:3] == [
        "Table 1. Words of likelihood, as ICD 203 defines them",
        "Table 2. Levels of confidence",
        "Table 3. Key figures",
    ]
    assert "Figure 1. Iran\u2019s trade with Russia vs China, 2021 (USD bn)" in captions
    assert sum(c.startswith("Table ") for c in captions) == len(document.tables) == 6
    # The scale's two tables are the desk's definitions: they name no source.
    source_lines = [p.text for p in paragraphs if p.style.name == "Source Line"]
    assert len(source_lines) == len(document.tables) - 2 + len(document.inline_shapes)
    assert set(source_lines) == {"Source: The Portal Center, \u201cIran and Russia are forging\u2026\u201d [1]."}


def test_no_direct_formatting_in_the_body(sample_docx):
    """Formatting comes from named styles, so a restyle is an edit of styles, not of text."""
    body = etree.fromstring(_parts(sample_docx)["word/document.xml"])
    direct = {"b", "i", "sz", "color", "rFonts", "u"}
    for run_properties in body.iter(f"{W}rPr"):
        assert not {child.tag.removeprefix(W) for child in run_properties} & direct


def test_charts_are_native_word_charts_with_their_data_and_alt_text(sample_docx):
    document = docx.Document(sample_docx)
    shapes = document.inline_shapes
    assert len(shapes) == 2
    parts = _parts(sample_docx)
    for number, shape in enumerate(shapes, start=1):
        description = shape._inline.docPr.get("descr")
        assert description.startswith("Bar chart: ") and ("USD bn" in description or "%" in description)
        chart = document.part.related_parts[shape._inline.graphic.graphicData[0].get(f"{R}id")]
        assert chart.partname == f"/word/charts/chart{number}.xml"
        space = etree.fromstring(chart.blob)
        assert space.find(f".//{C}barChart/{C}barDir").get("val") == "bar"
        assert space.find(f".//{C}lang").get("val") == "en-GB"
        assert {f.get("typeface") for f in space.iter(f"{A}latin")} == {"Calibri"}  # the document's display face
        (data,) = [rel.target_part for rel in chart.rels.values() if rel.reltype.endswith("/package")]
        assert data.partname.startswith("/word/embeddings/") and data.partname.endswith(".xlsx")
        values = [float(v.text) for v in space.iter(f"{C}v") if v.getparent().getparent().tag == f"{C}numCache"]
        sheet = openpyxl.load_workbook(io.BytesIO(data.blob)).active
        columns = zip(*sheet.iter_rows(min_row=2, min_col=2, values_only=True))
        assert [value for column in columns for value in column if value is not None] == values
    titles = [
        "".join(t.text for t in etree.fromstring(parts[f"word/charts/chart{n}.xml"]).findall(f".//{C}title//{A}t"))
        for n in (1, 2)
    ]
    assert titles == ["USD bn", "Real GDP growth (%)"]  # the axis says what is measured, and in what


def test_a_chart_label_holding_an_escape_of_excel_reads_as_typed_in_its_data(book, write, tmp_path):
    """An indicator typed as `_x0041_` (which Excel keeps as _x005F_x0041_) is that text in the
    chart's data too, not the letter A a spreadsheet would read the bare escape as."""
    book["Figures"][0]["indicator"] = "Trade _x005F_x0041_ growth"
    path = tmp_path / "escaped.docx"
    render.write(model.build(valid(load(write(book)))), path)
    (data,) = [blob for name, blob in _parts(path).items() if name.startswith("word/embeddings/")]
    labels = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True)]
    assert unescape(labels[0]).startswith("Trade _x0041_ growth")  # decoded as Excel reads a cell's text


def test_same_workbook_gives_the_same_bytes(tmp_path, sample_xlsx):
    briefing = model.build(valid(load(sample_xlsx)))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    render.write(briefing, first)
    render.write(model.build(valid(load(sample_xlsx))), second)
    assert first.read_bytes() == second.read_bytes()


def test_model_orders_sections_and_files_unsectioned_items(book, write):
    book["Statements"].append({"statement_id": "ST09", "text": "Filed nowhere.", "source_id": "S2"})
    briefing = model.build(valid(load(write(book))))
    assert [s.heading for s in briefing.sections] == ["Drones", "Trade", model.UNFILED_HEADING]
    assert briefing.sections[-1].statements[0].kind == "fact"
    assert [e.id for e in briefing.chronology] == ["E02", "E01"]  # July before 9 August
    assert [s.id for s in briefing.key_points] == ["ST01"]
    assert [s.id for s in briefing.sources] == ["S1", "S2"]


def test_briefing_from_a_built_workbook_carries_grades_and_assessments(book, write, tmp_path):
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    paragraphs, notes = _cited_paragraphs(path)
    # The likelihood in the judgement's sentence, the confidence in one of its own.
    assert any(
        "Assessment: Trade will likely keep growing. We have low confidence: this rests on one source, not corroborated." in text
        for text, _ in paragraphs
    )
    assert any("\u201cprofound threat\u201d \u2014 Jake Sullivan" in text for text, _ in paragraphs)
    assert any("Source reliability B (usually reliable)." in n for n in notes.values())  # S1 in full
    assert any(
        n.strip() == "[1] Publisher One, \u201cAn article\u201d. Information credibility 2 (probably true)."
        for n in notes.values()
    )
    assert any("https://example.org/r (accessed 30 August 2022)." in n for n in notes.values())


def test_sources_annex_is_sorted_numbered_and_spells_out_reliability(book, write, tmp_path):
    book["Sources"].append({"source_id": "S0", "publisher": "Agence Alpha", "title": "Cited nowhere", "reliability": "F"})
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    entries = [p.text for p in docx.Document(path).paragraphs if p.style.name == "Source Entry"]
    assert [e.split("\t")[1].split(",")[0] for e in entries] == ["Agence Alpha", "Publisher One", "Publisher Two"]
    assert [e.split("\t")[0] for e in entries] == ["[1]", "[2]", "[3]"]
    assert entries[0].endswith("Reliability F: reliability cannot be judged.")  # no internal ids
    assert "News report. Reliability B: usually reliable." in entries[1]  # the type in words, not as the workbook spells it
    _, notes = _cited_paragraphs(path)
    assert all(n.strip().startswith(("[2] ", "[3] ")) for n in notes.values())  # numbered as the annex


def test_sources_and_confidence_note_is_counted_from_the_data(book, write, tmp_path):
    book["Statements"][0].update(source_id="S1, S2", credibility=1)  # confirmed by another source
    book["Sources"].append({"source_id": "S3", "publisher": "Cited by nothing", "title": "Unused", "url": "https://example.org"})
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    document = docx.Document(path)
    texts = [p.text for p in document.paragraphs]
    note = texts[texts.index("Sources and confidence") + 1 :][:2]
    # Only cited sources are counted; the annex still lists the third.
    assert note[0].startswith("This briefing cites 2 sources: 1 news report and 1 source of unstated type.")
    assert "1 graded B and 1 not graded" in note[0]
    # Two statements that are not the desk's, two figures and two events; one statement names two sources.
    assert "Of the 6 facts, quotes, claims, figures and events it reports, 5 (83%) rest on a single source." in note[0]
    assert "None of its 2 figures is contradicted by another value for the same measure." in note[0]
    assert note[1] == "The desk makes 1 assessment of its own: 1 with low confidence. Its basis cites 1 source."
    assert len([p for p in document.paragraphs if p.style.name == "Source Entry"]) == 3


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


def test_key_points_leave_out_what_the_bottom_line_already_says(book, write):
    book["Briefing"]["summary"] = "Ties are closer. Drone drills were held in August, officials said."
    book["Statements"][1]["key"] = "Y"
    briefing = model.build(valid(load(write(book))))
    # ST01 restates the bottom line's second sentence; ST03, an assessment, is a key judgement.
    assert [s.id for s in briefing.key_points] == ["ST02"]
    assert [s.id for s in briefing.key_judgements] == ["ST03"]


def test_key_points_leave_out_what_a_key_judgement_already_says(book, write, tmp_path):
    book["Statements"][0]["text"] = "Russia's army held drone drills with Iran's forces."
    book["Statements"][2]["text"] = "Iran's forces held drone drills with Russia's army, and trade will likely keep growing."
    book["Statements"][1]["key"] = "Y"
    briefing = model.build(valid(load(write(book))))
    # ST01 says the key judgement's own words in another order; ST02, a quote, is news of its own.
    assert [s.id for s in briefing.key_points] == ["ST02"]
    out = tmp_path / "out.docx"
    render.write(briefing, out)
    said = [p.text for p in docx.Document(out).paragraphs if "Russia's army held drone drills" in p.text]
    assert len(said) == 1  # in its chapter, not again among the key points


def test_a_one_source_chronology_names_its_source_once(sample_docx, long_docx):
    def chronology(path):
        table = docx.Document(path).tables[-1]
        return [c.text for c in table.rows[0].cells], [c.text for c in table.rows[1].cells]

    heading, first = chronology(sample_docx)
    assert heading == ["Date", "Event", "Chapter", "Where"] and first[-1] == "para. 21"
    heading, first = chronology(long_docx)  # two sources: each row says whose it is
    assert heading[-1] == "Source" and first[-1].startswith("[")


def test_short_annexes_follow_on_and_long_ones_start_a_page(sample_docx, long_docx):
    def breaks(path):
        document = docx.Document(path)
        return {p.text: p.paragraph_format.page_break_before for p in document.paragraphs if p.style.name == "Annex Heading"}

    assert breaks(sample_docx) == {"Chronology": False, "Sources": False}
    assert breaks(long_docx) == {"Chronology": None, "Sources": False}  # landscape: a section of its own


def test_the_contents_list_links_each_part_to_its_heading(long_docx):
    body = docx.Document(long_docx).element.body
    anchors = [link.get(f"{W}anchor") for link in body.iter(f"{W}hyperlink") if link.get(f"{W}anchor")]
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart") if b.get(f"{W}name").startswith("_Toc")}
    assert anchors and set(anchors) == set(bookmarks)
    headings = ["".join(t.text for t in bookmarks[a].iter(f"{W}t")) for a in anchors]
    assert headings[:2] == ["Key judgements", "Bottom line up front"] and headings[-1] == "Sources"


def test_without_a_layout_the_contents_list_goes_without_page_numbers(monkeypatch, tmp_path):
    from pipeline.word import pdf

    from .conftest import long_book, write_workbook

    monkeypatch.setattr(pdf, "part_pages", lambda docx, timeout: None)  # as on a machine without LibreOffice
    path = tmp_path / "long.docx"
    notes = render.write(model.build(valid(load(write_workbook(tmp_path / "long.xlsx", long_book())))), path).notes
    entries = [p.text for p in docx.Document(path).paragraphs if p.style.name == "toc 1"]
    assert entries[:2] == ["Key judgements", "Bottom line up front"] and "\t" not in "".join(entries)
    assert notes == (render.NO_LAYOUT,)


def test_past_sixty_pages_the_contents_list_is_not_laid_out(monkeypatch, tmp_path):
    from pipeline.word import contents, pdf

    from .conftest import long_book, write_workbook

    monkeypatch.setattr(contents, "LAY_OUT_UP_TO_PAGES", 5)
    monkeypatch.setattr(pdf, "part_pages", lambda docx, timeout: pytest.fail("laid out"))
    notes = render.write(
        model.build(valid(load(write_workbook(tmp_path / "long.xlsx", long_book())))), tmp_path / "long.docx"
    ).notes
    assert len(notes) == 1 and re.search(r"at some \d+ pages", notes[0]) and "Update Field" in notes[0]


def test_the_length_that_earns_a_contents_page_is_estimated_from_the_content(sample_docx, long_docx):
    from pipeline.word import contents

    def estimate(path):
        document = docx.Document(path)
        section = document.sections[0]
        return contents.estimated_pages(
            document,
            section.page_width - section.left_margin - section.right_margin,
            section.page_height - section.top_margin - section.bottom_margin,
        )

    # LibreOffice prints the sample on 10 pages, too few for a contents page; the long one on 23, its contents page included.
    assert 9 <= estimate(sample_docx) < contents.CONTENTS_FROM_PAGES
    assert contents.CONTENTS_FROM_PAGES <= estimate(long_docx) <= 26


def test_a_line_chart_and_a_fall_among_bars(book, write, tmp_path):
    from pipeline.word import charts

    book["Figures"][1].update(indicator="Bilateral trade", period="2022", value=-2)
    book["Charts"].append(
        {"chart_id": "C2", "section_id": "trade", "title": "Trade over time", "kind": "line", "figures": "F01, F02"}
    )
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    parts = _parts(path)
    bars, line = (etree.fromstring(parts[f"word/charts/chart{n}.xml"]) for n in (1, 2))
    (fall,) = bars.iter(f"{C}dPt")
    assert fall.find(f"{C}idx").get("val") == "1" and fall.find(f".//{A}srgbClr").get("val") == charts.NEGATIVE_COLOUR
    assert line.find(f".//{C}lineChart") is not None
    # One indicator: periods along the axis, each with whom its source credits.
    assert [v.text for v in line.iter(f"{C}v")][:3] == ["USD bn", "2021\naccording to Russia", "2022"]
    assert "".join(t.text for t in line.iter(f"{A}t")) == "Bilateral trade (USD bn)"


def test_a_bar_of_a_value_too_small_to_step_through_gets_the_readers_own_axis(book, write, tmp_path):
    """-5e-324, the least float below zero: an eighth of the span to zero is no float at all."""
    from pipeline.word import charts

    for figure in book["Figures"]:
        figure["value"] = -5e-324
    briefing = model.build(valid(load(write(book))))
    (chart,) = [c for s in briefing.sections for c in s.charts]
    assert charts.axis_scale(chart) == (0.0, None)
    render.write(briefing, tmp_path / "out.docx")


# --- the desk's judgements, corroboration and attribution ---------------------------------------


def test_key_judgements_come_first_with_their_likelihood_and_confidence(sample_docx, sample_records):
    from pipeline.contract import LIKELIHOOD, choice

    paragraphs = docx.Document(sample_docx).paragraphs
    styles = [p.style.name for p in paragraphs]
    headings = [p.text for p in paragraphs if p.style.name in ("Heading Unnumbered", "Heading 1", "Annex Heading")]
    assert headings[:2] == ["Key judgements", "Bottom line up front"]
    judgements = [r for r in sample_records.records("Statements") if r.value("kind") == "assessment" and r.value("key")]
    assert 3 <= len(judgements) <= 4
    first = styles.index("Key Judgement")
    # The heading, not the contents list's entry, which reads the same where the list has no page numbers.
    assert first < next(i for i, p in enumerate(paragraphs) if p.text == "Bottom line up front" and p.style.name != "toc 1")
    shown = [(p.text, paragraphs[i + 1].text) for i, p in enumerate(paragraphs) if p.style.name == "Key Judgement"]
    assert [text for text, _ in shown] == [r.value("text") for r in judgements]
    for (_, grades), row in zip(shown, judgements):
        band = choice(LIKELIHOOD, row.value("likelihood"))
        # The likelihood first, the confidence in a sentence of its own: one repost, uncorroborated.
        assert grades.startswith(f"{band.value.capitalize()} ({band.meaning}), August 2022. ")
        assert f"We have {row.value('confidence')} confidence: this rests on one repost of another source" in grades
        assert grades.endswith("Sources: The Portal Center [1].")


def test_the_likelihood_scale_is_explained_beside_the_judgements(sample_docx):
    document = docx.Document(sample_docx)
    texts = [p.text for p in document.paragraphs if p.style.name != "toc 1"]  # the headings, not the contents' entries
    assert texts.index("What we mean by likelihood and confidence") < texts.index("Bottom line up front")
    scale = document.tables[0]
    assert [c.text for c in scale.rows[0].cells] == [
        "Likelihood",
        "Almost no chance",
        "Very unlikely",
        "Unlikely",
        "Roughly even chance",
        "Likely",
        "Very likely",
        "Almost certain",
    ]
    assert [row.cells[0].text for row in scale.rows[1:]] == ["Also written", "Chance"]  # each row says what it gives
    assert [c.text for c in scale.rows[2].cells][5] == "55\u201380%"
    assert [row.cells[0].text for row in document.tables[1].rows[1:]] == [
        "High confidence",
        "Moderate confidence",
        "Low confidence",
    ]


def test_every_figure_row_with_an_attribution_shows_it_in_the_table(sample_docx, sample_records):
    from pipeline.briefing.wording import sentence

    rows = [[c.text for c in row.cells] for table in docx.Document(sample_docx).tables for row in table.rows]
    attributed = [r for r in sample_records.records("Figures") if r.value("attribution")]
    assert {r.value("attribution") for r in attributed} >= {
        "according to Russia",
        "according to Hossein, a carpet seller at Tehran\u2019s grand bazaar",
    }
    for figure in attributed:
        printed = [row for row in rows if row[0] == figure.value("indicator") and row[3] == figure.value("period")]
        assert printed and all(sentence(figure.value("attribution")) in row[-1] for row in printed), figure.value("figure_id")


def test_the_source_summary_counts_what_the_workbook_cites(sample_docx, sample_records):
    cited = {
        source_id
        for sheet in ("Sections", "Figures", "Statements", "Events")
        for row in sample_records.records(sheet)
        for source_id in row.value("source_id") or ()
    }
    reported = [r for r in sample_records.records("Statements") if r.value("kind") != "assessment"]
    reported += sample_records.records("Figures") + sample_records.records("Events")
    texts = [p.text for p in docx.Document(sample_docx).paragraphs]
    note = " ".join(texts[texts.index("Sources and confidence") + 1 :][:2])
    assert f"This briefing cites {len(cited)} source: 1 repost of another source." in note
    single = sum(1 for r in reported if len(r.value("source_id")) == 1)
    assert (
        f"Of the {len(reported)} facts, quotes, claims, figures and events it reports, {single} (100%) rest on a single source."
        in note
    )
    assert "The desk makes 4 assessments of its own" in note


def test_a_chart_over_conflicting_values_shows_every_value_with_its_source(book, write, tmp_path):
    book["Figures"].append(
        {
            "figure_id": "F03",
            "section_id": "trade",
            "indicator": "Bilateral trade",
            "value": 5,
            "unit": "USD bn",
            "period": "2021",
            "source_id": "S2",
        }
    )
    book["Charts"][0]["figures"] = "F01, F03"
    briefing = model.build(valid(load(write(book))))
    (chart,) = briefing.sections[1].charts
    # In the model, for any renderer: each value with the source it comes from.
    assert [(p.figure.value, p.figure.citation.source.id, p.credit) for p in chart.points] == [
        (4, "S1", "Publisher One, according to Russia"),
        (5, "S2", "Publisher Two"),
    ]
    path = tmp_path / "out.docx"
    render.write(briefing, path)
    document = docx.Document(path)
    (shape,) = document.inline_shapes
    described = shape._inline.docPr.get("descr")
    assert "2021: 4 USD bn (Publisher One, according to Russia)" in described and "2021: 5 USD bn (Publisher Two)" in described
    lines = [p.text for p in document.paragraphs if p.style.name == "Source Line"]
    assert "Sources: Publisher One, \u201cAn article\u201d [1]; Publisher Two, \u201cA report\u201d [2]." in lines


def test_a_row_resting_on_several_sources_cites_each_where_it_says(book, write, tmp_path):
    book["Statements"][0].update(source_id="S1, S2", locator="para. 1; p. 4", credibility=1)
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    paragraphs, _ = _cited_paragraphs(path)
    # A key point, so printed twice: first among the key points, then in its chapter.
    first, again = [notes for text, notes in paragraphs if text.startswith("Drone drills were held.")]
    # Publisher Two is cited in full before, by the key judgement; Publisher One first here.
    assert first[0].strip() == (
        "[1] Publisher One, \u201cAn article\u201d, August 2022. At para. 1. [2] Publisher Two, \u201cA report\u201d, p. 4. "
        "Source reliability B (usually reliable) for [1]; information credibility 1 (confirmed by other sources)."
    )
    assert again[0].strip() == (
        "[1] Publisher One, \u201cAn article\u201d, para. 1. [2] Publisher Two, \u201cA report\u201d, p. 4. "
        "Information credibility 1 (confirmed by other sources)."
    )


def test_a_chapter_intro_is_footnoted_when_it_names_its_source(book, write, tmp_path):
    book["Sections"][1]["intro"] = "The desk's own words."  # drones: no source_id
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    paragraphs, _ = _cited_paragraphs(path)
    assert [notes for text, notes in paragraphs if text == "The desk's own words."] == [[]]
    (notes,) = [notes for text, notes in paragraphs if text.startswith("About trade.")]
    assert notes[0].strip() == "[2] Publisher Two, \u201cA report\u201d, p. 1."


def test_a_briefing_with_every_new_feature_is_valid_wordprocessingml(book, write, tmp_path):
    book["Figures"][1].update(qualifier="range", value_high=16)
    book["Statements"][0].update(source_id="S1, S2", locator="para. 1; p. 4", date="2022-08")
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    check_docx(path)


def test_a_workbook_that_cites_no_sources_builds_a_briefing_that_says_so(book, write, tmp_path, capsys):
    """A Sources sheet with its headers and no rows, and no row anywhere citing a source, is
    valid: it builds, the note says the briefing cites no sources, and there is no annex to
    print empty, neither in the body nor in the contents."""
    from pipeline.cli import main

    for name in ("Sources", "Figures", "Statements", "Events"):
        book[name] = []
    del book["Charts"], book["Outlook"]
    for section in book["Sections"]:  # an intro may cite a source too
        section.pop("source_id", None)
        section.pop("locator", None)
    path = tmp_path / "briefing.docx"
    assert main(["build", str(write(book)), "-o", str(path)]) == 0
    assert "0 sources" in capsys.readouterr().err
    paragraphs = docx.Document(path).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[texts.index("Sources and confidence") + 1] == "This briefing cites no sources."
    assert not [p.text for p in paragraphs if p.style.name == "Annex Heading" or "Annex" in p.text]
    assert [p.text for p in paragraphs if p.style.name == "toc 1"] == []  # too short for a contents page
    check_docx(path)


def test_lists_in_words():
    assert [wording.listing(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]


def _chart_labels(space) -> dict[int, list[str]]:
    """Each plotted value's labels in a chart part, by its index: every text a series prints at it."""
    labels: dict[int, list[str]] = {}
    for label in space.iter(f"{C}dLbl"):
        if label.find(f"{C}delete") is None:
            labels.setdefault(int(label.find(f"{C}idx").get("val")), []).append("".join(t.text for t in label.iter(f"{A}t")))
    return labels


def _bar_series(space) -> dict[str, dict[int, float]]:
    """A chart part's series by name, each its values by index (a blank has none)."""
    return {
        ser.find(f"{C}tx//{C}v").text: {
            int(pt.get("idx")): float(pt.find(f"{C}v").text) for pt in ser.iter(f"{C}pt") if pt.getparent().tag == f"{C}numCache"
        }
        for ser in space.iter(f"{C}ser")
    }


def test_a_chart_draws_a_range_a_bound_and_an_about_value_as_what_they_claim_and_marks_conflicts(book, write, tmp_path):
    """A range floats from its low end to its high end with both ends labelled, a bound is an
    open outline labelled `< 5`, an about value says `about`, values that cannot all be true
    say so at their bars, every bar keeps a label, the axis takes in zero, and the alt text
    says the same."""
    base = {"section_id": "trade", "unit": "USD bn", "period": "2021", "source_id": "S2"}
    book["Figures"][1].update(qualifier="range", value_high=16)
    book["Figures"] += [
        {**base, "figure_id": "F03", "indicator": "Exports", "value": -3, "qualifier": "about"},
        {**base, "figure_id": "F04", "indicator": "Imports", "value": 5, "qualifier": "under"},
        {**base, "figure_id": "F05", "indicator": "Arms trade", "value": 10, "qualifier": "at least"},
        {**base, "figure_id": "F06", "indicator": "Arms trade", "value": 8},
        {**base, "figure_id": "F07", "indicator": "Gas trade", "value": -2, "value_high": 3, "qualifier": "range"},
    ]
    book["Charts"][0]["figures"] = "F01, F02, F03, F04, F05, F06, F07"
    book["Charts"].append({"chart_id": "C2", "section_id": "trade", "title": "Line", "kind": "line", "figures": "F01, F02, F04"})
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    parts = _parts(path)
    bars, line = (etree.fromstring(parts[f"word/charts/chart{n}.xml"]) for n in (1, 2))
    assert float(bars.find(f".//{C}valAx/{C}scaling/{C}min").get("val")) <= -3  # zero and the lowest bar
    series = _bar_series(bars)
    assert list(series) == ["Offset", "Value", "Bound", "Range", "Range, below zero", "Label"]
    # The range 14.8–16 from its low end; the one across zero a length each side of it.
    assert (series["Offset"][1], series["Range"][1]) == (14.8, pytest.approx(1.2))
    assert (series["Offset"][6], series["Range"][6], series["Range, below zero"][6]) == (0.0, 3.0, -2.0)
    assert (series["Bound"], series["Value"]) == ({3: 5.0, 4: 10.0}, {0: 4.0, 2: -3.0, 5: 8.0})
    undrawn = [ser for ser in bars.iter(f"{C}ser") if ser.find(f"{C}tx//{C}v").text in ("Offset", "Label")]
    assert all(ser.find(f"{C}spPr/{A}noFill") is not None for ser in undrawn)
    (bound,) = [ser for ser in bars.iter(f"{C}ser") if ser.find(f"{C}tx//{C}v").text == "Bound"]
    assert bound.find(f"{C}spPr/{A}noFill") is not None and bound.find(f"{C}spPr/{A}ln/{A}prstDash").get("val") == "dash"
    assert _chart_labels(bars) == {
        0: ["4"],
        1: ["14.8", "16"],
        2: ["about \u22123"],
        3: ["< 5"],
        4: ["\u2265 10 (conflicting)"],
        5: ["8 (conflicting)"],
        6: ["\u22122", "3"],
    }
    title = "".join(t.text for t in bars.findall(f".//{C}valAx/{C}title//{A}t"))
    assert "dashed outline: a bound" in title and "pale bar: a range" in title
    # On a line chart, a range is a stroke up from its point and a bound an open triangle.
    (stroke,) = line.iter(f"{C}errBars")
    assert [float(v.text) for v in stroke.iter(f"{C}v")] == pytest.approx([0.0, 1.2, 0.0])
    assert _chart_labels(line) == {1: ["14.8\u201316"], 2: ["< 5"]}
    (triangle,) = line.iter(f"{C}dPt")
    assert (triangle.find(f"{C}idx").get("val"), triangle.find(f".//{C}symbol").get("val")) == ("2", "triangle")
    described = docx.Document(path).inline_shapes[0]._inline.docPr.get("descr")
    assert "Imports, 2021: < 5 USD bn" in described and "Non-oil trade, 2021: 14.8\u201316 USD bn" in described
    assert "Arms trade, 2021: 8 USD bn (Publisher Two), conflicting with another value given" in described
    check_docx(path)


def test_a_bar_chart_axis_takes_in_zero_and_a_line_chart_that_does_not_says_so(book, write, tmp_path):
    book["Figures"][0].update(value=72.6)
    book["Figures"][1].update(value=86.2)
    book["Charts"].append({"chart_id": "C2", "section_id": "trade", "title": "Line", "kind": "line", "figures": "F01, F02"})
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    parts = _parts(path)
    bars, line = (etree.fromstring(parts[f"word/charts/chart{n}.xml"]) for n in (1, 2))
    assert bars.find(f".//{C}valAx/{C}scaling/{C}min").get("val") == "0.0"
    assert _chart_labels(bars) == {0: ["72.6"], 1: ["86.2"]}  # every bar keeps its value label
    assert float(line.find(f".//{C}valAx/{C}scaling/{C}min").get("val")) == 72.0
    title = "".join(t.text for t in line.findall(f".//{C}valAx/{C}title//{A}t"))
    assert title.endswith("axis starts at 72, not zero")


def test_values_of_one_measure_stand_next_to_each_other(book, write):
    book["Figures"].insert(1, {**book["Figures"][1], "figure_id": "F05", "indicator": "Oil exports", "value": 2})
    book["Figures"].append({**book["Figures"][0], "figure_id": "F04", "value": 4.9, "source_id": "S2", "key": None})
    book["Charts"] = []
    briefing = model.build(valid(load(write(book))))
    trade = next(s for s in briefing.sections if s.id == "trade")
    assert [f.id for f in trade.figures] == ["F01", "F04", "F05", "F02"]
    assert [f.id for f in briefing.key_figures] == ["F01", "F04"]


def test_a_briefing_cannot_be_written_over_its_template(tmp_path, sample_docx, sample_xlsx):
    import pipeline

    template = tmp_path / "style.docx"
    template.write_bytes(sample_docx.read_bytes())
    with pytest.raises(pipeline.InputError, match="is an input of this run"):
        pipeline.build(sample_xlsx, template, template=template)
    assert template.read_bytes() == sample_docx.read_bytes()


def test_no_message_or_note_grows_with_the_rows_that_give_a_measure_otherwise(book, write, tmp_path):
    """A measure given otherwise by dozens of sources: each problem message and each note in the
    briefing names a few of the other values and counts the rest, so neither grows with them."""

    def longest(sources: int) -> tuple[int, int]:
        ten = {**book, "Sources": list(book["Sources"]), "Figures": list(book["Figures"])}
        del ten["Charts"]
        for n in range(sources):
            ten["Sources"].append(
                {"source_id": f"X{n}", "publisher": f"Publisher {n:03d}", "title": "A report", "url": f"https://example.org/{n}"}
            )
            ten["Figures"].append(
                {
                    "figure_id": f"X{n}",
                    "section_id": "trade",
                    "indicator": "Bilateral trade",
                    "value": 10 + n,
                    "unit": "USD bn",
                    "period": "2021",
                    "source_id": f"X{n}",
                }
            )
        import pipeline

        path = tmp_path / f"{sources}.docx"
        built = pipeline.build(write(ten, f"{sources}.xlsx"), path)
        assert built.written
        notes = [cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells[-1:]]
        return max(len(p.message) for p in built.checked.problems), max(map(len, notes))

    few, many = longest(6), longest(60)
    assert many[0] <= few[0] + 2 and many[1] <= few[1] + 2  # "and 3 more" against "and 57 more"


def test_every_kind_of_block_written_out_as_it_is_made_is_the_same_document(tmp_path, monkeypatch):
    """Written out from the first pages on: statements with their notes, quotes right to left
    and in Cyrillic with their translations kept on their page, tables with notes in their
    cells, events, a chronology turned landscape and the sources annex all give the bytes of
    the briefing kept whole, and the page estimate the whole one gives."""
    from pipeline.word import contents, ooxml, writing_out

    from .conftest import long_book, multilingual_book, write_workbook

    book = long_book()
    book["Statements"] += [
        {**quote, "section_id": "extra2"} for quote in multilingual_book()["Statements"][-2:]
    ]  # well past the start
    for event in book["Events"]:
        event["section_id"] = "extra2"
    briefing = model.build(valid(load(write_workbook(tmp_path / "long.xlsx", book))))
    monkeypatch.setattr(contents, "LAY_OUT_UP_TO_PAGES", 3)
    made = []  # the blocks written out that were never in the document's tree
    monkeypatch.setattr(
        ooxml.Spill,
        "write",
        lambda self, blocks, write=ooxml.Spill.write: (
            made.extend(etree.tostring(b, encoding="unicode") for b in blocks if b.getparent() is None),
            write(self, blocks),
        ),
    )
    streamed = render.write(briefing, tmp_path / "streamed.docx")
    for kind in ("<w:tbl", "<w:keepNext/>", "<w:rtl/>", "ListBullet", "SourceEntry", "<w:footnote "):
        assert kind in "".join(made)  # written out as made, never put into the tree
    monkeypatch.setattr(writing_out.WritingOut, "_start", lambda self: None)  # kept whole: the writing out never starts
    whole = render.write(briefing, tmp_path / "whole.docx")
    assert (tmp_path / "streamed.docx").read_bytes() == (tmp_path / "whole.docx").read_bytes()
    assert streamed.notes == whole.notes and re.search(r"at some \d+ pages", streamed.notes[0])
    document = docx.Document(tmp_path / "streamed.docx")
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in document.sections)
    check_docx(tmp_path / "streamed.docx")


@pytest.mark.slow
def test_a_long_briefing_written_out_as_it_is_made_is_the_same_document(book, write, tmp_path, monkeypatch):
    """Past the length a layout pass takes, finished paragraphs and footnotes leave the tree for
    a file as the briefing is made, so that memory stays flat; the .docx is the same, byte for
    byte, as one kept whole, and valid."""
    from pipeline.word import ooxml, writing_out

    for n in range(700):
        text = f"Statement {n} was made, at some length, so that the briefing runs to a hundred pages or more. " * 3
        book["Statements"].append(
            {
                "statement_id": f"X{n}",
                "section_id": ("trade", "drones")[n % 2],
                "text": text,
                "kind": "fact",
                "source_id": ("S1", "S2")[n % 2],
                "locator": f"p. {n}",
            }
        )
    book["Charts"].append({"chart_id": "C2", "section_id": "drones", "title": "Trade again", "kind": "bar", "figures": "F02"})
    book["Figures"][1]["section_id"] = (
        "drones"  # the drones chapter comes first: its chart is written out before the trade one is drawn
    )
    briefing = model.build(valid(load(write(book))))
    written_out = []
    monkeypatch.setattr(
        ooxml.Spill, "write", lambda self, blocks, write=ooxml.Spill.write: (written_out.append(len(blocks)), write(self, blocks))
    )
    render.write(briefing, tmp_path / "streamed.docx")
    assert sum(written_out) > 500
    monkeypatch.setattr(writing_out.WritingOut, "_start", lambda self: None)  # kept whole: the writing out never starts
    render.write(briefing, tmp_path / "whole.docx")
    assert (tmp_path / "streamed.docx").read_bytes() == (tmp_path / "whole.docx").read_bytes()
    check_docx(tmp_path / "streamed.docx")
    ids = [
        shape.get("id")
        for shape in etree.fromstring(_parts(tmp_path / "streamed.docx")["word/document.xml"]).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_of_two_styles_with_one_id_the_page_estimate_takes_the_first_as_word_does(tmp_path):
    """A template may hold two styles with one id (a copy pasted in); Word gives a paragraph of
    that id the first one's look, and so does the estimate: a paragraph's height is the first's."""
    from pipeline.word import contents

    document = docx.Document()
    styles = document.styles.element
    for size in (10, 40):  # in half points: 5 pt, then 20 pt
        styles.append(
            etree.fromstring(
                '<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:type="paragraph" '
                f'w:styleId="Twice"><w:name w:val="Twice {size}"/><w:rPr><w:sz w:val="{size}"/></w:rPr></w:style>'
            )
        )
    sizes = contents._Sizes(document)
    line = sizes.height("Twice", 10, 400.0)
    assert line == pytest.approx(5 * contents.LEADING)
