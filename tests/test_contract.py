"""The contract is data that holds together, and everything that describes it agrees with it."""

from __future__ import annotations

from pipeline import docs
from pipeline.contract import SHEETS, ColumnType, sheet

from .conftest import ROOT, VALID


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


def test_readme_contract_is_generated_from_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.with_generated(readme) == readme, "run `make docs` to update the README's generated tables"
