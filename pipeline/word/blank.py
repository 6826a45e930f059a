"""The document a briefing is written into: ours, with a template's look and nothing else.

The base is python-docx's blank document with settings of our own (`ooxml.trim_template`
drops the rest of what it carries and a briefing does not use). A template is an input like the workbook and
passes the same gate (a regular file; a zip whose directory is within limits; XML without
DTDs). Only what the README promises is read from it: the styles, the theme's colours and
fonts, the font table (without embedded fonts), the numbering definitions its styles use, the
page size and margins, whether the first and even pages have headers of their own, and the
settings that shape text on the page, and the pictures embedded in its headers and footers (a
logo). Nothing else of it reaches the briefing: no content, relationship, property, comment,
custom XML, macro, glossary, attached template, document variable, or any other picture; what a
header or footer holds that is left out (a linked picture, an old-style drawing) is named.
"""

from __future__ import annotations

import copy
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.parser import element_class_lookup
from docx.parts.numbering import NumberingPart
from docx.parts.settings import SettingsPart
from docx.parts.styles import StylesPart
from lxml import etree

from ..errors import TemplateUnreadable
from ..packages import DTDRefused, InputKind, elements, opened, parse, read_head
from . import ooxml, templates
from .housestyle import TABLE_STYLE

TEMPLATE = InputKind(
    noun="template",
    error=TemplateUnreadable,
    program="Word",
    missing="Check the path given as the template.",
    too_big="If it is a real template, delete its content and pictures: only its styles and page are used.",
)
# A template's styles, theme, numbering or settings take well under a megabyte; a part many
# times that is not a template's, and would take seconds and gigabytes to read.
MAX_PART_BYTES = 8 << 20
# Word's own templates define a few hundred styles; python-docx looks styles up one by one, so
# tens of thousands of them would take a build minutes.
MAX_STYLES = 5_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# Pictures Word stores in headers and footers as it would any picture's bytes: what is kept of them.
_PICTURE_TYPES = {".png", ".jpg", ".jpeg", ".gif"}
_STRICT = "http://purl.oclc.org/ooxml/"

