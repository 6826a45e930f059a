"""The workbook contract: which sheets, columns, types and values the analysts' workbook holds.

Declared once, as data. The loader, the validator, `init` and the README's tables all read it
from here, so adding a column is one line in `SHEETS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cached_property

# "About 4" is read as 4 give or take a tenth: it agrees with 3.6 and 4.4, not with 4.9.
ABOUT = 0.10


class ColumnType(Enum):
    """What a cell may hold. The value is how the README and `init` describe it to an analyst."""

    TEXT = "text"
    ID = "identifier (letters, digits, -, _ or .)"
    INTEGER = "whole number"
    NUMBER = "number"
    DATE = "full date (an Excel date, or YYYY-MM-DD)"
    PARTIAL_DATE = "date; a year (YYYY) or month (YYYY-MM) alone is allowed"
    FLAG = "Y or N (blank means N)"
    CHOICE = "one of the allowed values"
    ID_LIST = "comma-separated identifiers"


@dataclass(frozen=True)
class Choice:
    """An allowed value and what it means, which the README, `init` and the briefing all say."""

    value: str
    meaning: str = ""
    plural: str = ""  # the meaning of more than one, where the briefing counts them

    def counted(self, n: int) -> str:
        """`1 news report`, `3 news reports`."""
        return f"{n} {self.meaning if n == 1 else self.plural or self.meaning}"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False
    # Required only when another column of the row holds one of these values, e.g. kind=quote.
    required_when: tuple[str, tuple[str, ...]] | None = None
    choices: tuple[Choice, ...] = ()
    # The sheet whose id column this column's value(s) must name.
    references: str | None = None
    # An ID column that may name several ids, comma-separated: the sources that corroborate a row.
    several: bool = False
    unique: bool = False
    example: object = None
    # The cell's hyperlink, where it has one, is its value: Excel shows a link by any text.
    link: bool = False
    # Says something of the edition's changes, not of what the briefing prints: editions are
    # not compared on it, so a note left from the last edition is no change.
    about_changes: bool = False
    # Y sets the row aside: the briefing no longer prints it, and says it was withdrawn.
    withdraws: bool = False
    # Values a cell may also hold under another setting of the briefing (a likelihood of the
    # PHIA yardstick), which validation holds to that setting; `init`'s dropdowns offer `choices`.
    other_choices: tuple[Choice, ...] = ()

    @cached_property  # asked for every cell of the column
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    @cached_property
    def accepted_values(self) -> tuple[str, ...]:
        """What a cell may hold: the choices and, under another setting, the other choices."""
        return self.choice_values + tuple(c.value for c in self.other_choices if c.value not in self.choice_values)

    @property
    def described_type(self) -> str:
        """The column's type as the README and `init` describe it."""
        if self.several:
            return "one or more identifiers, comma-separated (letters, digits, -, _ or .)"
        return self.type.value

    @property
    def requirement(self) -> str:
        if self.required:
            return "required"
        if self.required_when:
            other, values = self.required_when
            return f"required when {other} is {' or '.join(values)}"
        return "optional"


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    optional: bool = False
    # A key-value sheet (Briefing) has the two columns `field` and `value`; its `columns`
    # then declare the allowed fields, one row each, instead of the sheet's headers.
    key_value: bool = False

    def __reduce__(self) -> tuple:
        # Pickled as its name, unpickled as the contract's own sheet of that name: its columns
        # are told apart by identity, in a sheet sent back from a forked reader too.
        return sheet, (self.name,)

    @property
    def id_column(self) -> Column | None:
        return next((c for c in self.columns if c.unique and c.type is ColumnType.ID), None)

    @property
    def referenced_by(self) -> Column:
        """The id column other sheets' references name a row by, which a sheet they reference has."""
        found = self.id_column
        if found is None:
            raise ValueError(f"{self.name} has no id column to reference")
        return found

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @cached_property
    def names(self) -> frozenset[str]:
        """What a row of the sheet may be read by: its columns' names or, for a key-value sheet,
        `field` and `value`."""
        return frozenset(KEY_VALUE_HEADERS if self.key_value else (c.name for c in self.columns))

    def declared(self, name: str) -> None:
        """Raise UndeclaredColumn unless a row of the sheet may be read by `name`."""
        if name not in self.names:
            raise UndeclaredColumn(self.name, name)

    @property
    def withdrawal(self) -> Column | None:
        """The column that marks a row withdrawn, on a sheet whose rows may be."""
        return next((c for c in self.columns if c.withdraws), None)

    @property
    def change_note(self) -> Column | None:
        """The column that says why a row changed, on a sheet whose rows the changes tell one by one."""
        return next((c for c in self.columns if c.about_changes and c.type is ColumnType.TEXT), None)


