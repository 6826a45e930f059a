"""How numbers, dates and text read wherever the pipeline shows them: the briefing's text,
tables and charts, and the messages and workbook notes an analyst reads."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal

from .characters import spelt


def format_number(value: float) -> str:
    """`4`, `14.8`, `1,250`, `0.00001`, `−6`: as few digits as the number needs (fifteen at
    most, so that 0.1 + 0.2 reads 0.3), never in exponent form, and a true minus sign."""
    if value == 0:
        return "0"  # and never −0
    text = f"{Decimal(f'{value:.15g}').normalize():,f}"
    return "\u2212" + text[1:] if text.startswith("-") else text


def did_you_mean(name: str, candidates: list[str]) -> str:
    """` Did you mean 'assessment'?`: the candidate closest to a misspelt `name`, ignoring case;
    "" when none is close. The one suggestion every message makes, whether of a sheet, a column,
    an id or an allowed value."""
    match = difflib.get_close_matches(name.casefold(), [c.casefold() for c in candidates], n=1, cutoff=0.6)
    if not match:
        return ""
    original = next(c for c in candidates if c.casefold() == match[0])
    return f" Did you mean '{original}'?"


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking where the text was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clipped_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word where it is longer, an ellipsis marking the cut;
    a first word longer than the limit is cut within."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(None, 1)[0] if " " in text[:limit].strip() else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def format_date(date: dt.date) -> str:
    """`9 August 2022`."""
    return f"{date.day} {date:%B %Y}"


# Characters a message must not carry as they are: controls would reach the terminal as escape
# sequences (and openpyxl refuses them in a comment), line breaks would split a one-line message,
# a lone surrogate cannot be printed at all, and direction overrides and invisible characters
# would make the quoted text read as something else.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufffe\uffff]")


def visible(text: str) -> str:
    """`text` with every character a reader could not see, or that could disguise the rest,
    written out as an escape: a vertical tab as `\\x0b`, a right-to-left override as `\\u202e`."""
    return _UNSHOWABLE.sub(lambda match: spelt(match.group()), text)


def visible_json(text: str) -> str:
    """JSON text (as `json.dumps` writes it) with every character `visible` would spell out
    written as a JSON escape instead, `\\u0085`: the same value to a program that reads it,
    nothing hidden from a person who reads it. (`json.dumps` escapes the C0 controls inside
    strings itself; a bare newline is the layout's.)"""
    return _UNSHOWABLE.sub(lambda match: match.group() if match.group() == "\n" else f"\\u{ord(match.group()):04x}", text)


def folded(text: str) -> str:
    """Text as compared rather than as printed: case and runs of white space ignored."""
    return " ".join(text.split()).casefold()


# How many of a list's items a message or a note names before it counts the rest: each stays
# short however many rows are involved.
NAMED_AT_MOST = 3


def some(items: list[str], total: int | None = None) -> str:
    """`a; b; c`, or `a; b; c; and 12 more`: of `items`, or of `total` items of which these come first."""
    total = len(items) if total is None else total
    named = "; ".join(items[:NAMED_AT_MOST])
    return named + (f"; and {total - NAMED_AT_MOST} more" if total > NAMED_AT_MOST else "")
