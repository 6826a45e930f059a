"""Read the analysts' workbook into typed records that remember their sheet and cell.

The workbook is opened read-only and never written. Each cell is typed by its contract column;
a cell that cannot be typed keeps its raw value and a `CellIssue` for the validator to report.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from .contract import FLAG_WORDS, KEY_VALUE_HEADERS, SHEETS, Column, ColumnType, Sheet
from .dates import PartialDate


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook at all; the message says why and what to do."""


@dataclass(frozen=True)
class CellIssue:
    code: str
    message: str


@dataclass(frozen=True)
class Cell:
    ref: str  # "F7"
    raw: object  # what Excel holds (a formula's cached result)
    value: object  # typed by the column; None when blank or unreadable
    issue: CellIssue | None = None

    @property
    def is_blank(self) -> bool:
        return self.raw is None or (isinstance(self.raw, str) and not self.raw.strip())


@dataclass(frozen=True)
class Record:
    """One data row. `cells` holds the contract columns the sheet has."""

    sheet: str
    row: int
    cells: dict[str, Cell]

    def value(self, column: str) -> object:
        cell = self.cells.get(column)
        return None if cell is None else cell.value

    def ref(self, column: str) -> str | None:
        cell = self.cells.get(column)
        return None if cell is None else cell.ref


@dataclass
class SheetData:
    contract: Sheet
    title: str  # the sheet's name as the workbook spells it
    columns: dict[str, str]  # contract column -> column letter where it was found
    headers: list[str]  # every header in row 1, as written
    records: list[Record] = field(default_factory=list)

    def fields(self) -> dict[str, Cell]:
        """A key-value sheet's fields: name -> value cell, the first row of each name."""
        found: dict[str, Cell] = {}
        for record in self.records:
            name = record.value("field")
            if isinstance(name, str) and name.casefold() not in found and "value" in record.cells:
                found[name.casefold()] = record.cells["value"]
        return found


@dataclass
class LoadedWorkbook:
    path: Path
    sheets: dict[str, SheetData]  # by contract sheet name; a missing sheet is absent
    sheet_titles: list[str]  # every worksheet, as the workbook names them

    def records(self, sheet_name: str) -> list[Record]:
        data = self.sheets.get(sheet_name)
        return data.records if data else []


def load(path: str | Path) -> LoadedWorkbook:
    """Read `path`; raise WorkbookUnreadable if it is not a workbook openpyxl can read."""
    path = Path(path)
    _check_file(path)
    titles, raw_sheets = _read_sheets(path)
    return LoadedWorkbook(path, {raw.contract.name: _typed_sheet(raw) for raw in raw_sheets}, titles)


