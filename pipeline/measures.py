"""What a figure claims of its measure, how its value is written, and when two figures cannot
both be true: one definition for the validator's warnings, the briefing's tables and notes,
and its charts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .contract import ABOUT, Qualifier
from .formats import folded, format_number


@lru_cache(maxsize=1 << 14)
def same_measure(indicator: str, period: str, unit: str) -> tuple[str, str, str]:
    """Figures rows with the same key measure the same thing, so their values should agree.
    Remembered: a figure's measure is asked for again as it is compared, placed and charted."""
    return folded(indicator), folded(period), folded(unit)


@dataclass(frozen=True)
class Claim:
    """What a figure says of its measure: the interval its value lies in, each end open or
    closed. Two figures of one measure conflict only when what they claim cannot both be
    true, that is when their intervals do not meet: under 5 and 4.9 agree, 4 and 4.9 do not."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def of(cls, value: float, qualifier: Qualifier | None = None, value_high: float | None = None) -> Claim:
        if qualifier == Qualifier.ABOUT:
            spread = abs(value) * ABOUT
            return cls(value - spread, value + spread)
        if qualifier == Qualifier.UNDER:
            return cls(-math.inf, value, high_open=True)
        if qualifier == Qualifier.OVER:
            return cls(value, math.inf, low_open=True)
        if qualifier == Qualifier.AT_LEAST:
            return cls(value, math.inf)
        if qualifier == Qualifier.AT_MOST:
            return cls(-math.inf, value)
        if qualifier == Qualifier.RANGE and value_high is not None:
            return cls(min(value, value_high), max(value, value_high))
        return cls(value, value)

    def agrees(self, other: Claim) -> bool:
        return not (self._below(other) or other._below(self))

    def _below(self, other: Claim) -> bool:
        return self.high < other.low or (self.high == other.low and (self.high_open or other.low_open))


@dataclass(frozen=True)
class Compared:
    """The other figures of a figure's measure, by position: those whose claims can be true
    alongside its own, and those whose claims cannot."""

    agreeing: tuple[int, ...] = ()
    differing: tuple[int, ...] = ()


def compared(figures: list[tuple[tuple, Claim]]) -> list[Compared]:
    """For each (measure, claim), the other figures of the same measure, split by whether their
    claims agree with it: `Claim.agrees`, by which the validator decides conflicts too."""
    groups: dict[tuple, list[int]] = {}
    for position, (measure, _) in enumerate(figures):
        groups.setdefault(measure, []).append(position)
    found = [Compared()] * len(figures)
    for members in groups.values():
        if len(members) < 2:
            continue
        for position in members:
            claim = figures[position][1]
            agreeing: list[int] = []
            differing: list[int] = []
            for other in members:
                if other != position:
                    (agreeing if claim.agrees(figures[other][1]) else differing).append(other)
            found[position] = Compared(tuple(agreeing), tuple(differing))
    return found


# A qualified value as analysts write it.
_QUALIFIED: dict[Qualifier | None, str] = {
    Qualifier.ABOUT: "about {}",
    Qualifier.UNDER: "< {}",
    Qualifier.OVER: "> {}",
    Qualifier.AT_LEAST: "\u2265 {}",
    Qualifier.AT_MOST: "\u2264 {}",
}


def written(value: float, qualifier: Qualifier | None = None, value_high: float | None = None) -> str:
    """`4`, `about 4`, `< 5`, `≥ 3`, `4–5`; a range with a negative end reads `−6 to −3`."""
    low = format_number(value)
    if qualifier == Qualifier.RANGE and value_high is not None:
        high = format_number(value_high)
        return f"{low} to {high}" if min(value, value_high) < 0 else f"{low}\u2013{high}"
    return _QUALIFIED.get(qualifier, "{}").format(low)


# Units written against their number, as `55–80%` is; any other unit follows it after a space.
_CLOSED_UP = ("%", "\u2030")


def with_unit(value: str, unit: str) -> str:
    """`about 50%`, `4.5 USD bn`: a value as `written` gives it, with its unit."""
    return f"{value}{unit}" if unit.strip() in _CLOSED_UP else f"{value} {unit}"
