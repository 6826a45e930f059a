"""How numbers and dates read in the briefing, in its text, tables and charts alike."""

from __future__ import annotations

import datetime as dt


def format_number(value: float) -> str:
    """`4`, `14.8`, `1,250`, `−6`: as few digits as the number needs, and a true minus sign."""
    text = f"{value:,.15g}"
    return "\u2212" + text[1:] if text.startswith("-") else text


def format_date(date: dt.date) -> str:
    """`9 August 2022`."""
    return f"{date.day} {date:%B %Y}"
