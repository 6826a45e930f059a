"""WordprocessingML that python-docx has no API for, or no fast one: footnotes, fields,
paragraphs and table rows in bulk, and a package that is the same bytes every time.

This module knows Word, not briefings: `render` decides what goes where.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

_SEPARATORS = f"""<w:footnotes {nsdecls("w")}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

# Elements that follow w:footnotePr in w:settings (ECMA-376 Part 1, CT_Settings).
_AFTER_FOOTNOTE_PR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


class Body:
    """Appends paragraphs and runs to a document, as raw WordprocessingML.

    python-docx's own add_paragraph looks for the section properties among all the body's
    children on every call, and sets a style or text through generic child-ordering code:
    a briefing of thousands of statements spent most of its time there.
    """

    def __init__(self, document: Document):
        self.document = document
        self._end = document.element.body.sectPr  # new blocks go just before it
        self._style_ids = {style.name: style.style_id for style in document.styles}

    def paragraph(self, style: str, *runs: str | tuple[str, str]) -> Paragraph:
        """A new paragraph at the end of the body. A run is text, or (text, character style)."""
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        self.restyle(paragraph, style)
        self.add_runs(paragraph, *runs)
        return paragraph

    def restyle(self, paragraph: Paragraph, style: str) -> None:
        properties = paragraph._p.get_or_add_pPr()
        style_element = properties.find(qn("w:pStyle"))
        if style_element is None:
            style_element = OxmlElement("w:pStyle")
            properties.insert(0, style_element)  # pStyle comes first in w:pPr
        style_element.set(qn("w:val"), self._style_ids[style])

    def add_runs(self, paragraph: Paragraph, *runs: str | tuple[str, str]) -> None:
        for run in runs:
            text, style = run if isinstance(run, tuple) else (run, None)
            paragraph._p.append(self.run(text, style))

    def run(self, text: str, style: str | None = None):
        """A w:r holding `text`; line breaks and tabs become Word's own elements."""
        run = OxmlElement("w:r")
        if style:
            properties = etree.SubElement(run, qn("w:rPr"))
            etree.SubElement(properties, qn("w:rStyle")).set(qn("w:val"), self._style_ids[style])
        for number, line in enumerate(text.split("\n")):
            if number:
                etree.SubElement(run, qn("w:br"))
            for index, piece in enumerate(line.split("\t")):
                if index:
                    etree.SubElement(run, qn("w:tab"))
                if piece:
                    element = etree.SubElement(run, qn("w:t"))
                    element.text = piece
                    element.set(_XML_SPACE, "preserve")
        return run

    def table_row(self, table: Table, widths: list[Length], header: bool = False) -> list[Paragraph]:
        """A new row at the end of `table`, one empty paragraph per cell, each cell `widths`
        wide (Word reads widths from the cells). Header rows repeat on every page; no row
        is split across pages."""
        row = etree.SubElement(table._tbl, qn("w:tr"))
        properties = etree.SubElement(row, qn("w:trPr"))
        etree.SubElement(properties, qn("w:cantSplit"))
        if header:
            etree.SubElement(properties, qn("w:tblHeader"))
        paragraphs = []
        for width in widths:
            cell = etree.SubElement(row, qn("w:tc"))
            cell_width = etree.SubElement(etree.SubElement(cell, qn("w:tcPr")), qn("w:tcW"))
            cell_width.set(qn("w:w"), str(width.twips))
            cell_width.set(qn("w:type"), "dxa")
            paragraphs.append(Paragraph(etree.SubElement(cell, qn("w:p")), self.document._body))
        return paragraphs


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Footnotes:
    """The document's footnotes part. `add` puts a numbered reference at the end of a paragraph
    and returns the footnote's own paragraph to write the note into."""

    def __init__(self, body: Body, text_style: str, reference_style: str):
        self._body = body
        self._text_style, self._reference_style = text_style, reference_style
        document = body.document
        self._part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SEPARATORS), document.part.package)
        document.part.relate_to(self._part, RT.FOOTNOTES)
        settings = document.settings.element
        footnote_pr = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        settings.insert_element_before(footnote_pr, *_AFTER_FOOTNOTE_PR)
        self._next_id = 1

    def add(self, paragraph: Paragraph, text: str) -> None:
        """Footnote `paragraph` with `text`: the reference mark goes at the paragraph's end."""
        note_id = str(self._next_id)
        self._next_id += 1
        reference = self._body.run("", self._reference_style)
        etree.SubElement(reference, qn("w:footnoteReference")).set(qn("w:id"), note_id)
        paragraph._p.append(reference)

        footnote = etree.SubElement(self._part.element, qn("w:footnote"))
        footnote.set(qn("w:id"), note_id)
        note = Paragraph(etree.SubElement(footnote, qn("w:p")), self._body.document._body)
        self._body.restyle(note, self._text_style)
        mark = self._body.run("", self._reference_style)
        etree.SubElement(mark, qn("w:footnoteRef"))
        note._p.append(mark)
        self._body.add_runs(note, f" {text}")


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field such as PAGE or SEQ Table; `shown` is its result until Word updates it."""

    def run(child: str, **attributes: str):
        element = etree.SubElement(etree.SubElement(paragraph._p, qn("w:r")), qn(child))
        for name, value in attributes.items():
            element.set(qn(f"w:{name}"), value)
        return element

    run("w:fldChar", fldCharType="begin")
    code = run("w:instrText")
    code.set(_XML_SPACE, "preserve")
    code.text = f" {instruction} "
    run("w:fldChar", fldCharType="separate")
    run("w:t").text = shown
    run("w:fldChar", fldCharType="end")


def set_table_look(table: Table, first_row: bool, banded_rows: bool) -> None:
    """Which parts of the table style apply: python-docx leaves Word's default, which also
    emphasises the first column."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = etree.SubElement(table._tbl.tblPr, qn("w:tblLook"))
    # Each flag twice: as an attribute (Word 2010 on) and as a bit of the legacy w:val mask.
    mask = 0
    for attribute, bit, on in (
        ("firstRow", 0x20, first_row), ("lastRow", 0x40, False), ("firstColumn", 0x80, False),
        ("lastColumn", 0x100, False), ("noHBand", 0x200, not banded_rows), ("noVBand", 0x400, True),
    ):
        look.set(qn(f"w:{attribute}"), "1" if on else "0")
        mask |= bit if on else 0
    look.set(qn("w:val"), f"{mask:04X}")


