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
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from ..errors import InputError
from ..packages import DTDRefused, InputKind, opened, read_head

NAMESPACE = "urn:russia-iran-briefing:edition"
ROOT = "edition"
# A second part, beside the snapshot: where each item's text lies in the document (`marks`).
MARKS_NAMESPACE = "urn:russia-iran-briefing:marks"
MARKS_ROOT = "marks"
_DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_ITEM = re.compile(r"customXml/item\d+\.xml")


def _item_id(namespace: str) -> str:
    """The datastore item's id, the same for every briefing: it names the kind of data, not the document."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, namespace)).upper() + "}"


def embed(document: Document, snapshot: bytes, namespace: str = NAMESPACE, name: str = ROOT) -> None:
    """Carry `snapshot` (UTF-8 JSON) in `document` as a custom XML part: the edition's, or
    another's in `namespace` under the root element `name`."""
    package = document.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    number = next(
        n
        for n in range(1, len(taken) + 2)
        if f"/customXml/item{n}.xml" not in taken and f"/customXml/itemProps{n}.xml" not in taken
    )
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace})
    root.text = snapshot.decode("utf-8")
    item = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", _xml(root), package)
    properties = etree.Element(f"{{{_DATASTORE}}}datastoreItem", nsmap={"ds": _DATASTORE})
    properties.set(f"{{{_DATASTORE}}}itemID", _item_id(namespace))
    references = etree.SubElement(properties, f"{{{_DATASTORE}}}schemaRefs")
    etree.SubElement(references, f"{{{_DATASTORE}}}schemaRef").set(f"{{{_DATASTORE}}}uri", namespace)
    item_properties = Part(PackURI(f"/customXml/itemProps{number}.xml"), CT.OFC_CUSTOM_XML_PROPERTIES, _xml(properties), package)
    item.relate_to(item_properties, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


# A briefing given as the previous edition, received by email perhaps: it passes the gate every
# input package passes (a regular file, no zip bomb) before its one part is read.
PREVIOUS = InputKind(
    noun="briefing",
    error=InputError,
    program="Word",
    missing="Give the path of a briefing this pipeline wrote, or of an edition's snapshot in editions/.",
    too_big="Compare with the edition's snapshot (.json) in editions/ instead.",
)


def read(path: Path, namespace: str = NAMESPACE, name: str = ROOT) -> bytes | None:
    """The snapshot a .docx carries (or its part in `namespace`), or None when it carries none
    (a document this pipeline did not write, or wrote before editions). InputError when it is
    not a .docx that can be read."""
    read_head(path, PREVIOUS)
    with opened(path, PREVIOUS) as package:
        for info in package.infolist():
            if not _ITEM.fullmatch(info.filename):
                continue
            try:
                root = etree.fromstring(package.read(info), _PARSER)
            except etree.XMLSyntaxError:
                continue  # not XML this pipeline wrote: another program's part
            if root.getroottree().docinfo.doctype:
                raise PREVIOUS.refuse(f"{path} is refused: {DTDRefused()}.")
            if root.tag == f"{{{namespace}}}{name}":
                return (root.text or "").encode("utf-8")
    return None


# As every input part is parsed (no DTD, entity or network), but with text as long as a large
# briefing's snapshot, which is one text node of tens of megabytes.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _xml(element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
