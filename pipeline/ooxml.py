"""WordprocessingML that python-docx has no API for: footnotes, fields, repeating table
headers, and a package that is byte-for-byte the same every time it is written.

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
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

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


class Footnotes:
    """The document's footnotes part. `add` puts a numbered reference at the end of a paragraph
    and returns the footnote's own paragraph to write the note into."""

    def __init__(self, document: Document, text_style: str, reference_style: str):
        self._document = document
        self._text_style = document.styles[text_style]
        self._reference_style = document.styles[reference_style]
        self._part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SEPARATORS), document.part.package)
        document.part.relate_to(self._part, RT.FOOTNOTES)
        settings = document.settings.element
        footnote_pr = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
        settings.insert_element_before(footnote_pr, *_AFTER_FOOTNOTE_PR)
        self._next_id = 1

    def add(self, paragraph: Paragraph) -> Paragraph:
        note_id = str(self._next_id)
        self._next_id += 1
        reference = paragraph.add_run(style=self._reference_style)
        mark = OxmlElement("w:footnoteReference")
        mark.set(qn("w:id"), note_id)
        reference._r.append(mark)

        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), note_id)
        self._part.element.append(footnote)
        body = OxmlElement("w:p")
        footnote.append(body)
        # The note's paragraph resolves styles through the document part, which owns styles.xml.
        note = Paragraph(body, self._document.part)
        note.style = self._text_style
        note.add_run(style=self._reference_style)._r.append(OxmlElement("w:footnoteRef"))
        note.add_run(" ")
        return note

    @property
    def count(self) -> int:
        return self._next_id - 1


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field such as PAGE or SEQ Table; `shown` is its result until Word updates it."""

    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def repeat_as_header(row: _Row) -> None:
    """Repeat the row at the top of every page the table runs onto, and never split it."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(tag))


def set_table_look(table: Table, first_row: bool, banded_rows: bool) -> None:
    """Which parts of the table style apply: python-docx leaves Word's default, which also
    emphasises the first column."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    # Each flag twice: as an attribute (Word 2010 on) and as a bit of the legacy w:val mask.
    mask = 0
    for attribute, bit, on in (
        ("firstRow", 0x20, first_row), ("lastRow", 0x40, False), ("firstColumn", 0x80, False),
        ("lastColumn", 0x100, False), ("noHBand", 0x200, not banded_rows), ("noVBand", 0x400, True),
    ):
        look.set(qn(f"w:{attribute}"), "1" if on else "0")
        mask |= bit if on else 0
    look.set(qn("w:val"), f"{mask:04X}")


def keep_rows_whole(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


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


def remember_style_ids(document: Document) -> None:
    """python-docx resolves a style name by scanning every style, each time one is applied;
    a briefing applies thousands. Remember each answer. Call once the styles are final."""
    part = document.part
    resolve = part.get_style_id
    known: dict = {}

    def style_id(style_or_name, style_type):
        key = (getattr(style_or_name, "name", style_or_name), style_type)
        if key not in known:
            known[key] = resolve(style_or_name, style_type)
        return known[key]

    part.get_style_id = style_id


def save_atomically(document: Document, path: Path, timestamp: dt.datetime) -> None:
    """Write the .docx with every zip entry dated `timestamp`, so the same content gives the
    same bytes, and move it into place only once complete, so a failed build leaves the
    previous file as it was."""
    buffer = io.BytesIO()
    document.save(buffer)
    date_time = (max(timestamp.year, 1980), timestamp.month, timestamp.day, timestamp.hour, timestamp.minute, timestamp.second)
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