class UndeclaredColumn(KeyError):
    """A row read by a column its sheet does not declare: a bug, most likely a misspelt name,
    which would otherwise read as a blank."""

    def __init__(self, sheet: str, column: str):
        super().__init__(f"{sheet} declares no column {column!r}")
        self.sheet, self.column = sheet, column

    def __str__(self) -> str:
        return str(self.args[0])


KEY_VALUE_HEADERS = ("field", "value")

# A source type's meaning is how the briefing counts it: "3 news reports".
SOURCE_TYPES = (
    Choice("news", "news report", "news reports"),
    Choice("government", "government source", "government sources"),
    Choice("international_org", "international organisation", "international organisations"),
    Choice("think_tank", "think-tank study", "think-tank studies"),
    Choice("company", "company source", "company sources"),
    Choice("academic", "academic work", "academic works"),
    Choice("other", "other source", "other sources"),
    # An aggregator's copy or a report that only relays another's: it adds no origin of its own.
    Choice("repost", "repost of another source", "reposts of other sources"),
)

# The Admiralty (NATO) grading: source reliability is a letter, information credibility a digit.
RELIABILITY = (
    Choice("A", "completely reliable"),
    Choice("B", "usually reliable"),
    Choice("C", "fairly reliable"),
    Choice("D", "not usually reliable"),
    Choice("E", "unreliable"),
    Choice("F", "reliability cannot be judged"),
)
CREDIBILITY = (
    Choice("1", "confirmed by other sources"),
    Choice("2", "probably true"),
    Choice("3", "possibly true"),
    Choice("4", "doubtful"),
    Choice("5", "improbable"),
    Choice("6", "truth cannot be judged"),
)


class StatementKind(StrEnum):
    FACT = "fact"
    QUOTE = "quote"
    CLAIM = "claim"
    ASSESSMENT = "assessment"
    VIEW = "view"


STATEMENT_KINDS = (
    Choice(StatementKind.FACT, "reported as fact by the source"),
    Choice(StatementKind.QUOTE, "words quoted directly; say who said them"),
    Choice(StatementKind.CLAIM, "something a party says or alleges; say who"),
    Choice(StatementKind.ASSESSMENT, "the desk's own judgement; give its confidence"),
    Choice(StatementKind.VIEW, "the source's own judgement or opinion, printed as whose view it is"),
)
# Confidence levels, as analytic products define them to their readers.
CONFIDENCE = (
    Choice("low", "scant, questionable or fragmentary information"),
    Choice("moderate", "credible, plausible information, not corroborated enough for more"),
    Choice("high", "well-corroborated information from sources of proven reliability"),
)
# ICD 203's expressions of likelihood, least to most likely, each with its band of probability.
LIKELIHOOD = (
    Choice("almost no chance", "01–05%"),
    Choice("very unlikely", "05–20%"),
    Choice("unlikely", "20–45%"),
    Choice("roughly even chance", "45–55%"),
    Choice("likely", "55–80%"),
    Choice("very likely", "80–95%"),
    Choice("almost certain", "95–99%"),
)
# The UK Professional Head of Intelligence Analysis (PHIA) probability yardstick, as its 2023
# revision publishes it (gov.uk, "Explaining Uncertainty in UK Intelligence Assessment"): seven
# terms, each a band, with gaps between the bands so that no judgement sits on a boundary.
PHIA_LIKELIHOOD = (
    Choice("remote chance", "≤5%"),
    Choice("highly unlikely", "10–20%"),
    Choice("unlikely", "25–35%"),
    Choice("realistic possibility", "40–50%"),
    Choice("likely", "55–75%"),
    Choice("highly likely", "80–90%"),
    Choice("almost certain", "≥95%"),
)


