"""The cell parsers, one per column type: what Excel holds, as the contract's column types it.

A parser returns the typed value or raises `Untyped` with the catalogue entry that says why
the cell cannot be read, and a message that starts after the column's name ("holds …").
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .. import catalogue
from ..catalogue import Rule
from ..characters import BIDI_CONTROL, CONTROL, INVISIBLE, LARGEST_NUMBER
from ..contract import FLAG_WORDS, Column, ColumnType
from ..dates import PartialDate
from ..formats import clipped, did_you_mean
from .excel import unescape


class Untyped(Exception):
    def __init__(self, rule: Rule, message: str):
        super().__init__(message)
        self.rule, self.message = rule, message


IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def shown(raw: object) -> str:
    return f'"{clipped(str(raw), 60)}"'


def _text(raw: object, column: Column) -> str:
    if isinstance(raw, bool):
        raise Untyped(catalogue.WRONG_TYPE, f"holds TRUE/FALSE where {column.type.value} is expected.")
    if isinstance(raw, (dt.datetime, dt.date, dt.time)):
        raise Untyped(
            catalogue.DATE_IN_TEXT_COLUMN,
            f"holds the date {raw:%Y-%m-%d}, but {column.name} is text. If Excel turned your text into a date, "
            "type it again starting with an apostrophe (for example 'Jul 2022).",
        )
    if isinstance(raw, (int, float)):
        return number_text(raw)
    text = str(raw)
    # Checked before tidying: strip() would silently drop the controls \x1c-\x1f at either end.
    if CONTROL.search(text):
        raise Untyped(
            catalogue.CONTROL_CHARACTER, "contains an invisible control character that Word cannot show. Retype the text."
        )
    override = BIDI_CONTROL.search(text)
    if override:
        raise Untyped(
            catalogue.BIDI_CONTROL,
            f"contains the invisible direction control U+{ord(override.group()):04X} at character {override.start() + 1}, "
            "which makes the text display in another order than it is stored: readers would see other words than the "
            "briefing holds. Retype the text without it; right-to-left names need no such character.",
        )
    return tidy(text)


def decoded(text: str) -> str:
    """The text as Excel shows it: its _xHHHH_ escapes (characters XML cannot carry, which
    the reader leaves escaped) decoded, line ends as newlines."""
    return unescape(text).replace("\r\n", "\n").replace("\r", "\n")


def blank(raw: object) -> bool:
    """Nothing in it, as Excel shows it: no value, or nothing but white space, escaped line
    breaks (_x000D_) and characters that print nothing (zero-width spaces, direction marks, a
    soft hyphen). Asked of every cell a sheet holds: text in plain ASCII with no escape, as
    nearly all is, is told at once, and so is text in any script that starts with a character
    that prints, which stays first however the text is decoded."""
    if raw is None:
        return True
    if raw.__class__ is not str:
        return False
    if not raw or raw.isspace():
        return True
    if raw.isascii() and "_x" not in raw:
        return False
    if printing_first(raw[0]):
        return False
    return not INVISIBLE.sub("", decoded(raw)).strip()


_SPACE_OR_ESCAPE = re.compile(r"[\s_]")


def printing_first(firsts: str) -> bool:
    """Whether every character of `firsts`, each a text's first, prints and is neither white
    space nor the start of an escape (_x000D_): a text that starts with one is not blank, in any
    script and however it is decoded (every character that prints nothing is unprintable).
    Asked of one text, or of a whole column's first characters joined, in one search."""
    return firsts.isprintable() and not _SPACE_OR_ESCAPE.search(firsts)


_SPACES = re.compile(r"[ \t]{2,}|\t")


UNTIDY = re.compile(r"^\s|\s$|[ \t]{2}|\t| \n|\n ")


def tidy(text: str) -> str:
    """No spaces at either end of the text or of its lines, none doubled."""
    if not UNTIDY.search(text):  # nearly every cell: skip the split and join
        return text
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(number)


def _identifier(raw: object, column: Column) -> str | tuple[str, ...]:
    if column.several:
        return _identifiers(raw, column)
    text = _text(raw, column)
    if not IDENTIFIER.fullmatch(text):
        raise Untyped(catalogue.BAD_ID, f"is {shown(text)}; {_why_not_an_identifier(text)}")
    return text


_IDENTIFIER_RULE = "an identifier uses only ASCII letters, digits, '-', '_' or '.', with no spaces."


def _why_not_an_identifier(text: str) -> str:
    """What is wrong with `text` as an identifier, naming a look-alike letter where that is it
    (a Cyrillic Ѕ for an S), since the cell then looks right to the analyst."""
    foreign = next((ch for ch in text if ch.isalpha() and not ch.isascii()), None)
    if foreign is not None:
        return f"{foreign} (U+{ord(foreign):04X}) is not an ASCII letter, though it may look like one: {_IDENTIFIER_RULE}"
    return _IDENTIFIER_RULE


