"""The frame of every page: the paper and margins, and the header and footer that carry the
marking on every page (right-aligned, as FIRST's TLP 2.0 draws it), the title and "Page X of
Y", with the pictures a template's header and footer embed (a logo) placed again."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.section import Section, _BaseHeaderFooter
from docx.shared import Cm, Inches, Length
from docx.text.paragraph import Paragraph

from . import ooxml
from .blank import Picture
from .writing_out import Element

PAPER = {"A4": (Cm(21), Cm(29.7)), "Letter": (Inches(8.5), Inches(11))}
DEFAULT_PAPER = "A4"
# The drawing ids of a template's header and footer pictures: above any the body's drawings take.
_HEADER_PICTURE_IDS = 1 << 30


@dataclass(frozen=True)
class Page:
    """The page as set up: its size, the room for text on a portrait page and across a
    landscape one, and its w:sectPr (`portrait`), which a landscape section copies."""

    size: tuple[Length, Length]
    text_width: Length
    text_height: Length
    wide_text_width: Length
    portrait: Element


def set_up(document: Document, paper: str | None, from_template: bool) -> Page:
    """Paper and margins: the workbook's paper size if it names one; the rest from the
    template, or the house default."""
    section = document.sections[-1]
    paper = paper or (None if from_template and section.page_width else DEFAULT_PAPER)
    if paper:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAPER[paper]
    if not from_template or section.left_margin is None:
        section.top_margin = section.bottom_margin = Cm(2.4)
        section.left_margin = section.right_margin = Cm(2.3)
        section.header_distance = section.footer_distance = Cm(1.1)
    # Every one set, by the template or the house default.
    width, height = _set(section.page_width), _set(section.page_height)
    left, right = _set(section.left_margin), _set(section.right_margin)
    return Page(
        (width, height),
        Length(width - left - right),
        Length(height - _set(section.top_margin) - _set(section.bottom_margin)),
        Length(height - left - right),
        ooxml.page_properties(section),
    )


class Frames:
    """Puts the header and footer on a section's pages: the `marking` (its label and character
    style) at the top and foot of every page, apart from any control marking on the left, with
    the `title` and "Page X of Y" before it in the footer; a template's `pictures` placed again."""

    def __init__(self, document: Document, body: ooxml.Body, pictures: list[Picture], title: str, marking: ooxml.Run):
        self._document, self._body, self._pictures = document, body, pictures
        self._title, self._marking = title, marking
        self._placed = 0  # the template's pictures placed in headers and footers

    def put_on(self, section: Section, footer_style: str) -> None:
        for page, header in self._variants(section, "header"):
            paragraph = self._fresh_paragraph(header, "Header")
            self._body.add_runs(paragraph, self._marking)
            self._template_pictures(header, paragraph, "header", page)
        for page, footer in self._variants(section, "footer"):
            paragraph = self._fresh_paragraph(footer, footer_style)
            self._body.add_runs(paragraph, f"{self._title}\tPage ")
            ooxml.add_field(paragraph, "PAGE", "1")
            self._body.add_runs(paragraph, " of ")
            ooxml.add_field(paragraph, "NUMPAGES", "1")
            self._body.add_runs(paragraph, "\t", self._marking)
            self._template_pictures(footer, paragraph, "footer", page)

    def _variants(self, section: Section, part: str) -> list[tuple[str, _BaseHeaderFooter]]:
        """The section's header (or footer) for every kind of page it has, as ("default" |
        "first" | "even", the header): a template may give the first page, or even pages, one of their own."""
        variants = [("default", getattr(section, part))]
        if section.different_first_page_header_footer:
            variants.append(("first", getattr(section, f"first_page_{part}")))
        if self._document.settings.odd_and_even_pages_header_footer:
            variants.append(("even", getattr(section, f"even_page_{part}")))
        for _, variant in variants:
            variant.is_linked_to_previous = False  # its own, not the previous section's
        return variants

    def _fresh_paragraph(self, story: _BaseHeaderFooter, style: str) -> Paragraph:
        """The only paragraph of a header or footer, emptied of a template's content."""
        paragraph = ooxml.emptied(story).add_paragraph()
        self._body.restyle(paragraph, style)
        return paragraph

    def _template_pictures(self, story: _BaseHeaderFooter, paragraph: Paragraph, part: str, page: str) -> None:
        """The pictures the template's header (or footer) of this kind of page embeds (a logo),
        placed again at the start of ours, each image stored once however many pages show it."""
        for picture in self._pictures:
            if (picture.part, picture.page) != (part, page):
                continue
            rel_id, _ = story.part.get_or_add_image(io.BytesIO(picture.image))
            self._placed += 1
            shape_id = _HEADER_PICTURE_IDS + self._placed
            paragraph._p.insert(len(paragraph._p.xpath("w:pPr")), ooxml.picture_run(picture.drawing, rel_id, shape_id))


def _set(length: Length | None) -> Length:
    """A page's dimension, which `set_up` has set."""
    if length is None:
        raise ValueError("the page's size and margins are set before they are read")
    return length
