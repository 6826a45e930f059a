"""House style from a template: the briefing takes the template's styles, fonts and page, fills
in the styles the template lacks, and is still the same bytes for the same inputs."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Inches, Pt, RGBColor

from pipeline.briefing import model
from pipeline.cli import main
from pipeline.word import ooxml, render
from pipeline.workbook.load import load

from .conftest import valid

GREEN = RGBColor(0x00, 0x80, 0x40)


@pytest.fixture
def template(tmp_path):
    """A Letter-size template in Georgia with green headings, some content of its own, and
    no Caption or List Bullet style, nor any lists."""
    document = docx.Document()
    styles = document.styles
    styles["Normal"].font.name = "Georgia"
    styles["Normal"].font.size = Pt(12)
    styles["Heading 1"].font.color.rgb = GREEN
    for name in ("Caption", "List Bullet"):
        styles.element.remove(styles[name].element)
    for rel_id in [rid for rid, rel in document.part.rels.items() if rel.reltype == RT.NUMBERING]:
        del document.part.rels[rel_id]
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.left_margin = section.right_margin = Inches(1)
    section.header.paragraphs[0].text = "the template's own header"
    document.add_heading("The template's own heading", level=1)
    document.add_paragraph("The template's own text.")
    path = tmp_path / "template.docx"
    document.save(path)
    return path


def _build(tmp_path, template, workbook, name="out.docx"):
    path = tmp_path / name
    render.write(model.build(valid(load(workbook))), path, template=template)
    return path


def test_the_briefing_takes_the_templates_fonts_page_and_styles(tmp_path, template, sample_xlsx):
    document = docx.Document(_build(tmp_path, template, sample_xlsx))
    section = document.sections[0]
    assert (section.page_width, section.left_margin) == (Inches(8.5), Inches(1))
    assert ooxml.style_font(document, "Normal") == "Georgia"
    assert document.styles["Normal"].font.size == Pt(12)
    assert document.styles["Heading 1"].font.color.rgb == GREEN
    texts = [p.text for p in document.paragraphs]
    assert "The template's own text." not in texts and "The template's own heading" not in texts
    assert texts[1] == "Russia and Iran: Tighter Ties Than Ever"
    assert section.header.paragraphs[0].text == "TLP:CLEAR"
    assert section.footer.paragraphs[0].style.name == "Footer"


def test_styles_the_template_lacks_come_from_the_house_style_in_its_fonts(tmp_path, template, sample_xlsx):
    document = docx.Document(_build(tmp_path, template, sample_xlsx))
    styles = document.styles
    assert ooxml.style_font(document, "Summary") == "Georgia"  # a body-text style, in the template's body font
    assert styles["Caption"].font.bold
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets and ooxml.has_numbering(styles["List Bullet"])
    assert ooxml.has_numbering(styles["Heading 1"])  # sections are numbered even when the template's are not
    assert document.part.part_related_by(RT.NUMBERING) is not None


def test_the_workbooks_paper_size_wins_over_the_templates(tmp_path, template, book, write):
    book["Briefing"]["paper"] = "A4"
    document = docx.Document(_build(tmp_path, template, write(book)))
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert round(document.sections[0].left_margin.inches, 2) == 1.0  # the template's margins stay


def test_letter_paper_without_a_template(tmp_path, book, write):
    book["Briefing"]["paper"] = "Letter"
    path = tmp_path / "letter.docx"
    render.write(model.build(valid(load(write(book)))), path)
    assert docx.Document(path).sections[0].page_width == Inches(8.5)


def test_a_briefing_saved_from_word_serves_as_the_next_ones_template(tmp_path, sample_docx, sample_xlsx):
    """The easy way to restyle: edit the styles of a briefing in Word, save it as the template."""
    path = _build(tmp_path, sample_docx, sample_xlsx)
    with zipfile.ZipFile(path) as package:
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert relationships.count("relationships/footnotes") == 1
    document = docx.Document(path)
    assert [p.style.name for p in document.paragraphs[:2]] == ["Cover Marking", "Title"]
    # Once, as its heading (and once more as the contents list's entry): the template's text is gone.
    assert sum(p.text == "Bottom line up front" and p.style.name != "toc 1" for p in document.paragraphs) == 1


def test_normal_restyled_in_a_briefing_saved_as_template_reaches_the_summary_and_judgements(tmp_path, sample_docx, sample_xlsx):
    """The analyst's way: a built briefing, Normal set to Georgia and a new ink, saved as the template."""
    saved = docx.Document(sample_docx)
    saved.styles["Normal"].font.name = "Georgia"
    saved.styles["Normal"].font.color.rgb = GREEN
    template = tmp_path / "template.docx"
    saved.save(template)
    document = docx.Document(_build(tmp_path, template, sample_xlsx))

    def inherited(style, attribute):  # what Word shows: the style's own setting, else its base's
        while style is not None and attribute(style) is None:
            style = style.base_style
        return attribute(style) if style is not None else None

    for name in ("Summary", "Key Judgement"):
        assert any(p.style.name == name for p in document.paragraphs)
        assert inherited(document.styles[name], lambda s: s.font.name) == "Georgia", name
        assert inherited(document.styles[name], lambda s: s.font.color.rgb) == GREEN, name


