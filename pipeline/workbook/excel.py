"""What Excel's stored forms mean: column letters and ranges, serial dates and the number
formats that show them, error values, and the _xHHHH_ escapes of characters XML cannot carry.

The same definitions openpyxl reads a package by, written here so that reading a workbook
imports neither openpyxl nor the numpy it brings (a fifth of a second on every run); openpyxl
is loaded only to write a workbook (`init`, the annotated copy). A test compares the two on
real workbooks.
"""

from __future__ import annotations

import datetime as dt
import re

# The values Excel shows for a formula that failed.
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")

MAX_COLUMN = 16_384  # XFD


def column_letter(number: int) -> str:
    """1 -> A, 28 -> AB."""
    if not 1 <= number <= 18_278:
        raise ValueError(f"{number} is not a column number")
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_number(letters: str) -> int:
    """A -> 1, ab -> 28; three letters at most, as Excel's columns go to XFD."""
    if not 1 <= len(letters) <= 3 or not (letters.isascii() and letters.isalpha()):
        raise ValueError(f"'{letters}' is not a column")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


_RANGE = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?(?::\$?([A-Za-z]{1,3})?\$?(\d+)?)?")


def range_bounds(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """A cell or range as (first column, first row, last column, last row): B2 -> (2, 2, 2, 2),
    A1:C3 -> (1, 1, 3, 3); a whole column or row leaves the other ends None (A:B, 2:5)."""
    match = _RANGE.fullmatch(text)
    if not match or not any(match.groups()):
        raise ValueError(f"{text} is not a cell or range")
    first_col, first_row, last_col, last_row = match.groups()
    if ":" in text:
        columns, rows = (first_col, last_col), (first_row, last_row)
        if not (all(columns + rows) or (all(columns) and not any(rows)) or (all(rows) and not any(columns))):
            raise ValueError(f"{text} is not a cell or range")
    first_col = column_number(first_col) if first_col else None
    last_col = column_number(last_col) if last_col else first_col
    first_row = int(first_row) if first_row else None
    last_row = int(last_row) if last_row else first_row
    return first_col, first_row, last_col, last_row


def closed_bounds(text: str) -> tuple[int, int, int, int] | None:
    """`range_bounds` of a cell or a range with all four ends; None for a whole row or column,
    or text that names no range."""
    try:
        first_col, first_row, last_col, last_row = range_bounds(text)
    except (TypeError, ValueError):
        return None
    if first_col is None or first_row is None or last_col is None or last_row is None:
        return None
    return first_col, first_row, last_col, last_row


_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """_x000D_ -> a carriage return: how OOXML spells characters XML cannot carry."""
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), text) if "_x" in text else text


# --- dates -------------------------------------------------------------------------------------

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def from_serial(
    serial: float, epoch: dt.datetime = WINDOWS_EPOCH, duration: bool = False
) -> dt.datetime | dt.time | dt.timedelta:
    """A date cell's serial number as the date and time it shows, to the millisecond: a time
    alone below 1, a duration where the format counts hours ([h]:mm). In the 1900 system,
    serials below 60 count Excel's 29 February 1900, which never was."""
    if duration:
        span = dt.timedelta(days=serial)
        if span.microseconds:
            span = dt.timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3))
        return span
    day, fraction = divmod(serial, 1)
    time = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and time.days == 0:
        return (dt.datetime.min + time).time()
    if 0 < serial < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + time


_ISO = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?"
)
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_iso(text: str) -> dt.datetime | dt.date | dt.time | dt.timedelta:
    """A date cell stored as ISO 8601 text (type "d"): a date, a time, both, or a duration."""
    match = _ISO.match(text)
    if match and any(match.groups()):
        found = match.groupdict()
        year, month, day, hour, minute, second = (
            int(found[key] or 0) for key in ("year", "month", "day", "hour", "minute", "second")
        )
        micro = int(float(found["fraction"]) * 1_000_000) if found["fraction"] else 0
        if not found["date"]:
            return dt.time(hour, minute, second, micro)
        if not found["time"]:
            return dt.date(year, month, day)
        return dt.datetime(year, month, day, hour, minute, second, micro)
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        parts = match.groupdict()
        return dt.timedelta(
            hours=int(parts["hours"] or 0), minutes=int(parts["minutes"] or 0), seconds=float(parts["seconds"] or 0)
        )
    raise ValueError(f"{text} is not an ISO 8601 date, time or duration")


# Excel's built-in number formats that show dates and times, by id; any other built-in shows a number.
BUILTIN_DATE_FORMATS = {
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
}
# Quoted text, and bracketed locale or colour codes other than elapsed [h], [m], [s], say nothing of dates.
_NOT_DATE_PARTS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION_CODE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE)


def shows_date(number_format: str | None) -> bool:
    """Whether a number format shows a date or time (of its first section, for positives)."""
    if number_format is None:
        return False
    return _DATE_CODE.search(_NOT_DATE_PARTS.sub("", number_format.split(";")[0])) is not None


def shows_duration(number_format: str | None) -> bool:
    """Whether a number format counts elapsed time: [h]:mm."""
    return number_format is not None and _DURATION_CODE.search(number_format.split(";")[0]) is not None
