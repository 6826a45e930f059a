"""The workbook reader against openpyxl: the pipeline reads a package without openpyxl (whose
import, with numpy's, costs a fifth of a second a run), so it must read every cell as openpyxl
does, on the sample, on workbooks from other producers, and on every kind of number format."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest

from pipeline.workbook.excel import column_letter, column_number, range_bounds, shows_date, shows_duration, unescape
from pipeline.workbook.reader import SheetStream, opened_workbook

from .conftest import corpus, from_shared, repacked

# openpyxl warns of what it drops or cannot date (a serial beyond the calendar); the values are compared.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def ours(path: Path) -> dict[str, tuple[str, dict]]:
    """Each worksheet's state and its cells' values, by (row, column), as the pipeline reads them."""
    sheets = {}
    with opened_workbook(path) as package:
        for part in package.worksheets:
            stream = SheetStream(package, part)
            # An empty inline string is blank to both; openpyxl calls it None.
            cells = {
                (row, column): value for row, found in stream.rows() for column, value, _ in found if value not in (None, "")
            }
            sheets[part.title] = (part.state, cells)
    return sheets


def openpyxls(path: Path) -> dict[str, tuple[str, dict]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            if sheet.__class__.__name__ == "ReadOnlyWorksheet":
                sheet.reset_dimensions()  # the cells present, not the millions of empty ones a sheet may declare
                cells = {
                    (c.row, c.column): c.value
                    for row in sheet.iter_rows()
                    for c in row
                    if getattr(c, "value", None) not in (None, "")
                }
                sheets[sheet.title] = (sheet.sheet_state, cells)
        return sheets
    finally:
        workbook.close()


def same(path: Path, theirs: dict[str, tuple[str, dict]] | None = None) -> None:
    """`path` read by the pipeline as openpyxl reads it (`theirs`, where the caller has read it already)."""
    mine = ours(path)
    if theirs is None:
        theirs = openpyxls(path)
    assert mine.keys() == theirs.keys()
    for title, (state, cells) in theirs.items():
        assert mine[title][0] == state, title
        read = mine[title][1]
        assert read.keys() == cells.keys(), title
        for key, value in cells.items():
            if isinstance(value, str) and "_x" in value:
                continue  # openpyxl unescapes some _xHHHH_ in shared strings; the pipeline decodes them when typing
            assert (type(read[key]), read[key]) == (type(value), value), (title, key)


def test_the_sample_is_read_as_openpyxl_reads_it(sample_xlsx):
    same(sample_xlsx)


@pytest.mark.parametrize("path", corpus("*.xls[xm]"), ids=lambda p: p.name)
@pytest.mark.slow
def test_workbooks_from_other_producers_are_read_as_openpyxl_reads_them(path):
    try:
        theirs = openpyxls(from_shared(path))
    except Exception:
        pytest.skip("openpyxl cannot read it either")
    same(path, theirs)  # openpyxl's reading, the longer part, done once


FORMATS = [
    "General",
    "0",
    "0.00",
    "#,##0",
    "0%",
    "0.00E+00",
    "@",
    "yyyy-mm-dd",
    "d-mmm-yy",
    "mmm yyyy",
    "dd/mm/yyyy hh:mm",
    "h:mm AM/PM",
    "hh:mm:ss",
    "[h]:mm:ss",
    "[mm]:ss",
    "mm:ss.0",
    '"Day "0',
    "[$-409]d mmmm yyyy",
    "[Red]0.00",
    '0.00 "ms"',
    "yyyy\\-mm",
    "_(* #,##0_)",
    "[$€-2] #,##0.00",
]


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_every_kind_of_number_format_gives_the_value_openpyxl_gives(tmp_path, epoch):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    values = [0.25, 1, 59.5, 60, 61, 44782, 44782.54513888889, 1.5, -3, 2958465, 1e20]
    for row, number_format in enumerate(FORMATS, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.number_format = number_format
    sheet.cell(1, 20, True)
    sheet.cell(2, 20, "=1/0")
    path = tmp_path / "formats.xlsx"
    workbook.save(path)
    if epoch == "1904":
        path = repacked(
            path,
            tmp_path / "formats-1904.xlsx",
            {"xl/workbook.xml": lambda xml: xml.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>')},
        )
    same(path)


def test_the_excel_helpers_agree_with_openpyxls():
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format
    from openpyxl.utils import get_column_letter, range_boundaries
    from openpyxl.utils.escape import unescape as their_unescape

    for number in (1, 26, 27, 52, 702, 703, 16_384, 18_278):
        assert column_letter(number) == get_column_letter(number)
        assert column_number(column_letter(number)) == number
    for text in ("A1", "B2:D9", "$A$1:$C$3", "A:C", "2:5", "xfd1048576"):
        assert range_bounds(text) == range_boundaries(text), text
    for bad in ("", "1A", "A1:2", "AAAA1"):  # openpyxl makes an empty reference all Nones, to fail later
        with pytest.raises(ValueError):
            range_bounds(bad)
    for number_format in FORMATS + [None, "[h]", "[ss].00", '"y"0', "\\d0", "_d0"]:
        assert shows_date(number_format) == is_date_format(number_format), number_format
        assert shows_duration(number_format) == is_timedelta_format(number_format), number_format
    for text in ("a_x000D_b", "_x0041__x0042_", "no escape", "_xZZZZ_", "_x00e9_"):
        assert unescape(text) == their_unescape(text)


def test_reading_a_workbook_loads_neither_openpyxl_nor_numpy(tmp_path, sample_xlsx):
    """Validating and building need neither: only `init` and the annotated copy write with openpyxl."""
    import subprocess

    script = (
        "import sys, pipeline; pipeline.check(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'numpy', 'pandas')))"
    )
    loaded = subprocess.run([sys.executable, "-c", script, str(sample_xlsx)], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_date_stored_as_iso_text_is_read_as_a_date(tmp_path, sample_xlsx):
    path = repacked(sample_xlsx, tmp_path / "iso.xlsx", {})
    with opened_workbook(path) as package:
        stream = SheetStream(package, package.worksheets[0])
        assert stream._typed("2022-08-09", "d", None) == (dt.date(2022, 8, 9), "d")
        assert stream._typed("2022-08-09T13:05:00", "d", None) == (dt.datetime(2022, 8, 9, 13, 5), "d")
        assert stream._typed("13:05", "d", None) == (dt.time(13, 5), "d")
