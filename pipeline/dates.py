"""Dates as sources give them: a year, a month, or a day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Orders a year before its months."""

    year: int
    month: int = 0  # 0: not given
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError saying what is wrong."""
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
        if self.day:
            return f"{self.day} {self.start:%B %Y}"
        if self.month:
            return f"{self.start:%B %Y}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso()
