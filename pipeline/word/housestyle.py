"""The house style: every named style the briefing uses, with its table style and numbering.

Without a template these styles are the look. With a template (a reference document, as
pandoc's --reference-doc) the template's own styles win, and ours only fill its gaps, in the
template's fonts; so a user restyles the whole briefing by editing styles in Word. Geometry
that follows from the page (tab stops of the footers and contents) is set either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from . import ooxml

# Font roles: body text, and the display face of headings, tables, captions and charts.
BODY, DISPLAY = "body", "display"


@dataclass(frozen=True)
class Face:
    """A typeface for each of Word's script slots: `latin` for Latin and Cyrillic text (the
    ascii and hAnsi slots), `complex` for right-to-left scripts such as Arabic and Persian
    (the cs slot), which Word sets in a font of its own."""

    latin: str
    complex: str


# Fonts every Word reader has. Cambria and Calibri cover Latin, Greek and Cyrillic; Times New
# Roman and Arial cover Arabic, Persian and Hebrew. (LibreOffice draws them with open fonts:
# see the README, "PDF".)
DEFAULT_FONTS = {BODY: Face("Cambria", "Times New Roman"), DISPLAY: Face("Calibri", "Arial")}

INK = RGBColor(0x1F, 0x2A, 0x44)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
# A link's text: Word's own style for it, underlined in the accent colour.
LINK = "Hyperlink"
MUTED = RGBColor(0x59, 0x59, 0x59)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
BLACK = RGBColor(0x00, 0x00, 0x00)
# FIRST's TLP 2.0: each label in its colour, on black.
TLP_COLOURS = {
    "RED": RGBColor(0xFF, 0x2B, 0x2B),
    "AMBER": RGBColor(0xFF, 0xC0, 0x00),
    "GREEN": RGBColor(0x33, 0xFF, 0x00),
    "CLEAR": RGBColor(0xFF, 0xFF, 0xFF),
}
# A marking that is not a TLP label is printed as given, in the text's own ink.
MARKING = "Marking Char"
TABLE_BAND = RGBColor(0xEA, 0xEF, 0xF5)
TABLE_STYLE = "Briefing Table"

# Numbered lists the styles can follow: name -> (format, text of the number, indent).
CHAPTERS, ANNEXES, BULLETS, JUDGEMENTS, UNNUMBERED = "chapters", "annexes", "bullets", "judgements", "unnumbered"
_JUDGEMENT_INDENT = Cm(0.75)
_LISTS = {
    CHAPTERS: ("decimal", "%1", Cm(1)),
    ANNEXES: ("upperLetter", "Annex %1:", None),
    BULLETS: ("bullet", "\u2022", Cm(0.5)),
    JUDGEMENTS: ("decimal", "%1.", _JUDGEMENT_INDENT),
}


@dataclass(frozen=True)
class _Look:
    """How a style looks; None leaves the base style's (or the template's) setting."""

    font: str | None = None  # BODY or DISPLAY
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    superscript: bool | None = None
    underline: bool | None = None
    color: RGBColor | None = None
    shading: RGBColor | None = None  # behind the text of a character style
    before: float | None = None
    after: float | None = None
    line: float | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    keep_next: bool | None = None
    left: Length | None = None
    first_line: Length | None = None
    page_break: bool | None = None
    outline: int | None = None  # 0 = level 1; 9 = body text, out of the contents
    rule_below: RGBColor | None = None
    numbering: str | None = None  # a list of _LISTS, or UNNUMBERED


P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

# Every style the briefing uses, as (name, type, based on, look). A style sets only what differs
# from the style it is based on: body text takes its face and ink from Normal, so that a template
# whose Normal is in Georgia (a blank one, or one saved from a briefing) sets the summary and the
# key judgements in Georgia too. Word's own styles go by
# Word's internal names (lower case), so that Word and LibreOffice use them for the notes and
# contents entries a reader adds, instead of making a second style.
STYLES = (
    ("Normal", P, None, _Look(BODY, 10.5, color=INK, after=6, line=1.12)),
    ("Body Text", P, "Normal", _Look(after=6)),
    ("Title", P, "Normal", _Look(DISPLAY, 30, bold=True, color=INK, before=150, after=8, line=1.0)),
    ("Subtitle", P, "Normal", _Look(DISPLAY, 14, italic=False, color=MUTED, after=30, rule_below=ACCENT)),
    ("Cover Marking", P, "Normal", _Look(DISPLAY, 11, bold=True, after=2)),
    ("Cover Details", P, "Normal", _Look(DISPLAY, 11, after=2)),
    ("Scope Note", P, "Normal", _Look(DISPLAY, 9, color=MUTED, before=120, after=0)),
    ("Handling Note", P, "Scope Note", _Look(before=6)),
    (
        "Heading 1",
        P,
        "Normal",
        _Look(
            DISPLAY, 16, bold=True, italic=False, color=ACCENT, before=22, after=6, keep_next=True, outline=0, numbering=CHAPTERS
        ),
    ),
    ("Heading Unnumbered", P, "Heading 1", _Look(page_break=True, numbering=UNNUMBERED)),
    # The changes since the last edition: a part of its own, on the page of the judgements before it.
    ("Changes Heading", P, "Heading 1", _Look(numbering=UNNUMBERED)),
    ("Annex Heading", P, "Heading 1", _Look(page_break=True, numbering=ANNEXES)),
    ("TOC Heading", P, "Heading 1", _Look(page_break=True, outline=9, numbering=UNNUMBERED)),
    (
        "Heading 2",
        P,
        "Normal",
        _Look(DISPLAY, 12.5, bold=True, italic=False, color=ACCENT, before=14, after=4, keep_next=True, outline=1),
    ),
    (
        "Heading 3",
        P,
        "Normal",
        _Look(DISPLAY, 11, bold=True, italic=False, color=INK, before=10, after=3, keep_next=True, outline=2),
    ),
    ("toc 1", P, "Normal", _Look(DISPLAY, 11, before=6, after=2)),
    ("Summary", P, "Normal", _Look(size=11.5, after=10, line=1.2)),
    (
        "Key Judgement",
        P,
        "Normal",
        _Look(size=11.5, before=8, after=2, line=1.2, keep_next=True, numbering=JUDGEMENTS),
    ),
    ("Judgement Grades", P, "Normal", _Look(DISPLAY, 9, color=MUTED, left=_JUDGEMENT_INDENT, after=8)),
    ("Scale Note", P, "Body Text", _Look(before=12)),
    ("Intro", P, "Normal", _Look(italic=True, color=MUTED, after=8)),
    ("List Bullet", P, "Normal", _Look(after=4, numbering=BULLETS)),
    ("Quote", P, "Normal", _Look(italic=True, color=INK, left=Cm(1), after=6)),
    ("Quote Translation", P, "Quote", _Look(italic=False, color=MUTED)),
    ("Caption", P, "Normal", _Look(DISPLAY, 9, bold=True, italic=False, color=ACCENT, before=10, after=3, keep_next=True)),
    ("Caption Note", P, "Normal", _Look(DISPLAY, 9, after=2)),
    ("Source Line", P, "Normal", _Look(DISPLAY, 8, italic=True, color=MUTED, before=3, after=12)),
    # Not "Figure": LibreOffice tags a paragraph of that style as a figure in a tagged PDF.
    ("Chart Frame", P, "Normal", _Look(align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=2, keep_next=True)),
    ("Table Text", P, "Normal", _Look(DISPLAY, 9, after=0, line=1.0)),
    ("Table Number", P, "Table Text", _Look(align=WD_ALIGN_PARAGRAPH.RIGHT)),
    ("Table Heading Text", P, "Table Text", _Look(bold=True, color=WHITE)),
    # A row's heading cell (the likelihood scale's): bold on the row's own ground, not the heading row's.
    ("Table Row Heading", P, "Table Text", _Look(bold=True)),
    ("Table Heading Number", P, "Table Heading Text", _Look(align=WD_ALIGN_PARAGRAPH.RIGHT)),
    ("Table Centred", P, "Table Text", _Look(align=WD_ALIGN_PARAGRAPH.CENTER)),
    ("Table Heading Centred", P, "Table Heading Text", _Look(align=WD_ALIGN_PARAGRAPH.CENTER)),
    ("Source Entry", P, "Normal", _Look(size=9.5, left=Cm(1), first_line=Cm(-1), after=5)),
    ("footnote text", P, "Normal", _Look(DISPLAY, 8, after=0, line=1.0)),
    ("Header", P, "Normal", _Look(DISPLAY, 8, color=MUTED, align=WD_ALIGN_PARAGRAPH.RIGHT, after=0)),
    ("Footer", P, "Normal", _Look(DISPLAY, 8, color=MUTED, after=0)),
    ("Landscape Footer", P, "Footer", _Look()),
    ("footnote reference", C, None, _Look(superscript=True)),
    ("Strong", C, None, _Look(bold=True)),
    (LINK, C, None, _Look(underline=True, color=ACCENT)),
    # FIRST's TLP 2.0 standard: the label in capitals, 12-point type or greater, right-justified.
    (MARKING, C, None, _Look(DISPLAY, 12, bold=True, color=INK)),
    *((f"TLP {level.title()}", C, MARKING, _Look(color=colour, shading=BLACK)) for level, colour in TLP_COLOURS.items()),
    ("Label", C, None, _Look(DISPLAY, bold=True, color=ACCENT)),
    ("Attribution", C, None, _Look(italic=False, color=MUTED)),
    ("Source Detail", C, None, _Look(color=MUTED)),
)

_WORD_BUILT_IN = {"footnote text", "footnote reference", "toc 1", "TOC Heading", "Strong", "Title", "Subtitle", "Quote"}
_WORD_STYLE_IDS = {"toc 1": "TOC1", "TOC Heading": "TOCHeading"}


def apply(document, from_template: bool, text_width: Length, wide_text_width: Length) -> dict[str, Face]:
    """Give `document` every style the briefing uses, and return its fonts by role.
    `wide_text_width` is the line length of a landscape page."""
    fonts = _template_fonts(document) if from_template else DEFAULT_FONTS
    styles = _Styles(document)
    lists = _Lists(document)
    for name, kind, base, look in STYLES:
        style = styles.get(name)
        if style is not None and from_template:
            _fill_structure(look, style, lists)
            _follow_template_face(document, name, look, style, fonts)
            continue
        if style is None:
            style = styles.add(name, kind)
        if base:
            style.base_style = styles.get(base)
        style.quick_style = True
        _apply(look, style, fonts, lists)
    for style in document.styles:  # ours, the template's and Word's own alike
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and style.font.italic:
            ooxml.upright_complex_script(style)
    if not from_template:
        ooxml.remove_paragraph_border(styles.get("Title"))  # python-docx's template underlines the title
    ooxml.add_table_style(document, TABLE_STYLE, str(ACCENT), str(TABLE_BAND), replace=not from_template)
    # Footers: marking | title | page X of Y. The landscape one clears the stops it inherits.
    _tabs(styles.get("Footer"), *_footer_tabs(text_width))
    cleared = [(position, WD_TAB_ALIGNMENT.CLEAR) for position, _ in _footer_tabs(text_width)]
    _tabs(styles.get("Landscape Footer"), *cleared, *_footer_tabs(wide_text_width))
    _tabs(styles.get("toc 1"), (text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS))
    return fonts


def _template_fonts(document) -> dict[str, Face]:
    """The template's body and display faces, slot by slot, ours where it names none."""
    fonts: dict[str, Face] = {}
    for role, style, theme in ((BODY, "Normal", "minor"), (DISPLAY, "Heading 1", "major")):
        default = fonts.get(BODY, DEFAULT_FONTS[role])
        fonts[role] = Face(
            ooxml.style_font(document, style) or ooxml.theme_font(document, theme) or default.latin,
            ooxml.style_font(document, style, complex_script=True)
            or ooxml.theme_font(document, theme, complex_script=True)
            or default.complex,
        )
    return fonts


