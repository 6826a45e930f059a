"""The catalogue of problems validation can report: every code, its severity, what it means
and what to do about it, declared once.

A leaf module: the workbook side raises these entries when a cell cannot be read, the
validator when a row breaks a rule, the annotated copy shows their fixes, and the README's
"When validation fails" tables are generated from them. A misspelt rule is an import error,
never a problem with no entry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from .formats import visible


class Severity(StrEnum):
    ERROR = "error"  # stops the build
    WARNING = "warning"  # printed, and the briefing built all the same


# The README's groups, in the order it lists them.
GROUPS = {
    "file": "The file",
    "structure": "Sheets, headers and layout",
    "cells": "Cells",
    "references": "References between sheets",
    "meaning": "What the figures and dates say",
    "judgement": "The desk's judgements",
    "editions": "Against the previous edition",
}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    group: str  # one of GROUPS
    what: str  # what the problem is
    fix: str  # what the analyst does about it

    def __reduce__(self) -> tuple:
        # Pickled as its code, unpickled as the one Rule of that code: rules are told apart by
        # identity (`issue.rule is BAD_ID`), in a sheet sent back from a forked reader too.
        return _rule, (self.code,)


WORKBOOK_OPEN = Rule(
    "workbook-open",
    Severity.WARNING,
    "file",
    "Excel's lock file (~$name.xlsx) is beside the workbook: it is open in Excel.",
    "Save in Excel before building; unsaved edits are not read.",
)
MACROS_IGNORED = Rule(
    "macros-ignored",
    Severity.WARNING,
    "file",
    "The workbook is an .xlsm with macros.",
    "Nothing to do: the data is read and the macros are never run.",
)
MISSING_SHEET = Rule(
    "missing-sheet",
    Severity.ERROR,
    "structure",
    "A sheet the briefing needs is absent or misspelled.",
    "Add or rename the sheet (the message suggests the closest name); `init` writes a workbook with every sheet.",
)
DUPLICATE_SHEET = Rule(
    "duplicate-sheet",
    Severity.ERROR,
    "structure",
    'Two tabs have the same name once spaces and capitals are ignored ("Statements" and "Statements ", an old copy, say): which one the briefing should read is unclear.',
    "Delete the stale copy, or rename it so that its name no longer matches a sheet the briefing reads.",
)
MISSING_COLUMN = Rule(
    "missing-column",
    Severity.ERROR,
    "structure",
    "A required column header is absent or misspelled.",
    "Add or rename the header in row 1 (the message suggests the closest name).",
)
DUPLICATE_COLUMN = Rule(
    "duplicate-column",
    Severity.ERROR,
    "structure",
    "Two columns carry the same header; only the first is read.",
    "Delete or rename one of them.",
)
HEADER_NOT_IN_ROW_1 = Rule(
    "header-not-in-row-1",
    Severity.ERROR,
    "structure",
    "The header row is below row 1 (a title or notes above it).",
    "Delete the rows above the headers.",
)
MERGED_CELLS = Rule(
    "merged-cells",
    Severity.ERROR,
    "structure",
    "Cells of the table are merged; only the first holds the value.",
    "Unmerge, and type each row's value in its own cell.",
)
HIDDEN_SHEET = Rule(
    "hidden-sheet",
    Severity.WARNING,
    "structure",
    "A hidden sheet holds rows that go into the briefing.",
    "Unhide it (right-click a sheet tab, Unhide) and check its rows.",
)
HIDDEN_ROW = Rule(
    "hidden-row",
    Severity.WARNING,
    "structure",
    "A hidden row holds data that goes into the briefing.",
    "Unhide it and check it, or delete it.",
)
HIDDEN_COLUMN = Rule(
    "hidden-column",
    Severity.WARNING,
    "structure",
    "A hidden column holds data that goes into the briefing.",
    "Unhide it and check it.",
)
BLANK_ROWS = Rule(
    "blank-rows",
    Severity.WARNING,
    "structure",
    "Empty rows sit between rows of data.",
    "Delete them if the gap is not meant to be there; the rows below are read either way.",
)
UNKNOWN_FIELD = Rule(
    "unknown-field",
    Severity.WARNING,
    "structure",
    "The Briefing sheet names a field the contract does not know; it is ignored.",
    "Correct the spelling (the message suggests the closest field) or delete the row.",
)
DUPLICATE_FIELD = Rule(
    "duplicate-field", Severity.ERROR, "structure", "A Briefing field is given twice.", "Keep one of the two rows."
)
MISSING_FIELD = Rule(
    "missing-field",
    Severity.ERROR,
    "structure",
    "A required Briefing field has no row.",
    "Add a row with the field's name and its value.",
)
REQUIRED = Rule(
    "required",
    Severity.ERROR,
    "cells",
    "A cell the briefing needs is empty.",
    "Fill it in; quotes and claims need attributed_to, assessments need likelihood and confidence, ranges need value_high.",
)
WRONG_TYPE = Rule("wrong-type", Severity.ERROR, "cells", "TRUE/FALSE where text or a number belongs.", "Type the value itself.")
NOT_A_NUMBER = Rule(
    "not-a-number",
    Severity.ERROR,
    "cells",
    'A number column holds text, such as "4,0" or "$4 bn".',
    "Type the number alone (the message suggests it) and put the unit in the unit column.",
)
NUMBER_TOO_LARGE = Rule(
    "number-too-large",
    Severity.ERROR,
    "cells",
    "A number larger than a quadrillion (10^15), beyond any figure a briefing states.",
    "Check for a slip of the keyboard, or give the value in a larger unit.",
)
NOT_A_WHOLE_NUMBER = Rule(
    "not-a-whole-number", Severity.ERROR, "cells", "A whole-number column holds a fraction.", "Type a whole number."
)
BAD_DATE = Rule(
    "bad-date",
    Severity.ERROR,
    "cells",
    "A date cell holds something that is not a date, or a day that does not exist.",
    "Type YYYY-MM-DD (or YYYY-MM, YYYY where a partial date is allowed), or format the cell as a date.",
)
INCOMPLETE_DATE = Rule(
    "incomplete-date",
    Severity.ERROR,
    "cells",
    "A column that needs a full date holds only a year or month.",
    "Type the full date, YYYY-MM-DD.",
)
DATE_IN_TEXT_COLUMN = Rule(
    "date-in-text-column",
    Severity.ERROR,
    "cells",
    'Excel turned text into a date (for example "Jul 2022").',
    "Retype it starting with an apostrophe ('Jul 2022).",
)
NOT_ALLOWED = Rule(
    "not-allowed",
    Severity.ERROR,
    "cells",
    "A value outside the column's allowed values.",
    "Pick one of the values the message lists (docs/reference.md's contract explains each).",
)
BAD_ID = Rule(
    "bad-id",
    Severity.ERROR,
    "cells",
    "An identifier with spaces or punctuation.",
    "Use letters, digits, '-', '_' or '.' only, like S1 or trade.",
)
DUPLICATE_ID = Rule("duplicate-id", Severity.ERROR, "cells", "Two rows share an identifier.", "Give each row its own.")
REPEATED_ID = Rule(
    "repeated-id",
    Severity.ERROR,
    "cells",
    'A list of identifiers names one twice, such as source_id "S1, S1".',
    "Name each once: a source named twice does not corroborate a row.",
)
EXCEL_ERROR = Rule(
    "excel-error",
    Severity.ERROR,
    "cells",
    "A cell shows an Excel error such as #REF! or #DIV/0!.",
    "Correct the formula, or type the value.",
)
FORMULA_WITHOUT_VALUE = Rule(
    "formula-without-value",
    Severity.ERROR,
    "cells",
    "A formula was saved without ever being calculated (written by a program, not Excel).",
    "Open the workbook in Excel and save it, or type the value.",
)
CONTROL_CHARACTER = Rule(
    "control-character",
    Severity.ERROR,
    "cells",
    "The text holds an invisible control character a Word document cannot hold.",
    "Retype the text (pasting from PDFs brings these in).",
)
BIDI_CONTROL = Rule(
    "bidi-control",
    Severity.ERROR,
    "cells",
    "The text holds an invisible direction override or embedding (U+202A–U+202E, U+2066–U+2069), which makes it display as words other than those it holds: a reader would see one thing and the briefing say another.",
    "Retype the text without it. Right-to-left names and quotes need no such character; the marks U+200E and U+200F are allowed.",
)
ZERO_WIDTH = Rule(
    "zero-width",
    Severity.WARNING,
    "cells",
    "The text holds an invisible zero-width character (U+200B, U+2060 or U+FEFF), usually pasted in from a web page; text that looks alike then does not match.",
    "Retype the text, or delete the character (the message says where it is).",
)
URL_FROM_LINK = Rule(
    "url-from-link",
    Severity.WARNING,
    "cells",
    "A url cell shows text that is not the address its hyperlink points to; the briefing prints the address.",
    "Type the address itself in the cell, after checking the link goes where the text says.",
)
EXTRA_SPACES = Rule(
    "extra-spaces",
    Severity.WARNING,
    "cells",
    "Text has spaces at its ends or two in a row.",
    "Nothing is lost (the briefing prints it tidied); tidy the cell to clear the warning.",
)
BAD_RANGE = Rule(
    "bad-range",
    Severity.ERROR,
    "cells",
    "A range whose value_high is not above its value, or a value_high on a figure that is not a range.",
    "Put the low end in value and the high end in value_high, with qualifier range; or clear value_high.",
)
LONG_TEXT = Rule(
    "long-text",
    Severity.WARNING,
    "cells",
    "A text cell is longer than a briefing paragraph should be.",
    "Check it is one entry and not several pasted together; split it if so.",
)
UNKNOWN_REFERENCE = Rule(
    "unknown-reference",
    Severity.ERROR,
    "references",
    "A source_id, section_id or chart figure names a row that does not exist.",
    "Correct the id (the message suggests the closest) or add the missing row.",
)
UNUSED_SOURCE = Rule(
    "unused-source",
    Severity.WARNING,
    "references",
    "A source no row cites.",
    "Cite it, or delete it; it is still listed in the sources annex.",
)
LOCATOR_COUNT = Rule(
    "locator-count",
    Severity.ERROR,
    "references",
    "A row's locator gives a different number of places than its source_id names sources (or a place with no source at all).",
    "Give one place for each source, in the same order, separated by ';'; leave a place empty (S1's; ;S3's) where a source has none.",
)
UNCONFIRMED = Rule(
    "unconfirmed",
    Severity.WARNING,
    "references",
    'Credibility 1, "confirmed by other sources", on a row that names only one source.',
    "Name the confirming sources too (S1, S4), or grade the information 2 to 6.",
)
SECOND_HAND = Rule(
    "second-hand",
    Severity.WARNING,
    "references",
    "A source of type repost names no source it relays: the briefing rests on a copy whose origin nobody can check.",
    "The original is not named: find and cite it, and give the repost's relays its source_id.",
)
EMPTY_SECTION = Rule(
    "empty-section",
    Severity.WARNING,
    "references",
    "A section no row is filed under.",
    "File rows under it, or delete it; it prints as an empty chapter.",
)
PUBLISHED_AFTER_ACCESSED = Rule(
    "published-after-accessed",
    Severity.ERROR,
    "meaning",
    "A source was accessed before it was published.",
    "Correct one of the two dates.",
)
AFTER_AS_OF = Rule(
    "after-as-of",
    Severity.ERROR,
    "meaning",
    "A date later than the briefing's as_of date.",
    'Correct the date, or move as_of forward; a forecast\'s period says so in words ("2025 target").',
)
DUPLICATE_TEXT = Rule(
    "duplicate-text",
    Severity.ERROR,
    "meaning",
    "The same statement text appears twice, so the briefing would print it twice.",
    "Delete one row, or word them apart to say who reported what.",
)
INDICATOR_UNITS = Rule(
    "indicator-units",
    Severity.WARNING,
    "meaning",
    "One indicator is given in two units.",
    'Use one unit, or name the indicators apart ("trade, USD bn" and "trade growth, %").',
)
CHART_MIXED_UNITS = Rule(
    "chart-mixed-units",
    Severity.ERROR,
    "meaning",
    "A chart plots figures of different units on one axis.",
    "Split it into one chart per unit.",
)
PERCENTAGE_RANGE = Rule(
    "percentage-range",
    Severity.WARNING,
    "meaning",
    "A percentage outside −100 to 1,000.",
    "Check the value; a share is typed as 12 (for 12%), not 0.12 or 1200.",
)
UNTRACEABLE_SOURCE = Rule(
    "untraceable-source",
    Severity.WARNING,
    "meaning",
    "A source has no url and no date or author, so a reader cannot find it.",
    "Add its url, or its publication date and author.",
)
CONFLICTING_FIGURES = Rule(
    "conflicting-figures",
    Severity.WARNING,
    "meaning",
    "Sources give values for the same indicator and period that cannot both be true (under 5 and 4.9 agree; 4 and 4.9, or about 4 and 4.9, do not).",
    "Nothing must change: the briefing prints every value with its own source. Check each was copied correctly.",
)
SOURCE_GIVES_TWO_VALUES = Rule(
    "source-gives-two-values",
    Severity.WARNING,
    "meaning",
    "One source, or a source and one that relays it, gives the same indicator and period two values that cannot both be true; a source cannot differ from itself, nor a repost from what it repeats.",
    "Check both were copied correctly. If the source means two things (a revision, another coverage), name the indicators or periods apart.",
)
CHART_DROPS_VALUE = Rule(
    "chart-drops-value",
    Severity.ERROR,
    "meaning",
    "A chart plots one value of a measure that sources give differently, and leaves the other values out.",
    "Add the other values' figure_ids to the chart, so that it shows every value with its source; nothing is picked silently.",
)
UNTRANSLATED_QUOTE = Rule(
    "untranslated-quote",
    Severity.WARNING,
    "meaning",
    "A quote is in another language than the briefing's (told by its script: Arabic, Persian, Cyrillic…) and has no translation.",
    "Give its translation in the translation column; the briefing prints it under the quote.",
)
LIKELIHOOD_MISMATCH = Rule(
    "likelihood-mismatch",
    Severity.ERROR,
    "judgement",
    "An assessment's text does not say how likely it is in its own likelihood's words: it uses another band's word, or none.",
    "Write the likelihood's term or ICD 203's synonym in the text (very likely, highly probable), or correct the likelihood.",
)
VAGUE_HEDGE = Rule(
    "vague-hedge",
    Severity.WARNING,
    "judgement",
    "An assessment hedges (may, might, could, possibly, perhaps) without a likelihood to say how likely it is.",
    "Choose its likelihood and say it in the text: likely, very unlikely, roughly even chance.",
)
NOT_AN_ASSESSMENT = Rule(
    "not-an-assessment",
    Severity.WARNING,
    "judgement",
    "A statement gives a likelihood or confidence, but its kind is not assessment, so the briefing prints it as the source's and leaves the judgement out.",
    "Set kind to assessment if it is the desk's own judgement, or clear likelihood and confidence.",
)
CONFIDENCE_VS_SOURCING = Rule(
    "confidence-vs-sourcing",
    Severity.WARNING,
    "judgement",
    "An assessment's confidence claims more than its sources bear: high confidence on fewer than two independent "
    "origins or on a source graded below B; moderate confidence on one origin that is ungraded or graded D to F.",
    "Lower the confidence, or cite the independent, well-graded sources that bear it (the reference's table under What confidence needs says what each level needs).",
)
HEDGED_FACT = Rule(
    "hedged-fact",
    Severity.WARNING,
    "judgement",
    "A fact, or a figure's note, hedges (may, might, could, reportedly, appears, likely…): what is printed as fact is not one.",
    "Make it a claim (who says it) or a view (whose judgement it is), or the desk's assessment with a likelihood; or state the fact plainly.",
)
NO_OUTLOOK = Rule(
    "no-outlook",
    Severity.WARNING,
    "judgement",
    "The briefing has key judgements but no indicator to watch: nothing says what would change them.",
    "Add an Outlook sheet with, for each key judgement, an indicator (kind indicator, bears_on its statement_id) and what seeing it would mean.",
)
NO_KEY_JUDGEMENTS = Rule(
    "no-key-judgements",
    Severity.WARNING,
    "judgement",
    "No statement is a key assessment: without the desk's judgements the briefing is a news summary.",
    "Add the desk's key judgements to Statements: kind assessment, key Y, with likelihood and confidence.",
)

NUMBER_NOT_IN_DATA = Rule(
    "number-not-in-data",
    Severity.WARNING,
    "meaning",
    "Prose states a number the data does not give: a chart caption none of the values the chart plots, a figure's note "
    "none of its measure's or of the figures from the same place in its source, a chapter intro, the summary or the "
    "scope note none of the briefing's figures. The words have drifted from the data, or state a number no footnote traces.",
    "Correct the number to the data's, or give the number its Figures row with its source; dates, ordinals and the "
    "band a likelihood is given beside its words (very likely (80–95%)) do not count.",
)
MARKING_LOOKS_LIKE_TLP = Rule(
    "marking-looks-like-tlp",
    Severity.WARNING,
    "meaning",
    "The marking looks like a TLP 2.0 label but is not one as written: a letter from another script (a Cyrillic Т), "
    "a label TLP 1.0 used (TLP:WHITE), or a misspelling (TLP:AMBER STRICT). It would print as plain text, not as the label.",
    "Type the label the message names (TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED).",
)

EDITION_LABEL = Rule(
    "edition-label",
    Severity.ERROR,
    "editions",
    "The edition label is the previous edition's, or one released before with other content, or blank on an edition being released.",
    "Give this edition a label of its own in the Briefing sheet's edition field: after edition 1, call it 2.",
)
AS_OF_BACKWARDS = Rule(
    "as-of-backwards",
    Severity.ERROR,
    "editions",
    "as_of is earlier than the previous edition's: editions run forward in time.",
    "Correct as_of; or, if the edition compared with is the wrong one, name the right one with --since (make report SINCE=...).",
)
WITHDRAWN = Rule(
    "withdrawn",
    Severity.WARNING,
    "editions",
    "Rows that were in the previous edition are gone, not marked withdrawn; the briefing reports them withdrawn, without a reason.",
    "Restore them with their old ids if they were not meant to go; to say why they went, restore them with withdrawn Y and a change_note.",
)
ID_REUSED = Rule(
    "id-reused",
    Severity.WARNING,
    "editions",
    "An id of the previous edition now names unrelated content: another kind or chapter, and most of the text new.",
    "Give the new content an id of its own and leave the old one withdrawn; the briefing counts it as withdrawn and added either way.",
)
OTHER_BRIEFING = Rule(
    "other-briefing",
    Severity.ERROR,
    "editions",
    "The edition to compare with (--since) was released for another workbook: it is an edition of another briefing.",
    "Compare with an edition of this briefing, from editions/<this workbook's name>/, or leave --since out.",
)

RULES: dict[str, Rule] = {rule.code: rule for rule in globals().values() if isinstance(rule, Rule)}


def _rule(code: str) -> Rule:
    return RULES[code]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    sheet: str | None
    cell: str | None
    row: int | None
    column: str | None
    code: str
    message: str

    @classmethod
    def of(
        cls,
        rule: Rule,
        message: str,
        sheet: str | None = None,
        cell: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> Problem:
        """A problem of a declared kind. The message may quote a cell: what a terminal or a
        workbook comment cannot show safely (control characters, direction overrides) is
        spelled out, as `\\x0b`."""
        return cls(rule.severity, sheet, cell, row, column, rule.code, visible(message))

    @property
    def location(self) -> str:
        """Where the problem is, as Excel names it (`Figures!D7`), the sheet's name shown as
        the message is; `sheet` keeps the name exactly, to find the sheet by."""
        sheet = visible(self.sheet) if self.sheet else None
        if sheet and self.cell:
            return f"{sheet}!{self.cell}"
        if sheet and self.row:
            return f"{sheet}!{self.row}:{self.row}"
        return sheet or "workbook"

    @property
    def fix(self) -> str:
        return RULES[self.code].fix

    def as_dict(self) -> dict:
        return asdict(self)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == Severity.ERROR]
