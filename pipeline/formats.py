"""How numbers, dates and text read wherever the pipeline shows them: the briefing's text,
tables and charts, and the messages and workbook notes an analyst reads."""

from __future__ import annotations

import datetime as dt


def format_number(value: float) -> str:
    """`4`, `14.8`, `1,250`, `−6`: as few digits as the number needs, and a true minus sign."""
    text = f"{value:,.15g}"
    return "\u2212" + text[1:] if text.startswith("-") else text


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking where the text was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_date(date: dt.date) -> str:
    """`9 August 2022`."""
    return f"{date.day} {date:%B %Y}"
