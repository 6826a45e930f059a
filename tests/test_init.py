"""`init`'s blank workbook helps before validation does: Excel's own data validation, derived
from the contract, survives a save by openpyxl and by LibreOffice, and a filled-in copy validates."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from pipeline.cli import main
from pipeline.contract import SHEETS, ColumnType, sheet
from pipeline.workbook import blank as blank_workbook

from .conftest import ROOT, VALID


@pytest.fixture(scope="session")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("init") / "blank.xlsx"
    blank_workbook.write(path)
    return path


def rules(path: Path) -> dict[tuple[str, str], object]:
    """Every data validation, by sheet and the first cell of each range it covers."""
    workbook = load_workbook(path)
    return {
        (worksheet.title, cells.coord.split(":")[0]): validation
        for worksheet in workbook.worksheets
        for validation in worksheet.data_validations.dataValidation
        for cells in validation.sqref.ranges
    }


def first_cells():
    """(sheet, column, first data cell) for every column and Briefing field of the contract."""
    for s in SHEETS:
        for index, column in enumerate(s.columns):
            yield s.name, column, f"B{index + 2}" if s.key_value else f"{get_column_letter(index + 1)}2"


def test_enumerated_columns_offer_their_values_and_refuse_others(blank):
    found = rules(blank)
    for sheet_name, column, cell in first_cells():
        if column.type not in (ColumnType.CHOICE, ColumnType.FLAG):
            continue
        values = column.choice_values or ("Y", "N")
        assert not any("," in value for value in values)
        rule = found[sheet_name, cell]
        assert (rule.type, rule.formula1, rule.errorStyle) == ("list", '"' + ",".join(values) + '"', "stop"), (
            sheet_name,
            column.name,
        )
        assert len(rule.formula1) <= 257  # Excel's limit on an inline list, within its quotes


def test_reference_columns_offer_the_ids_of_the_sheet_they_name(blank):
    found = rules(blank)
    names = load_workbook(blank).defined_names
    checked = set()
    for sheet_name, column, cell in first_cells():
        if column.type is not ColumnType.ID or not column.references:
            continue
        target = sheet(column.references)
        rule = found[sheet_name, cell]
        # A warning, so that an id can be typed before its row exists.
        assert (rule.type, rule.formula1, rule.errorStyle) == ("list", blank_workbook.id_list_name(target), "warning")
        letter = get_column_letter(target.columns.index(target.id_column) + 1)
        assert f"'{target.name}'!${letter}$2" in names[rule.formula1].attr_text
        checked.add((sheet_name, column.name))
    assert ("Statements", "source_id") in checked and ("Events", "section_id") in checked


def test_dates_numbers_and_ids_are_constrained(blank):
    found = rules(blank)
    expected = {ColumnType.DATE: "date", ColumnType.NUMBER: "decimal", ColumnType.INTEGER: "whole"}
    for sheet_name, column, cell in first_cells():
        rule = found[sheet_name, cell]
        if column.type in expected:
            assert (rule.type, rule.operator, rule.errorStyle) == (expected[column.type], "between", "stop")
        elif column.type is ColumnType.ID and column.unique:
            assert rule.type == "custom" and f"COUNTIF(${cell[0]}:${cell[0]},{cell})=1" in rule.formula1
        elif column.type in (ColumnType.TEXT, ColumnType.PARTIAL_DATE, ColumnType.ID_LIST):
            assert rule.type is None  # no rule Excel could apply: only the input message
    assert found["Briefing", "B4"].type == "date"  # the as_of row


def test_every_cell_says_what_its_column_holds_within_excels_limits(blank):
    found = rules(blank)
    for sheet_name, column, cell in first_cells():
        rule = found[sheet_name, cell]
        assert rule.showInputMessage and rule.promptTitle == column.name
        assert column.description in rule.prompt and column.requirement in rule.prompt.lower()
        assert len(rule.prompt) <= blank_workbook.MESSAGE_LIMIT
        if rule.type:
            assert rule.showErrorMessage and rule.error
            assert len(rule.errorTitle) <= blank_workbook.TITLE_LIMIT and len(rule.error) <= blank_workbook.MESSAGE_LIMIT
        whole_column = not sheet(sheet_name).key_value
        assert str(rule.sqref).endswith("1048576") == whole_column


def test_cells_keep_what_is_typed_where_excel_would_turn_it_into_a_date(blank):
    workbook = load_workbook(blank)
    for sheet_name, column, cell in first_cells():
        worksheet = workbook[sheet_name]
        shown = (
            worksheet[cell].number_format if sheet(sheet_name).key_value else worksheet.column_dimensions[cell[0]].number_format
        )
        if column.type in (ColumnType.PARTIAL_DATE, ColumnType.TEXT, ColumnType.ID):
            assert shown == "@", (sheet_name, column.name)
        elif column.type is ColumnType.DATE:
            assert shown == "yyyy-mm-dd", (sheet_name, column.name)


def summary(path: Path) -> dict:
    return {
        place: (rule.type, rule.formula1, rule.formula2, rule.errorStyle, rule.promptTitle, rule.prompt, rule.error)
        for place, rule in rules(path).items()
    }


def test_validations_survive_an_openpyxl_round_trip(blank, tmp_path):
    copy = tmp_path / "copy.xlsx"
    load_workbook(blank).save(copy)
    assert summary(copy) == summary(blank)
    assert set(load_workbook(copy).defined_names) == set(load_workbook(blank).defined_names)


def fill(path: Path, book: dict) -> None:
    """Type `book` (as in conftest) into the blank workbook's own rows and columns."""
    workbook = load_workbook(path)
    for s in SHEETS:
        worksheet = workbook[s.name]
        if s.key_value:
            rows = {worksheet.cell(row, 1).value: row for row in range(2, worksheet.max_row + 1)}
            for name, value in book[s.name].items():
                worksheet.cell(rows[name], 2, value)
        else:
            letters = {cell.value: cell.column for cell in worksheet[1]}
            for row, values in enumerate(book[s.name], start=2):
                for name, value in values.items():
                    worksheet.cell(row, letters[name], value)
    workbook.save(path)