# The template's settings that shape its pages and text, and so are part of its look.
_LOOK_SETTINGS = {
    f"{_W}{name}"
    for name in (
        "mirrorMargins",
        "gutterAtTop",
        "defaultTabStop",
        "autoHyphenation",
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "evenAndOddHeaders",
        "characterSpacingControl",
        "compat",
        "themeFontLang",
        "clrSchemeMapping",
    )
}
_EMBEDDED_FONTS = tuple(f"{_W}{name}" for name in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"))
# What the body of a document holds, streamed past to reach its last w:sectPr, the page.
_BODY_BLOCKS = tuple(f"{_W}{name}" for name in ("p", "tbl", "sdt", "sectPr", "document"))


@dataclass(frozen=True)
class Picture:
    """A picture embedded in a template's header or footer: its drawing, to be placed again, and
    its image. `part` is "header" or "footer"; `page` which of them ("default", "first", "even")."""

    part: str
    page: str
    drawing: etree._Element
    image: bytes
    extension: str


@dataclass
class Blank:
    """The briefing's blank document, and what of the template's headers and footers it keeps
    (`pictures`) or leaves out, in words for the build's output (`left_out`)."""

    document: object
    pictures: list[Picture] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def document(template: Path | None) -> Blank:
    """A blank document for the briefing: ours, in the look of `template` (a .docx) if given."""
    blank = Document()
    ooxml.replace_part(blank.part, RT.SETTINGS, SettingsPart, templates.element(templates.SETTINGS))
    if template is None:
        return Blank(blank)
    look = _Look.read(template)
    look.apply(blank, template)
    return Blank(blank, look.pictures, look.left_out)


@dataclass
class _Look:
    """What is taken from a template, each part parsed and cut down to its look."""

    styles: etree._Element | None = None
    theme: etree._Element | None = None  # the template's whole theme; only its colours and fonts are taken
    fonts: etree._Element | None = None
    numbering: etree._Element | None = None
    settings: list = field(default_factory=list)
    page: list = field(default_factory=list)  # w:pgSz and w:pgMar
    first_page_header: bool = False
    pictures: list[Picture] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> _Look:
        head = read_head(path, TEMPLATE)
        if not head or not zipfile.is_zipfile(path):
            raise TemplateUnreadable(
                f"the template {path} is not a Word document (a .docx file is a zip package, and this is not one). "
                "Save it from Word as 'Word Document (.docx)'."
            )
        with opened(path, TEMPLATE) as package:
            return _TemplateReader(package, path).look()

    def apply(self, document, path: Path) -> None:
        """Give `document` this look."""
        if self.styles is not None:
            ooxml.replace_part(document.part, RT.STYLES, StylesPart, self.styles)
            ooxml.replace_part(document.part, RT.NUMBERING, NumberingPart, _numbering_used(self.numbering, self.styles))
        if self.theme is not None:
            _take_theme(document, self.theme)
        if self.fonts is not None:
            ooxml.replace_part(document.part, RT.FONT_TABLE, Part, ooxml.xml_bytes(self.fonts))
        for setting in self.settings:
            ooxml.put_setting(document, setting)
        ooxml.take_page(document.sections[-1], self.page, self.first_page_header)
        _check_page(document, path)


class _TemplateReader:
    """The parts of a template package that make its look, found through its relationships."""

    def __init__(self, package: zipfile.ZipFile, path: Path):
        self.package, self.path = package, path

    def _check_table_style(self, styles: etree._Element) -> None:
        """A style named as the house table style is one: the briefing's tables take it."""
        for style in styles.iterfind(f"{_W}style"):
            name = style.find(f"{_W}name")
            kind = style.get(f"{_W}type") or "paragraph"
            if name is not None and name.get(f"{_W}val") == TABLE_STYLE and kind != "table":
                raise TemplateUnreadable(
                    f"the template {self.path} has a {kind} style named '{TABLE_STYLE}', the name of the table style the "
                    "briefing's tables take. In Word, rename or delete that style (Styles pane, Manage Styles) and save "
                    "the template again."
                )

    def look(self) -> _Look:
        main = self._main_document()
        page = self._page(main)  # first: it also says whether this is a Word document at all
        related = self._related(main)
        look = _Look()
        if RT.STYLES in related:
            look.styles = self._xml(related[RT.STYLES], "styles", f"{_W}styles")
            count = len(look.styles.findall(f"{_W}style"))
            if count > MAX_STYLES:
                raise TemplateUnreadable(
                    f"the template {self.path} defines {count:,} styles, where a Word template has a few hundred; "
                    "it is refused unread. Save the template again from a briefing (see the README), or delete unused styles."
                )
            self._check_table_style(look.styles)
        if RT.THEME in related:
            look.theme = self._xml(related[RT.THEME], "theme", f"{_A}theme")
        if RT.FONT_TABLE in related:
            look.fonts = self._xml(related[RT.FONT_TABLE], "font table", f"{_W}fonts")
            for embedded in [e for e in look.fonts.iter(*_EMBEDDED_FONTS)]:
                embedded.getparent().remove(embedded)
        if RT.NUMBERING in related:
            look.numbering = self._xml(related[RT.NUMBERING], "numbering", f"{_W}numbering")
        if RT.SETTINGS in related:
            settings = self._xml(related[RT.SETTINGS], "settings", f"{_W}settings")
            look.settings = [child for child in settings if child.tag in _LOOK_SETTINGS]
        if page is not None:
            look.page = [child for child in page if child.tag in (f"{_W}pgSz", f"{_W}pgMar")]
            look.first_page_header = any(
                child.tag == f"{_W}titlePg" and child.get(f"{_W}val") not in ("0", "false", "off") for child in page
            )
            self._pictures(main, page, look)
        return look

    def _pictures(self, main: str, page, look: _Look) -> None:
        """The pictures embedded in the headers and footers the page names, each with its image;
        what else shows there but text (a linked picture, an old-style VML drawing) is named as
        left out."""
        targets = self._targets(main)
        for reference in page:
            part = {f"{_W}headerReference": "header", f"{_W}footerReference": "footer"}.get(reference.tag)
            target = targets.get(reference.get(f"{_R}id") or "")
            if part is None or target is None:
                continue
            where = f"the template's {'' if reference.get(f'{_W}type', 'default') == 'default' else reference.get(f'{_W}type') + ' page '}{part}"
            content, images = self._xml(target, part, None), self._targets(target)
            for drawing in content.iter(f"{_W}drawing"):
                blip = next(drawing.iter(f"{_A}blip"), None)
                image = images.get(blip.get(f"{_R}embed") or "") if blip is not None else None
                extension = posixpath.splitext(image or "")[1].lower()
                size = self.package.NameToInfo[image].file_size if image else 0
                if image is None or extension not in _PICTURE_TYPES or size > MAX_PART_BYTES:
                    look.left_out.append(
                        f"a picture in {where} is left out: only a picture embedded in it (PNG, JPEG or GIF, "
                        f"{MAX_PART_BYTES >> 20} MB at most) is kept, not one linked to a file or a web address."
                    )
                    continue
                look.pictures.append(
                    Picture(
                        part, reference.get(f"{_W}type", "default"), copy.deepcopy(drawing), self.package.read(image), extension
                    )
                )
            if next(content.iter(f"{_W}pict", f"{_W}object"), None) is not None:
                look.left_out.append(
                    f"an old-style drawing or object in {where} is left out. Insert the picture again in Word (Insert → Pictures) to keep it."
                )

    def _targets(self, part: str) -> dict[str, str]:
        """The parts inside the package that `part` relates to, by relationship id."""
        return {rel_id: target for rel_id, _, target in self._links(part) if target in self.package.NameToInfo}

    def _main_document(self) -> str:
        relationships = self._relationships("")
        main = relationships.get(RT.OFFICE_DOCUMENT)
        if main is None:
            strict = any(reltype.startswith(_STRICT) for reltype in relationships)
            raise TemplateUnreadable(
                f"the template {self.path} is saved as 'Strict Open XML Document', which cannot be used. "
                "In Word, use Save As and choose 'Word Document (.docx)'."
                if strict
                else f"the template {self.path} is not a Word document (its package has no main document). "
                "Save it from Word as 'Word Document (.docx)'."
            )
        return main

    def _relationships(self, part: str) -> dict[str, str]:
        """The parts `part` relates to, by relationship type (the first of each type); `part`
        "" is the package itself."""
        related: dict[str, str] = {}
        for _, reltype, target in self._links(part):
            related.setdefault(reltype, target)
        return related

    def _links(self, part: str) -> list[tuple[str, str, str]]:
        """`part`'s relationships as (id, type, target part). Links outside the package are never followed."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels not in self.package.NameToInfo:
            return []
        found = []
        for relationship in self._xml(rels, "relationships", None).iter(_RELATIONSHIP):
            target = relationship.get("Target") or ""
            if relationship.get("TargetMode") == "External" or not target:
                continue
            target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            found.append((relationship.get("Id") or "", relationship.get("Type") or "", posixpath.normpath(target)))
        return found

    def _related(self, main: str) -> dict[str, str]:
        return {reltype: name for reltype, name in self._relationships(main).items() if name in self.package.NameToInfo}

    def _xml(self, name: str, what: str, root: str | None):
        """The part `name` parsed, as python-docx's classes; `root` is the tag its root must
        have, if any."""
        size = self.package.getinfo(name).file_size
        where = f"the template {self.path}: its {what} part ({name})"
        if size > MAX_PART_BYTES:
            raise TemplateUnreadable(
                f"{where} would unpack to {size / (1 << 20):,.0f} MB, where a template's takes well under 1 MB. "
                f"It is refused unread. Save the template again from Word, or start from a briefing (see the README)."
            )
        try:
            element = parse(self.package.read(name), element_class_lookup)
        except DTDRefused:
            raise TemplateUnreadable(
                f"{where} declares a DTD, which Word never writes; it is refused as a possible XML attack. Save the template again from Word."
            ) from None
        except etree.XMLSyntaxError as exc:
            raise TemplateUnreadable(f"{where} is not well-formed XML ({exc}). Save the template again from Word.") from None
        if root is not None and element.tag != root:
            raise TemplateUnreadable(
                f"{where} is not what a Word document holds there. Save the template from Word as 'Word Document (.docx)'."
            )
        return element

    def _page(self, main: str):
        """The document's last section properties (its page), read as the body streams by."""
        page, is_document = None, False
        try:
            with self.package.open(main) as source:
                for element in elements(source, *_BODY_BLOCKS):
                    parent = element.getparent()
                    if element.tag == f"{_W}sectPr" and parent is not None and parent.tag == f"{_W}body":
                        page = parse(etree.tostring(element), element_class_lookup)
                    is_document |= element.tag == f"{_W}document"
        except DTDRefused:
            raise TemplateUnreadable(
                f"the template {self.path}: its document part ({main}) declares a DTD, which Word never writes; it is refused as a possible XML attack."
            ) from None
        except etree.XMLSyntaxError as exc:
            raise TemplateUnreadable(
                f"the template {self.path}: its document part ({main}) is not well-formed XML ({exc}). Save it again from Word."
            ) from None
        if not is_document:
            raise TemplateUnreadable(
                f"the template {self.path} is not a Word document. Save it from Word as 'Word Document (.docx)'."
            )
        return page


def _take_theme(document, theme) -> None:
    """The template's theme colours and fonts, in the briefing's theme: the rest of a theme
    (fills, lines, effects for shapes) is not the briefing's look, and may point at pictures."""
    ours = parse(document.part.part_related_by(RT.THEME).blob)
    elements_of_ours = ours.find(f"{_A}themeElements")
    elements_of_theirs = theme.find(f"{_A}themeElements")
    if elements_of_ours is None or elements_of_theirs is None:
        return
    for name in ("clrScheme", "fontScheme"):
        theirs, mine = elements_of_theirs.find(f"{_A}{name}"), elements_of_ours.find(f"{_A}{name}")
        if theirs is not None and mine is not None:
            mine.addprevious(copy.deepcopy(theirs))
            elements_of_ours.remove(mine)
    ooxml.replace_part(document.part, RT.THEME, Part, ooxml.xml_bytes(ours))


def _numbering_used(numbering, styles):
    """A numbering part holding only the lists `styles` number paragraphs with, without
    picture bullets (pictures are not taken)."""
    fresh = templates.element(templates.NUMBERING)
    if numbering is None:
        return fresh
    used = {numbered.get(f"{_W}val") for numbered in styles.iter(f"{_W}numId")} - {None, "0"}
    lists = [n for n in numbering.findall(f"{_W}num") if n.get(f"{_W}numId") in used]
    definitions = set()
    for entry in lists:
        abstract = entry.find(f"{_W}abstractNumId")
        if abstract is not None:
            definitions.add(abstract.get(f"{_W}val"))
    for definition in numbering.findall(f"{_W}abstractNum"):
        if definition.get(f"{_W}abstractNumId") in definitions:
            for picture in list(definition.iter(f"{_W}lvlPicBulletId")):
                picture.getparent().remove(picture)
            fresh.append(definition)
    for entry in lists:
        fresh.append(entry)
    return fresh


def _check_page(document, path: Path) -> None:
    """Read the page back as the briefing will: a template whose page size or margins are
    not numbers is the template's fault, said as such."""
    section = document.sections[-1]
    try:
        for measure in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
            "header_distance",
            "footer_distance",
        ):
            getattr(section, measure)
    except ValueError as exc:
        raise TemplateUnreadable(
            f"the template {path} gives a page size or margin that is not a measure ({exc}). Set them again in Word (Layout → Size, Margins)."
        ) from None
