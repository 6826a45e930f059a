"""The briefing's English: every sentence and label built from its content, as pure
functions of the content model, so that the Word side only lays them out and each can be
tested on its own. What a grade, a source type or a confidence level means comes from the
contract's choices."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterable

from .. import languages
from ..contract import CONFIDENCE, LIKELIHOODS, SOURCE_TYPES, SYNONYMS, Choice, StatementKind, Yardstick, allowed, choice
from ..formats import NAMED_AT_MOST, format_date, some
from ..measures import with_unit, written
from .items import Chart, Citation, Figure, OutlookItem, Source, Sourcing, Statement

DASH = "\u2014"
KEY_JUDGEMENTS = "Key judgements"
KEY_JUDGEMENTS_LEAD = (
    "The desk\u2019s own judgements, drawn from the reporting in this briefing. Each says how likely the desk "
    "judges it; a sentence of its own says with what confidence and on which sources; its footnote says where in them."
)
OUTLOOK = "Outlook"
INDICATORS = "Indicators to watch"
GAPS = "Gaps in what we know"
ALTERNATIVES = "Alternative views"
SCALE_HEADING = "What we mean by likelihood and confidence"
# What each row of the likelihood scale gives: the term, ICD 203's synonym, the chance.
SCALE_ROWS = ("Likelihood", "Also written", "Chance")
LIKELIHOOD_NOTE = {
    Yardstick.ICD_203: (
        "Likelihood is how probable the desk judges an outcome. It is said in the words of the US "
        "intelligence community\u2019s analytic standards (ICD 203), each standing for a band of probability:"
    ),
    Yardstick.PHIA: (
        "Likelihood is how probable the desk judges an outcome. It is said in the words of the UK Professional Head of "
        "Intelligence Analysis probability yardstick, each standing for a band of probability; the gaps between the "
        "bands are left so that no judgement sits on a boundary:"
    ),
}
CONFIDENCE_NOTE = (
    "Confidence is separate from likelihood: it says how far the information and reasoning behind a judgement can be relied on."
)
CONFIDENCE_HEADINGS = ("Confidence", "What it rests on")
LIKELIHOOD_CAPTION = "Words of likelihood, as ICD 203 defines them"
CONFIDENCE_CAPTION = "Levels of confidence"
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
    if statement.translation is None:
        raise ValueError(f"statement {statement.id} has no translation to print")
    return f"Translated from {languages.name(statement.language)}: {languages.quoted(statement.translation, languages.DEFAULT)}"


def _source_type(value: str | None) -> Choice:
    return choice(SOURCE_TYPES, value) or _UNSTATED_TYPE


def chart_description(chart: Chart) -> str:
    """What a screen reader says for a chart: its kind, title and every value it plots, as
    qualified as the chart draws it, and whether it conflicts with another value given for its
    measure, as the chart marks it."""
    values = "; ".join(
        f"{p.figure.indicator}, {p.figure.period}: {amount(p.figure)}"
        + (f" ({p.credit})" if p.credit else "")
        + (", conflicting with another value given" if p.figure.differing or p.figure.same_origin_values else "")
        for p in chart.points
    )
    return f"{chart.kind.capitalize()} chart: {chart.title}. {values}."


def source_line(numbered: list[tuple[int, Source]]) -> str:
    """`Sources: Publisher, “Title…” [1]; …`: the line under a table or chart, naming the
    sources of its values by their number in the sources annex. Past a dozen it counts them
    instead: a table of thousands of rows may rest on hundreds, and each value's footnote
    names its own."""
    if len(numbered) > SOURCES_NAMED_AT_MOST:
        return f"Sources: {len(numbered):,} sources, each cited where its value is given and listed in the sources annex."
    listed = "; ".join(f"{short_reference(source)} [{number}]" for number, source in numbered)
    return f"Source{'s' if len(numbered) > 1 else ''}: {listed}."


# The sources a table's or chart's source line names, at most; beyond, it counts them.
SOURCES_NAMED_AT_MOST = 12


def figures_caption(heading: str) -> str:
    return f"{heading}: figures"


def figure_value(figure: Figure) -> str:
    """The figure's value as analysts write it: `4`, `about 4`, `< 5`, `4–5`."""
    return written(figure.value, figure.qualifier, figure.value_high)