class Yardstick(StrEnum):
    """The scale of likelihood a desk writes its judgements in."""

    ICD_203 = "ICD 203"
    PHIA = "PHIA"


YARDSTICKS = (
    Choice(Yardstick.ICD_203, "the US intelligence community's expressions of likelihood"),
    Choice(Yardstick.PHIA, "the UK Professional Head of Intelligence Analysis probability yardstick"),
)
# Each yardstick's terms, least to most likely.
LIKELIHOODS = {Yardstick.ICD_203: LIKELIHOOD, Yardstick.PHIA: PHIA_LIKELIHOOD}
# The word ICD 203 pairs with each term, which a judgement may use in its place.
LIKELIHOOD_SYNONYMS = {
    "almost no chance": "remote",
    "very unlikely": "highly improbable",
    "unlikely": "improbable",
    "roughly even chance": "roughly even odds",
    "likely": "probable",
    "very likely": "highly probable",
    "almost certain": "nearly certain",
}
# PHIA's: "likely or probably" is its one pair.
SYNONYMS = {Yardstick.ICD_203: LIKELIHOOD_SYNONYMS, Yardstick.PHIA: {"likely": "probably"}}


class Qualifier(StrEnum):
    """How a figure's value is meant; blank is exact."""

    ABOUT = "about"
    UNDER = "under"
    OVER = "over"
    AT_LEAST = "at least"
    AT_MOST = "at most"
    RANGE = "range"


QUALIFIERS = (
    Choice(Qualifier.ABOUT, f"roughly the value, within {ABOUT:.0%} either way"),
    Choice(Qualifier.UNDER, "less than the value"),
    Choice(Qualifier.OVER, "more than the value"),
    Choice(Qualifier.AT_LEAST, "the value or more"),
    Choice(Qualifier.AT_MOST, "the value or less"),
    Choice(Qualifier.RANGE, "from the value up to value_high"),
)
CHART_KINDS = (Choice("bar"), Choice("line"))


class OutlookKind(StrEnum):
    INDICATOR = "indicator"
    GAP = "gap"
    ALTERNATIVE = "alternative"


OUTLOOK_KINDS = (
    Choice(OutlookKind.INDICATOR, "something to watch for, which would bear on a key judgement"),
    Choice(OutlookKind.GAP, "what the desk does not know and would need to"),
    Choice(OutlookKind.ALTERNATIVE, "another reading of the evidence than the desk's"),
)
PAPER_SIZES = (Choice("A4"), Choice("Letter"))
# FIRST's Traffic Light Protocol 2.0 labels, which a marking may be (`TLP:AMBER+STRICT`).
TLP_LEVELS = ("RED", "AMBER+STRICT", "AMBER", "GREEN", "CLEAR")
# A marking that is one of them as written (`TLP:AMBER+STRICT`, any case): the level is group 1.
TLP_LABEL = re.compile(r"TLP:\s*(" + "|".join(re.escape(level) for level in TLP_LEVELS) + ")", re.IGNORECASE)
# The briefing's own words are English: its language is one of English's regional forms, which
# Word's spelling checker and screen readers go by.
LANGUAGES = (
    Choice("en-GB", "British English"),
    Choice("en-US", "American English"),
    Choice("en-AU", "Australian English"),
    Choice("en-CA", "Canadian English"),
    Choice("en-IE", "Irish English"),
    Choice("en-NZ", "New Zealand English"),
)

