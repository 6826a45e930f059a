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
from ..contract import CONFIDENCE, CREDIBILITY, RELIABILITY, SOURCE_TYPES, choice
from ..dates import PartialDate
from ..formats import folded
from ..measures import Claim, conflicts, same_measure
from . import wording
from .editions import (
    ADDED,
    KEY_JUDGEMENT,
    REPLACED,
    REVISED,
    WITHDRAWN,
    Change,
    ChangesNote,
    Comparison,
    Edition,
    is_key_judgement,
)


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
class Reference:
    """One source an item rests on, and where in it."""

    source: Source
    locator: str | None = None


@dataclass(frozen=True)
class Citation:
    """What one footnote says: every source the item rests on, each with where in it; whom
    the sources credit; and how credible the information is."""

    references: tuple[Reference, ...]
    attribution: str | None = None
    credibility: str | None = None

    @property
    def source(self) -> Source:
        """The first source named."""
        return self.references[0].source

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(r.source for r in self.references)

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
    qualifier: str | None = None  # about, under, over, at least, at most, range; None is exact
    value_high: float | None = None  # the top of a range
    # The same indicator and period as other sources give it, with a value that cannot be true
    # alongside this one: every value is printed with its own source, none picked silently.
    differing: tuple[Figure, ...] = ()
    # Values this figure's own source gives the same measure that cannot be true alongside it.
    same_source_values: tuple[Figure, ...] = ()


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
    likelihood: str | None = None  # an assessment's, in ICD 203's terms
    language: str = languages.DEFAULT  # a tag, such as fa-IR: told from its script
    translation: str | None = None  # into the briefing's language, where it is in another

    @property
    def is_judgement(self) -> bool:
        """A key assessment: one of the desk's key judgements, which open the briefing."""
        return self.key and self.kind == "assessment"


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    text: str
    section: str | None  # heading of the chapter it belongs to
    citation: Citation


@dataclass(frozen=True)
class Point:
    """One value a chart plots: its figure, which carries its citation, the label naming it,
    and who gives the value. Wherever a figure has an attribution, or the chart plots values
    of one measure that disagree, the credit says whose each value is, so that a chart
    never shows a value without its source (validation refuses a chart that would leave a
    disagreeing value out)."""

    figure: Figure
    label: str  # the period for a series over time, else indicator and period
    credit: str | None  # "according to Russia"; "Publisher Two" where values of one measure differ


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    kind: str
    unit: str
    points: tuple[Point, ...]
    caption: str | None

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(p.figure for p in self.points)


@dataclass(frozen=True)
class Section:
    id: str | None
    heading: str
    intro: str | None
    intro_citation: Citation | None  # None: the intro is the desk's own words
    figures: tuple[Figure, ...]
    statements: tuple[Statement, ...]
    events: tuple[Event, ...]
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class Sourcing:
    """What the briefing rests on, counted for its source summary (as ICD 206 asks). Only
    sources something cites are counted. Each tally is (value, how many), in the contract's
    order of values; None counts the blanks."""

    source_types: tuple[tuple[str | None, int], ...]  # of the cited sources
    reliability: tuple[tuple[str | None, int], ...]  # of the cited sources
    reported: int  # the facts, quotes, claims, figures and events the briefing reports
    single_source: int  # of those, how many name one source only
    figures: int
    conflicting_figures: int  # figures given another value, elsewhere in the workbook, that cannot also be true
    assessments: tuple[tuple[str, int], ...]  # the desk's own, by confidence
    assessment_sources: int  # the sources the assessments' basis cites

    @property
    def cited(self) -> int:
        return sum(n for _, n in self.source_types)


# What a level-1 part of the briefing holds.
KEY_JUDGEMENTS, CHANGES, BOTTOM_LINE, CHAPTER, CHRONOLOGY, SOURCES = (
    "key judgements",
    "changes",
    "bottom line",
    "chapter",
    "chronology",
    "sources",
)


