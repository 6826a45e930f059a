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
from docx.table import _Row
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


def keep_rows_whole(row: _Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def drop_thumbnail(document: Document) -> None:
    """python-docx's template carries a thumbnail of a blank page; a file manager would show it."""
    rels = document.part.package.rels
    for rel_id in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rel_id]


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