def _number(raw: object, column: Column) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        hint = _number_hint(raw)
        raise Untyped(catalogue.NOT_A_NUMBER, f"holds {shown(raw)}, which is not a number.{hint}")
    try:
        number = float(raw)
    except OverflowError:  # an integer of hundreds of digits
        number = math.inf
    if not math.isfinite(number):  # 1E+309 in the file reads as infinity
        raise Untyped(catalogue.NOT_A_NUMBER, f"holds {shown(raw)}, which is beyond the numbers a workbook can hold.")
    if abs(number) > LARGEST_NUMBER:
        raise Untyped(
            catalogue.NUMBER_TOO_LARGE,
            f"holds {number:,.6g}, larger than any figure a briefing states ({LARGEST_NUMBER:,.0g}). "
            "Check for a slip, or give it in a larger unit (USD bn rather than USD).",
        )
    return number


def _number_hint(raw: object) -> str:
    """Suggest the number an analyst probably meant by text such as "4,0" or "$4 bn"."""
    digits = re.sub(r"[^\d,.\-]", "", str(raw).replace("\u2212", "-"))  # a true minus sign is a minus too
    decimal_comma = re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}", digits)
    digits = digits.replace(",", ".") if decimal_comma else digits.replace(",", "")
    try:
        suggestion = float(digits)
    except ValueError:
        return " Type the number alone, and put its unit in the unit column."
    return f" Did you mean {number_text(suggestion)}? Type the number alone, with its unit in the unit column."


def _integer(raw: object, column: Column) -> int:
    number = _number(raw, column)
    if not number.is_integer():
        raise Untyped(catalogue.NOT_A_WHOLE_NUMBER, f"holds {number_text(number)}, but {column.name} takes a whole number.")
    return int(number)


def _date(raw: object, column: Column) -> dt.date:
    date = _partial_date(raw, column)
    if not date.is_full:
        raise Untyped(catalogue.INCOMPLETE_DATE, f"holds {date.iso()}, but {column.name} needs a full date (YYYY-MM-DD).")
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
            if PartialDate.is_written_as_iso(raw):  # the form is right, a number is not
                raise Untyped(catalogue.BAD_DATE, f"{exc}.") from None
            raise Untyped(catalogue.BAD_DATE, _not_a_date(raw, column)) from None
    raise Untyped(
        catalogue.BAD_DATE, f"holds {shown(raw)}, which is not a date. Type it as YYYY-MM-DD or format the cell as a date."
    )


def _not_a_date(text: str, column: Column) -> str:
    """Text that is not written as a date this column takes, with the forms it takes (a full date
    alone, where it needs one) and what to type instead where the text reads as a date."""
    full = column.type is ColumnType.DATE
    forms = "YYYY-MM-DD" if full else "YYYY, YYYY-MM or YYYY-MM-DD"
    readings = PartialDate.readings(text)
    meant = [date.iso() for date in readings if date.is_full or not full]
    if meant:
        either = " (day first, or month first)" if len(meant) == 2 else ""
        hint = f" Did you mean {' or '.join(meant)}{either}?"
    elif readings:
        hint = f" It names no day, and {column.name} needs a full date."
    else:
        hint = ""
    return f"holds {shown(text)}, which is not a date written as {forms}.{hint}"


def _flag(raw: object, column: Column) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().casefold()
    if word not in FLAG_WORDS:
        raise Untyped(catalogue.NOT_ALLOWED, f"holds {shown(raw)}; {column.name} takes Y or N.")
    return FLAG_WORDS[word]


def _choice(raw: object, column: Column) -> str:
    text = number_text(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip()
    for value in column.accepted_values:
        if text.casefold() == value.casefold():
            return value
    allowed = ", ".join(column.accepted_values)
    hint = did_you_mean(text, list(column.accepted_values))
    raise Untyped(catalogue.NOT_ALLOWED, f"holds {shown(raw)}; {column.name} must be one of: {allowed}.{hint}")


def _identifiers(raw: object, column: Column) -> tuple[str, ...]:
    parts = [part.strip() for part in _text(raw, column).split(",")]
    several = f"several are separated by commas, like {column.example}"
    if "" in parts:
        raise Untyped(catalogue.BAD_ID, f"holds {shown(raw)}, with an empty place between commas or at either end; {several}.")
    bad = next((part for part in parts if not IDENTIFIER.fullmatch(part)), None)
    if bad is not None:
        raise Untyped(
            catalogue.BAD_ID,
            f"holds {shown(raw)}: {shown(bad)} is not an identifier; {_why_not_an_identifier(bad)[:-1]}, and {several}.",
        )
    repeated = next((part for n, part in enumerate(parts) if part in parts[:n]), None)
    if repeated is not None:
        raise Untyped(
            catalogue.REPEATED_ID,
            f"names {repeated} twice. Each is named once: a source named twice does not corroborate a row, "
            "and a figure plotted twice is one value.",
        )
    return tuple(parts)


PARSERS = {
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