T = ColumnType
_LOCATOR = (
    "Where in the source (page, paragraph, table); with several sources, one place for each, in their order, separated by ';'."
)
# What the changes since the last edition say of a row, on the sheets whose rows they tell one by one.
_CHANGES = (
    Column(
        "withdrawn",
        T.FLAG,
        "Y to withdraw the row: the briefing no longer prints it, and its changes say it was withdrawn, with the "
        "change_note. Once that edition is released the row may be deleted.",
        about_changes=True,
        withdraws=True,
    ),
    Column(
        "change_note",
        T.TEXT,
        "Why the row changed since the last edition, or why it is withdrawn; printed with its change.",
        about_changes=True,
        example="The IMF revised its forecast in July.",
    ),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Briefing",
        "One row per field: what the briefing is called, when it is current, and how it is marked.",
        (
            Column("title", T.TEXT, "Title on the cover.", required=True, example="Russia–Iran ties"),
            Column("subtitle", T.TEXT, "Line under the title.", example="Trade, wheat, drones and space"),
            Column("as_of", T.DATE, "The date the briefing is current to.", required=True, example="2022-08-31"),
            Column("edition", T.TEXT, "Edition or version label.", example="1"),
            Column("prepared_by", T.TEXT, "Team or author shown on the cover.", example="Russia–Iran Desk"),
            Column(
                "marking",
                T.TEXT,
                "Handling marking printed on every page: a TLP 2.0 label (TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
                "TLP:AMBER+STRICT, TLP:RED), printed in its colours, or any other marking, printed as given.",
                required=True,
                example="TLP:CLEAR",
            ),
            Column("summary", T.TEXT, "The bottom line up front.", required=True),
            Column("scope_note", T.TEXT, "What the briefing covers and rests on."),
            Column(
                "paper",
                T.CHOICE,
                "Paper size, A4 or Letter. Blank: the template's size, or A4 without a template.",
                choices=PAPER_SIZES,
                example="A4",
            ),
            Column(
                "yardstick",
                T.CHOICE,
                "The scale of likelihood the judgements are written in: ICD 203 (the US intelligence community's) "
                "or PHIA (the UK Professional Head of Intelligence Analysis probability yardstick). Blank: ICD 203.",
                choices=YARDSTICKS,
                example="ICD 203",
            ),
            Column(
                "language",
                T.CHOICE,
                "Language of the briefing, which Word checks its spelling in and screen readers speak. Blank: en-GB.",
                choices=LANGUAGES,
                example="en-GB",
            ),
        ),
        key_value=True,
    ),
    Sheet(
        "Sections",
        "The briefing's chapters, in reading order.",
        (
            Column(
                "section_id",
                T.ID,
                "Short name other sheets use to file a row under this chapter.",
                required=True,
                unique=True,
                example="trade",
            ),
            Column("order", T.INTEGER, "Position in the briefing; lower comes first.", example=1),
            Column("heading", T.TEXT, "Chapter heading.", required=True, example="Trade and economy"),
            Column("intro", T.TEXT, "Opening paragraph of the chapter."),
            Column(
                "source_id",
                T.ID,
                "Source(s) of the intro, which the briefing footnotes. Blank: the intro is the desk's own words.",
                references="Sources",
                several=True,
                example="S1, S4",
            ),
            Column("locator", T.TEXT, _LOCATOR),
        ),
    ),
    Sheet(
        "Sources",
        "Every source the briefing cites.",
        (
            Column(
                "source_id", T.ID, "Short name other sheets use to cite this source.", required=True, unique=True, example="S1"
            ),
            Column("publisher", T.TEXT, "Who published it.", required=True, example="Reuters"),
            Column("title", T.TEXT, "Title of the article, report or dataset.", required=True),
            Column("author", T.TEXT, "Author(s)."),
            Column("published", T.PARTIAL_DATE, "Publication date.", example="2022-08"),
            Column("accessed", T.DATE, "When the desk last read it."),
            Column("url", T.TEXT, "Web address.", link=True),
            Column("source_type", T.CHOICE, "What kind of source it is.", choices=SOURCE_TYPES, example="news"),
            Column("reliability", T.CHOICE, "Source reliability, Admiralty scale A–F.", choices=RELIABILITY, example="B"),
            Column(
                "relays",
                T.ID,
                "The source_id of the source this one repeats (a repost, or a report that only relays another's "
                "figures): the two are one origin, and do not corroborate each other.",
                references="Sources",
                example="S2",
            ),
        ),
    ),
    Sheet(
        "Figures",
        "Every number the briefing states, one row each.",
        (
            Column("figure_id", T.ID, "Short name for the figure; charts list these.", required=True, unique=True, example="F01"),
            Column("section_id", T.ID, "Chapter the figure belongs to.", references="Sections", example="trade"),
            Column("indicator", T.TEXT, "What is measured.", required=True, example="Russia–Iran trade"),
            Column("value", T.NUMBER, "The number itself, without its unit.", required=True, example=4),
            Column("unit", T.TEXT, "Unit of the value.", required=True, example="USD bn"),
            Column("period", T.TEXT, "Period the value covers, as text.", required=True, example="2021"),
            Column(
                "source_id",
                T.ID,
                "Source(s) the figure is taken from; several, comma-separated, when they agree.",
                required=True,
                references="Sources",
                several=True,
                example="S1, S4",
            ),
            Column(
                "attribution",
                T.TEXT,
                "Who the source credits for the number; printed wherever the number is.",
                example="according to Russia",
            ),
            Column("locator", T.TEXT, _LOCATOR),
            Column("key", T.FLAG, "Y to show it in the key-figures table."),
            Column("note", T.TEXT, "Caveat or context printed with the figure."),
            Column(
                "qualifier",
                T.CHOICE,
                "How the value is meant (blank means exact): under 5 is not 5.",
                choices=QUALIFIERS,
                example="about",
            ),
            Column(
                "value_high",
                T.NUMBER,
                "The top of a range; value is its bottom.",
                required_when=("qualifier", (Qualifier.RANGE,)),
            ),
            *_CHANGES,
        ),
    ),
    Sheet(
        "Statements",
        "Sourced statements: facts, quotes, claims and the desk's assessments.",
        (
            Column("statement_id", T.ID, "Short name for the statement.", required=True, unique=True, example="ST01"),
            Column("section_id", T.ID, "Chapter the statement belongs to.", references="Sections", example="drones"),
            Column("text", T.TEXT, "The statement as the briefing prints it.", required=True),
            Column("kind", T.CHOICE, "What sort of statement it is (blank means fact).", choices=STATEMENT_KINDS, example="fact"),
            Column(
                "attributed_to",
                T.TEXT,
                "Who said or claims it.",
                required_when=("kind", (StatementKind.QUOTE, StatementKind.CLAIM)),
            ),
            Column("date", T.PARTIAL_DATE, "When it was said or happened."),
            Column(
                "source_id",
                T.ID,
                "Source(s) the statement rests on; several, comma-separated, when they corroborate it.",
                required=True,
                references="Sources",
                several=True,
                example="S1, S4",
            ),
            Column("locator", T.TEXT, _LOCATOR),
            Column("credibility", T.CHOICE, "Information credibility, Admiralty scale 1–6.", choices=CREDIBILITY),
            Column(
                "confidence",
                T.CHOICE,
                "Confidence in an assessment.",
                choices=CONFIDENCE,
                required_when=("kind", (StatementKind.ASSESSMENT,)),
            ),
            Column("key", T.FLAG, "Y to list it among the key points; a key assessment is a key judgement."),
            Column(
                "likelihood",
                T.CHOICE,
                "How likely the desk judges an assessment, in the terms of the Briefing's yardstick (ICD 203's unless it "
                "says PHIA); its text says the same.",
                choices=LIKELIHOOD,
                other_choices=PHIA_LIKELIHOOD,
                required_when=("kind", (StatementKind.ASSESSMENT,)),
            ),
            Column(
                "translation",
                T.TEXT,
                "The statement in the briefing's language, when it is in another (a quote in Persian or Russian, say); printed with it.",
            ),
            *_CHANGES,
        ),
    ),
    Sheet(
        "Events",
        "Dated events for the chronology.",
        (
            Column("event_id", T.ID, "Short name for the event.", required=True, unique=True, example="E01"),
            Column("date", T.PARTIAL_DATE, "When it happened.", required=True, example="2022-08-09"),
            Column("section_id", T.ID, "Chapter the event belongs to.", references="Sections", example="space"),
            Column("event", T.TEXT, "What happened, in one sentence.", required=True),
            Column(
                "source_id",
                T.ID,
                "Source(s) reporting the event; several, comma-separated, when they agree.",
                required=True,
                references="Sources",
                several=True,
                example="S1, S4",
            ),
            Column("locator", T.TEXT, _LOCATOR),
            *_CHANGES,
        ),
    ),
    Sheet(
        "Charts",
        "Optional charts; their numbers come from Figures, so each number lives in one place.",
        (
            Column("chart_id", T.ID, "Short name for the chart.", required=True, unique=True, example="C1"),
            Column("section_id", T.ID, "Chapter the chart is shown in.", references="Sections", example="trade"),
            Column("title", T.TEXT, "Chart title.", required=True),
            Column("kind", T.CHOICE, "Chart type.", choices=CHART_KINDS, example="bar"),
            Column(
                "figures",
                T.ID_LIST,
                "figure_ids to plot, comma-separated, all of one unit.",
                required=True,
                references="Figures",
                example="F01, F02",
            ),
            Column("caption", T.TEXT, "Caption under the chart."),
        ),
        optional=True,
    ),
    Sheet(
        "Outlook",
        "Optional: what to watch, what the desk does not know, and other readings; printed as the Outlook chapter.",
        (
            Column("outlook_id", T.ID, "Short name for the row.", required=True, unique=True, example="O1"),
            Column("kind", T.CHOICE, "What the row is.", required=True, choices=OUTLOOK_KINDS, example="indicator"),
            Column("text", T.TEXT, "The indicator, gap or alternative view, as the briefing prints it.", required=True),
            Column("signals", T.TEXT, "For an indicator: what seeing it would mean for the judgement."),
            Column(
                "bears_on",
                T.ID,
                "The statement_id of the key judgement an indicator bears on.",
                required_when=("kind", (OutlookKind.INDICATOR,)),
                references="Statements",
                example="KJ1",
            ),
            Column(
                "source_id",
                T.ID,
                "Source(s) the row rests on, if any; blank: the desk's own.",
                references="Sources",
                several=True,
                example="S1",
            ),
            Column("locator", T.TEXT, _LOCATOR),
        ),
        optional=True,
    ),
)