def marking_style(tlp: str | None) -> str:
    """The character style of a marking: a TLP label's own colours (AMBER+STRICT is drawn as
    AMBER), or the neutral marking style."""
    return f"TLP {tlp.split('+')[0].title()}" if tlp else MARKING


class _Styles:
    """The document's styles by the name Word shows, found as Word finds them. python-docx's
    own lookup falls back to style ids, with a warning, where a template (one LibreOffice saved,
    say) spells a built-in style's name as Word shows it ("Footer") rather than as Word stores
    it ("footer")."""

    def __init__(self, document):
        self._styles = document.styles
        self._by_name: dict[str, object] = {}
        for style in self._styles:
            self._by_name.setdefault(style.name, style)  # of two alike, the first

    def get(self, name: str):
        return self._by_name.get(name)

    def add(self, name: str, kind):
        # Added as python-docx's add_style adds it, without its check that no style has the
        # name, which reads every style's name for each one added (two thirds of this module's
        # time, a quarter of a short briefing's build): `get` has just found none by that name.
        element = self._styles.element.add_style_of_type(BabelFish.ui2internal(name), kind, name in _WORD_BUILT_IN)
        style = StyleFactory(element)
        style.style_id = _WORD_STYLE_IDS.get(name, name.title().replace(" ", ""))
        self._by_name[name] = style
        return style


