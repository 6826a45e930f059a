"""The briefing's content as plain items: the parts, sections, statements, figures, charts
and citations `model` builds and the Word side walks. Kept apart from the building so that the
wording can name these items and the model can use the wording, neither importing the other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .. import languages

# The Word side reads a statement's kind and a figure's qualifier from here, knowing nothing of the contract.
from ..contract import CREDIBILITY, RELIABILITY, TLP_LABEL, Choice, OutlookKind, Qualifier, StatementKind, Yardstick, choice
from ..dates import PartialDate
from .editions import ChangesNote


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
    relays: str | None = None  # the id of the source it repeats, which is where its information comes from

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
    # The sources the references trace back to (a repost, to the source it relays): what corroborates.
    origins: tuple[Source, ...] = ()

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
    qualifier: Qualifier | None = None  # None is exact
    value_high: float | None = None  # the top of a range
    # The same indicator and period as sources of other origins give it, with a value that cannot
    # be true alongside this one: every value is printed with its own source, none picked silently.
    differing: tuple[Figure, ...] = ()
    # Values of the same measure that cannot be true alongside this one, from its own origin: its
    # own source, a relay of it, or the source it relays. No other source's word against it.
    same_origin_values: tuple[Figure, ...] = ()
    # The same measure as sources of other origins give it, with a value that can be true
    # alongside this one: corroboration the reader sees. A relay of its own source is no other origin.
    agreeing: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    kind: StatementKind
    attributed_to: str | None
    date: PartialDate | None
    confidence: str | None
    key: bool
    citation: Citation
    likelihood: str | None = None  # an assessment's, in its yardstick's terms
    yardstick: Yardstick = Yardstick.ICD_203
    language: str = languages.DEFAULT  # a tag, such as fa-IR: told from its script
    translation: str | None = None  # into the briefing's language, where it is in another

    @property
    def is_judgement(self) -> bool:
        """A key assessment: one of the desk's key judgements, which open the briefing."""
        return self.key and self.kind == StatementKind.ASSESSMENT


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
class OutlookItem:
    """A row of the Outlook chapter: an indicator to watch, under the judgement it bears on;
    a gap in what the desk knows; or another reading of the evidence."""

    id: str
    kind: OutlookKind
    text: str
    signals: str | None  # what seeing an indicator would mean
    bears_on: Statement | None  # the key judgement an indicator bears on
    citation: Citation | None  # None: the desk's own


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
    assessments: tuple[tuple[str | None, int], ...]  # the desk's own, by confidence
    assessment_sources: int  # the sources the assessments' basis cites
    origins: int = 0  # the independent origins the cited sources trace back to

    @property
    def cited(self) -> int:
        return sum(n for _, n in self.source_types)


class PartRole(StrEnum):
    """What a level-1 part of the briefing holds."""

    KEY_JUDGEMENTS = "key judgements"
    CHANGES = "changes"
    BOTTOM_LINE = "bottom line"
    CHAPTER = "chapter"
    OUTLOOK = "outlook"
    CHRONOLOGY = "chronology"
    SOURCES = "sources"


@dataclass(frozen=True)
class Part:
    """One level-1 heading of the briefing, as the body prints it and the contents list it."""

    role: PartRole
    heading: str
    number: str | None = None  # "3" for the third chapter, "A" for the first annex
    section: Section | None = None  # a chapter's content
    # Whether the part ends with what the words of likelihood and confidence mean: the first
    # part that reports the desk's assessments does.
    explains_judgements: bool = False

    @property
    def is_annex(self) -> bool:
        return self.role in (PartRole.CHRONOLOGY, PartRole.SOURCES)

    @property
    def listed(self) -> str:
        """The part as the contents list shows it: `3 Trade`, `Annex A: Chronology`."""
        if self.is_annex:
            return f"Annex {self.number}: {self.heading}"
        return f"{self.number} {self.heading}" if self.number else self.heading


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
    outlook: tuple[OutlookItem, ...] = ()  # the Outlook chapter's rows, in workbook order
    yardstick: Yardstick = Yardstick.ICD_203  # the scale of likelihood the judgements are written in

    @property
    def tlp(self) -> str | None:
        """The TLP 2.0 label the marking is (`AMBER+STRICT` for `TLP:AMBER+STRICT`), or None
        for any other marking, which the briefing prints as given."""
        found = TLP_LABEL.fullmatch(self.marking.strip())
        return found.group(1).upper() if found else None


def _meaning(choices: tuple[Choice, ...], value: str | None) -> str | None:
    found = choice(choices, value)
    return found.meaning if found else None