def test_the_headings_face_restyled_in_a_briefing_saved_as_template_reaches_every_display_style(
    tmp_path, sample_docx, sample_xlsx
):
    saved = docx.Document(sample_docx)
    saved.styles["Heading 1"].font.name = "Garamond"
    template = tmp_path / "template.docx"
    saved.save(template)
    document = docx.Document(_build(tmp_path, template, sample_xlsx))
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption", "Table Text", "footnote text", "Footer", "Title"):
        assert ooxml.style_font(document, name) == "Garamond", name
    assert ooxml.style_font(document, "Normal") == ooxml.style_font(document, "Key Judgement") == "Cambria"


def _png() -> bytes:
    """A 2 x 1 PNG: a logo, as small as one can be."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def _with_header_logo(tmp_path, template, linked: bool = False):
    import io

    document = docx.Document(template)
    document.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(_png()), width=Inches(1))
    path = tmp_path / "with-logo.docx"
    document.save(path)
    if linked:  # as Word saves "Insert → Pictures → Link to File": the picture names a file outside
        rewritten = tmp_path / "linked-logo.docx"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename.startswith("word/header") and item.filename.endswith(".xml"):
                    data = data.replace(b"r:embed=", b"r:link=")
                if item.filename.startswith("word/_rels/header"):
                    data = data.replace(b'Target="media/', b'TargetMode="External" Target="file:///C:/logos/')
                target.writestr(item, data)
        path = rewritten
    return path


def test_a_logo_embedded_in_the_templates_header_is_kept(tmp_path, template, sample_xlsx):
    import pipeline

    built = pipeline.build(sample_xlsx, tmp_path / "out.docx", template=_with_header_logo(tmp_path, template))
    assert not [note for note in built.notes if "picture" in note]
    document = docx.Document(built.output)
    header = document.sections[0].header
    assert header.paragraphs[0].text == "TLP:CLEAR"
    blips = header._element.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1 and header.part.related_parts[blips[0]].blob == _png()
    again = pipeline.build(sample_xlsx, tmp_path / "again.docx", template=_with_header_logo(tmp_path, template))
    assert again.output.read_bytes() == built.output.read_bytes()


def test_a_linked_picture_in_the_templates_header_is_left_out_and_named(tmp_path, template, sample_xlsx):
    import pipeline

    built = pipeline.build(sample_xlsx, tmp_path / "out.docx", template=_with_header_logo(tmp_path, template, linked=True))
    left_out = [note for note in built.notes if "picture" in note]
    assert len(left_out) == 1 and left_out[0].startswith("a picture in the template's header is left out")
    with zipfile.ZipFile(built.output) as package:
        assert not [name for name in package.namelist() if name.startswith("word/media/")]
        assert all(b"logos" not in package.read(name) for name in package.namelist())


def test_same_workbook_and_template_give_the_same_bytes_built_twice(tmp_path, template, sample_xlsx):
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        assert main(["build", str(sample_xlsx), "-o", str(out), "--template", str(template)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_template_changed_between_builds_in_one_process_gives_its_new_look(tmp_path, template, sample_xlsx):
    """A process keeps the blank it made up for a template while the template's file stays as it
    was; a template saved again in place, as a desk restyles one, is read again."""
    assert docx.Document(_build(tmp_path, template, sample_xlsx, "before.docx")).styles["Heading 1"].font.color.rgb == GREEN
    restyled = docx.Document(template)
    restyled.styles["Heading 1"].font.color.rgb = RGBColor(0x80, 0x00, 0x20)
    restyled.save(template)
    after = docx.Document(_build(tmp_path, template, sample_xlsx, "after.docx"))
    assert after.styles["Heading 1"].font.color.rgb == RGBColor(0x80, 0x00, 0x20)


def test_an_unusable_template_is_refused_and_the_last_report_kept(tmp_path, capsys, sample_xlsx):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    bad = tmp_path / "template.docx"
    bad.write_text("not a Word document")
    assert main(["build", str(sample_xlsx), "-o", str(out), "--template", str(bad)]) == 2
    message = capsys.readouterr().err
    assert "template" in message and "is unchanged" in message and "Traceback" not in message
    assert out.read_bytes() == b"last good report"


@pytest.mark.reader
def test_a_template_saved_by_libreoffice_is_read_by_style_name(tmp_path, sample_docx, sample_xlsx, writer):
    """LibreOffice names built-in styles as Word shows them ("Footer"), not as Word stores
    them ("footer"): each is still found by its name, never by python-docx's deprecated
    fallback to style ids."""
    import warnings

    resaved = writer("docx:MS Word 2007 XML", sample_docx) / sample_docx.name
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = _build(tmp_path, resaved, sample_xlsx)
    footers = [p.style.name for section in docx.Document(path).sections for p in section.footer.paragraphs]
    assert "Footer" in footers


def test_the_reference_lists_every_style_the_briefing_uses():
    """The restyling table names each style of the house style once, and nothing else."""
    import re

    from pipeline.word import housestyle

    from .conftest import ROOT

    readme = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    table = readme.split("<!-- styles:start -->", 1)[1].split("<!-- styles:end -->", 1)[0]
    listed = re.findall(r"`([^`]+)`", "".join(line.split("|")[1] for line in table.splitlines()[3:] if line.startswith("|")))
    assert sorted(listed) == sorted([name for name, *_ in housestyle.STYLES] + [housestyle.TABLE_STYLE])