@dataclass(frozen=True)
class Part:
    """One level-1 heading of the briefing, as the body prints it and the contents list it."""

    role: str  # KEY_JUDGEMENTS, CHANGES, BOTTOM_LINE, CHAPTER, CHRONOLOGY or SOURCES
    heading: str
    number: str | None = None  # "3" for the third chapter, "A" for the first annex
    section: Section | None = None  # a chapter's content
    # Whether the part ends with what the words of likelihood and confidence mean: the first
    # part that reports the desk's assessments does.
    explains_judgements: bool = False

    @property
    def is_annex(self) -> bool:
        return self.role in (CHRONOLOGY, SOURCES)

    @property
    def listed(self) -> str:
        """The part as the contents list shows it: `3 Trade`, `Annex A: Chronology`."""
        if self.is_annex:
            return f"Annex {self.number}: {self.heading}"
        return f"{self.number} {self.heading}" if self.number else self.heading


def outline(
    sections: tuple[Section, ...],
    has_chronology: bool,
    has_sources: bool,
    has_judgements: bool = False,
    has_assessments: bool = False,
    changes: str | None = None,
) -> tuple[Part, ...]:
    """The briefing's parts in reading order: the key judgements, the changes since the last
    edition (under the heading `changes`, when there was one), the bottom line, the numbered
    chapters, the lettered annexes. Decided once, here."""
    parts = [Part(KEY_JUDGEMENTS, wording.KEY_JUDGEMENTS, explains_judgements=True)] * has_judgements
    parts += [Part(CHANGES, changes)] * (changes is not None)
    parts.append(Part(BOTTOM_LINE, wording.BOTTOM_LINE, explains_judgements=has_assessments and not has_judgements))
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
    key_judgements: tuple[Statement, ...]  # the desk's key assessments, which open the briefing
    key_points: tuple[Statement, ...]
    key_figures: tuple[Figure, ...]
    sections: tuple[Section, ...]
    chronology: tuple[Event, ...]
    sources: tuple[Source, ...]  # as the sources annex lists and numbers them
    sourcing: Sourcing
    outline: tuple[Part, ...]
    # What changed since the previous edition; None for a first edition.
    changes: ChangesNote | None = None

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


def build(workbook: ValidWorkbook | Edition, since: Comparison | None = None) -> Briefing:
    """The briefing's content, from a workbook validation passed, saying what changed `since`
    the previous edition when there was one. A released `Edition` is printed again as it was,
    with the changes it told then."""
    if not isinstance(workbook, (ValidWorkbook, Edition)):
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

    def section(section_id: str | None, heading: str, intro: str | None, intro_citation: Citation | None) -> Section:
        items = filed[section_id]
        return Section(
            section_id,
            heading,
            intro,
            intro_citation,
            figures=_side_by_side(items["figures"]),
            statements=tuple(items["statements"]),
            events=tuple(sorted(items["events"], key=_chronological)),
            charts=tuple(items["charts"]),
        )

    sections = [
        section(
            r.value("section_id"), r.value("heading"), r.value("intro"), _citation(r, sources) if r.value("source_id") else None
        )
        for r in section_rows
    ]
    if filed[None]:
        sections.append(section(None, UNFILED_HEADING, None, None))

    key_judgements = tuple(s for s in statements if s.is_judgement)
    # The key points the briefing has not already given: not a key judgement, nor what the
    # bottom line says.
    key_points = tuple(s for s in statements if s.key and not s.is_judgement and not _restates(fields["summary"], s.text))
    # A key figure that sources disagree on brings the other values with it.
    key_ids = {f.id for f in figures if f.key} | {d.id for f in figures if f.key for d in (*f.differing, *f.same_source_values)}
    key_figures = _side_by_side([f for f in figures if f.id in key_ids])
    has_assessments = any(s.kind == "assessment" for s in statements)
    sources_in_order = tuple(sorted(sources.values(), key=_annex_order))
    if isinstance(workbook, Edition):  # printed again as released, with the changes it told then
        changes = workbook.changes
        heading = changes.heading if changes else None
    else:
        heading = wording.changes_heading(since.old.label, since.old.as_of) if since else None
    parts = outline(tuple(sections), bool(events), bool(sources), bool(key_judgements), has_assessments, heading)
    if not isinstance(workbook, Edition):
        changes = _changes(since, parts, key_judgements, statements, figures, sources_in_order) if since else None
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
        key_judgements=key_judgements,
        key_points=key_points,
        key_figures=key_figures,
        sections=tuple(sections),
        chronology=tuple(sorted(events, key=_chronological)),
        sources=sources_in_order,
        sourcing=_sourcing(sections, statements, figures, events),
        outline=parts,
        changes=changes,
    )


