"""The words of likelihood in an assessment's text, as the desk's yardstick (ICD 203, or PHIA's) defines them.

Each of the contract's seven likelihood terms may be written as itself or as ICD 203's paired
synonym (`likely` or `probable`), in the forms a sentence takes (`almost certainly`,
`probably`). The validator compares the words a judgement uses with the likelihood its row
gives, so that the text never says more or less than the scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..contract import LIKELIHOODS, SYNONYMS, Choice, Yardstick, allowed

# Each yardstick's bands' wordings, as patterns: the term, its paired synonym, and their usual
# inflections. Under ICD 203 "remote" counts only where it speaks of a chance (a remote chance,
# the prospect is remote): remote sensing and remotely piloted aircraft are not judgements.
_WORDINGS = {
    Yardstick.ICD_203: {
        "almost no chance": (
            r"almost no chance",
            r"remote (?:chance|possibility|prospects?|likelihood|probability)",
            r"(?:is|are|remains?|seems?) remote",
        ),
        "very unlikely": (r"very unlikely", r"highly improbabl[ey]", r"highly unlikely"),
        "unlikely": (r"unlikely", r"improbabl[ey]"),
        "roughly even chance": (r"(?:roughly )?even (?:chance|odds)",),
        "likely": (r"likely", r"probabl[ey]"),
        "very likely": (r"very likely", r"highly probabl[ey]", r"highly likely"),
        "almost certain": (r"(?:almost|nearly) certain(?:ly)?",),
    },
    Yardstick.PHIA: {
        "remote chance": (r"remote chance",),
        "highly unlikely": (r"highly unlikely",),
        "unlikely": (r"unlikely",),
        "realistic possibility": (r"realistic possibility", r"realistically possible"),
        "likely": (r"likely", r"probabl[ey]"),
        "highly likely": (r"highly likely",),
        "almost certain": (r"almost certain(?:ly)?",),
    },
}
# Longer wordings first, so that "very unlikely" is read whole, not as "unlikely".
_ANY = {
    yardstick: re.compile(
        r"\b(?:" + "|".join(sorted((w for ws in bands.values() for w in ws), key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    for yardstick, bands in _WORDINGS.items()
}
_BAND = {
    yardstick: {term: re.compile("|".join(f"(?:{w})" for w in wordings), re.IGNORECASE) for term, wordings in bands.items()}
    for yardstick, bands in _WORDINGS.items()
}
# Hedges that say something may be so without saying how likely. "May" before or after a
# number is the month.
_HEDGES = ("might", "could", "possibly", "perhaps")
_HEDGE = re.compile(r"\b(?:" + "|".join(_HEDGES) + r")\b|(?<!\d )\bmay\b(?! \d)", re.IGNORECASE)

# The words with which a source, or an analyst, says something may be so: in a row printed as
# fact they make it not one. "Likely" and its kin belong to an assessment, where the scale gives them a band.
_FACT_HEDGE = re.compile(
    r"\b(?:might|could|possibly|perhaps|reportedly|allegedly|apparently|appears?|appeared|seems?|seemingly|"
    r"likely|probably|presumably|supposedly)\b|(?<!\d )(?-i:\bmay\b)(?! \d)",
    re.IGNORECASE,
)


# A likelihood word turned round by a negation ("not likely", "no longer probable") says the
# opposite of its band, and which band it means instead is the analyst's to say.
_NEGATIONS = ("not", "never", "hardly", "scarcely", "no longer", "no more", "isn't", "aren't", "wasn't", "weren't", "won't")
_NEGATED = re.compile(
    r"\b(?:" + "|".join(_NEGATIONS) + r")\s+(?:(?:very|highly|quite|so|as|more|less|that)\s+)?"
    r"(?:likely|probabl[ey]|certain(?:ly)?|improbabl[ey]|unlikely)\b",
    re.IGNORECASE,
)


def _may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` may hold one of `words` in any case: told at once where it is ASCII, which
    lower() folds as a pattern that ignores case does; text in other scripts may. Most texts
    hold none of a pattern's words, and looking for them costs a fraction of its search."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in words)


@dataclass(frozen=True)
class Wording:
    """A likelihood word found in a text, and the band it belongs to."""

    text: str  # as written: "probably"
    band: Choice  # the contract's likelihood it expresses: likely


def likelihood_words(text: str, yardstick: Yardstick = Yardstick.ICD_203) -> list[Wording]:
    """Every word of likelihood in `text`, in order, as `yardstick` reads it."""
    return [Wording(match.group(), _band(match.group(), yardstick)) for match in _ANY[yardstick].finditer(text)]


def foreign_words(text: str, yardstick: Yardstick) -> list[str]:
    """The words of likelihood in `text` that another yardstick has and `yardstick` has not
    ("very likely" under PHIA, "realistic possibility" under ICD 203), as written."""
    own = _ANY[yardstick]
    return [
        match.group()
        for other in _ANY
        if other != yardstick
        for match in _ANY[other].finditer(text)
        if not own.fullmatch(match.group())
    ]


@lru_cache(maxsize=256)
def _band(words: str, yardstick: Yardstick) -> Choice:
    """The band a likelihood wording belongs to; remembered, as assessments repeat a few."""
    term = next(term for term, pattern in _BAND[yardstick].items() if pattern.fullmatch(words))
    return allowed(LIKELIHOODS[yardstick], term)


def hedges(text: str) -> list[str]:
    """The vague hedges in `text` ("could", "may"), as written."""
    return [match.group() for match in _HEDGE.finditer(text)] if _may_hold(text, (*_HEDGES, "may")) else []


def fact_hedges(text: str) -> list[str]:
    """The words in `text` that say it may be so (may, reportedly, appears), as written."""
    return [match.group() for match in _FACT_HEDGE.finditer(text)]


def wordings(term: str, yardstick: Yardstick = Yardstick.ICD_203) -> tuple[str, ...]:
    """How a band may be written, in words for a message: the term and its yardstick's synonym, if any."""
    synonym = SYNONYMS[yardstick].get(term)
    return (term, synonym) if synonym else (term,)


def negated(text: str) -> list[str]:
    """The likelihood words in `text` that a negation turns round ("not likely"), as written."""
    return [match.group() for match in _NEGATED.finditer(text)] if _may_hold(text, _NEGATIONS) else []
