"""Judgements an editor will sign: sources traced to their origin, confidence no more than the
sourcing bears, the source's views labelled as such, hedged facts and numbers that drift from
the data flagged, and an outlook with indicators under the judgements they bear on."""

from __future__ import annotations

from docx import Document

import pipeline
from pipeline.catalogue import Severity
from pipeline.checks.validate import validate
from pipeline.workbook.load import load

from .conftest import built_briefing, write_workbook


def located(path):
    return [(p.severity, p.sheet, p.cell, p.code) for p in validate(load(path))]


def relaying(book: dict) -> dict:
    """S3 reposts S1: citing both is citing one origin."""
    book["Sources"].append(
        {
            "source_id": "S3",
            "publisher": "Aggregator",
            "title": "A repost",
            "url": "https://example.org/a",
            "source_type": "repost",
            "reliability": "B",
            "relays": "S1",
        }
    )
    return book


def test_a_relayed_source_does_not_corroborate(book, write):
    relaying(book)
    book["Statements"][1]["credibility"] = 1
    book["Statements"][1]["source_id"] = "S1, S3"
    book["Statements"][1]["locator"] = "p. 1; p. 2"
    book["Statements"][2]["confidence"] = "high"
    book["Statements"][2]["source_id"] = "S1, S3"
    book["Statements"][2]["locator"] = "p. 1; p. 2"
    found = validate(load(write(book)))
    assert [(p.severity, p.sheet, p.cell, p.code) for p in found] == [
        (Severity.WARNING, "Statements", "I3", "unconfirmed"),
        (Severity.WARNING, "Statements", "J4", "confidence-vs-sourcing"),
    ]
    assert "one origin" in found[0].message and "1 independent origin" in found[1].message


def test_two_independent_origins_corroborate(book, write):
    relaying(book)
    book["Sources"][1]["reliability"] = "A"
    book["Sources"][2]["relays"] = None
    book["Sources"][2]["source_type"] = "news"
    book["Sources"][2]["reliability"] = "A"
    book["Statements"][2]["confidence"] = "high"
    book["Statements"][2]["source_id"] = "S1, S3"
    book["Statements"][2]["locator"] = "p. 1; p. 2"
    assert located(write(book)) == []


def test_a_repost_that_names_no_original_is_second_hand(book, write):
    book["Sources"][0]["source_type"] = "repost"
    assert located(write(book)) == [(Severity.WARNING, "Sources", "H2", "second-hand")]


def test_moderate_confidence_on_one_ungraded_source_and_high_on_a_c(book, write):
    book["Statements"][2]["confidence"] = "moderate"  # on S2, ungraded
    assert located(write(book)) == [(Severity.WARNING, "Statements", "J4", "confidence-vs-sourcing")]
    book["Sources"][1]["reliability"] = "C"
    book["Statements"][2]["confidence"] = "high"
    assert located(write(book)) == [(Severity.WARNING, "Statements", "J4", "confidence-vs-sourcing")]
    book["Statements"][2]["confidence"] = "low"
    assert located(write(book)) == []


def test_a_hedged_fact_and_a_hedged_note(book, write):
    book["Statements"][0]["text"] = "Iran may be supplying drones to Russia."
    book["Figures"][0]["note"] = "reportedly up"
    assert located(write(book)) == [
        (Severity.WARNING, "Figures", "K2", "hedged-fact"),
        (Severity.WARNING, "Statements", "C2", "hedged-fact"),
    ]
    # A month is no hedge; a claim may hedge, as its claimant does.
    book["Statements"][0]["text"] = "Drills were held in May 2022."
    book["Figures"][0]["note"] = None
    book["Statements"][1]["kind"] = "claim"
    book["Statements"][1]["text"] = "Iran could send drones."
    assert located(write(book)) == []


def test_key_judgements_without_an_indicator(book, write):
    del book["Outlook"]
    assert located(write(book)) == [(Severity.WARNING, "Outlook", None, "no-outlook")]


