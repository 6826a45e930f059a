"""The contract is data that holds together, and everything that describes it agrees with it."""

from __future__ import annotations

import openpyxl
import pytest

from pipeline import docs
from pipeline.briefing.editions import Edition, snapshot
from pipeline.checks.validate import check
from pipeline.contract import SHEETS, ColumnType, StatementKind, UndeclaredColumn, sheet
from pipeline.rows import BriefingFields, StatementRow, UncheckedFigureRow
from pipeline.workbook.load import load

from .conftest import ROOT, VALID, write_workbook


def test_column_names_are_unique_lowercase_words():
    for s in SHEETS:
        names = [c.name for c in s.columns]
        assert len(names) == len(set(names)), s.name
        assert all(n == n.lower().strip() and " " not in n for n in names)


def test_every_table_sheet_has_one_id_column():
    for s in SHEETS:
        ids = [c for c in s.columns if c.unique]
        assert len(ids) == (0 if s.key_value else 1), s.name
        if not s.key_value:
            assert s.id_column.required and s.id_column.type is ColumnType.ID


def test_references_name_a_sheet_with_an_id_column():
    for s in SHEETS:
        for column in s.columns:
            if column.references:
                assert sheet(column.references).id_column is not None
                assert column.type in (ColumnType.ID, ColumnType.ID_LIST)


def test_choices_and_conditions_are_well_formed():
    for s in SHEETS:
        for column in s.columns:
            assert bool(column.choices) == (column.type is ColumnType.CHOICE), column.name
            if column.required_when:
                other, values = column.required_when
                assert set(values) <= set(s.column(other).choice_values)


def test_the_test_workbook_covers_every_sheet():
    assert set(VALID) == {s.name for s in SHEETS}


def test_the_reference_contract_is_generated_from_the_code():
    readme = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert docs.with_generated(readme) == readme, "run `make docs` to update the reference's generated tables"


def test_the_typed_rows_are_generated_from_the_contract():
    assert (ROOT / "pipeline" / "rows.py").read_text(encoding="utf-8") == docs.rows_module()


def test_a_row_read_by_a_column_its_sheet_does_not_declare_raises_and_one_it_lacks_reads_blank(tmp_path):
    path = write_workbook(tmp_path / "book.xlsx", VALID)
    workbook = openpyxl.load_workbook(path)
    workbook["Statements"].delete_cols([c.name for c in sheet("Statements").columns].index("translation") + 1)
    workbook.save(path)
    loaded = load(path)
    record = loaded.records("Statements")[0]
    assert (record.value("translation"), record.cell("translation"), record.ref("translation")) == (None, None, None)
    edition = Edition.parse(snapshot(check(loaded).valid, None, None), "test")
    row = edition.records("Statements")[0]
    assert row.value("translation") is None
    # A misspelt column, and one of another sheet: neither reads as a blank.
    for read in (record.value, record.cell, record.ref, loaded.sheets["Statements"].column, row.value):
        for name in ("txet", "attribution"):
            with pytest.raises(UndeclaredColumn, match=f"Statements declares no column '{name}'"):
                read(name)


def test_typed_rows_read_each_column_as_its_type(tmp_path):
    loaded = load(write_workbook(tmp_path / "book.xlsx", VALID))
    valid = check(loaded).valid
    for rows in (valid.records("Statements"), Edition.parse(snapshot(valid, None, None), "test").records("Statements")):
        statement = StatementRow(rows[-1])
        assert statement.text == rows[-1].value("text") and isinstance(statement.text, str)
        assert statement.kind is StatementKind.ASSESSMENT and statement.key is True and isinstance(statement.source_id, tuple)
        assert StatementRow(rows[1]).key is False  # blank is N, in an edition too, which leaves it out
    assert isinstance(UncheckedFigureRow(loaded.records("Figures")[0]).value, float)
    assert BriefingFields(valid.fields()).title == VALID["Briefing"]["title"]


def test_the_readme_is_a_short_guide_whose_links_all_lead_somewhere():
    """The README is the analyst's guide, about 200 lines at most; it and the reference in docs/
    link to files and headings that exist."""
    import re

    def anchors(text: str) -> set[str]:  # as GitHub names a heading's anchor
        return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}

    readme = ROOT / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 200
    for page in (readme, *sorted((ROOT / "docs").glob("*.md"))):
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'src="([^"]+)"', text):
            if "://" in target:
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), f"{page.name} links to {target}"
            if anchor:
                assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{page.name} links to {target}"