class _Lists:
    """The numbering definitions the styles use, added to the document when first needed."""

    def __init__(self, document):
        self._document = document
        self._ids: dict[str, int] = {}

    def number(self, name: str) -> int:
        if name == UNNUMBERED:
            return 0  # numbering switched off, where the base style has it
        if name not in self._ids:
            number_format, text, indent = _LISTS[name]
            self._ids[name] = ooxml.add_list(self._document, name, number_format, text, indent)
        return self._ids[name]


def _fill_structure(look: _Look, style, lists: _Lists) -> None:
    """Structure a template's style leaves unsaid: numbering, outline level, a new page. Its
    look (fonts, sizes, colours, spacing) stays the template's."""
    if look.numbering is not None and not ooxml.has_numbering(style):
        ooxml.set_style_numbering(style, lists.number(look.numbering))
    if look.outline is not None and not ooxml.has_outline_level(style):
        ooxml.set_outline_level(style, look.outline)
    if look.page_break and style.paragraph_format.page_break_before is None:
        style.paragraph_format.page_break_before = True


def _follow_template_face(document, name: str, look: _Look, style, fonts: dict[str, Face]) -> None:
    """A template's style that still names the house face of its role (Calibri for a caption, as
    in a template saved from a built briefing) while the template's Heading 1 (or Normal) names
    another takes that one: restyling the headings' face reaches captions, tables and notes too."""
    if look.font is None:
        return
    house, template = DEFAULT_FONTS[look.font], fonts[look.font]
    if template != house and ooxml.style_font(document, name) == house.latin:
        ooxml.set_style_font(style, template.latin, template.complex)