def test_an_indicator_needs_the_judgement_it_bears_on(book, write):
    book["Outlook"][0]["bears_on"] = None
    assert located(write(book)) == [(Severity.ERROR, "Outlook", "E2", "required")]


def test_numbers_in_prose_that_drift_from_the_data(book, write):
    book["Charts"][0]["caption"] = "Trade of 3 and 14.8 in the 2nd year."
    book["Figures"][0]["note"] = "up from 3.5, a 6% fall"
    book["Figures"][1]["value"] = -6
    assert located(write(book)) == [
        (Severity.WARNING, "Figures", "K2", "number-not-in-data"),
        (Severity.WARNING, "Charts", "F2", "number-not-in-data"),
    ]


def test_numbers_in_prose_each_place_held_to_its_own_values(book, write):
    """Each place at its cell: a figure's note to its measure and the figures from the same
    place in its source, an intro (sourced or not), the summary and the scope note to any value
    of the briefing. A likelihood's band beside its words, a date, a year and an ordinal are no measures."""
    book["Charts"][0]["caption"] = "Trade of 4 is likely (55–80%) to grow 10–20%."  # a band beside its words only
    book["Briefing"]["summary"] = (
        "Trade of $4 billion will very likely (80–95%) grow by 14 August, as the 3rd deal, and 7 drones."
    )
    book["Briefing"]["scope_note"] = "Covers 2021 to August 2022 and a highly likely (80-90%) judgement, in 12 reports."
    book["Sections"][0]["intro"] = "Trade of 14.8, and 9 deals."  # sourced
    book["Sections"][1]["intro"] = "Some 5 drones."  # in the desk's own words
    book["Figures"][0]["note"] = "80% rise on 2020"  # F03's, from the same paragraph
    book["Figures"][1]["note"] = "against 4 in all"  # F01's, but another measure from another source
    book["Figures"].append(
        {
            "figure_id": "F03",
            "section_id": "trade",
            "indicator": "Bilateral trade, growth",
            "value": 80,
            "unit": "%",
            "period": "2021",
            "source_id": "S1",
            "locator": "para. 6",
            "note": "to $4 billion, up from 2.2",
        }
    )
    found = validate(load(write(book)))
    assert {(p.sheet, p.cell, p.code) for p in found} == {
        ("Briefing", "B6", "number-not-in-data"),
        ("Briefing", "B7", "number-not-in-data"),
        ("Sections", "D2", "number-not-in-data"),
        ("Sections", "D3", "number-not-in-data"),
        ("Figures", "K3", "number-not-in-data"),
        ("Figures", "K4", "number-not-in-data"),
        ("Charts", "F2", "number-not-in-data"),
    }
    assert {p.message.split(",")[0] for p in found} == {
        "summary states '7'",
        "scope_note states '12'",
        "intro states '9'",
        "intro states '5'",
        "note states '4'",
        "note states '2.2'",
        "caption states '10'",
    }