def figure_note(figure: Figure) -> str:
    """What the row's last column says, a line each: whom the source credits, the analyst's
    note, the values sources of other origins give for the same indicator and period that can be
    true alongside it, each as hedged as its source gives it, and those that cannot: by sources
    of other origins, or from its own (its source, which cannot differ from itself, or a relay)."""
    # Only the values a note names are written out: a measure thousands of sources give is counted.
    agree = [
        f"{_credited(a)}: {amount(a)}" + (f", {a.citation.attribution}" if a.citation.attribution else "")
        for a in figure.agreeing[:NAMED_AT_MOST]
    ]
    differ = [f"{_gives_value(d)} {amount(d)}" for d in figure.differing[:NAMED_AT_MOST]]
    also: dict[str, list[str]] = {}  # who gives them -> the other values of the figure's own origin
    for other in figure.same_origin_values:
        also.setdefault(_of_the_same_origin(other, figure), []).append(amount(other))
    lines = [
        sentence(figure.citation.attribution) if figure.citation.attribution else "",
        figure.note or "",
        f"Agrees with {some(agree, len(figure.agreeing))}." if agree else "",
        f"Sources differ: {some(differ, len(figure.differing))}." if differ else "",
        *(f"{who} {some(values)}." for who, values in also.items()),
    ]
    return "\n".join(line for line in lines if line)


def _of_the_same_origin(other: Figure, figure: Figure) -> str:
    """Who gives `other`, a value from `figure`'s own origin, said as what it is rather than as a
    source that differs: `Publisher One also gives` (a source they share), `Aggregator, relaying
    Publisher One, gives` (a relay of the origin), `Publisher One, which Aggregator relays, gives`
    (the origin `figure`'s source relays)."""
    mine = {s.id for s in figure.citation.sources}
    shared = _publishers(s for s in other.citation.sources if s.id in mine)
    if shared:
        return _gives(shared, also=True)
    if _relayed(other):
        return _gives_value(other)
    origin = _publishers(other.citation.sources)
    relays = plural(("relays", "relay"), len(_publishers(figure.citation.sources)))
    return f"{listing(origin)}, which {publishers(figure.citation)} {relays}, {plural(('gives', 'give'), len(origin))}"


def _relayed(figure: Figure) -> tuple[str, ...]:
    """The publishers of the origins `figure`'s sources relay, where it does not cite them too."""
    cited = {s.id for s in figure.citation.sources}
    return _publishers(s for s in figure.citation.origins if s.id not in cited)


def _credited(figure: Figure) -> str:
    """`Publisher Two`, `Aggregator, relaying Publisher One`: who gives `figure`'s value and, for
    a relay, whose value it is, so that a repost never reads as an origin of its own."""
    relayed = _relayed(figure)
    return listing(_publishers(figure.citation.sources)) + (f", relaying {listing(relayed)}" if relayed else "")


def _gives_value(figure: Figure) -> str:
    """`Publisher Two gives`, `Aggregator, relaying Publisher One, gives`."""
    verb = plural(("gives", "give"), len(_publishers(figure.citation.sources)))
    return f"{_credited(figure)}{',' if _relayed(figure) else ''} {verb}"


def _publishers(sources: Iterable[Source]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.publisher for s in sources))


def _gives(publishers: tuple[str, ...], also: bool = False) -> str:
    """`Publisher Two gives`, `Publisher One and Publisher Two also give`."""
    return f"{listing(publishers)}{' also' if also else ''} {plural(('gives', 'give'), len(publishers))}"


