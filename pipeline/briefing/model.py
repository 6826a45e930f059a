"""The briefing's content, built from a workbook that has passed validation.

Nothing here knows of Excel cells or Word styles: a `ValidWorkbook`'s records go in, plain
dataclasses a renderer can walk come out, every item carrying the citation it rests on. The
outline (which parts the briefing has, in which order, with which numbers and letters) is
decided here once, and the body, the contents list and the annexes all follow it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from .. import languages
from ..checks.validate import Record, ValidWorkbook
from ..contract import CONFIDENCE, CREDIBILITY, RELIABILITY, SOURCE_TYPES, choice, folded, same_measure
from ..dates import PartialDate
from . import wording


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    author: str | None
    published: PartialDate | None
    accessed: dt.date | None
    url: str | None
    source_type: str | None
    reliability: str | None

    @property
    def reliability_meaning(self) -> str | None:
        return _meaning(RELIABILITY, self.reliability)


@dataclass(frozen=True)
class Citation:
    """What one footnote says: the source, and where and from whom within it."""

    source: Source
    locator: str | None = None
    attribution: str | None = None
    credibility: str | None = None

    @property
    def credibility_meaning(self) -> str | None:
        return _meaning(CREDIBILITY, self.credibility)


@dataclass(frozen=True)
class Figure:
    id: str
    indicator: str
    value: float
    unit: str
    period: str
    note: str | None
    key: bool
    citation: Citation
    # The same indicator and period as other sources give it, with a different value: every
    # value is printed with its own source, and none is picked silently.
    differing: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    kind: str  # fact, quote, claim, assessment
    attributed_to: str | None
    date: PartialDate | None
    confidence: str | None
    key: bool
    citation: Citation
    language: str = languages.DEFAULT  # a tag, such as fa-IR: told from its script
    translation: str | None = None  # into the briefing's language, where it is in another


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    text: str
    section: str | None  # heading of the chapter it belongs to
    citation: Citation


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str
    unit: str
    figures: tuple[Figure, ...]
    caption: str | None


@dataclass(frozen=True)
class Section:
    id: str | None
    heading: str
    intro: str | None
    figures: tuple[Figure, ...]
    statements: tuple[Statement, ...]
    events: tuple[Event, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Sourcing:
    """What the briefing rests on, counted for its sources-and-confidence note. Each count
    is (value, how many), in the contract's order of values; None counts the blanks."""

    source_types: tuple[tuple[str | None, int], ...]
    reliability: tuple[tuple[str | None, int], ...]
    statements: int
    # A statement rests on a single source unless graded 1, "confirmed by other sources".
    single_source: int
    assessments: tuple[tuple[str, int], ...]  # by confidence


# What a level-1 part of the briefing holds.
BOTTOM_LINE, CHAPTER, CHRONOLOGY, SOURCES = "bottom line", "chapter", "chronology", "sources"


@dataclass(frozen=True)
class Part:
    """One level-1 heading of the briefing, as the body prints it and the contents list it."""

    role: str  # BOTTOM_LINE, CHAPTER, CHRONOLOGY or SOURCES
    heading: str
    number: str | None = None  # "3" for the third chapter, "A" for the first annex
    section: Section | None = None  # a chapter's content

    @property
    def is_annex(self) -> bool:
        return self.role in (CHRONOLOGY, SOURCES)

    @property
    def listed(self) -> str:
        """The part as the contents list shows it: `3 Trade`, `Annex A: Chronology`."""
        if self.is_annex:
            return f"Annex {self.number}: {self.heading}"
        return f"{self.number} {self.heading}" if self.number else self.heading


def outline(sections: tuple[Section, ...], has_chronology: bool, has_sources: bool) -> tuple[Part, ...]:
    """The briefing's parts in reading order: the bottom line, the numbered chapters, the
    lettered annexes. Decided once, here."""
    parts = [Part(BOTTOM_LINE, wording.BOTTOM_LINE)]
    parts += [Part(CHAPTER, s.heading, str(n), s) for n, s in enumerate(sections, start=1)]
    annexes = [(CHRONOLOGY, wording.CHRONOLOGY)] * has_chronology + [(SOURCES, wording.SOURCES)] * has_sources
    parts += [Part(role, heading, chr(ord("A") + n)) for n, (role, heading) in enumerate(annexes)]
    return tuple(parts)