def _side_by_side(figures: list[Figure]) -> tuple[Figure, ...]:
    """The figures in workbook order, except that those of one measure stand together where
    the first of them stands: values that disagree are read next to each other."""
    first: dict[tuple, int] = {}
    for position, figure in enumerate(figures):
        first.setdefault(_measure(figure), position)
    return tuple(sorted(figures, key=lambda figure: first[_measure(figure)]))


def _measure(figure: Figure) -> tuple:
    return same_measure(figure.indicator, figure.period, figure.unit)


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
    """The row's sources, each with its place: with several sources the locator holds one
    place for each, separated by ';' (validation has checked they match)."""
    ids, locator = r.value("source_id"), r.value("locator")
    places = [place.strip() or None for place in locator.split(";")] if locator and len(ids) > 1 else [locator]
    places += [None] * (len(ids) - len(places))
    return Citation(
        references=tuple(Reference(sources[i], place) for i, place in zip(ids, places)),
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
        qualifier=r.value("qualifier"),
        value_high=r.value("value_high") if r.value("qualifier") == "range" else None,
    )


def _with_differing(figures: list[Figure]) -> list[Figure]:
    """Each figure, told of the others of its indicator and period whose values cannot be true
    alongside its own: from other sources, and from its own."""
    found = conflicts([(_measure(f), Claim.of(f.value, f.qualifier, f.value_high)) for f in figures])
    told = []
    for f, others in zip(figures, found):
        if not others:  # as most figures are: alone, or in agreement with the rest
            told.append(f)
            continue
        mine = {s.id for s in f.citation.sources}
        shares = [bool(mine & {s.id for s in figures[o].citation.sources}) for o in others]
        told.append(
            replace(
                f,
                differing=tuple(figures[o] for o, shared in zip(others, shares) if not shared),
                same_source_values=tuple(figures[o] for o, shared in zip(others, shares) if shared),
            )
        )
    return told


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
        likelihood=r.value("likelihood"),
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
    return text.rstrip(".!?") in folded(summary) or any(
        difflib.SequenceMatcher(None, text, s).ratio() >= RESTATES for s in sentences
    )


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
    series = len({f.indicator for f in plotted}) == 1
    measures = Counter(_measure(f) for f in plotted)
    return Chart(
        id=r.value("chart_id"),
        title=r.value("title"),
        kind=r.value("kind") or "bar",
        unit=plotted[0].unit,
        points=tuple(
            Point(
                f,
                wording.point_label(f, series),
                wording.point_credit(f, name_source=measures[_measure(f)] > 1),
            )
            for f in plotted
        ),
        caption=r.value("caption"),
    )


def _annex_order(source: Source) -> tuple:
    """Sources annex order: by publisher, then title, as a bibliography reads."""
    return source.publisher.casefold(), source.title.casefold(), source.id