def remove_paragraph_border(style) -> None:
    properties = style.element.pPr
    borders = properties.find(qn("w:pBdr")) if properties is not None else None
    if borders is not None:
        properties.remove(borders)


def trim_template(document: Document, keep_table_styles: set[str]) -> None:
    """Drop what python-docx's template carries and a briefing never uses: the thumbnail of a
    blank page (a file manager would show it), the Word 2010 duplicate of the styles part, and
    some hundred table styles. Less to write, and each style lookup has less to scan."""
    for rels, reltype in ((document.part.package.rels, RT.THUMBNAIL), (document.part.rels, _STYLES_WITH_EFFECTS)):
        for rel_id in [rid for rid, rel in rels.items() if rel.reltype == reltype]:
            del rels[rel_id]
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1":
            name = style.find(qn("w:name"))
            if name is None or name.get(qn("w:val")) not in keep_table_styles:
                styles.remove(style)


def save_atomically(document: Document, path: Path, timestamp: dt.datetime) -> None:
    """Write the .docx with every zip entry dated `timestamp`, so the same content gives the
    same bytes, and move it into place only once complete, so a failed build leaves the
    previous file as it was."""
    buffer = io.BytesIO()
    document.save(buffer)
    # A zip entry's date runs from 1980 to 2107; a briefing dated outside keeps its own date inside.
    date_time = (min(max(timestamp.year, 1980), 2107), timestamp.month, timestamp.day, timestamp.hour, timestamp.minute, timestamp.second)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(buffer) as source:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for entry in source.infolist():
                    fixed = zipfile.ZipInfo(entry.filename, date_time=date_time)
                    fixed.compress_type = zipfile.ZIP_DEFLATED
                    fixed.external_attr = 0o644 << 16
                    target.writestr(fixed, source.read(entry.filename))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