@dataclass(frozen=True)
class Briefing:
    title: str
    subtitle: str | None
    as_of: dt.date
    edition: str | None
    prepared_by: str | None
    marking: str
    summary: str
    scope_note: str | None
    paper: str | None  # A4 or Letter; None leaves it to the template
    language: str  # the document's language, such as en-GB
    key_points: tuple[Statement, ...]
    key_figures: tuple[Figure, ...]
    sections: tuple[Section, ...]
    chronology: tuple[Event, ...]
    sources: tuple[Source, ...]  # as the sources annex lists and numbers them
    sourcing: Sourcing
    outline: tuple[Part, ...]

    @property
    def tlp(self) -> str | None:
        """The TLP 2.0 label the marking is (`AMBER+STRICT` for `TLP:AMBER+STRICT`), or None
        for any other marking, which the briefing prints as given."""
        found = _TLP.fullmatch(self.marking.strip())
        return found.group(1).upper() if found else None


# FIRST's Traffic Light Protocol 2.0 labels.
TLP_LEVELS = ("RED", "AMBER+STRICT", "AMBER", "GREEN", "CLEAR")
_TLP = re.compile(r"TLP:\s*(RED|AMBER\+STRICT|AMBER|GREEN|CLEAR)", re.IGNORECASE)

# A chapter for rows filed under no section, so that nothing in the workbook is left out.
UNFILED_HEADING = "Other findings"