def _sourcing(sections: list[Section], statements: list[Statement], figures: list[Figure], events: list[Event]) -> Sourcing:
    def tally(values, choices) -> tuple[tuple[str | None, int], ...]:
        counts = Counter(values)
        return tuple((value, counts[value]) for value in (*choices, None) if counts[value])

    assessments = [s for s in statements if s.kind == "assessment"]
    reported = (
        [s.citation for s in statements if s.kind != "assessment"] + [f.citation for f in figures] + [e.citation for e in events]
    )
    intros = [s.intro_citation for s in sections if s.intro_citation]
    cited = {source.id: source for c in (*reported, *intros, *(a.citation for a in assessments)) for source in c.sources}
    return Sourcing(
        source_types=tally((s.source_type for s in cited.values()), [c.value for c in SOURCE_TYPES]),
        reliability=tally((s.reliability for s in cited.values()), [c.value for c in RELIABILITY]),
        reported=len(reported),
        single_source=sum(1 for c in reported if len(c.references) == 1),
        figures=len(figures),
        conflicting_figures=sum(1 for f in figures if f.differing or f.same_source_values),
        assessments=tally((s.confidence for s in assessments), [c.value for c in CONFIDENCE]),
        assessment_sources=len({source.id for a in assessments for source in a.citation.sources}),
    )


# --- changes since the previous edition -------------------------------------------------------

_NOUNS = {
    "statement": ("statement", "statements"),
    "figure": ("figure", "figures"),
    "event": ("event", "events"),
    "chart": ("chart", "charts"),
    "section": ("chapter", "chapters"),
    "source": ("source", "sources"),
}
# The column that holds an item's wording.
_WORDING = {"statement": "text", "event": "event", "chart": "title"}
# A key judgement's own columns, which its line names as they move; the rest it counts as revised.
_JUDGEMENT_OWN = ("likelihood", "confidence", "text")


def _changes(
    since: Comparison,
    parts: tuple[Part, ...],
    key_judgements: tuple[Statement, ...],
    statements: list[Statement],
    figures: list[Figure],
    sources: tuple[Source, ...],
) -> ChangesNote:
    """What the briefing says changed since the previous edition, each change once: key
    judgements and revised figures one by one, from what to what; new, revised and withdrawn
    statements, events and charts counted, with where they are (or were)."""
    old = since.old
    old_sources = {s.id: s for s in (_source(r) for r in old.records("Sources"))}
    old_language = old.fields().get("language") or languages.DEFAULT
    old_headings = {r.value("section_id"): r.value("heading") for r in old.records("Sections")}
    chapters = {p.section.id: p for p in parts if p.role == CHAPTER}
    chronology = next((p for p in parts if p.role == CHRONOLOGY), None)
    numbers = {s.id: n for n, s in enumerate(sources, start=1)}
    judgements = {s.id: n for n, s in enumerate(key_judgements, start=1)}
    by_id = {**{s.id: s for s in statements}, **{f.id: f for f in figures}}
    source_by_id = {s.id: s for s in sources}
    told = _as_told(since.changes)

    def of(kind: str, change: str) -> list[Change]:
        return [c for c in told if c.kind == kind and c.change == change]

    def now(c: Change) -> str:
        part = chapters[c.new.value("section_id")]
        return wording.chapter(part.number, part.heading)

    def was(c: Change) -> str:
        return old_headings.get(c.old.value("section_id"), UNFILED_HEADING)

    items = [wording.judgement_added(judgements[c.id], by_id[c.id], c.note) for c in of(KEY_JUDGEMENT, ADDED)]
    items += [
        wording.judgement_revised(
            judgements[c.id],
            _statement(c.old, old_sources, old_language),
            by_id[c.id],
            [n for n in c.columns if n not in _JUDGEMENT_OWN],
            c.note,
        )
        for c in of(KEY_JUDGEMENT, REVISED)
    ]
    items += [
        wording.judgement_withdrawn(_statement(c.old, old_sources, old_language), now(c) if c.new is not None else None, c.note)
        for c in of(KEY_JUDGEMENT, WITHDRAWN)
    ]
    if fields := [c.id for c in of("briefing", REVISED)]:
        items.append(wording.fields_revised(fields))
    for change, names in (
        ("added", [chapters[c.id].listed for c in of("section", ADDED)]),
        ("revised", [f"{chapters[c.id].listed} ({_columns(c)})" for c in of("section", REVISED)]),
        ("withdrawn", [c.old.value("heading") for c in of("section", WITHDRAWN)]),
    ):
        if names:
            items.append(wording.named(_NOUNS["section"], change, names))
    for c in of("figure", REVISED):
        new = by_id[c.id]
        moved = f"moved from {was(c)} to {now(c)}" if "section_id" in c.columns else None
        items.append(
            wording.figure_revised(
                _figure(c.old, old_sources), new, [(numbers[s.id], s) for s in new.citation.sources], c.columns, moved, c.note
            )
        )
    also = f", and in {chronology.listed}" if chronology else ""
    for kind in ("statement", "figure", "event", "chart"):
        wording_column = _WORDING.get(kind)
        for change, changes, where in (
            ("new", of(kind, ADDED), now),
            ("revised", of(kind, REVISED) if kind != "figure" else [], now),
            ("withdrawn", of(kind, WITHDRAWN), was),
        ):
            told_one_by_one, rest = changes[:QUOTED_AT_MOST], changes[QUOTED_AT_MOST:]
            for c in told_one_by_one:
                if wording_column is None:  # a figure: its measure and value
                    figure = by_id[c.id] if c.new is not None else _figure(c.old, old_sources)
                    items.append(wording.figure_changed(change, where(c), figure, c.note))
                    continue
                row = c.new if c.new is not None else c.old
                others = [n for n in c.columns if n != wording_column]
                items.append(
                    wording.item_changed(
                        "reworded" if change == "revised" and not others else change,
                        where(c),
                        row.value(wording_column),
                        c.note,
                        c.old.value(wording_column) if change == "revised" else None,
                        wording.listing(wording.column_words(n) for n in others),
                    )
                )
            if rest:
                # Reworded, where the wording is all that changed.
                verb = "reworded" if change == "revised" and all(c.columns == (wording_column,) for c in rest) else change
                more = bool(told_one_by_one)
                items.append(
                    wording.counted(
                        _NOUNS[kind], verb, [where(c) for c in rest], also if kind == "event" and change == "new" else "", more
                    )
                )
    for change, names in (
        ("added", [f"[{numbers[c.id]}] {wording.short_reference(source_by_id[c.id])}" for c in of("source", ADDED)]),
        ("revised", [f"[{numbers[c.id]}] {source_by_id[c.id].publisher} ({_columns(c)})" for c in of("source", REVISED)]),
        ("withdrawn", [wording.short_reference(_source(c.old)) for c in of("source", WITHDRAWN)]),
    ):
        if names:
            items.append(wording.named(_NOUNS["source"], change, names))
    heading = wording.changes_heading(old.label, old.as_of)
    return ChangesNote(heading, wording.changes_lead(old.label, old.as_of, bool(told)), tuple(items))


