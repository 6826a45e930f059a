"""The briefing's content, built from a workbook that has passed validation.

Nothing here knows of Excel cells or Word styles: a `ValidWorkbook`'s records go in, the plain
dataclasses of `items` come out for a renderer to walk, every item carrying the citation it rests on. The
outline (which parts the briefing has, in which order, with which numbers and letters) is
decided here once, and the body, the contents list and the annexes all follow it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

from .. import languages
from ..checks import provenance
from ..checks.validate import ValidWorkbook
from ..contract import CONFIDENCE, RELIABILITY, SOURCE_TYPES, Qualifier, StatementKind, Yardstick
from ..dates import PartialDate
from ..formats import folded
from ..measures import Claim, compared, same_measure
from ..rows import BriefingFields, ChartRow, EventRow, FigureRow, OutlookRow, SectionRow, SourceRow, StatementRow, Values
from . import wording
from .editions import (
    Change,
    ChangeKind,
    ChangesNote,
    Comparison,
    Edition,
    ItemKind,
    is_key_judgement,
)
from .items import (
    Briefing,
    Chart,
    Citation,
    Event,
    Figure,
    OutlookItem,
    Part,
    PartRole,
    Point,
    Reference,
    Section,
    Source,
    Sourcing,
    Statement,
)


def outline(
    sections: tuple[Section, ...],
    has_chronology: bool,
    has_sources: bool,
    has_judgements: bool = False,
    has_assessments: bool = False,
    changes: str | None = None,
    has_outlook: bool = False,
) -> tuple[Part, ...]:
    """The briefing's parts in reading order: the key judgements, the changes since the last
    edition (under the heading `changes`, when there was one), the bottom line, the numbered
    chapters, the lettered annexes. Decided once, here."""
    parts = [Part(PartRole.KEY_JUDGEMENTS, wording.KEY_JUDGEMENTS, explains_judgements=True)] * has_judgements
    if changes is not None:
        parts.append(Part(PartRole.CHANGES, changes))
    parts.append(Part(PartRole.BOTTOM_LINE, wording.BOTTOM_LINE, explains_judgements=has_assessments and not has_judgements))
    parts += [Part(PartRole.CHAPTER, s.heading, str(n), s) for n, s in enumerate(sections, start=1)]
    parts += [Part(PartRole.OUTLOOK, wording.OUTLOOK, str(len(sections) + 1))] * has_outlook
    annexes = [(PartRole.CHRONOLOGY, wording.CHRONOLOGY)] * has_chronology + [(PartRole.SOURCES, wording.SOURCES)] * has_sources
    parts += [Part(role, heading, chr(ord("A") + n)) for n, (role, heading) in enumerate(annexes)]
    return tuple(parts)


# A chapter for rows filed under no section, so that nothing in the workbook is left out.
UNFILED_HEADING = "Other findings"


def build(workbook: ValidWorkbook | Edition, since: Comparison | None = None) -> Briefing:
    """The briefing's content, from a workbook validation passed, saying what changed `since`
    the previous edition when there was one. A released `Edition` is printed again as it was,
    with the changes it told then."""
    if not isinstance(workbook, (ValidWorkbook, Edition)):
        raise TypeError("the briefing is built from a ValidWorkbook, which pipeline.check hands out")
    sources = {s.id: s for s in (_source(SourceRow(r)) for r in workbook.records("Sources"))}
    cite = _Citations(sources)
    section_rows = sorted(
        map(SectionRow, workbook.records("Sections")),
        key=lambda r: (r.order is None, r.order or 0),  # sorted is stable: workbook order within an order
    )
    headings = {r.section_id: r.heading for r in section_rows}
    figure_rows = [FigureRow(r) for r in workbook.records("Figures")]
    figures = _compared([_figure(r, cite) for r in figure_rows])
    figures_by_id = {f.id: f for f in figures}
    fields = BriefingFields(workbook.fields())
    language = fields.language or languages.DEFAULT
    statement_rows = [StatementRow(r) for r in workbook.records("Statements")]
    yardstick = fields.yardstick or Yardstick.ICD_203
    statements = [_statement(r, cite, language, yardstick) for r in statement_rows]
    event_rows = [EventRow(r) for r in workbook.records("Events")]
    events = [_event(r, cite, headings) for r in event_rows]
    chart_rows = [ChartRow(r) for r in workbook.records("Charts")]
    charts = [_chart(r, figures_by_id) for r in chart_rows]

    # Each chapter's items, in workbook order (events by date), keyed by section_id.
    filed: dict[str | None, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for kind, section_ids, items in (
        ("figures", [r.section_id for r in figure_rows], figures),
        ("statements", [r.section_id for r in statement_rows], statements),
        ("events", [r.section_id for r in event_rows], events),
        ("charts", [r.section_id for r in chart_rows], charts),
    ):
        for section_id, item in zip(section_ids, items):
            filed[section_id][kind].append(item)

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
        section(r.section_id, r.heading, r.intro, cite(r.source_id, r.locator) if r.source_id else None) for r in section_rows
    ]
    if filed[None]:
        sections.append(section(None, UNFILED_HEADING, None, None))

    key_judgements = tuple(s for s in statements if s.is_judgement)
    # The key points the briefing has not already given: not a key judgement, nor what the
    # bottom line or a key judgement says.
    said = " ".join([fields.summary, *(j.text for j in key_judgements)])
    key_points = tuple(s for s in statements if s.key and not s.is_judgement and not _restates(said, s.text))
    statements_by_id = {s.id: s for s in statements}
    outlook = tuple(_outlook(OutlookRow(r), statements_by_id, cite) for r in workbook.records("Outlook"))
    # A key figure that sources disagree on brings the other values with it.
    key_ids = {f.id for f in figures if f.key} | {d.id for f in figures if f.key for d in (*f.differing, *f.same_origin_values)}
    key_figures = _side_by_side([f for f in figures if f.id in key_ids])
    has_assessments = any(s.kind == StatementKind.ASSESSMENT for s in statements)
    sources_in_order = tuple(sorted(sources.values(), key=_annex_order))
    if isinstance(workbook, Edition):  # printed again as released, with the changes it told then
        changes = workbook.changes
        heading = changes.heading if changes else None
    else:
        heading = wording.changes_heading(since.old.label, since.old.as_of) if since else None
    parts = outline(tuple(sections), bool(events), bool(sources), bool(key_judgements), has_assessments, heading, bool(outlook))
    if not isinstance(workbook, Edition):
        changes = _changes(since, parts, key_judgements, statements, figures, sources_in_order) if since else None
    return Briefing(
        title=fields.title,
        subtitle=fields.subtitle,
        as_of=fields.as_of,
        edition=fields.edition,
        prepared_by=fields.prepared_by,
        marking=fields.marking,
        summary=fields.summary,
        scope_note=fields.scope_note,
        paper=fields.paper,
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
        outlook=outlook,
        yardstick=yardstick,
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


def _source(r: SourceRow) -> Source:
    return Source(
        id=r.source_id,
        publisher=r.publisher,
        title=r.title,
        author=r.author,
        published=r.published,
        accessed=r.accessed,
        url=r.url,
        source_type=r.source_type,
        reliability=r.reliability,
        relays=r.relays,
    )


class _Citations:
    """The citations rows make of `sources`, each made once: rows cite the same sources at the
    same place, crediting the same and as credible, again and again (a table's figures), and
    the renderer words the note of a citation it has noted before from what it said then."""

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources
        self._made: dict[tuple[object, ...], Citation] = {}

    def __call__(
        self, ids: tuple[str, ...], locator: str | None, attribution: str | None = None, credibility: str | None = None
    ) -> Citation:
        key = (ids, locator, attribution, credibility)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _citation(self.sources, ids, locator, attribution, credibility)
        return made


def _citation(
    sources: dict[str, Source],
    ids: tuple[str, ...],
    locator: str | None,
    attribution: str | None = None,
    credibility: str | None = None,
) -> Citation:
    """A row's sources, each with its place: with several sources the locator holds one
    place for each, separated by ';' (validation has checked they match)."""
    places = [place.strip() or None for place in locator.split(";")] if locator and len(ids) > 1 else [locator]
    places += [None] * (len(ids) - len(places))
    return Citation(
        references=tuple(Reference(sources[i], place) for i, place in zip(ids, places)),
        attribution=attribution,
        credibility=credibility,
        origins=tuple(sources[o] for o in provenance.origins(ids, lambda i: sources[i].relays if i in sources else None)),
    )


def _figure(r: FigureRow, cite: _Citations) -> Figure:
    return Figure(
        id=r.figure_id,
        indicator=r.indicator,
        value=r.value,
        unit=r.unit,
        period=r.period,
        note=r.note,
        key=r.key,
        citation=cite(r.source_id, r.locator, attribution=r.attribution),
        qualifier=r.qualifier,
        value_high=r.value_high if r.qualifier == Qualifier.RANGE else None,
    )


def _compared(figures: list[Figure]) -> list[Figure]:
    """Each figure, told of the others of its indicator and period whose values cannot be true
    alongside its own (from other origins, and from its own: its sources, what they relay and
    what relays them), and of those from other origins whose values can, one for each origin."""
    # Each figure's origins, once: a measure many sources give compares each with each.
    origins = [frozenset(s.id for s in f.citation.origins) for f in figures]
    told = []
    for position, (f, other) in enumerate(
        zip(figures, compared([(_measure(f), Claim.of(f.value, f.qualifier, f.value_high)) for f in figures]))
    ):
        if not (other.agreeing or other.differing):  # as most figures are: the only one of its measure
            told.append(f)
            continue
        my_origins = origins[position]
        told.append(
            replace(
                f,
                differing=tuple(figures[o] for o in other.differing if my_origins.isdisjoint(origins[o])),
                same_origin_values=tuple(figures[o] for o in other.differing if not my_origins.isdisjoint(origins[o])),
                agreeing=_independent(figures, origins, my_origins, other.agreeing),
            )
        )
    return told


def _independent(
    figures: list[Figure], origins: list[frozenset[str]], mine: frozenset[str], positions: tuple[int, ...]
) -> tuple[Figure, ...]:
    """Of the figures at `positions`, the first from each origin that is not among `mine`: a
    repost of a source already counted (or of the figure's own) confirms nothing more."""
    counted = set(mine)
    found = []
    for position in positions:
        if counted.isdisjoint(origins[position]):
            counted |= origins[position]
            found.append(figures[position])
    return tuple(found)


def _statement(r: StatementRow, cite: _Citations, document_language: str, yardstick: Yardstick = Yardstick.ICD_203) -> Statement:
    return Statement(
        id=r.statement_id,
        text=r.text,
        kind=r.kind or StatementKind.FACT,
        attributed_to=r.attributed_to,
        date=r.date,
        confidence=r.confidence,
        key=r.key,
        citation=cite(r.source_id, r.locator, credibility=r.credibility),
        likelihood=r.likelihood,
        yardstick=yardstick,
        language=languages.language_of(r.text, document_language),
        translation=r.translation,
    )


# A key point this alike to a sentence of the bottom line says what the bottom line says.
RESTATES = 0.8
_WORD = re.compile(r"\w+")


def _restates(summary: str, text: str) -> bool:
    """Whether the bottom line (or a key judgement) already says `text`: it holds it, one of
    its sentences is nearly the same words, or holds nearly all of its words in other order
    ("the U.S. says Moscow is preparing to receive Iranian drones") and every number of it. Such
    a key point would be read twice on one page."""
    text = folded(text)
    sentences = [folded(s) for s in re.split(r"(?<=[.!?])\s+", summary)]
    words = set(_WORD.findall(text))
    numbers = {w for w in words if w.isdigit()}  # a number the sentence lacks is news of its own

    def says_it(sentence: str) -> bool:
        theirs = set(_WORD.findall(sentence))
        if not numbers <= theirs:
            return False
        if len(words) >= 4 and len(words & theirs) >= RESTATES * len(words):
            return True
        # The quick ratios bound the ratio from above, in a fraction of its time: most sentences stop there.
        alike = difflib.SequenceMatcher(None, text, sentence)
        return alike.real_quick_ratio() >= RESTATES and alike.quick_ratio() >= RESTATES and alike.ratio() >= RESTATES

    return text.rstrip(".!?") in folded(summary) or any(says_it(s) for s in sentences)


def _outlook(r: OutlookRow, statements: dict[str, Statement], cite: _Citations) -> OutlookItem:
    return OutlookItem(
        id=r.outlook_id,
        kind=r.kind,
        text=r.text,
        signals=r.signals,
        bears_on=statements.get(r.bears_on) if r.bears_on else None,
        citation=cite(r.source_id, r.locator) if r.source_id else None,
    )


def _event(r: EventRow, cite: _Citations, headings: dict[str, str]) -> Event:
    return Event(
        id=r.event_id,
        date=r.date,
        text=r.event,
        section=headings.get(r.section_id) if r.section_id else None,
        citation=cite(r.source_id, r.locator),
    )


def _chart(r: ChartRow, figures: dict[str, Figure]) -> Chart:
    plotted = tuple(figures[figure_id] for figure_id in r.figures)
    series = len({f.indicator for f in plotted}) == 1
    measures = Counter(_measure(f) for f in plotted)
    return Chart(
        id=r.chart_id,
        title=r.title,
        kind=r.kind or "bar",
        unit=plotted[0].unit,
        points=tuple(
            Point(
                f,
                wording.point_label(f, series),
                wording.point_credit(f, name_source=measures[_measure(f)] > 1),
            )
            for f in plotted
        ),
        caption=r.caption,
    )


def _annex_order(source: Source) -> tuple:
    """Sources annex order: by publisher, then title, as a bibliography reads."""
    return source.publisher.casefold(), source.title.casefold(), source.id


def _sourcing(sections: list[Section], statements: list[Statement], figures: list[Figure], events: list[Event]) -> Sourcing:
    def tally(values: Iterable[str | None], choices: list[str]) -> tuple[tuple[str | None, int], ...]:
        counts = Counter(values)
        return tuple((value, counts[value]) for value in (*choices, None) if counts[value])

    assessments = [s for s in statements if s.kind == StatementKind.ASSESSMENT]
    reported = (
        [s.citation for s in statements if s.kind != StatementKind.ASSESSMENT]
        + [f.citation for f in figures]
        + [e.citation for e in events]
    )
    intros = [s.intro_citation for s in sections if s.intro_citation]
    # Each citation once: rows citing the same sources at the same place share one (`_Citations`).
    citations = {id(c): c for c in (*reported, *intros, *(a.citation for a in assessments))}.values()
    cited = {source.id: source for c in citations for source in c.sources}
    return Sourcing(
        source_types=tally((s.source_type for s in cited.values()), [c.value for c in SOURCE_TYPES]),
        reliability=tally((s.reliability for s in cited.values()), [c.value for c in RELIABILITY]),
        reported=len(reported),
        single_source=sum(1 for c in reported if len(c.references) == 1),
        figures=len(figures),
        conflicting_figures=sum(1 for f in figures if f.differing or f.same_origin_values),
        assessments=tally((s.confidence for s in assessments), [c.value for c in CONFIDENCE]),
        assessment_sources=len({source.id for a in assessments for source in a.citation.sources}),
        origins=len({source.id for c in citations for source in c.origins}),
    )


# --- changes since the previous edition -------------------------------------------------------

_NOUNS = {
    ItemKind.STATEMENT: ("statement", "statements"),
    ItemKind.FIGURE: ("figure", "figures"),
    ItemKind.EVENT: ("event", "events"),
    ItemKind.CHART: ("chart", "charts"),
    ItemKind.SECTION: ("chapter", "chapters"),
    ItemKind.SOURCE: ("source", "sources"),
    ItemKind.OUTLOOK: ("outlook entry", "outlook entries"),
}
# The column that holds an item's wording.
_WORDING = {ItemKind.STATEMENT: "text", ItemKind.EVENT: "event", ItemKind.CHART: "title", ItemKind.OUTLOOK: "text"}
# A key judgement's own columns, which its line names as they move; the rest it counts as revised.
_JUDGEMENT_OWN = ("likelihood", "confidence", "text")
# How the changes section words each kind of change of an item told one by one.
_TOLD_AS = {ChangeKind.ADDED: "new", ChangeKind.REVISED: "revised", ChangeKind.WITHDRAWN: "withdrawn"}


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
    old_cite = _Citations({s.id: s for s in (_source(SourceRow(r)) for r in old.records("Sources"))})
    old_fields = BriefingFields(old.fields())
    old_language, old_yardstick = old_fields.language or languages.DEFAULT, old_fields.yardstick or Yardstick.ICD_203
    old_headings = {r.section_id: r.heading for r in map(SectionRow, old.records("Sections"))}
    chapters = {p.section.id: p for p in parts if p.section is not None}  # a chapter's part has its section
    chronology = next((p for p in parts if p.role == PartRole.CHRONOLOGY), None)
    outlook = next((p for p in parts if p.role == PartRole.OUTLOOK), None)
    numbers = {s.id: n for n, s in enumerate(sources, start=1)}
    judgements = {s.id: n for n, s in enumerate(key_judgements, start=1)}
    statements_by_id = {s.id: s for s in statements}
    figures_by_id = {f.id: f for f in figures}
    source_by_id = {s.id: s for s in sources}
    told = _as_told(since.changes)

    def of(kind: ItemKind, change: ChangeKind) -> list[Change]:
        return [c for c in told if c.kind == kind and c.change == change]

    def now(c: Change) -> str:
        if c.kind == ItemKind.OUTLOOK:
            return outlook.listed if outlook is not None else wording.OUTLOOK
        part = chapters[c.new_row.value("section_id")]
        return wording.chapter(str(part.number), part.heading)

    def was(c: Change) -> str:
        if c.kind == ItemKind.OUTLOOK:  # an outlook has no chapter: its entries stand in the Outlook
            return wording.OUTLOOK
        return old_headings.get(c.old_row.value("section_id"), UNFILED_HEADING)

    items = [
        wording.judgement_added(judgements[c.id], statements_by_id[c.id], c.note)
        for c in of(ItemKind.KEY_JUDGEMENT, ChangeKind.ADDED)
    ]
    items += [
        wording.judgement_revised(
            judgements[c.id],
            _statement(StatementRow(c.old_row), old_cite, old_language, old_yardstick),
            statements_by_id[c.id],
            [n for n in c.columns if n not in _JUDGEMENT_OWN],
            c.note,
        )
        for c in of(ItemKind.KEY_JUDGEMENT, ChangeKind.REVISED)
    ]
    items += [
        wording.judgement_withdrawn(
            _statement(StatementRow(c.old_row), old_cite, old_language, old_yardstick),
            now(c) if c.new is not None else None,
            c.note,
        )
        for c in of(ItemKind.KEY_JUDGEMENT, ChangeKind.WITHDRAWN)
    ]
    if fields := [c.id for c in of(ItemKind.BRIEFING, ChangeKind.REVISED)]:
        items.append(wording.fields_revised(fields))
    for change, names in (
        (ChangeKind.ADDED, [chapters[c.id].listed for c in of(ItemKind.SECTION, ChangeKind.ADDED)]),
        (ChangeKind.REVISED, [f"{chapters[c.id].listed} ({_columns(c)})" for c in of(ItemKind.SECTION, ChangeKind.REVISED)]),
        (ChangeKind.WITHDRAWN, [SectionRow(c.old_row).heading for c in of(ItemKind.SECTION, ChangeKind.WITHDRAWN)]),
    ):
        if names:
            items.append(wording.named(_NOUNS[ItemKind.SECTION], change, names))
    for c in of(ItemKind.FIGURE, ChangeKind.REVISED):
        new = figures_by_id[c.id]
        moved = f"moved from {was(c)} to {now(c)}" if "section_id" in c.columns else None
        items.append(
            wording.figure_revised(
                _figure(FigureRow(c.old_row), old_cite),
                new,
                [(numbers[s.id], s) for s in new.citation.sources],
                c.columns,
                moved,
                c.note,
            )
        )
    also = f", and in {chronology.listed}" if chronology else ""
    for kind in (ItemKind.STATEMENT, ItemKind.FIGURE, ItemKind.EVENT, ItemKind.CHART, ItemKind.OUTLOOK):
        wording_column = _WORDING.get(kind)
        for change, changes, where in (
            (ChangeKind.ADDED, of(kind, ChangeKind.ADDED), now),
            (ChangeKind.REVISED, of(kind, ChangeKind.REVISED) if kind != ItemKind.FIGURE else [], now),
            (ChangeKind.WITHDRAWN, of(kind, ChangeKind.WITHDRAWN), was),
        ):
            told_one_by_one, rest = changes[:QUOTED_AT_MOST], changes[QUOTED_AT_MOST:]
            for c in told_one_by_one:
                if wording_column is None:  # a figure: its measure and value
                    figure = figures_by_id[c.id] if c.new is not None else _figure(FigureRow(c.old_row), old_cite)
                    items.append(wording.figure_changed(_TOLD_AS[change], where(c), figure, c.note))
                    continue
                row = c.new if c.new is not None else c.old_row
                others = [n for n in c.columns if n != wording_column]
                items.append(
                    wording.item_changed(
                        "reworded" if change == ChangeKind.REVISED and not others else _TOLD_AS[change],
                        where(c),
                        str(row.value(wording_column)),
                        c.note,
                        str(c.old_row.value(wording_column)) if change == ChangeKind.REVISED else None,
                        wording.listing(wording.column_words(n) for n in others),
                    )
                )
            if rest:
                # Reworded, where the wording is all that changed.
                reworded = change == ChangeKind.REVISED and all(c.columns == (wording_column,) for c in rest)
                items.append(
                    wording.counted(
                        _NOUNS[kind],
                        "reworded" if reworded else _TOLD_AS[change],
                        [where(c) for c in rest],
                        also if kind == ItemKind.EVENT and change == ChangeKind.ADDED else "",
                        bool(told_one_by_one),
                    )
                )
    for change, names in (
        (
            ChangeKind.ADDED,
            [f"[{numbers[c.id]}] {wording.short_reference(source_by_id[c.id])}" for c in of(ItemKind.SOURCE, ChangeKind.ADDED)],
        ),
        (
            ChangeKind.REVISED,
            [
                f"[{numbers[c.id]}] {source_by_id[c.id].publisher} ({_columns(c)})"
                for c in of(ItemKind.SOURCE, ChangeKind.REVISED)
            ],
        ),
        (
            ChangeKind.WITHDRAWN,
            [wording.short_reference(_source(SourceRow(c.old_row))) for c in of(ItemKind.SOURCE, ChangeKind.WITHDRAWN)],
        ),
    ):
        if names:
            items.append(wording.named(_NOUNS[ItemKind.SOURCE], change, names))
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
        if c.change == ChangeKind.REPLACED:
            # The new row's note tells of the new content.
            told.append(
                replace(c, change=ChangeKind.WITHDRAWN, kind=_statement_kind(c.old_row, c.kind), new=None, columns=(), note=None)
            )
            told.append(replace(c, change=ChangeKind.ADDED, kind=_statement_kind(c.new_row, c.kind), old=None, columns=()))
        elif (
            c.kind == ItemKind.KEY_JUDGEMENT
            and c.change == ChangeKind.REVISED
            and is_key_judgement(c.old_row) != is_key_judgement(c.new_row)
        ):
            told.append(replace(c, change=ChangeKind.ADDED if is_key_judgement(c.new_row) else ChangeKind.WITHDRAWN))
        else:
            told.append(c)
    return told


def _statement_kind(row: Values, kind: ItemKind) -> ItemKind:
    if kind in (ItemKind.KEY_JUDGEMENT, ItemKind.STATEMENT):
        return ItemKind.KEY_JUDGEMENT if is_key_judgement(row) else ItemKind.STATEMENT
    return kind
