"""The sample workbook analysts copy: exactly what `init` writes plus the sample's content, as
its script declares it, and a reading of the article an editor would sign. The tests read the
sample as the script writes it (conftest's `sample_xlsx`); one checks the shipped file."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from inputs import russia_iran_ties as sample
from pipeline.workbook import blank

from .conftest import ROOT
from .test_init import summary


def test_the_sample_carries_exactly_the_data_validation_init_writes(tmp_path, sample_xlsx):
    written = tmp_path / "blank.xlsx"
    blank.write(written)
    assert summary(sample_xlsx) == summary(written)
    ours, theirs = load_workbook(sample_xlsx), load_workbook(written)
    assert {name: n.attr_text for name, n in ours.defined_names.items()} == {
        name: n.attr_text for name, n in theirs.defined_names.items()
    }
    assert ours.sheetnames == theirs.sheetnames
    assert list(ours["Instructions"].values) == list(theirs["Instructions"].values)


@pytest.mark.shipped
def test_the_shipped_sample_is_what_its_script_writes(tmp_path):
    """The one test of inputs/russia_iran_ties.xlsx itself, as committed: after a change to the
    contract or the content, `make sample` writes it again. Not part of make test, which must
    pass after the desk edits that workbook; CI, on a fresh clone, runs it (make sample-check)."""
    shipped, written = ROOT / "inputs" / "russia_iran_ties.xlsx", sample.write(tmp_path / "sample.xlsx")
    assert summary(shipped) == summary(written)
    ours, theirs = load_workbook(shipped), load_workbook(written)
    assert ours.sheetnames == theirs.sheetnames
    for name in theirs.sheetnames:
        assert list(ours[name].values) == list(theirs[name].values), name


def test_the_sample_reads_the_article_as_an_editor_would(tmp_path):
    content = sample.CONTENT
    # The Kashan drone exercise is one event, which the article mentions twice.
    drills = [e for e in content["Events"] if e["date"].startswith("2022-08") and "drone" in e["event"]]
    assert len(drills) == 1 and "Kashan" in drills[0]["event"]
    # "According to Russia" goes with the 2021 figures only, not this year's growth.
    russian = [f for f in content["Figures"] if f.get("attribution") == "according to Russia"]
    assert russian and {f["period"] for f in russian} == {"2021"}
    # The carpet seller's remarks keep his name wherever they are printed.
    seller = [f for f in content["Figures"] if "carpet seller" in f["indicator"]]
    assert seller and all("Hossein" in f["attribution"] for f in seller)
    # Every chapter intro cites the article; the desk's own words are its judgements.
    assert all(s.get("source_id") == "S1" and s.get("locator") for s in content["Sections"])
    judgements = [s for s in content["Statements"] if s["kind"] == "assessment"]
    assert 3 <= len(judgements) <= 4 and all(s["key"] == "Y" and s["likelihood"] and s["confidence"] for s in judgements)


def test_the_articles_own_judgements_are_its_views_and_intros_introduce_rather_than_repeat():
    content = sample.CONTENT
    # What the article says in its own voice as its judgement prints as its view, not the desk's fact.
    for judged in (
        "staunch American foes",
        "has accelerated efforts",
        "weighed down",
        "need trade partners badly",
        "rare success",
    ):
        (statement,) = [s for s in content["Statements"] if judged in s["text"]]
        assert statement["kind"] == "view", judged
    # An intro says what its chapter covers: no run of five words of it is printed again below it.
    for section in content["Sections"]:
        items = content["Statements"] + content["Events"]
        below = [item.get("text") or item["event"] for item in items if item["section_id"] == section["section_id"]]
        repeated = [text for text in below if _runs(section["intro"]) & _runs(text)]
        assert not repeated, section["section_id"]


def _runs(text: str, length: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"[\w’'-]+", text.lower())
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}