def build(workbook: ValidWorkbook) -> Briefing:
    """The briefing's content, from a workbook validation passed."""
    if not isinstance(workbook, ValidWorkbook):
        raise TypeError("the briefing is built from a ValidWorkbook, which pipeline.check hands out")
    sources = {s.id: s for s in (_source(r) for r in workbook.records("Sources"))}
    section_rows = sorted(
        workbook.records("Sections"),
        key=lambda r: (r.value("order") is None, r.value("order") or 0, r.row),
    )
    headings = {r.value("section_id"): r.value("heading") for r in section_rows}
    figures = _with_differing([_figure(r, sources) for r in workbook.records("Figures")])
    figures_by_id = {f.id: f for f in figures}
    fields = workbook.fields()
    language = fields.get("language") or languages.DEFAULT
    statements = [_statement(r, sources, language) for r in workbook.records("Statements")]
    events = [_event(r, sources, headings) for r in workbook.records("Events")]
    charts = [_chart(r, figures_by_id) for r in workbook.records("Charts")]

    # Each chapter's items, in workbook order (events by date), keyed by section_id.
    filed: dict[str | None, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for kind, sheet, items in (
        ("figures", "Figures", figures),
        ("statements", "Statements", statements),
        ("events", "Events", events),
        ("charts", "Charts", charts),
    ):
        for record, item in zip(workbook.records(sheet), items):
            filed[record.value("section_id")][kind].append(item)

    def section(section_id: str | None, heading: str, intro: str | None) -> Section:
        items = filed[section_id]
        return Section(
            section_id, heading, intro,
            figures=tuple(items["figures"]),
            statements=tuple(items["statements"]),
            events=tuple(sorted(items["events"], key=_chronological)),
            charts=tuple(items["charts"]),
        )

    sections = [section(r.value("section_id"), r.value("heading"), r.value("intro")) for r in section_rows]
    if filed[None]:
        sections.append(section(None, UNFILED_HEADING, None))

    key_points = tuple(s for s in statements if s.key and not _restates(fields["summary"], s.text))
    # A key figure that sources disagree on brings the other values with it.
    key_ids = {f.id for f in figures if f.key} | {d.id for f in figures if f.key for d in f.differing}
    key_figures = tuple(f for f in figures if f.id in key_ids)
    return Briefing(
        title=fields["title"],
        subtitle=fields.get("subtitle"),
        as_of=fields["as_of"],
        edition=fields.get("edition"),
        prepared_by=fields.get("prepared_by"),
        marking=fields["marking"],
        summary=fields["summary"],
        scope_note=fields.get("scope_note"),
        paper=fields.get("paper"),
        language=language,
        key_points=key_points,
        key_figures=key_figures,
        sections=tuple(sections),
        chronology=tuple(sorted(events, key=_chronological)),
        sources=tuple(sorted(sources.values(), key=_annex_order)),
        sourcing=_sourcing(list(sources.values()), statements),
        outline=outline(tuple(sections), bool(events), bool(sources)),
    )


def _chronological(event: Event) -> PartialDate:
    # Sorting is stable: events on the same date keep their workbook order.
    return event.date


def _meaning(choices, value: str | None) -> str | None:
    found = choice(choices, value)
    return found.meaning if found else None


def _source(r: Record) -> Source:
    return Source(
        id=r.value("source_id"),
        publisher=r.value("publisher"),
        title=r.value("title"),
        author=r.value("author"),
        published=r.value("published"),
        accessed=r.value("accessed"),
        url=r.value("url"),
        source_type=r.value("source_type"),
        reliability=r.value("reliability"),
    )


def _citation(r: Record, sources: dict[str, Source]) -> Citation:
    return Citation(
        source=sources[r.value("source_id")],
        locator=r.value("locator"),
        attribution=r.value("attribution"),
        credibility=r.value("credibility"),
    )


def _figure(r: Record, sources: dict[str, Source]) -> Figure:
    return Figure(
        id=r.value("figure_id"),
        indicator=r.value("indicator"),
        value=r.value("value"),
        unit=r.value("unit"),
        period=r.value("period"),
        note=r.value("note"),
        key=bool(r.value("key")),
        citation=_citation(r, sources),
    )


def _with_differing(figures: list[Figure]) -> list[Figure]:
    """Each figure, told of the others that give its indicator and period a different value."""
    measures = [same_measure(f.indicator, f.period, f.unit) for f in figures]
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f, measure in zip(figures, measures):
        groups[measure].append(f)
    return [
        replace(f, differing=tuple(o for o in groups[measure] if o.value != f.value))
        for f, measure in zip(figures, measures)
    ]


def _statement(r: Record, sources: dict[str, Source], document_language: str) -> Statement:
    return Statement(
        id=r.value("statement_id"),
        text=r.value("text"),
        kind=r.value("kind") or "fact",
        attributed_to=r.value("attributed_to"),
        date=r.value("date"),
        confidence=r.value("confidence"),
        key=bool(r.value("key")),
        citation=_citation(r, sources),
        language=languages.language_of(r.value("text"), document_language),
        translation=r.value("translation"),
    )


# A key point this alike to a sentence of the bottom line says what the bottom line says.
RESTATES = 0.8


def _restates(summary: str, text: str) -> bool:
    """Whether the bottom line already says `text`: it holds it, or one of its sentences is
    nearly the same words. Such a key point would be read twice on one page."""
    text = folded(text)
    sentences = [folded(s) for s in re.split(r"(?<=[.!?])\s+", summary)]
    return text.rstrip(".!?") in folded(summary) or any(difflib.SequenceMatcher(None, text, s).ratio() >= RESTATES for s in sentences)


def _event(r: Record, sources: dict[str, Source], headings: dict[str, str]) -> Event:
    return Event(
        id=r.value("event_id"),
        date=r.value("date"),
        text=r.value("event"),
        section=headings.get(r.value("section_id")),
        citation=_citation(r, sources),
    )


def _chart(r: Record, figures: dict[str, Figure]) -> Chart:
    plotted = tuple(figures[figure_id] for figure_id in r.value("figures"))
    return Chart(
        id=r.value("chart_id"),
        title=r.value("title"),
        kind=r.value("kind") or "bar",
        unit=plotted[0].unit,
        figures=plotted,
        caption=r.value("caption"),
    )


def _annex_order(source: Source) -> tuple:
    """Sources annex order: by publisher, then title, as a bibliography reads."""
    return source.publisher.casefold(), source.title.casefold(), source.id


def _sourcing(sources: list[Source], statements: list[Statement]) -> Sourcing:
    def tally(values, choices) -> tuple[tuple[str | None, int], ...]:
        counts = Counter(values)
        return tuple((value, counts[value]) for value in (*choices, None) if counts[value])

    return Sourcing(
        source_types=tally((s.source_type for s in sources), [c.value for c in SOURCE_TYPES]),
        reliability=tally((s.reliability for s in sources), [c.value for c in RELIABILITY]),
        statements=len(statements),
        single_source=sum(1 for s in statements if s.citation.credibility != "1"),
        assessments=tally((s.confidence for s in statements if s.kind == "assessment"), [c.value for c in CONFIDENCE]),
    )