def publishers(citation: Citation) -> str:
    """`Publisher One`, `Publisher One and Publisher Two`."""
    return listing(_publishers(citation.sources))


def point_label(figure: Figure, series: bool) -> str:
    """What names a chart's value: its period in a series over time, else indicator and period."""
    return figure.period if series else f"{figure.indicator} ({figure.period})"


def point_credit(figure: Figure, name_source: bool) -> str | None:
    """Who gives a chart's value: whom the source credits, and the source itself where the
    chart plots several values of one measure."""
    parts = [publishers(figure.citation)] if name_source else []
    if figure.citation.attribution:
        parts.append(figure.citation.attribution)
    return ", ".join(parts) or None


def statement_label(statement: Statement) -> str:
    """What precedes a statement: whose claim or what kind of judgement, and when. A fact
    gives its date alone, so "last week" in a source is tied to a date."""
    when = statement.date.display() if statement.date else None
    if statement.kind == StatementKind.CLAIM:
        return f"Claim ({', '.join(filter(None, (statement.attributed_to, when)))}): "
    if statement.kind == StatementKind.ASSESSMENT:
        return f"Assessment ({when}): " if when else "Assessment: "
    if statement.kind == StatementKind.VIEW:
        whose = statement.attributed_to or publishers(statement.citation)
        dated = f"{when}: " if when else ""
        return f"{dated}In {possessive(whose)} view: "
    return f"{when}: " if when else ""


def possessive(name: str) -> str:
    """`The Portal Center's`, `the IMF's`, `Reuters'`."""
    return name + "'" if name.endswith("s") else name + "'s"


def confidence_sentence(statement: Statement) -> str:
    """`We have low confidence: this rests on one news report, not corroborated.` The
    judgement's confidence, and its basis counted by independent origin, in a sentence of its
    own, apart from the likelihood its own sentence says (as ICD 203 advises)."""
    origins = statement.citation.origins or statement.citation.sources
    relayed = len(statement.citation.sources) > len(origins)
    if len(origins) == 1:
        kind = _source_type(origins[0].source_type).meaning if origins[0].source_type else "source"
        basis = f"one {kind}, not corroborated" + (" (the other sources cited relay it)" if relayed else "")
    else:
        basis = f"{len(origins)} independent sources"
    return f"We have {statement.confidence} confidence: this rests on {basis}."


def quote_attribution(statement: Statement) -> str:
    """` — Jake Sullivan, August 2022`: who said it, and when where known."""
    when = f", {statement.date.display()}" if statement.date else ""
    return f" {DASH} {statement.attributed_to}{when}"


def judgement_grades(statement: Statement) -> str:
    """`Likely (55–80%)`: the likelihood with its band."""
    band = allowed(LIKELIHOODS[statement.yardstick], statement.likelihood)
    return f"{band.value.capitalize()} ({band.meaning})"


def judgement_basis(statement: Statement, numbered: list[tuple[int, Source]]) -> str:
    """`, August 2022. We have moderate confidence: this rests on one news report, not
    corroborated. Sources: The Portal Center [1].`: when the judgement was made, where the
    workbook says; its confidence in a sentence of its own; the sources, numbered as the annex
    numbers them."""
    when = f", {statement.date.display()}" if statement.date else ""
    named = listing(f"{source.publisher} [{number}]" for number, source in numbered)
    return f"{when}. {confidence_sentence(statement)} Sources: {named}."


def outlook_line(item: OutlookItem) -> str:
    """An indicator with what seeing it would mean: `Text — signals`."""
    return f"{item.text} {DASH} {item.signals}" if item.signals else item.text


def likelihood_scale(yardstick: Yardstick = Yardstick.ICD_203) -> list[tuple[str, str, str]]:
    """The yardstick's scale, least to most likely: (term, its synonym or a dash, its band)."""
    return [(c.value.capitalize(), SYNONYMS[yardstick].get(c.value, DASH), c.meaning) for c in LIKELIHOODS[yardstick]]


