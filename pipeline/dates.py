"""Dates as sources give them: a year, a month, or a day."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# Two defaults that share no year, month or day, so a reading tells which parts the text gave.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2))


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Orders a year before its months."""

    year: int
    month: int = 0  # 0: not given
    day: int = 0

    @classmethod
    @functools.lru_cache(maxsize=4096)
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError saying what is wrong.
        Remembered: a workbook gives the same few dates and periods again and again."""
        match = _ISO.fullmatch(text.strip())
        if not match:
            raise ValueError("is not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else 0 for part in match.groups())
        if year < dt.MINYEAR:
            raise ValueError("has year 0, which does not exist")
        if match.group(2) and not 1 <= month <= 12:
            raise ValueError(f"has month {month}, which does not exist")
        if match.group(3):
            try:
                dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"is {text.strip()}, a day that does not exist") from None
        return cls(year, month, day)

    @classmethod
    def is_written_as_iso(cls, text: str) -> bool:
        """Whether `text` has the form YYYY, YYYY-MM or YYYY-MM-DD, whatever its numbers."""
        return _ISO.fullmatch(text.strip()) is not None

    @classmethod
    def readings(cls, text: str) -> list[PartialDate]:
        """What a date written otherwise ("5 Aug 2022", "08/05/2022", "August 2022") may mean, read
        by dateutil, day first and month first: only to suggest its ISO form, never to accept it,
        since "08/05/2022" is one day to one desk and another to the next. [] when it names no year."""
        from dateutil import parser  # here: read only when a date cannot be read as typed

        found: list[PartialDate] = []
        # A date that starts with its year (2022/08/05) runs year, month, day.
        for day_first in (False,) if re.match(r"\s*\d{4}\b", text) else (True, False):
            try:
                # Read twice with different defaults: a part that follows the default was not given.
                one, two = (parser.parse(text, dayfirst=day_first, default=d) for d in _DEFAULTS)
            except (ValueError, OverflowError):
                continue
            if one.year != two.year:
                continue
            date = cls(
                one.year,
                one.month if one.month == two.month else 0,
                one.day if one.day == two.day and one.month == two.month else 0,
            )
            if date not in found:
                found.append(date)
        return found

    @classmethod
    def of(cls, date: dt.date) -> PartialDate:
        return cls(date.year, date.month, date.day)

    @property
    def is_full(self) -> bool:
        return bool(self.day)

    @property
    def start(self) -> dt.date:
        """The first day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def display(self) -> str:
        """How a reader sees it: `9 August 2022`, `August 2022` or `2022`."""
        return _displayed(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()


@functools.lru_cache(maxsize=4096)
def _displayed(year: int, month: int, day: int) -> str:
    """`PartialDate.display`, worked out once for each date: a briefing prints the same few
    hundred dates thousands of times."""
    start = dt.date(year, month or 1, day or 1)
    if day:
        return f"{day} {start:%B %Y}"
    if month:
        return f"{start:%B %Y}"
    return str(year)
