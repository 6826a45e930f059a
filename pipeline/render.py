"""Render the briefing's content as a Word document.

Every piece of formatting is a named style defined in `_define_styles`, so the look can be
changed in one place (or in Word, by editing the styles). Rendering knows nothing of Excel:
it reads only `model.Briefing`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Length, Pt, RGBColor

from . import charts, ooxml
from .formats import format_date, format_number
from .model import Briefing, Chart, Citation, Figure, Section, Source, Statement

BODY_FONT = "Cambria"
DISPLAY_FONT = "Calibri"
INK = RGBColor(0x1F, 0x2A, 0x44)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x59, 0x59, 0x59)
MARKING_RED = RGBColor(0xA5, 0x00, 0x21)
TABLE_STYLE = "Light List Accent 1"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.3)
TEXT_WIDTH = Length(PAGE_WIDTH - 2 * MARGIN)
DASH = "\u2014"


def write(briefing: Briefing, path: Path, chart_cache: Path | None = None) -> None:
    """Build the .docx for `briefing` and put it at `path` in one step. Charts already drawn
    are taken from `chart_cache` when given."""
    renderer = _Renderer(briefing, chart_cache)
    ooxml.save_atomically(renderer.render(), Path(path), renderer.timestamp)


@dataclass(frozen=True)
class _Column:
    heading: str
    width: Length
    numeric: bool = False


class _Renderer:
    def __init__(self, briefing: Briefing, chart_cache: Path | None):
        self.briefing = briefing
        self.chart_cache = chart_cache
        # The document is dated by its content, never by the clock: same workbook, same bytes.
        self.timestamp = dt.datetime.combine(briefing.as_of, dt.time())
        self.document = Document()
        ooxml.trim_template(self.document, keep_table_styles={TABLE_STYLE})
        _define_styles(self.document)
        self.body = ooxml.Body(self.document)
        self.footnotes = ooxml.Footnotes(self.body, "footnote text", "footnote reference")
        self.source_numbers = {source.id: n for n, source in enumerate(briefing.sources, start=1)}
        self.tables = 0
        self.figures = 0

    def render(self):
        self._page_setup()
        self._cover()
        self._bottom_line()
        for section in self.briefing.sections:
            self._section(section)
        self._chronology()
        self._sources()
        self._properties()
        return self.document

    # --- frame ---------------------------------------------------------------------------------

    def _page_setup(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin = section.bottom_margin = Cm(2.4)
        section.left_margin = section.right_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1.1)
        marking = (self.briefing.marking, "Marking Char")
        header = section.header.paragraphs[0]
        self.body.restyle(header, "Header")
        self.body.add_runs(header, marking)
        footer = section.footer.paragraphs[0]
        self.body.restyle(footer, "Footer")
        self.body.add_runs(footer, marking, f"\t{self.briefing.title}\tPage ")
        ooxml.add_field(footer, "PAGE", "1")
        self.body.add_runs(footer, " of ")
        ooxml.add_field(footer, "NUMPAGES", "1")

    def _properties(self) -> None:
        b = self.briefing
        properties = self.document.core_properties
        # A document property holds 255 characters at most (python-docx refuses more); the
        # cover shows the whole text.
        properties.title = b.title[:255]
        properties.subject = (b.subtitle or "")[:255]
        properties.author = properties.last_modified_by = (b.prepared_by or "")[:255]
        properties.keywords = b.marking[:255]
        properties.category = "Briefing"
        properties.comments = ""
        properties.created = properties.modified = properties.last_printed = self.timestamp
        properties.revision = 1

    # --- front matter --------------------------------------------------------------------------

    def _cover(self) -> None:
        b = self.briefing
        self.body.paragraph("Cover Marking", b.marking)
        self.body.paragraph("Title", b.title)
        if b.subtitle:
            self.body.paragraph("Subtitle", b.subtitle)
        details = [f"As of {format_date(b.as_of)}"]
        if b.edition:
            details.append(f"Edition {b.edition}")
        if b.prepared_by:
            details.append(f"Prepared by {b.prepared_by}")
        self.body.paragraph("Cover Details", " \u00b7 ".join(details))
        if b.scope_note:
            self.body.paragraph("Scope Note", ("Scope. ", "Strong"), b.scope_note)

    def _bottom_line(self) -> None:
        b = self.briefing
        self.body.paragraph("Heading 1", "Bottom line up front")
        self.body.paragraph("Summary", b.summary)
        if b.key_points:
            self.body.paragraph("Heading 2", "Key points")
            for statement in b.key_points:
                self._statement(statement, style="List Bullet")
        if b.key_figures:
            self.body.paragraph("Heading 2", "Key figures")
            self._figure_table(b.key_figures, "Key figures")

    # --- chapters ------------------------------------------------------------------------------

    def _section(self, section: Section) -> None:
        self.body.paragraph("Heading 1", section.heading)
        if section.intro:
            self.body.paragraph("Intro", section.intro)
        for statement in section.statements:
            self._statement(statement)
        if section.figures:
            self._figure_table(section.figures, f"{section.heading}: figures")
        for chart in section.charts:
            self._chart(chart)
        if section.events:
            self.body.paragraph("Heading 3", "Events")
            for event in section.events:
                item = self.body.paragraph("List Bullet", (event.date.display(), "Strong"), f" {DASH} {event.text}")
                self._cite(item, event.citation)

    def _statement(self, statement: Statement, style: str | None = None) -> None:
        if statement.kind == "quote":
            paragraph = self.body.paragraph(
                style or "Quote",
                f"\u201c{statement.text}\u201d",
                (f" {DASH} {statement.attributed_to}", "Attribution"),
            )
        else:
            label = _statement_label(statement)
            paragraph = self.body.paragraph(style or "Body Text", *([(label, "Label")] if label else []), statement.text)
        self._cite(paragraph, statement.citation)

    def _figure_table(self, figures: tuple[Figure, ...], caption: str) -> None:
        with_notes = any(f.note for f in figures)
        columns = [
            _Column("Indicator", Cm(6.4 if with_notes else 9.8)),
            _Column("Value", Cm(2.0), numeric=True),
            _Column("Unit", Cm(2.0)),
            _Column("Period", Cm(2.6)),
        ] + ([_Column("Note", Cm(3.4))] if with_notes else [])
        rows = [
            [(f.indicator, f.citation), format_number(f.value), f.unit, f.period] + ([f.note or ""] if with_notes else [])
            for f in figures
        ]
        self._table(caption, columns, rows)

    def _chart(self, chart: Chart) -> None:
        self.figures += 1
        picture = io.BytesIO(charts.png(chart, self.chart_cache))
        holder = self.body.paragraph("Figure")
        shape = holder.add_run().add_picture(picture, width=TEXT_WIDTH)
        values = "; ".join(f"{f.indicator}, {f.period}: {format_number(f.value)} {f.unit}" for f in chart.figures)
        shape._inline.docPr.set("descr", f"{chart.kind.capitalize()} chart. {values}.")
        self._caption("Figure", chart.title)
        if chart.caption:
            self.body.paragraph("Caption Note", chart.caption)
        numbers = sorted({self.source_numbers[f.citation.source.id] for f in chart.figures})
        cited = ", ".join(f"[{n}]" for n in numbers)
        self.body.paragraph("Source Line", f"Source: {cited}; values as in the figures table, where each is footnoted.")

    # --- back matter ---------------------------------------------------------------------------

    def _chronology(self) -> None:
        if not self.briefing.chronology:
            return
        self.body.paragraph("Heading 1", "Chronology")
        columns = [_Column("Date", Cm(3.2)), _Column("Event", Cm(9.6)), _Column("Chapter", Cm(3.6))]
        rows = [[e.date.display(), (e.text, e.citation), e.section or ""] for e in self.briefing.chronology]
        self._table("Chronology of events", columns, rows)

    def _sources(self) -> None:
        self.body.paragraph("Heading 1", "Sources")
        for source in self.briefing.sources:
            grade = f"Reliability {source.reliability} ({source.reliability_meaning})" if source.reliability else "Reliability not graded"
            kind = source.source_type.replace("_", " ").capitalize() if source.source_type else None
            details = ". ".join(part for part in (kind, grade, f"Workbook id {source.id}") if part)
            self.body.paragraph(
                "Source Entry",
                (f"[{self.source_numbers[source.id]}]\t", "Strong"),
                _full_reference(source),
                (f" {details}.", "Source Detail"),
            )

    # --- building blocks -----------------------------------------------------------------------

    def _cite(self, paragraph, citation: Citation) -> None:
        self.footnotes.add(paragraph, _citation_text(citation, self.source_numbers[citation.source.id]))

    def _caption(self, label: str, text: str) -> None:
        """A caption such as "Table 3. Key figures"; the number is a SEQ field, which Word renumbers."""
        number = self.tables if label == "Table" else self.figures
        caption = self.body.paragraph("Caption", f"{label} ")
        ooxml.add_field(caption, f"SEQ {label} \\* ARABIC", str(number))
        self.body.add_runs(caption, f". {text}")

    def _table(self, caption: str, columns: list[_Column], rows: list[list]) -> None:
        """A captioned table whose header row repeats on every page. A cell is its text, or
        (text, citation) to footnote it."""
        self.tables += 1
        self._caption("Table", caption)
        table = self.document.add_table(rows=0, cols=len(columns))
        table.style = TABLE_STYLE
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        ooxml.set_table_look(table, first_row=True, banded_rows=True)
        widths = [c.width for c in columns]
        for column, width in zip(table.columns, widths):
            column.width = width
        heading = self.body.table_row(table, widths, header=True)
        for paragraph, column in zip(heading, columns):
            self.body.restyle(paragraph, "Table Heading Number" if column.numeric else "Table Heading Text")
            self.body.add_runs(paragraph, column.heading)
        for values in rows:
            for paragraph, column, value in zip(self.body.table_row(table, widths), columns, values):
                text, citation = value if isinstance(value, tuple) else (value, None)
                self.body.restyle(paragraph, "Table Number" if column.numeric else "Table Text")
                self.body.add_runs(paragraph, text)
                if citation:
                    self._cite(paragraph, citation)
        self.body.paragraph("After Table")


def _statement_label(statement: Statement) -> str:
    when = f", {statement.date.display()}" if statement.date else ""
    if statement.kind == "claim":
        return f"Claim ({statement.attributed_to}{when}): "
    if statement.kind == "assessment":
        return f"Assessment ({statement.confidence} confidence): "
    return ""


def _full_reference(source: Source) -> str:
    parts = [source.publisher]
    if source.author:
        parts.append(source.author)
    parts.append(f"\u201c{source.title}\u201d")
    if source.published:
        parts.append(source.published.display())
    text = ", ".join(parts) + "."
    if source.url:
        text += f" {source.url}"
        text += f" (accessed {format_date(source.accessed)})." if source.accessed else "."
    elif source.accessed:
        text += f" Accessed {format_date(source.accessed)}."
    return text


def _citation_text(citation: Citation, number: int) -> str:
    parts = [f"[{number}] {_full_reference(citation.source)}"]
    if citation.locator:
        parts.append(f"At {citation.locator}.")
    if citation.attribution:
        parts.append(_sentence(citation.attribution))
    grades = []
    if citation.source.reliability:
        grades.append(f"source reliability {citation.source.reliability} ({citation.source.reliability_meaning})")
    if citation.credibility:
        grades.append(f"information credibility {citation.credibility} ({citation.credibility_meaning})")
    if grades:
        parts.append(_sentence("; ".join(grades)))
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --- styles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
    """How a style looks; None leaves the template's (or the base style's) setting."""

    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    superscript: bool | None = None
    color: RGBColor | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    keep_next: bool | None = None
    left: Length | None = None
    first_line: Length | None = None


P, C = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER

# The house style: every style the briefing uses, as (name, type, based on, look).
# Word's own styles go by Word's internal names (lower case), so that Word and LibreOffice
# use them for footnotes the reader adds, instead of making a second footnote style.
_STYLES = (
    ("Normal", P, None, _Look(BODY_FONT, 10.5, color=INK, after=6, line=1.12)),
    ("Body Text", P, "Normal", _Look(after=6)),
    ("Title", P, "Normal", _Look(DISPLAY_FONT, 26, bold=True, color=INK, before=6, after=4)),
    ("Subtitle", P, "Normal", _Look(DISPLAY_FONT, 13, italic=False, color=MUTED, after=14)),
    ("Heading 1", P, "Normal", _Look(DISPLAY_FONT, 16, bold=True, italic=False, color=ACCENT, before=20, after=6, keep_next=True)),
    ("Heading 2", P, "Normal", _Look(DISPLAY_FONT, 12.5, bold=True, italic=False, color=ACCENT, before=12, after=4, keep_next=True)),
    ("Heading 3", P, "Normal", _Look(DISPLAY_FONT, 11, bold=True, italic=False, color=INK, before=10, after=3, keep_next=True)),
    ("Cover Marking", P, "Normal", _Look(DISPLAY_FONT, 10, bold=True, color=MARKING_RED, after=30)),
    ("Cover Details", P, "Normal", _Look(DISPLAY_FONT, 10, color=MUTED, after=18)),
    ("Scope Note", P, "Normal", _Look(DISPLAY_FONT, 9, color=MUTED, after=12)),
    ("Summary", P, "Normal", _Look(BODY_FONT, 11.5, color=INK, after=10, line=1.2)),
    ("Intro", P, "Normal", _Look(italic=True, color=MUTED, after=8)),
    ("List Bullet", P, "Normal", _Look(after=4)),
    ("Quote", P, "Normal", _Look(italic=True, color=INK, left=Cm(1), after=6)),
    ("Caption", P, "Normal", _Look(DISPLAY_FONT, 9, bold=True, italic=False, color=ACCENT, before=10, after=3, keep_next=True)),
    ("Caption Note", P, "Normal", _Look(DISPLAY_FONT, 9, after=2)),
    ("Source Line", P, "Normal", _Look(DISPLAY_FONT, 8, italic=True, color=MUTED, after=10)),
    ("Figure", P, "Normal", _Look(align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=2, keep_next=True)),
    ("After Table", P, "Normal", _Look(size=4, after=6)),
    ("Table Text", P, "Normal", _Look(DISPLAY_FONT, 9, after=0, line=1.0)),
    ("Table Number", P, "Table Text", _Look(align=WD_ALIGN_PARAGRAPH.RIGHT)),
    ("Table Heading Text", P, "Table Text", _Look(bold=True)),
    ("Table Heading Number", P, "Table Heading Text", _Look(align=WD_ALIGN_PARAGRAPH.RIGHT)),
    ("Source Entry", P, "Normal", _Look(size=9.5, left=Cm(1), first_line=Cm(-1), after=4)),
    ("footnote text", P, "Normal", _Look(DISPLAY_FONT, 8, after=0, line=1.0)),
    ("Header", P, "Normal", _Look(DISPLAY_FONT, 8, color=MUTED, align=WD_ALIGN_PARAGRAPH.CENTER)),
    ("Footer", P, "Normal", _Look(DISPLAY_FONT, 8, color=MUTED)),
    ("footnote reference", C, None, _Look(superscript=True)),
    ("Marking Char", C, None, _Look(DISPLAY_FONT, bold=True, color=MARKING_RED)),
    ("Label", C, None, _Look(DISPLAY_FONT, bold=True, color=ACCENT)),
    ("Attribution", C, None, _Look(italic=False, color=MUTED)),
    ("Source Detail", C, None, _Look(color=MUTED)),
)


_WORD_BUILT_IN = {"footnote text", "footnote reference"}


def _define_styles(document) -> None:
    styles = document.styles
    for name, kind, base, look in _STYLES:
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, kind, builtin=name in _WORD_BUILT_IN)
            style.style_id = name.title().replace(" ", "")  # as Word names its own: FootnoteText
        if base:
            style.base_style = styles[base]
        style.quick_style = True
        _apply(look, style)
    ooxml.remove_paragraph_border(styles["Title"])  # the template underlines the title
    tabs = styles["Footer"].paragraph_format.tab_stops  # marking | title | page X of Y
    tabs.clear_all()
    tabs.add_tab_stop(Length(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _apply(look: _Look, style) -> None:
    font = style.font
    for attribute, value in (
        ("name", look.font), ("size", look.size and Pt(look.size)), ("bold", look.bold),
        ("italic", look.italic), ("superscript", look.superscript),
    ):
        if value is not None:
            setattr(font, attribute, value)
    if look.color is not None:
        font.color.rgb = look.color
    if style.type != WD_STYLE_TYPE.PARAGRAPH:
        return
    paragraph = style.paragraph_format
    for attribute, value in (
        ("space_before", look.before is not None and Pt(look.before)),
        ("space_after", look.after is not None and Pt(look.after)),
        ("line_spacing", look.line), ("alignment", look.align), ("keep_with_next", look.keep_next),
        ("left_indent", look.left), ("first_line_indent", look.first_line),
    ):
        if value is not None and value is not False:
            setattr(paragraph, attribute, value)