def confidence_scale() -> list[tuple[str, str]]:
    """Each confidence level and what it rests on, from high to low."""
    return [(f"{c.value.capitalize()} confidence", sentence(c.meaning)) for c in reversed(CONFIDENCE)]


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


def cited_source(number: int, source: Source, locator: str | None, full: bool) -> str:
    """One source in a footnote: in full the first time it is cited, `[1] Publisher, “Short
    title…”, para. 7.` after."""
    if full:
        return f"[{number}] {full_reference(source)}" + (f" At {locator}." if locator else "")
    return f"[{number}] {short_reference(source)}" + (f", {locator}" if locator else "") + "."


def citation_details(citation: Citation, graded: list[tuple[int, Source]]) -> list[str]:
    """Who the sources credit, and the Admiralty grades: a source's reliability is given with
    its full reference (`graded`, numbered as the annex numbers them); the information's
    credibility is the cited item's own."""
    parts = [sentence(citation.attribution)] if citation.attribution else []
    grades = []
    reliable = [(n, s) for n, s in graded if s.reliability]
    if len(reliable) == 1 and len(citation.references) == 1:
        source = reliable[0][1]
        grades.append(f"source reliability {source.reliability} ({source.reliability_meaning})")
    elif reliable:
        grades.append(
            "source reliability " + ", ".join(f"{s.reliability} ({s.reliability_meaning}) for [{n}]" for n, s in reliable)
        )
    if citation.credibility:
        grades.append(f"information credibility {citation.credibility} ({citation.credibility_meaning})")
    if grades:
        parts.append(sentence("; ".join(grades)))
    return parts


def source_details(source: Source) -> str:
    kind = sentence_case(_source_type(source.source_type).meaning) if source.source_type else None
    grade = f"Reliability {source.reliability}: {source.reliability_meaning}" if source.reliability else "Reliability not graded"
    return ". ".join(part for part in (kind, grade) if part) + "."


def sourcing_note(sourcing: Sourcing) -> list[str]:
    """The source summary, one plain sentence per fact, from the counts: the cited sources by
    type and grade, how much rests on one source, the figures that disagree, and the desk's
    assessments by confidence."""
    cited = sourcing.cited
    if not cited:
        facts = ["This briefing cites no sources."]
    else:
        kinds = listing(_source_type(kind).counted(n) for kind, n in sourcing.source_types)
        graded = listing(f"{n} graded {grade}" if grade else f"{n} not graded" for grade, n in sourcing.reliability)
        traced = (
            f" They trace back to {sourcing.origins} independent {plural(('origin', 'origins'), sourcing.origins)}: "
            "the rest relay another source."
            if 0 < sourcing.origins < cited
            else ""
        )
        facts = [
            f"This briefing cites {cited} {plural(('source', 'sources'), cited)}: {kinds}.{traced}",
            f"Source reliability on the Admiralty scale (A, completely reliable, to F, cannot be judged): {graded}.",
        ]
    if sourcing.reported:
        share = round(100 * sourcing.single_source / sourcing.reported)
        facts.append(
            f"Of the {sourcing.reported} facts, quotes, claims, figures and events it reports, "
            f"{sourcing.single_source} ({share}%) {plural(('rests', 'rest'), sourcing.single_source)} on a single source."
        )
    if sourcing.figures:
        n, of = sourcing.conflicting_figures, f"{sourcing.figures} {plural(('figure', 'figures'), sourcing.figures)}"
        facts.append(
            f"Of its {of}, {n} {plural(('is', 'are'), n)} contradicted by another value for the same measure; "
            "each value is printed with its source."
            if n
            else f"None of its {of} is contradicted by another value for the same measure."
        )
    assessments = sum(n for _, n in sourcing.assessments)
    if not assessments:
        reports = ": it reports what its sources say." if cited else "."
        return [" ".join(facts), f"The briefing makes no assessments of its own{reports}"]
    levels = listing(f"{n} with {level} confidence" for level, n in sourcing.assessments)
    basis = sourcing.assessment_sources
    return [
        " ".join(facts),
        f"The desk makes {assessments} {plural(('assessment', 'assessments'), assessments)} of its own: {levels}. "
        f"{plural(('Its', 'Their'), assessments)} basis cites {basis} {plural(('source', 'sources'), basis)}.",
    ]