def paragraphs(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_the_outlook_lists_each_indicator_under_its_judgement_and_a_view_names_whose(book, tmp_path):
    book["Statements"][0]["kind"] = "view"
    book["Statements"][0]["text"] = "The drills were a show of force."
    book["Statements"].append(
        {
            "statement_id": "ST04",
            "section_id": "drones",
            "text": "Drones will almost certainly be sent.",
            "kind": "assessment",
            "confidence": "low",
            "likelihood": "almost certain",
            "source_id": "S1",
            "key": "Y",
        }
    )
    book["Outlook"] += [
        {"outlook_id": "O2", "kind": "indicator", "text": "Drones seen in Ukraine.", "bears_on": "ST04", "signals": "Sent."},
        {"outlook_id": "O3", "kind": "gap", "text": "Who flies them."},
        {"outlook_id": "O4", "kind": "indicator", "text": "A second trade deal.", "bears_on": "ST03"},
        {"outlook_id": "O5", "kind": "alternative", "text": "Trade stalls.", "source_id": "S2", "locator": "p. 3"},
    ]
    text = paragraphs(built_briefing(tmp_path, "book", book))
    outlook = text[text.index("Outlook") :]
    assert outlook[
        outlook.index("Trade will likely keep growing.") + 1 : outlook.index("Trade will likely keep growing.") + 3
    ] == [
        "New trade deals. \u2014 Growth going on.",
        "A second trade deal.",
    ]
    assert outlook[outlook.index("Drones will almost certainly be sent.") + 1] == "Drones seen in Ukraine. \u2014 Sent."
    assert outlook[outlook.index("Gaps in what we know") + 1] == "Who flies them."
    assert outlook[outlook.index("Alternative views") + 1] == "Trade stalls."
    assert any(p.endswith("In Publisher One's view: The drills were a show of force.") for p in text)
    # The likelihood and the confidence in sentences of their own.
    assert any("We have low confidence: this rests on one news report, not corroborated." in p for p in text)
    (grades,) = [p for p in text if p.startswith("Almost certain (")]
    likelihood, confidence = grades.split(". We have ")
    assert likelihood == "Almost certain (95\u201399%)" and "confidence" not in likelihood
    assert confidence.startswith("low confidence: this rests on one news report")


def test_the_source_summary_counts_origins(book, tmp_path):
    relaying(book)
    book["Figures"][1]["source_id"] = "S3"
    built = pipeline.build(pipeline_book(tmp_path, book), tmp_path / "b.docx")
    assert built.written
    text = " ".join(paragraphs(tmp_path / "b.docx"))
    assert "cites 3 sources" in text and "They trace back to 2 independent origins" in text


def pipeline_book(folder, book):
    from .conftest import write_workbook

    return write_workbook(folder / "b.xlsx", book)


def test_a_phia_desk_judges_in_phia_terms_and_bands_throughout(book, tmp_path):
    book["Briefing"]["yardstick"] = "PHIA"
    book["Statements"][2].update(text="Trade will realistically possibly grow.", likelihood="realistic possibility")
    book["Statements"][2]["text"] = "There is a realistic possibility that trade keeps growing."
    text = paragraphs(built_briefing(tmp_path, "book", book))
    assert "There is a realistic possibility that trade keeps growing." in text
    (grades,) = [p for p in text if p.startswith("Realistic possibility (")]
    assert grades.startswith("Realistic possibility (40\u201350%). We have low confidence")
    document = Document(str(tmp_path / "book.docx"))
    scale = next(t for t in document.tables if t.rows[0].cells[1].text == "Remote chance")
    assert [c.text for c in scale.rows[0].cells] == [
        "Likelihood",
        "Remote chance",
        "Highly unlikely",
        "Unlikely",
        "Realistic possibility",
        "Likely",
        "Highly likely",
        "Almost certain",
    ]
    assert [c.text for c in scale.rows[2].cells][1:] == [
        "\u22645%",
        "10\u201320%",
        "25\u201335%",
        "40\u201350%",
        "55\u201375%",
        "80\u201390%",
        "\u226595%",
    ]
    assert any("UK Professional Head of Intelligence Analysis" in p for p in text)


def test_a_phia_desk_is_refused_icd_203s_words(book, write):
    book["Briefing"]["yardstick"] = "PHIA"
    book["Statements"][2].update(text="Trade will very likely keep growing.", likelihood="very likely")
    found = validate(load(write(book)))
    assert [(p.severity, p.sheet, p.cell, p.code) for p in found] == [
        (Severity.ERROR, "Statements", "L4", "not-allowed"),
    ]
    assert "PHIA" in found[0].message and "realistic possibility (40\u201350%)" in found[0].message
    book["Statements"][2].update(likelihood="highly likely")
    found = validate(load(write(book)))
    assert [(p.sheet, p.cell, p.code) for p in found] == [("Statements", "C4", "likelihood-mismatch")]
    assert "'very likely', which is not a word of the PHIA yardstick" in found[0].message
    # And an ICD 203 desk is refused PHIA's.
    del book["Briefing"]["yardstick"]
    book["Statements"][2].update(text="There is a realistic possibility trade grows.", likelihood="realistic possibility")
    assert [(p.sheet, p.cell, p.code) for p in validate(load(write(book)))] == [
        ("Statements", "L4", "not-allowed"),
    ]


def test_a_key_point_the_bottom_line_says_in_other_words_is_left_out(book, tmp_path):
    book["Briefing"]["summary"] = (
        "The military side matters most to Washington: Iran's forces hosted drone drills with Russia's in August, and the "
        "United States says Moscow is preparing to receive Iranian drones for use in Ukraine, which Tehran denies."
    )
    book["Statements"][0]["text"] = "Moscow is preparing to receive Iranian drones for use in the war in Ukraine."
    text = paragraphs(built_briefing(tmp_path, "book", book))
    assert "Key points" not in text  # its one key point the bottom line already says
    assert text.count("Moscow is preparing to receive Iranian drones for use in the war in Ukraine.") == 1  # in its chapter


def test_values_of_one_measure_from_independent_origins_agree_in_the_note(book, tmp_path):
    """About 4.2 and 4 can both be true: each value's note names the other with its source and
    its hedge. A repost of Publisher One's 4 agrees with Publisher Two, but neither with Publisher
    One nor, beside Publisher One, as a second confirmation of Publisher Two."""
    relaying(book)
    book["Figures"][1].update(indicator="Bilateral trade", qualifier="about", value=4.2)
    book["Figures"].append(
        {
            "figure_id": "F03",
            "section_id": "trade",
            "indicator": "Bilateral trade",
            "value": 4,
            "unit": "USD bn",
            "period": "2021",
            "source_id": "S3",
        }
    )
    path = built_briefing(tmp_path, "agreeing", book)
    (table,) = [t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "Indicator" and len(t.rows) == 4]
    notes = {(row.cells[1].text, row.cells[-1].text) for row in table.rows[1:]}
    assert notes == {
        ("4", "According to Russia.\nAgrees with Publisher Two: about 4.2 USD bn."),
        ("about 4.2", "Agrees with Publisher One: 4 USD bn, according to Russia."),
        ("4", "Agrees with Publisher Two: about 4.2 USD bn."),
    }


def test_a_relay_that_differs_is_named_as_relaying_its_origin_not_as_a_source_of_its_own(book, tmp_path):
    """Publisher One gives 4, Publisher Two 6, and Aggregator, reposting Publisher One, 5: the
    notes count two origins that differ, as the agreement line would, and say the 5 is the
    same origin's, relayed."""
    relaying(book)
    book["Figures"][1].update(indicator="Bilateral trade", value=6)
    book["Figures"].append(dict(book["Figures"][1], figure_id="F03", value=5, source_id="S3"))
    book["Charts"][0]["figures"] = "F01, F02, F03"
    path = tmp_path / "relayed.docx"
    built = pipeline.build(write_workbook(tmp_path / "relayed.xlsx", book), path)
    problems = built.checked.problems
    # The 5 differs from Publisher Two's 6, and from the 4 of the origin it relays, which the validator says as such.
    assert [(p.cell, p.code) for p in problems] == [
        ("D3", "conflicting-figures"),
        ("D4", "conflicting-figures"),
        ("D4", "source-gives-two-values"),
    ]
    assert "6 from S2" in problems[1].message and "4 from S1" not in problems[1].message
    assert "4 from S1 at Figures!D2, of the same origin" in problems[2].message
    assert "a repost cannot differ from what it repeats" in problems[2].message
    tables = [t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "Indicator"]
    assert len(tables) == 2  # the key figures, which show every value of a key one, and the chapter's
    for table in tables:
        assert [(row.cells[1].text, row.cells[-1].text) for row in table.rows[1:]] == [
            (
                "4",
                "According to Russia.\nSources differ: Publisher Two gives 6 USD bn.\nAggregator, relaying Publisher One, gives 5 USD bn.",
            ),
            ("6", "Sources differ: Publisher One gives 4 USD bn; Aggregator, relaying Publisher One, gives 5 USD bn."),
            ("5", "Sources differ: Publisher Two gives 6 USD bn.\nPublisher One, which Aggregator relays, gives 4 USD bn."),
        ]
