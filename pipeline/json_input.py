"""JSON files that carry a workbook's text back in, read as any input is: an edition's snapshot
(`briefing.editions`) and the comments a review left open (`reviews`). One such file is no
larger than its kind ever is, strict JSON no deeper than Python's parser goes, its numbers such
as a cell may hold (no NaN, no number of a hundred digits), its texts such as a cell may hold
(no controls, lone surrogates or direction overrides, no text of nothing but characters that
print nothing). A file that is not refuses with an InputError that names it, and names a
character only by its code point: never printing what a cell could not hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .characters import LARGEST_NUMBER, unheld
from .errors import InputError

# An integer of more digits is more than any cell's number keeps exactly.
_DIGITS_AT_MOST = 16


@dataclass(frozen=True)
class JsonInput:
    """One kind of JSON file read back, as its messages name it."""

    noun: str  # "edition snapshot"
    article: str  # "an"
    limit: int  # the most bytes a real one takes
    remedy: str  # what to do about one refused: "Use the snapshot in editions/ beside the workbook."

    def too_big(self, origin: str, size: int) -> str:
        return (
            f"{origin} is {size / (1 << 20):,.0f} MB, larger than any {self.noun} (at most {self.limit >> 20} MB); "
            f"it is refused unread. {self.remedy}"
        )

    def read(self, path: Path) -> bytes:
        """The bytes of the file at `path`, its size checked before one is read."""
        try:
            size = path.stat().st_size
            if size > self.limit:
                raise InputError(self.too_big(str(path), size))
            return path.read_bytes()
        except OSError as exc:
            raise InputError(f"could not read {path}: {exc.strerror or exc}.") from exc

    def parse(self, data: bytes, origin: str) -> object:
        """The JSON value `data` (the file `origin`) holds, refused unless it is one of this kind
        could: see the module's docstring."""
        if len(data) > self.limit:
            raise InputError(self.too_big(origin, len(data)))
        try:
            document = json.loads(data.decode("utf-8"), parse_int=_integer, parse_float=_number, parse_constant=_not_a_number)
        except (UnicodeDecodeError, ValueError) as exc:  # a JSONDecodeError is a ValueError
            raise InputError(f"{origin} is not {self.article} {self.noun}: it is not JSON ({exc}). {self.remedy}") from exc
        except RecursionError:
            raise InputError(
                f"{origin} is not {self.article} {self.noun}: it nests deeper than any does. {self.remedy}"
            ) from None
        self._check_texts(document, origin)
        return document

    def _check_texts(self, document: object, origin: str) -> None:
        """Refuse a file holding text a workbook cell could not (controls, lone surrogates,
        direction overrides, or nothing but characters that print nothing): no workbook or
        reader of this pipeline gave it, and the briefing must not print it. The message
        names the character only."""
        texts: list[str] = [document] if isinstance(document, str) else []
        waiting: list[object] = [document]
        # JSON's own classes, told apart by identity, each container's values gone through in
        # one loop: a snapshot holds hundreds of thousands of values.
        while waiting:
            item = waiting.pop()
            if item.__class__ is dict:
                texts += item  # its keys: JSON's are texts
                item = item.values()
            elif item.__class__ is not list:
                continue
            for value in item:
                kind = value.__class__
                if kind is str:
                    texts.append(value)
                elif kind is dict or kind is list:
                    waiting.append(value)
        character = unheld(texts)
        if character is None:
            return
        raise InputError(
            f"{origin} holds text with the invisible character U+{ord(character):04X}, which no workbook cell may hold; "
            f"the {self.noun} is damaged or was altered by hand. {self.remedy}"
        )


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _DIGITS_AT_MOST:
        raise ValueError(f"a number of {len(text)} digits, larger than any a workbook cell holds")
    return int(text)


def _number(text: str) -> float:
    number = float(text)
    if not abs(number) <= LARGEST_NUMBER:
        raise ValueError(f"the number {text[:20]}, larger than any a workbook cell holds")
    return number


def _not_a_number(text: str) -> NoReturn:
    raise ValueError(f"{text}, which is no number a workbook cell holds")
