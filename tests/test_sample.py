"""The sample workbook analysts copy: exactly what `init` writes plus the sample's content, as
its script declares it, and a reading of the article an editor would sign."""

from __future__ import annotations

from openpyxl import load_workbook

from inputs import russia_iran_ties as sample
from pipeline.workbook import blank

from .conftest import SAMPLE
from .test_init import summary


def test_the_sample_carries_exactly_the_data_validation_init_writes(tmp_path):
    written = tmp_path / "blank.xlsx"
    blank.write(written)
    assert summary(SAMPLE) == summary(written)
    ours, theirs = load_workbook(SAMPLE), load_workbook(written)
    assert {name: n.attr_text for name, n in ours.defined_names.items()} == {
        name: n.attr_text for name, n in theirs.defined_names.items()
    }
    assert ours.sheetnames == theirs.sheetnames
    assert list(ours["Instructions"].values) == list(theirs["Instructions"].values)


def test_the_sample_is_what_its_script_writes(tmp_path):
    """So that after a change to the contract, `python -m inputs.russia_iran_ties` writes it again."""
    written = tmp_path / "sample.xlsx"
    blank.filled(sample.CONTENT).save(written)
    ours, theirs = load_workbook(SAMPLE), load_workbook(written)
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