# Spellings accepted in a FLAG column, compared case-insensitively.
FLAG_WORDS = {"y": True, "yes": True, "true": True, "n": False, "no": False, "false": False}


def choice(choices: tuple[Choice, ...], value: str | None) -> Choice | None:
    """The choice `value` names, or None for a blank."""
    return next((c for c in choices if c.value == value), None)


def allowed(choices: tuple[Choice, ...], value: str | None) -> Choice:
    """The choice `value` names, where validation has checked that it names one."""
    found = choice(choices, value)
    if found is None:
        raise ValueError(f"{value!r} is not one of {', '.join(c.value for c in choices)}")
    return found


def sheet(name: str) -> Sheet:
    return next(s for s in SHEETS if s.name == name)


def allowed_values(column: Column) -> str:
    """What may go in the column beyond its type, in words: the choices or the sheet it names."""
    if column.choices:
        listed = ", ".join(f"{c.value} ({c.meaning})" if c.meaning else c.value for c in column.choices)
        others = [c for c in column.other_choices if c.value not in column.choice_values]
        if others:
            listed += "; under the PHIA yardstick: " + ", ".join(f"{c.value} ({c.meaning})" for c in column.other_choices)
        return listed
    if column.references:
        target = sheet(column.references).referenced_by
        return f"a {target.name} from {column.references}"
    return ""
