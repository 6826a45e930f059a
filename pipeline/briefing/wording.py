"""The briefing's English: every sentence and label built from its content, as pure
functions of the content model, so that the Word side only lays them out and each can be
tested on its own. What a grade, a source type or a confidence level means comes from the
contract's choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import languages
from ..contract import CONFIDENCE, SOURCE_TYPES, Choice, choice
from ..formats import format_date, format_number

if TYPE_CHECKING:  # the model names its headings from here, so this module cannot import it
    from .model import Chart, Citation, Figure, Source, Sourcing, Statement

DASH = "\u2014"
BOTTOM_LINE = "Bottom line up front"
CHRONOLOGY = "Chronology"
SOURCES = "Sources"
CONTENTS = "Contents"
KEY_POINTS = "Key points"
KEY_FIGURES = "Key figures"
SOURCES_AND_CONFIDENCE = "Sources and confidence"
# The cover's labels, each followed by its value.
AS_OF, EDITION, PREPARED_BY, SCOPE, HANDLING_LABEL = "As of ", "Edition ", "Prepared by ", "Scope. ", "Handling. "
EVENTS = "Events"
CHRONOLOGY_CAPTION = "Chronology of events"
# A source whose type the workbook leaves blank, counted with the others.
_UNSTATED_TYPE = Choice("", "source of unstated type", "sources of unstated type")


# What each TLP 2.0 label lets a recipient do with the briefing, as FIRST's standard defines it.
HANDLING = {
    "RED": "Recipients may not share this briefing with anyone: it is for the named recipients only, and for no one else in their organisation.",
    "AMBER+STRICT": "Recipients may share this briefing only within their own organisation, and there only with those who need to know it.",
    "AMBER": "Recipients may share this briefing only within their own organisation and with its clients, and only with those who need to know it.",
    "GREEN": "Recipients may share this briefing within their community, but not through channels open to the public.",
    "CLEAR": "Recipients may share this briefing without limit, subject to the usual rules of copyright.",
}


def marking_label(marking: str, tlp: str | None) -> str:
    """The marking as printed: a TLP label in its standard form (`TLP:AMBER+STRICT`), any
    other marking as the workbook gives it."""
    return f"TLP:{tlp}" if tlp else marking


def translation(statement: Statement) -> str:
    """`Translated from Persian: “…”`: the workbook's translation, printed under the original."""
    return f"Translated from {languages.name(statement.language)}: {languages.quoted(statement.translation, languages.DEFAULT)}"


def _source_type(value: str | None) -> Choice:
    return choice(SOURCE_TYPES, value) or _UNSTATED_TYPE


def chart_description(chart: Chart) -> str:
    """What a screen reader says for a chart: its kind, title and every value it plots."""
    values = "; ".join(f"{f.indicator}, {f.period}: {format_number(f.value)} {f.unit}" for f in chart.figures)
    return f"{chart.kind.capitalize()} chart: {chart.title}. {values}."


def source_line(numbered: list[tuple[int, Source]]) -> str:
    """`Sources: Publisher, “Title…” [1]; …`: the line under a table or chart, naming the
    sources of its values by their number in the sources annex."""
    listed = "; ".join(f"{short_reference(source)} [{number}]" for number, source in numbered)
    return f"Source{'s' if len(numbered) > 1 else ''}: {listed}."


def figures_caption(heading: str) -> str:
    return f"{heading}: figures"


def figure_note(figure: Figure) -> str:
    """The row's note, and the other values sources give for the same indicator and period."""
    others = "; ".join(
        f"{d.citation.source.publisher} gives {format_number(d.value)} {d.unit}" for d in figure.differing
    )
    differ = f"Sources differ: {others}." if others else ""
    return " ".join(part for part in (figure.note, differ) if part)


def statement_label(statement: Statement) -> str:
    when = f", {statement.date.display()}" if statement.date else ""
    if statement.kind == "claim":
        return f"Claim ({statement.attributed_to}{when}): "
    if statement.kind == "assessment":
        return f"Assessment ({statement.confidence} confidence): "
    return ""


def full_reference(source: Source) -> str:
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


def short_reference(source: Source) -> str:
    """`Publisher, “First words of the title…”`."""
    words = source.title.split()
    title = " ".join(words[:5]) + ("\u2026" if len(words) > 5 else "")
    return f"{source.publisher}, \u201c{title}\u201d"


def citation_details(citation: Citation, with_reliability: bool) -> list[str]:
    """Who the source credits, and the Admiralty grades: the source's reliability is given
    with its full reference; the information's credibility is the cited item's own."""
    parts = [sentence(citation.attribution)] if citation.attribution else []
    grades = []
    if with_reliability and citation.source.reliability:
        grades.append(f"source reliability {citation.source.reliability} ({citation.source.reliability_meaning})")
    if citation.credibility:
        grades.append(f"information credibility {citation.credibility} ({citation.credibility_meaning})")
    if grades:
        parts.append(sentence("; ".join(grades)))
    return parts


def source_details(source: Source) -> str:
    kind = source.source_type.replace("_", " ").capitalize() if source.source_type else None
    grade = (
        f"Reliability {source.reliability}: {source.reliability_meaning}" if source.reliability
        else "Reliability not graded"
    )
    return ". ".join(part for part in (kind, grade, f"Workbook id {source.id}") if part) + "."


def sourcing_note(sourcing: Sourcing, source_count: int) -> list[str]:
    """The sources-and-confidence note, in words, from the counts."""
    kinds = listing(_source_type(kind).counted(n) for kind, n in sourcing.source_types)
    graded = listing(
        f"{n} graded {grade}" if grade else f"{n} not graded" for grade, n in sourcing.reliability
    )
    if not source_count:
        first = "This briefing cites no sources."
    else:
        first = (
            f"This briefing cites {source_count} {plural(('source', 'sources'), source_count)}: {kinds}. "
            f"Source reliability on the Admiralty scale (A, completely reliable, to F, cannot be judged): {graded}."
        )
    if sourcing.statements:
        share = round(100 * sourcing.single_source / sourcing.statements)
        first += (
            f" Of its {sourcing.statements} statements, {sourcing.single_source} ({share}%) rest on a single source:"
            " they are not graded as confirmed by other sources (information credibility 1)."
        )
    assessments = sum(n for _, n in sourcing.assessments)
    if not assessments:
        return [first, "The briefing makes no assessments of its own: it reports what its sources say."]
    levels = listing(f"{n} with {level} confidence" for level, n in sourcing.assessments)
    meanings = "; ".join(f"{level}, {choice(CONFIDENCE, level).meaning}" for level, _ in sourcing.assessments)
    return [first, f"The desk makes {assessments} {plural(('assessment', 'assessments'), assessments)} of its own: {levels}. Confidence rests on {meanings}."]


def plural(forms: tuple[str, str], n: int) -> str:
    return forms[0] if n == 1 else forms[1]


def listing(items) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
