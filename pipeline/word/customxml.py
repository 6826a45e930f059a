"""The briefing's own data inside the .docx: a custom XML part holding its edition snapshot.

Word keeps custom XML parts when it saves a document, so a briefing received by email still
carries the content it was built from, and the next edition can be compared with it without
the old workbook (`python -m pipeline diff OLD.docx NEW.xlsx`). The part is written fresh on
every build: `/customXml/itemN.xml` holds one element, `edition` in the namespace below, whose
text is the snapshot's JSON; `/customXml/itemPropsN.xml` is its datastore entry, naming that
namespace. It is found again by its namespace, never by its name, which Word may renumber.
This module carries the bytes; what they mean is the briefing side's (`briefing.editions`).
"""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ..errors import InputError

NAMESPACE = "urn:russia-iran-briefing:edition"
ROOT = "edition"
# The datastore item's id, the same for every briefing: it names the kind of data, not the document.
ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)).upper() + "}"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_ITEM = re.compile(r"customXml/item\d+\.xml")
# A snapshot is some hundred bytes a row; a part this large is no snapshot of ours.
LARGEST = 512 * 1024 * 1024


def embed(document: Document, snapshot: bytes) -> None:
    """Carry `snapshot` (UTF-8 JSON) in `document` as its edition's custom XML part."""
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = next(n for n in range(1, len(taken) + 2) if f"/customXml/item{n}.xml" not in taken and f"/customXml/itemProps{n}.xml" not in taken)
    root = etree.Element(f"{{{NAMESPACE}}}{ROOT}", nsmap={None: NAMESPACE})
    root.text = snapshot.decode("utf-8")
    item = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", _xml(root), package)
    properties = etree.Element(f"{{{_DATASTORE}}}datastoreItem", nsmap={"ds": _DATASTORE})
    properties.set(f"{{{_DATASTORE}}}itemID", ITEM_ID)
    references = etree.SubElement(properties, f"{{{_DATASTORE}}}schemaRefs")
    etree.SubElement(references, f"{{{_DATASTORE}}}schemaRef").set(f"{{{_DATASTORE}}}uri", NAMESPACE)
    item_properties = Part(PackURI(f"/customXml/itemProps{number}.xml"), CT.OFC_CUSTOM_XML_PROPERTIES, _xml(properties), package)
    item.relate_to(item_properties, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


def read(path: Path) -> bytes | None:
    """The snapshot a .docx carries, or None when it carries none (a document this pipeline did
    not write, or wrote before editions). InputError when it is not a .docx at all."""
    try:
        with zipfile.ZipFile(path) as package:
            for info in package.infolist():
                if not _ITEM.fullmatch(info.filename) or info.file_size > LARGEST:
                    continue
                root = etree.fromstring(package.read(info), _PARSER)
                if root.tag == f"{{{NAMESPACE}}}{ROOT}":
                    return (root.text or "").encode("utf-8")
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError) as exc:
        raise InputError(f"{path} cannot be read as a Word document: {exc}.") from exc
    return None


# No entities, no network, and text as long as a large briefing's snapshot.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _xml(element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
