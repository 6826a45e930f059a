"""The briefing's English, function by function, on content built here: no workbook, no Word."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.briefing import wording
from pipeline.briefing.items import Citation, Figure, Reference, Source, Sourcing, Statement
from pipeline.contract import SOURCE_TYPES
from pipeline.dates import PartialDate


def source(id_: str, publisher: str, reliability: str | None = None) -> Source:
    return Source(id_, publisher, "A title", None, None, None, None, None, reliability)


ONE, TWO = source("S1", "Publisher One", "B"), source("S2", "Publisher Two", "C")


def cited(*sources: Source, attribution: str | None = None, credibility: str | None = None) -> Citation:
    return Citation(tuple(Reference(s) for s in sources), attribution, credibility)


def figure(value: float, qualifier: str | None = None, value_high: float | None = None, **rest) -> Figure:
    fields = dict(id="F1", indicator="Trade", unit="USD bn", period="2021", note=None, key=False, citation=cited(ONE))
    return Figure(value=value, qualifier=qualifier, value_high=value_high, **{**fields, **rest})


def statement(kind: str, **rest) -> Statement:
    fields = dict(id="ST1", text="Text.", attributed_to=None, date=None, confidence=None, key=False, citation=cited(ONE))
    return Statement(kind=kind, **{**fields, **rest})


@pytest.mark.parametrize(
    "qualifier, value, high, shown",
    [
        (None, 4, None, "4"),
        ("about", 4, None, "about 4"),
        ("under", 5, None, "< 5"),
        ("over", 5, None, "> 5"),
        ("at least", 3, None, "\u2265 3"),
        ("at most", 3, None, "\u2264 3"),
        ("range", 4, 5, "4\u20135"),
        ("range", -6, -3, "\u22126 to \u22123"),  # a dash between two minus signs would misread
    ],
)
def test_a_qualified_value_reads_as_analysts_write_it(qualifier, value, high, shown):
    assert wording.figure_value(figure(value, qualifier, high)) == shown


def test_a_figure_note_says_who_the_source_credits_then_the_note_then_who_differs():
    other = figure(5.1, citation=cited(TWO))
    both = figure(4.5, citation=cited(TWO, source("S3", "Publisher Three")))
    shown = figure(4, note="80% rise on 2020", citation=cited(ONE, attribution="according to Russia"), differing=(other, both))
    assert wording.figure_note(shown).split("\n") == [
        "According to Russia.",
        "80% rise on 2020",
        "Sources differ: Publisher Two gives 5.1 USD bn; Publisher Two and Publisher Three give 4.5 USD bn.",
    ]


def test_one_source_giving_two_values_is_said_as_such_not_as_sources_that_differ():
    own, again = figure(5, citation=cited(ONE, TWO)), figure(6)
    assert wording.figure_note(figure(4, same_origin_values=(own,))) == "Publisher One also gives 5 USD bn."
    both = wording.figure_note(figure(4, citation=cited(ONE, TWO), same_origin_values=(own, again)))
    assert both.split("\n") == ["Publisher One and Publisher Two also give 5 USD bn.", "Publisher One also gives 6 USD bn."]


def test_a_figure_note_names_a_few_other_values_and_counts_the_rest():
    others = tuple(figure(n, citation=cited(source(f"S{n}", f"P{n}"))) for n in range(10, 20))
    note = wording.figure_note(figure(4, differing=others))
    assert note == "Sources differ: P10 gives 10 USD bn; P11 gives 11 USD bn; P12 gives 12 USD bn; and 7 more."


def test_a_figure_note_names_the_values_that_agree_each_hedged_as_given_before_those_that_differ():
    ranged = figure(3.1, "range", 3.4, citation=cited(TWO, attribution="according to Russia"))
    others = tuple(figure(3.3, "about", citation=cited(source(f"S{n}", f"P{n}"))) for n in range(10, 14))
    note = wording.figure_note(figure(3.3, "about", agreeing=(ranged, *others), differing=(figure(5, citation=cited(TWO)),)))
    assert note.split("\n") == [
        "Agrees with Publisher Two: 3.1\u20133.4 USD bn, according to Russia; P10: about 3.3 USD bn; P11: about 3.3 USD bn; "
        "and 2 more.",
        "Sources differ: Publisher Two gives 5 USD bn.",
    ]


def test_a_relay_in_a_note_is_named_with_the_origin_it_relays():
    aggregator = dataclasses.replace(source("S3", "Aggregator"), relays="S1")
    relayed = Citation((Reference(aggregator),), origins=(ONE,))
    agreeing = figure(3.3, "about", citation=relayed)
    assert wording.figure_note(figure(3.3, citation=cited(TWO), agreeing=(agreeing,))) == (
        "Agrees with Aggregator, relaying Publisher One: about 3.3 USD bn."
    )
    assert wording.figure_note(figure(5, citation=cited(TWO), differing=(figure(4, citation=relayed),))) == (
        "Sources differ: Aggregator, relaying Publisher One, gives 4 USD bn."
    )


def test_every_statement_gives_its_date_where_the_workbook_has_one():
    august = PartialDate(2022, 8)
    assert wording.statement_label(statement("fact", date=august)) == "August 2022: "
    assert wording.statement_label(statement("fact")) == ""
    assert wording.statement_label(statement("claim", attributed_to="the U.S.", date=august)) == "Claim (the U.S., August 2022): "
    assert wording.statement_label(statement("assessment", confidence="low", date=august)) == "Assessment (August 2022): "
    assert (
        wording.quote_attribution(statement("quote", attributed_to="Jake Sullivan", date=august))
        == " \u2014 Jake Sullivan, August 2022"
    )


def test_a_key_judgement_spells_out_its_likelihood_confidence_date_and_sources():
    judgement = statement("assessment", likelihood="very likely", confidence="moderate", date=PartialDate(2022, 8))
    # The likelihood in the judgement's sentence; the confidence and its basis in one of their own.
    assert wording.judgement_grades(judgement) == "Very likely (80\u201395%)"
    assert wording.judgement_basis(judgement, [(1, ONE), (2, TWO)]) == (
        ", August 2022. We have moderate confidence: this rests on one source, not corroborated. "
        "Sources: Publisher One [1] and Publisher Two [2]."
    )


def test_the_scales_follow_icd_203():
    scale = wording.likelihood_scale()
    assert [term for term, _, _ in scale] == [
        "Almost no chance",
        "Very unlikely",
        "Unlikely",
        "Roughly even chance",
        "Likely",
        "Very likely",
        "Almost certain",
    ]
    assert scale[4] == ("Likely", "probable", "55\u201380%") and scale[0][1:] == ("remote", "01\u201305%")
    assert [level for level, _ in wording.confidence_scale()] == ["High confidence", "Moderate confidence", "Low confidence"]


def test_a_chart_point_credits_its_value():
    attributed = figure(4, citation=cited(ONE, attribution="according to Russia"))
    assert wording.point_credit(attributed, name_source=False) == "according to Russia"
    assert wording.point_credit(attributed, name_source=True) == "Publisher One, according to Russia"
    assert wording.point_credit(figure(4), name_source=False) is None
    assert wording.point_label(attributed, series=True) == "2021"
    assert wording.point_label(attributed, series=False) == "Trade (2021)"


def test_a_footnote_cites_each_source_and_grades_those_given_in_full():
    assert wording.cited_source(1, ONE, "para. 2", full=False) == "[1] Publisher One, \u201cA title\u201d, para. 2."
    assert wording.cited_source(1, ONE, "para. 2", full=True) == "[1] Publisher One, \u201cA title\u201d. At para. 2."
    single = wording.citation_details(cited(ONE, credibility="2"), [(1, ONE)])
    assert single == ["Source reliability B (usually reliable); information credibility 2 (probably true)."]
    several = wording.citation_details(cited(ONE, TWO, attribution="according to the IMF"), [(1, ONE), (2, TWO)])
    assert several == ["According to the IMF.", "Source reliability B (usually reliable) for [1], C (fairly reliable) for [2]."]


def test_the_source_summary_is_one_plain_sentence_per_fact():
    sourcing = Sourcing(
        source_types=(("news", 2), (None, 1)),
        reliability=(("B", 2), (None, 1)),
        reported=40,
        single_source=30,
        figures=10,
        conflicting_figures=1,
        assessments=(("high", 1), ("moderate", 3)),
        assessment_sources=2,
    )
    facts, judgements = wording.sourcing_note(sourcing)
    assert facts == (
        "This briefing cites 3 sources: 2 news reports and 1 source of unstated type. "
        "Source reliability on the Admiralty scale (A, completely reliable, to F, cannot be judged): 2 graded B and 1 not graded. "
        "Of the 40 facts, quotes, claims, figures and events it reports, 30 (75%) rest on a single source. "
        "Of its 10 figures, 1 is contradicted by another value for the same measure; each value is printed with its source."
    )
    assert (
        judgements
        == "The desk makes 4 assessments of its own: 1 with high confidence and 3 with moderate confidence. Their basis cites 2 sources."
    )


def test_a_briefing_without_sources_or_assessments_says_so():
    empty = Sourcing((), (), reported=0, single_source=0, figures=0, conflicting_figures=0, assessments=(), assessment_sources=0)
    assert wording.sourcing_note(empty) == [
        "This briefing cites no sources.",
        "The briefing makes no assessments of its own.",  # nor reports what sources say: it has none
    ]


def test_source_details_carry_no_internal_labels():
    assert wording.source_details(ONE) == "Reliability B: usually reliable."


@pytest.mark.parametrize("kind", SOURCE_TYPES, ids=lambda c: c.value)
def test_the_sources_annex_names_each_type_in_words_not_as_a_workbook_value(kind):
    details = wording.source_details(dataclasses.replace(ONE, source_type=kind.value))
    assert details.startswith(wording.sentence_case(kind.meaning) + ".") and "_" not in details


# --- what changed since the last edition ----------------------------------------------------------


def test_an_edition_is_named_by_its_label_and_date():
    import datetime as dt

    assert wording.edition_name("1", dt.date(2022, 8, 31)) == "edition 1 (31 August 2022)"
    assert wording.edition_name(None, dt.date(2022, 8, 31)) == "the edition of 31 August 2022"
    assert wording.changes_heading("2b", dt.date(2022, 9, 1)) == "Changes since edition 2b (1 September 2022)"
    assert wording.changes_lead("1", dt.date(2022, 8, 31), changed=True) == ""
    assert wording.changes_lead("1", dt.date(2022, 8, 31), changed=False) == (
        "Nothing in this briefing\u2019s content has changed since edition 1 (31 August 2022)."
    )


def test_a_revised_judgement_says_what_moved_from_what_to_what():
    old = statement("assessment", text="Trade will likely grow.", likelihood="likely", confidence="high")
    new = statement("assessment", text="Trade will very likely grow.", likelihood="very likely", confidence="moderate")
    assert wording.judgement_revised(2, old, new, ["source_id"], "New customs data") == (
        "Key judgement 2: likelihood raised from likely (55\u201380%) to very likely (80\u201395%); confidence lowered "
        "from high to moderate; sources revised; reworded: \u201cTrade will likely grow.\u201d \u2192 "
        "\u201cTrade will very likely grow.\u201d Why: New customs data."
    )
    same = statement("assessment", text="Trade will very likely grow.", likelihood="very likely", confidence="low")
    assert wording.judgement_revised(1, same, new, []) == (
        "Key judgement 1 (\u201cTrade will very likely grow.\u201d): confidence raised from low to moderate."
    )


def test_judgements_added_and_withdrawn_quote_them_shortened_at_a_word():
    judgement = statement(
        "assessment",
        text="Iran will almost certainly keep buying Russian wheat through the winter.",
        likelihood="almost certain",
        confidence="low",
    )
    assert wording.judgement_added(5, judgement) == (
        "Key judgement 5 is new: \u201cIran will almost certainly keep buying Russian wheat through the winter.\u201d "
        "(almost certain, low confidence)."
    )
    assert wording.judgement_withdrawn(judgement, None, "the harvest failed") == (
        "Withdrawn from the key judgements: \u201cIran will almost certainly keep buying Russian wheat through the winter.\u201d "
        "Why: The harvest failed."
    )
    assert wording.judgement_withdrawn(judgement, "chapter 3, Wheat").endswith(
        "\u201d; it stands as an assessment in chapter 3, Wheat."
    )
    long = statement("assessment", text=" ".join(f"w{n}" for n in range(40)), likelihood="likely", confidence="low")
    assert f"\u201c{' '.join(f'w{n}' for n in range(30))}\u2026\u201d" in wording.judgement_withdrawn(long, None)


def test_a_revised_figure_goes_from_old_to_new_with_its_source():
    old, new = figure(4), figure(4.5, citation=cited(TWO, attribution="according to Russia"))
    assert wording.figure_revised(old, new, [(2, TWO)], ["value", "source_id", "attribution"]) == (
        "Trade (2021): 4 USD bn \u2192 4.5 USD bn; sources Publisher One \u2192 Publisher Two; "
        "attribution according to Russia added (Publisher Two [2], according to Russia)."
    )
    assert wording.figure_revised(figure(4), figure(4, note="Revised."), [(1, ONE)], ["note"]) == (
        "Trade (2021): 4 USD bn; note \u201cRevised.\u201d added (Publisher One [1])."
    )


def test_a_revised_figure_shows_every_field_old_to_new_in_the_tables_number_style():
    old = figure(10, unit="%", period="2022 YTD", citation=Citation((Reference(ONE, "p. 2"),)))
    new = figure(12, "about", unit="%", period="2022 Jan\u2013Aug", key=True, citation=Citation((Reference(ONE, "p. 3"),)))
    told = wording.figure_revised(
        old,
        new,
        [(1, ONE)],
        ["value", "qualifier", "period", "locator", "key"],
        "moved from Trade to chapter 3, Energy",
        "IMF update",
    )
    assert told == (
        "Trade (2022 YTD \u2192 2022 Jan\u2013Aug): 10% \u2192 about 12%; where in the source p. 2 \u2192 p. 3; "
        "now a key figure; moved from Trade to chapter 3, Energy (Publisher One [1]). Why: IMF update."
    )
    # The value as the figures table writes it, with its unit: the same words either side of the arrow.
    assert wording.amount(new) == f"{wording.figure_value(new)}%"
    assert wording.amount(figure(4, "range", 5)) == "4\u20135 USD bn"


def test_a_rewording_quotes_short_texts_whole_and_long_ones_around_what_changed():
    assert wording.rewording("Drills were held.", "Large drills were held.") == (
        "\u201cDrills were held.\u201d \u2192 \u201cLarge drills were held.\u201d"
    )
    words = [f"w{n}" for n in range(50)]
    changed = words[:20] + ["new"] + words[21:]
    assert wording.rewording(" ".join(words), " ".join(changed)) == (
        "\u201c\u2026w16 w17 w18 w19 w20 w21 w22 w23 w24\u2026\u201d \u2192 \u201c\u2026w16 w17 w18 w19 new w21 w22 w23 w24\u2026\u201d"
    )


def test_an_item_changed_is_quoted_with_where_it_is_and_why():
    assert wording.item_changed("new", "chapter 2, Trade", "A rail link opened.", "Reported on 3 September") == (
        "New in chapter 2, Trade: \u201cA rail link opened.\u201d Why: Reported on 3 September."
    )
    assert wording.item_changed("withdrawn", "Trade", "A rail link opened.", None) == (
        "Withdrawn from Trade: \u201cA rail link opened.\u201d"
    )
    assert wording.item_changed("revised", "chapter 1, Drones", "Drills.", None, "Drills.", "date and sources") == (
        "Revised in chapter 1, Drones (date and sources): \u201cDrills.\u201d"
    )
    assert wording.figure_changed("withdrawn", "Trade", figure(10, "about", unit="%"), "double-counted") == (
        "Withdrawn from Trade: Trade (2021), about 10%. Why: Double-counted."
    )
    assert "about 4 USD bn \u2192 < 5 USD bn" in wording.figure_revised(figure(4, "about"), figure(5, "under"), [(1, ONE)], [])


@pytest.mark.parametrize(
    "change, places, also, told",
    [
        ("new", ["chapter 2, Trade"], "", "1 new statement, in chapter 2, Trade."),
        (
            "new",
            ["chapter 1, Drones", "chapter 2, Trade", "chapter 1, Drones"],
            "",
            "3 new statements: 2 in chapter 1, Drones; 1 in chapter 2, Trade.",
        ),
        ("withdrawn", ["Drones", "Drones"], "", "2 statements withdrawn, from Drones."),
        (
            "reworded",
            ["chapter 2, Trade"],
            ", and in Annex A: Chronology",
            "1 statement reworded, in chapter 2, Trade, and in Annex A: Chronology.",
        ),
    ],
)
def test_items_are_counted_with_where_they_are(change, places, also, told):
    assert wording.counted(("statement", "statements"), change, places, also) == told


def test_named_changes_and_revised_fields():
    assert wording.named(("source", "sources"), "added", ["[3] Publisher Three, \u201cA report\u201d"]) == (
        "1 source added: [3] Publisher Three, \u201cA report\u201d."
    )
    assert wording.fields_revised(["summary", "title", "prepared_by"]) == (
        "Also revised: the bottom line up front, the title and who prepared it."
    )


def test_a_source_line_names_a_dozen_sources_and_counts_more():
    """A table of thousands of rows may rest on hundreds of sources: its line stays a line."""
    sources = [(n, Source(f"S{n}", f"Publisher {n}", "A report", None, None, None, None, None, None)) for n in range(1, 400)]
    assert wording.source_line(sources[:12]).count("Publisher") == 12
    assert (
        wording.source_line(sources)
        == "Sources: 399 sources, each cited where its value is given and listed in the sources annex."
    )