# --- the file ---------------------------------------------------------------------------------

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_file(path: Path) -> None:
    if not path.exists():
        raise WorkbookUnreadable(f"{path} does not exist. Check the path, or create a blank workbook with `init`.")
    if path.is_dir():
        raise WorkbookUnreadable(f"{path} is a folder, not a workbook. Give the path of the .xlsx file.")
    suffix = path.suffix.lower()
    if suffix in {".xls", ".xlsb", ".ods", ".csv"}:
        raise WorkbookUnreadable(
            f"{path} is a {suffix} file; the pipeline reads Excel workbooks (.xlsx). "
            "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise WorkbookUnreadable(f"{path} is empty (0 bytes). Save the workbook again from Excel.")
    if head == _OLE2_SIGNATURE:
        raise WorkbookUnreadable(
            f"{path} is password-protected or an old-format (.xls) workbook. "
            "Remove the password, or save it as 'Excel Workbook (.xlsx)', and try again."
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookUnreadable(f"{path} is not an Excel workbook (an .xlsx file is a zip package, and this is not one).")


@dataclass
class _RawSheet:
    """A contract sheet as read, before typing."""

    contract: Sheet
    title: str
    headers: list[str]  # every header in row 1, as written
    columns: dict[str, int]  # contract column -> 0-based index
    rows: list[tuple[int, dict[str, tuple[object, str]]]]  # (row number, {column: (raw, openpyxl data type)})

    def ref(self, column: str, row: int) -> str:
        return f"{get_column_letter(self.columns[column] + 1)}{row}"


def _read_sheets(path: Path) -> tuple[list[str], list[_RawSheet]]:
    """Every worksheet's title, and the contract sheets' headers and rows.

    Formulas are read as formulas, so that none goes unnoticed; if there are any, a second
    pass reads their cached results, which is what Excel shows.
    """
    with _opened(path, data_only=False) as workbook:
        if not workbook.worksheets:
            raise WorkbookUnreadable(
                f"{path} has no worksheets that can be read. If it was saved as 'Strict Open XML', "
                "save it as 'Excel Workbook (.xlsx)' instead."
            )
        titles = [ws.title for ws in workbook.worksheets]
        by_name = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
        raw_sheets = [
            _read_rows(by_name[sheet.name.casefold()], sheet) for sheet in SHEETS if sheet.name.casefold() in by_name
        ]
    formulas = {
        (raw.title, raw.ref(name, number)): (cells, name)
        for raw in raw_sheets
        for number, cells in raw.rows
        for name, (_, kind) in cells.items()
        if kind == "f"
    }
    if formulas:
        with _opened(path, data_only=True) as workbook:
            for title in {title for title, _ in formulas}:
                worksheet = workbook[title]
                worksheet.reset_dimensions()
                for row in worksheet.iter_rows():
                    for cell in row:
                        target = formulas.get((title, getattr(cell, "coordinate", None)))
                        if target:
                            cells, name = target
                            cells[name] = (cell.value, "formula")
    return titles, raw_sheets


@contextmanager
def _opened(path: Path, data_only: bool):
    """The workbook, read-only; whatever openpyxl raises on a malformed package (anything
    from KeyError to TypeError) becomes a WorkbookUnreadable that says so."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (slicers, extensions): they hold no values.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:
        raise WorkbookUnreadable(f"{path} could not be read as an Excel workbook: {_reason(exc)}") from exc
    try:
        yield workbook
    except WorkbookUnreadable:
        raise
    except Exception as exc:
        raise WorkbookUnreadable(f"{path} could not be read as an Excel workbook: {_reason(exc)}") from exc
    finally:
        workbook.close()


def _reason(exc: Exception) -> str:
    """The library's own words, first line only: the rest addresses programmers."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) < 300 else text[:300] + "…"


def _normal(header: object) -> str:
    return str(header).strip().casefold() if header is not None else ""


def _read_rows(worksheet, sheet: Sheet) -> _RawSheet:
    """The header row, and the rows that hold anything in the contract's columns."""
    # The declared dimension can claim a million rows by 16,384 columns for a handful of cells:
    # forget it, so that only the cells really present are visited.
    worksheet.reset_dimensions()
    wanted = KEY_VALUE_HEADERS if sheet.key_value else tuple(c.name for c in sheet.columns)
    rows_iter = worksheet.iter_rows()
    header = next(rows_iter, ())
    headers = [str(cell.value).strip() for cell in header if cell.value is not None]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _normal(cell.value)
        if name in wanted and name not in columns:
            columns[name] = index
    raw = _RawSheet(sheet, worksheet.title, headers, columns, [])
    if not columns:
        rows_iter.close()
        return raw
    for number, row in enumerate(rows_iter, start=2):
        cells = {}
        for name, index in columns.items():
            cell = row[index] if index < len(row) else None
            value = getattr(cell, "value", None)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            cells[name] = (value, getattr(cell, "data_type", "n"))
        if cells:
            raw.rows.append((number, cells))
    return raw


# --- typing -----------------------------------------------------------------------------------


def _typed_sheet(raw: _RawSheet) -> SheetData:
    sheet = raw.contract
    letters = {name: get_column_letter(index + 1) for name, index in raw.columns.items()}
    data = SheetData(sheet, raw.title, letters, raw.headers)
    typing = {name: _FIELD_AS_TEXT if sheet.key_value else sheet.column(name) for name in letters}
    fields = {column.name: column for column in sheet.columns}
    for number, raw_cells in raw.rows:
        if sheet.key_value:  # the row's field says how to type its value
            field = _normal(raw_cells.get("field", _BLANK)[0])
            typing["value"] = fields.get(field, _FIELD_AS_TEXT)
        cells = {
            name: _typed_cell(f"{letter}{number}", *raw_cells.get(name, _BLANK), typing[name])
            for name, letter in letters.items()
        }
        data.records.append(Record(raw.title, number, cells))
    return data


_BLANK = (None, "n")
_FIELD_AS_TEXT = Column("field", ColumnType.TEXT, "")


def _typed_cell(ref: str, raw: object, kind: str, column: Column) -> Cell:
    if raw is None:
        issue = CellIssue("formula-without-value", _FORMULA_WITHOUT_VALUE) if kind == "formula" else None
        return Cell(ref, None, False if column.type is ColumnType.FLAG else None, issue)
    if kind == "e" or (kind == "formula" and isinstance(raw, str) and raw in ERROR_CODES):
        return Cell(ref, raw, None, CellIssue("excel-error", f"holds the Excel error {raw}. Correct the formula or type the value."))
    try:
        return Cell(ref, raw, _PARSERS[column.type](raw, column))
    except _Untyped as problem:
        return Cell(ref, raw, None, CellIssue(problem.code, problem.message))


_FORMULA_WITHOUT_VALUE = (
    "holds a formula that has never been calculated, so there is no value to read. "
    "Open the workbook in Excel and save it, or type the value."
)


class _Untyped(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# Excel writes characters XML cannot carry as _xHHHH_ escapes; openpyxl leaves them escaped.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters Word cannot hold: the C0 controls except tab, newline and carriage return, and
# the surrogates an _xD800_ escape can spell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def _shown(raw: object) -> str:
    text = str(raw)
    return f'"{text}"' if len(text) <= 60 else f'"{text[:57]}…"'


def _text(raw: object, column: Column) -> str:
    if isinstance(raw, bool):
        raise _Untyped("wrong-type", f"holds TRUE/FALSE where {column.type.value} is expected.")
    if isinstance(raw, (dt.datetime, dt.date, dt.time)):
        raise _Untyped(
            "date-in-text-column",
            f"holds the date {raw:%Y-%m-%d}, but {column.name} is text. If Excel turned your text into a date, "
            "type it again starting with an apostrophe (for example 'Jul 2022).",
        )
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), str(raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Checked before trimming: strip() would silently drop the controls \x1c-\x1f at either end.
    if _CONTROL.search(text):
        raise _Untyped("control-character", "contains an invisible control character that Word cannot show. Retype the text.")
    return text.strip()


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def _identifier(raw: object, column: Column) -> str:
    text = _text(raw, column)
    if not _ID.fullmatch(text):
        raise _Untyped(
            "bad-id",
            f"is {_shown(text)}; an identifier uses only letters, digits, '-', '_' or '.', with no spaces.",
        )
    return text


def _number(raw: object, column: Column) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        hint = _number_hint(raw)
        raise _Untyped("not-a-number", f"holds {_shown(raw)}, which is not a number.{hint}")
    try:
        number = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):  # 1E+309 in the file reads as infinity
        raise _Untyped("not-a-number", f"holds {_shown(raw)}, which is beyond the numbers a workbook can hold.")
    return number


def _number_hint(raw: object) -> str:
    """Suggest the number an analyst probably meant by text such as "4,0" or "$4 bn"."""
    digits = re.sub(r"[^\d,.\-]", "", str(raw))
    decimal_comma = re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}", digits)
    digits = digits.replace(",", ".") if decimal_comma else digits.replace(",", "")
    try:
        suggestion = float(digits)
    except ValueError:
        return " Type the number alone, and put its unit in the unit column."
    return f" Did you mean {_number_text(suggestion)}? Type the number alone, with its unit in the unit column."


def _integer(raw: object, column: Column) -> int:
    number = _number(raw, column)
    if not number.is_integer():
        raise _Untyped("not-a-whole-number", f"holds {_number_text(number)}, but {column.name} takes a whole number.")
    return int(number)


def _date(raw: object, column: Column) -> dt.date:
    date = _partial_date(raw, column)
    if not date.is_full:
        raise _Untyped("incomplete-date", f"holds {date.iso()}, but {column.name} needs a full date (YYYY-MM-DD).")
    return date.start


def _partial_date(raw: object, column: Column) -> PartialDate:
    if isinstance(raw, (dt.datetime, dt.date)):
        return PartialDate.of(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
        return PartialDate(raw)  # a year typed as a number
    if isinstance(raw, str):
        try:
            return PartialDate.parse(raw)
        except ValueError as exc:
            raise _Untyped("bad-date", f"{exc}.") from None
    raise _Untyped("bad-date", f"holds {_shown(raw)}, which is not a date. Type it as YYYY-MM-DD or format the cell as a date.")


def _flag(raw: object, column: Column) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().casefold()
    if word not in FLAG_WORDS:
        raise _Untyped("not-allowed", f"holds {_shown(raw)}; {column.name} takes Y or N.")
    return FLAG_WORDS[word]


def _choice(raw: object, column: Column) -> str:
    text = _number_text(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip()
    for value in column.choice_values:
        if text.casefold() == value.casefold():
            return value
    allowed = ", ".join(column.choice_values)
    raise _Untyped("not-allowed", f"holds {_shown(raw)}; {column.name} must be one of: {allowed}.")


def _identifiers(raw: object, column: Column) -> tuple[str, ...]:
    parts = [part.strip() for part in _text(raw, column).split(",")]
    bad = [part for part in parts if not _ID.fullmatch(part)]
    if bad:
        raise _Untyped("bad-id", f"holds {_shown(raw)}; list identifiers separated by commas, like F01, F02.")
    return tuple(parts)


_PARSERS = {
    ColumnType.TEXT: _text,
    ColumnType.ID: _identifier,
    ColumnType.INTEGER: _integer,
    ColumnType.NUMBER: _number,
    ColumnType.DATE: _date,
    ColumnType.PARTIAL_DATE: _partial_date,
    ColumnType.FLAG: _flag,
    ColumnType.CHOICE: _choice,
    ColumnType.ID_LIST: _identifiers,
}