def _footer_tabs(width: Length) -> list[tuple]:
    return [(Length(width // 2), WD_TAB_ALIGNMENT.CENTER), (width, WD_TAB_ALIGNMENT.RIGHT)]


def _tabs(style, *stops) -> None:
    tabs = style.paragraph_format.tab_stops
    tabs.clear_all()
    for stop in stops:
        tabs.add_tab_stop(*stop)


def _apply(look: _Look, style, fonts: dict[str, Face], lists: _Lists) -> None:
    font = style.font
    if look.font is not None:
        ooxml.set_style_font(style, fonts[look.font].latin, fonts[look.font].complex)
    for attribute, value in (
        ("size", look.size and Pt(look.size)),
        ("bold", look.bold),
        ("italic", look.italic),
        ("superscript", look.superscript),
        ("underline", look.underline),
    ):
        if value is not None:
            setattr(font, attribute, value)
    if look.color is not None:
        font.color.rgb = look.color
    if look.shading is not None:
        ooxml.set_run_shading(style, str(look.shading))
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    paragraph = style.paragraph_format
    for attribute, value in (
        ("space_before", look.before is not None and Pt(look.before)),
        ("space_after", look.after is not None and Pt(look.after)),
        ("line_spacing", look.line),
        ("alignment", look.align),
        ("keep_with_next", look.keep_next),
        ("left_indent", look.left),
        ("first_line_indent", look.first_line),
        ("page_break_before", look.page_break),
    ):
        if value is not None and value is not False:
            setattr(paragraph, attribute, value)
    if look.outline is not None:
        ooxml.set_outline_level(style, look.outline)
    if look.rule_below is not None:
        ooxml.set_rule_below(style, str(look.rule_below))
    if look.numbering is not None:
        ooxml.set_style_numbering(style, lists.number(look.numbering))