def test_the_blank_filled_in_validates(blank, tmp_path, capsys):
    filled = tmp_path / "filled.xlsx"
    shutil.copy(blank, filled)
    fill(filled, VALID)
    assert main(["validate", str(filled)]) == 0, capsys.readouterr().out
    assert summary(filled) == summary(blank)


# --- a write that fails ---------------------------------------------------------------------


def init_limited_to(path: Path, file_size: int) -> subprocess.CompletedProcess:
    """`init` in a process that may write no file larger than `file_size` bytes: as on a disk
    that fills up while it writes."""

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [sys.executable, "-m", "pipeline", "init", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=limit,
        timeout=60,
    )


def test_a_write_that_fails_leaves_nothing_and_says_so_in_one_sentence(tmp_path):
    path = tmp_path / "new.xlsx"
    result = init_limited_to(path, 4096)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: could not write {path}: File too large, in the temporary folder {tempfile.gettempdir()}. "
        "The file is larger than this session may write (ulimit -f): raise the limit, or write elsewhere.\n"
    )
    assert list(tmp_path.iterdir()) == []
    # Nothing is left to refuse a second run.
    assert main(["init", str(path)]) == 0
    assert load_workbook(path).sheetnames[0] == "Instructions"


def test_a_save_that_fails_partway_leaves_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "new.xlsx"

    def disk_full(workbook, target):  # half a zip, wherever openpyxl is told to write, then no space
        if isinstance(target, (str, os.PathLike)):
            Path(target).write_bytes(b"PK\x03\x04 half a zip")
        else:
            target.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Workbook, "save", disk_full)
    assert main(["init", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: could not write {path}: No space left on device. The disk is full: free some space, or write to another disk.\n"
    )
    assert list(tmp_path.iterdir()) == []


# --- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.reader
def test_libreoffice_opens_the_blank_and_keeps_its_validations(blank, calc, tmp_path):
    probe = tmp_path / "probe.xlsx"
    shutil.copy(blank, probe)
    workbook = load_workbook(probe)
    workbook["Sources"].append(["S1"])
    workbook["Sources"].append(["S2"])
    # Formulas over the reference lists: LibreOffice must read the names as ranges of ids.
    workbook["Figures"]["M2"] = "=ROWS(source_ids)"
    workbook["Figures"]["M3"] = "=INDEX(source_ids,2)"
    workbook["Figures"]["M4"] = "=ROWS(section_ids)"
    workbook.save(probe)

    out = calc("xlsx", blank, probe)
    resaved = out / blank.name
    assert resaved.exists() and (out / probe.name).exists()
    figures = load_workbook(out / probe.name, data_only=True)["Figures"]
    assert (figures["M2"].value, figures["M3"].value, figures["M4"].value) == (2, "S2", 1)

    # LibreOffice writes typeless rules with a dummy formula and may shorten the ranges, so
    # what it must keep is each rule, formula and message at every column's first cell.
    before, after = summary(blank), summary(resaved)
    assert after.keys() == before.keys()
    for place, (kind, formula1, _formula2, style, title, prompt, error) in before.items():
        assert (after[place][4], after[place][5]) == (title, prompt), place
        if kind:
            assert after[place][:2] == (kind, formula1) and after[place][3] == style and after[place][6] == error, place
    assert set(load_workbook(resaved).defined_names) == set(load_workbook(blank).defined_names)
    assert main(["validate", str(resaved)]) == 1  # readable: it only lacks the briefing's fields

    pdf = calc("pdf", blank) / "blank.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_instructions_say_how_to_name_another_workbook_and_build_them_all(tmp_path):
    path = tmp_path / "new.xlsx"
    assert main(["init", str(path)]) == 0
    told = " ".join(str(row[0]) for row in load_workbook(path)["Instructions"].iter_rows(values_only=True) if row[0])
    assert "make report WORKBOOK=inputs/this.xlsx" in told and "make reports" in told