# How many new, revised or withdrawn statements, figures, events or charts of each kind the
# changes tell one by one; past it they count the rest, with where they are.
QUOTED_AT_MOST = 12


def _columns(change: Change) -> str:
    """`heading and intro`: what a revision changed."""
    return wording.listing(wording.column_words(n) for n in change.columns)


def _as_told(changes: tuple[Change, ...]) -> list[Change]:
    """The changes as a reader is told them: an id reused for unrelated content is one item
    withdrawn and another added; a statement that became, or stopped being, a key judgement is
    a key judgement added or withdrawn."""
    told = []
    for c in changes:
        if c.change == REPLACED:
            # The new row's note tells of the new content.
            told.append(replace(c, change=WITHDRAWN, kind=_statement_kind(c.old, c.kind), new=None, columns=(), note=None))
            told.append(replace(c, change=ADDED, kind=_statement_kind(c.new, c.kind), old=None, columns=()))
        elif c.kind == KEY_JUDGEMENT and c.change == REVISED and is_key_judgement(c.old) != is_key_judgement(c.new):
            told.append(replace(c, change=ADDED if is_key_judgement(c.new) else WITHDRAWN))
        else:
            told.append(c)
    return told


def _statement_kind(row, kind: str) -> str:
    if kind in (KEY_JUDGEMENT, "statement"):
        return KEY_JUDGEMENT if is_key_judgement(row) else "statement"
    return kind