def plural(forms: tuple[str, str], n: int) -> str:
    return forms[0] if n == 1 else forms[1]


def listing(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    """`news report` → `News report`: the first letter raised, the rest as written."""
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# --- editions ---------------------------------------------------------------------------------

FIRST_EDITION = "This is the first edition; later editions open with what changed since."
# How the changes name a workbook column or Briefing field, where its name does not say.
_COLUMN_WORDS = {
    "source_id": "sources",
    "section_id": "chapter",
    "attributed_to": "attribution",
    "value_high": "top of the range",
    "summary": "the bottom line up front",
    "prepared_by": "who prepared it",
    "scope_note": "the scope note",
    "paper": "the paper size",
    "event": "wording",
    "text": "wording",
    "key": "key status",
}
ARROW = "\u2192"


def edition_name(label: str | None, as_of: dt.date) -> str:
    """`edition 1 (31 August 2022)`, or `the edition of 31 August 2022` when it has no label."""
    return f"edition {label} ({format_date(as_of)})" if label else f"the edition of {format_date(as_of)}"


def changes_heading(label: str | None, as_of: dt.date) -> str:
    """`Changes since edition 1 (31 August 2022)`."""
    return f"Changes since {edition_name(label, as_of)}"


def redline_title(title: str) -> str:
    """The redline's document title: `Redline: Russia–Iran ties`."""
    return f"Redline: {title}"


def redline_line(label: str | None, as_of: dt.date, old_label: str | None, old_as_of: dt.date, listed: bool) -> str:
    """What the top of every page of the redline says it is."""
    said = (
        f"Redline: {edition_name(label, as_of)} against {edition_name(old_label, old_as_of)}, "
        "every change marked as Word\u2019s tracked changes."
    )
    return said + (" The contents list gives no page numbers: deleted text moves them." if listed else "")


def changes_lead(label: str | None, as_of: dt.date, changed: bool) -> str:
    """What opens the changes: nothing where the heading and the list say it all."""
    return "" if changed else f"Nothing in this briefing\u2019s content has changed since {edition_name(label, as_of)}."


def chapter(number: str, heading: str) -> str:
    """`chapter 3, Space`: where an item stands."""
    return f"chapter {number}, {heading}"


def column_words(name: str) -> str:
    """How the changes name a column: `sources` for source_id, `note` for note."""
    return _COLUMN_WORDS.get(name, name.replace("_", " "))


def quoted(text: str, words: int = 8) -> str:
    """`“The first eight words of the text…”`."""
    return _quoted(text.split(), 0, words)


# How many words of an item's wording the changes quote before shortening it.
QUOTED_WORDS = 30
# A rewording quotes both wordings whole up to this many words; past it, what changed with a
# few words either side, which a reader finds sooner in a long sentence.
_REWORDED_WHOLE = 12
_AROUND = 4


def _quoted(words: list[str], start: int, most: int, end: int | None = None) -> str:
    """Words `start` to `end` of a text, at most `most` of them, in quotation marks, an ellipsis
    where words are left out before or after."""
    end = len(words) if end is None else end
    shown = words[start : min(end, start + most)]
    return f"\u201c{'…' if start else ''}{' '.join(shown)}{'…' if start + len(shown) < len(words) else ''}\u201d"


def rewording(old: str, new: str) -> str:
    """`“old wording” → “new wording”`, each whole where it is short; where it is long, what
    changed with a few words either side: `“…hotels, and Russians…” → “…hotels these days, and Russians…”`."""
    before, after = old.split(), new.split()
    if max(len(before), len(after)) <= _REWORDED_WHOLE:
        return f"{_quoted(before, 0, _REWORDED_WHOLE)} {ARROW} {_quoted(after, 0, _REWORDED_WHOLE)}"
    differ = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    # What precedes the first difference, and follows the last, is the same words in both.
    start = max(0, differ[0][1] - _AROUND) if differ else 0
    kept_after = max(0, len(before) - differ[-1][2] - _AROUND) if differ else 0
    return (
        f"{_quoted(before, start, QUOTED_WORDS, len(before) - kept_after)} {ARROW} "
        f"{_quoted(after, start, QUOTED_WORDS, len(after) - kept_after)}"
    )


def why(note: str | None) -> str:
    """` Why: the IMF revised its forecast.`: the change_note that comes with a change."""
    return f" Why: {sentence(note)}" if note else ""


def item_changed(change: str, where: str, text: str, note: str | None, old_text: str | None = None, columns: str = "") -> str:
    """`New in chapter 2, Trade: “…”`, `Reworded in chapter 1, Drones: “…” → “…”`, `Withdrawn
    from Trade: “…” Why: …`: one statement, event or chart, quoted, with where it is (or was)."""
    what = f" ({columns})" if columns else ""
    wording = rewording(old_text, text) if old_text is not None and old_text != text else quoted(text, QUOTED_WORDS)
    return f"{_changed(change, where)}{what}: {wording}{why(note)}"


def figure_changed(change: str, where: str, figure: Figure, note: str | None) -> str:
    """`New in chapter 2, Trade: Non-oil trade (2021), 14.8 USD bn.`: a figure added or withdrawn."""
    return f"{_changed(change, where)}: {figure.indicator} ({figure.period}), {amount(figure)}.{why(note)}"


def _changed(change: str, where: str) -> str:
    """`New in chapter 2, Trade`, `Withdrawn from Trade`."""
    return f"{sentence_case(change)} {'from' if change == 'withdrawn' else 'in'} {where}"


def _moved(what: str, choices: tuple[Choice, ...], old: str | None, new: str | None, banded: bool = False) -> str | None:
    """`likelihood raised from likely (55–80%) to very likely (80–95%)`, or None if it did not move."""
    if old == new or old is None or new is None:
        return None
    values = [c.value for c in choices]
    way = "raised" if values.index(new) > values.index(old) else "lowered"

    def shown(value: str) -> str:
        return f"{value} ({allowed(choices, value).meaning})" if banded else value

    return f"{what} {way} from {shown(old)} to {shown(new)}"


def judgement_revised(number: int, old: Statement, new: Statement, others: list[str], note: str | None = None) -> str:
    """`Key judgement 2 (“…”): likelihood raised from likely (55–80%) to very likely (80–95%)`; where
    it was reworded, the old wording and the new in place of its opening words."""
    reworded = old.text != new.text
    changes = [
        _moved("likelihood", LIKELIHOODS[new.yardstick], old.likelihood, new.likelihood, banded=True)
        if old.yardstick == new.yardstick
        else f"likelihood now in the {new.yardstick} yardstick's words: {new.likelihood}",
        _moved("confidence", CONFIDENCE, old.confidence, new.confidence),
        f"{listing(column_words(c) for c in others)} revised" if others else None,
        f"reworded: {rewording(old.text, new.text)}" if reworded else None,
    ]
    told = "; ".join(c for c in changes if c)
    if reworded:
        return f"Key judgement {number}: {told}{why(note)}"
    return f"Key judgement {number} ({quoted(new.text)}): {told}.{why(note)}"


def judgement_added(number: int, statement: Statement, note: str | None = None) -> str:
    """`Key judgement 5 is new: “…” (likely, moderate confidence).`"""
    return (
        f"Key judgement {number} is new: {quoted(statement.text, QUOTED_WORDS)} "
        f"({statement.likelihood}, {statement.confidence} confidence).{why(note)}"
    )


def judgement_withdrawn(statement: Statement, stands: str | None, note: str | None = None) -> str:
    """A key judgement of the last edition that is not one now; `stands` says where it is, if still in the briefing."""
    where = f"; it stands as an assessment in {stands}." if stands else ""  # a quotation ends itself
    return f"Withdrawn from the key judgements: {quoted(statement.text, QUOTED_WORDS)}{where}{why(note)}"


def amount(figure: Figure) -> str:
    """`about 50%`, `4.5 USD bn`: a figure's value with its unit, as the tables write the value."""
    return with_unit(figure_value(figure), figure.unit)


def figure_revised(
    old: Figure,
    new: Figure,
    numbered: list[tuple[int, Source]],
    columns: Collection[str],
    moved: str | None = None,
    note: str | None = None,
) -> str:
    """`Bilateral trade (2021 YTD → 2021): 4 USD bn → about 4.5 USD bn; sources Publisher One → Publisher Two
    (Publisher Two [2], according to Russia).`: every field that changed, from what to what. `moved`
    says from which chapter to which, where it moved."""

    def change(old_value: str | None, new_value: str | None) -> str:
        if old_value and new_value:
            return f"{old_value} {ARROW} {new_value}"
        return f"{new_value} added" if new_value else f"{old_value} removed"

    indicator = change(old.indicator, new.indicator) if "indicator" in columns else new.indicator
    period = change(old.period, new.period) if "period" in columns else new.period
    was, now = amount(old), amount(new)
    details = [f"{was} {ARROW} {now}" if was != now else now]
    if "source_id" in columns:
        details.append(f"sources {change(publishers(old.citation), publishers(new.citation))}")
    if "attribution" in columns:
        details.append(f"attribution {change(old.citation.attribution, new.citation.attribution)}")
    if "locator" in columns:
        locators = ["; ".join(r.locator or "" for r in f.citation.references).strip("; ") or None for f in (old, new)]
        details.append(f"where in the source {change(*locators)}")
    if "note" in columns:
        details.append(f"note {change(*(quoted(f.note, QUOTED_WORDS) if f.note else None for f in (old, new)))}")
    if "key" in columns:
        details.append("now a key figure" if new.key else "no longer a key figure")
    if moved:
        details.append(moved)
    source = listing(f"{s.publisher} [{n}]" for n, s in numbered)
    if new.citation.attribution:
        source += f", {new.citation.attribution}"
    return f"{indicator} ({period}): {'; '.join(details)} ({source}).{why(note)}"


def counted(noun: tuple[str, str], change: str, places: list[str], also: str = "", more: bool = False) -> str:
    """`2 new statements: 1 in chapter 1, Drones; 1 in chapter 2, Trade.`, `1 event withdrawn,
    from Trade.`: how many items changed, and where they are (or were); `more` of them, past
    those told one by one."""
    n = len(places)
    n_more = f"{n} more" if more else str(n)
    what = f"{n_more} new {plural(noun, n)}" if change == "new" else f"{n_more} {plural(noun, n)} {change}"
    at = "from" if change == "withdrawn" else "in"
    where = list(dict.fromkeys(places))
    if len(where) == 1:
        told = f"{what}, {at} {where[0]}"
    else:
        told = f"{what}: " + "; ".join(f"{places.count(place)} {at} {place}" for place in where)
    return f"{told}{also}."


def named(noun: tuple[str, str], change: str, names: list[str]) -> str:
    """`1 source added: [3] Publisher Three, “A report”.`, `2 chapters revised: 2 Trade (intro); …`."""
    return f"{len(names)} {plural(noun, len(names))} {change}: {'; '.join(names)}."


def fields_revised(names: list[str]) -> str:
    """`Also revised: the bottom line up front and the scope note.`"""
    return f"Also revised: {listing(column_words(n) if n in _COLUMN_WORDS else f'the {column_words(n)}' for n in names)}."
