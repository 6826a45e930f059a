"""The words of likelihood in an assessment's text, as ICD 203 defines them.

Each of the contract's seven likelihood terms may be written as itself or as ICD 203's paired
synonym (`likely` or `probable`), in the forms a sentence takes (`almost certainly`,
`probably`). The validator compares the words a judgement uses with the likelihood its row
gives, so that the text never says more or less than the scale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..contract import LIKELIHOOD, LIKELIHOOD_SYNONYMS, Choice, allowed

# Each band's wordings, as patterns: its term, ICD 203's synonym, and their usual inflections.
# "Remote" counts only where it speaks of a chance (a remote chance, the prospect is remote):
# remote sensing and remotely piloted aircraft are not judgements.
_WORDINGS = {
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
}
# Longer wordings first, so that "very unlikely" is read whole, not as "unlikely".
_ANY = re.compile(
    r"\b(?:" + "|".join(sorted((w for ws in _WORDINGS.values() for w in ws), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_BAND = {term: re.compile("|".join(f"(?:{w})" for w in wordings), re.IGNORECASE) for term, wordings in _WORDINGS.items()}
# Hedges that say something may be so without saying how likely. "May" before or after a
# number is the month.
_HEDGE = re.compile(r"\b(?:might|could|possibly|perhaps)\b|(?<!\d )\bmay\b(?! \d)", re.IGNORECASE)

# The words with which a source, or an analyst, says something may be so: in a row printed as
# fact they make it not one. "Likely" and its kin belong to an assessment, where the scale gives them a band.
_FACT_HEDGE = re.compile(
    r"\b(?:might|could|possibly|perhaps|reportedly|allegedly|apparently|appears?|appeared|seems?|seemingly|"
    r"likely|probably|presumably|supposedly)\b|(?<!\d )(?-i:\bmay\b)(?! \d)",
    re.IGNORECASE,
)


# A likelihood word turned round by a negation ("not likely", "no longer probable") says the
# opposite of its band, and which band it means instead is the analyst's to say.
_NEGATED = re.compile(
    r"\b(?:not|never|hardly|scarcely|no longer|no more|isn't|aren't|wasn't|weren't|won't)\s+(?:(?:very|highly|quite|so|as|more|less|that)\s+)?"
    r"(?:likely|probabl[ey]|certain(?:ly)?|improbabl[ey]|unlikely)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Wording:
    """A likelihood word found in a text, and the band it belongs to."""

    text: str  # as written: "probably"
    band: Choice  # the contract's likelihood it expresses: likely


def likelihood_words(text: str) -> list[Wording]:
    """Every word of likelihood in `text`, in order."""
    return [Wording(match.group(), _band(match.group())) for match in _ANY.finditer(text)]


@lru_cache(maxsize=256)
def _band(words: str) -> Choice:
    """The band a likelihood wording belongs to; remembered, as assessments repeat a few."""
    return allowed(LIKELIHOOD, next(term for term, pattern in _BAND.items() if pattern.fullmatch(words)))


def hedges(text: str) -> list[str]:
    """The vague hedges in `text` ("could", "may"), as written."""
    return [match.group() for match in _HEDGE.finditer(text)]


def fact_hedges(text: str) -> list[str]:
    """The words in `text` that say it may be so (may, reportedly, appears), as written."""
    return [match.group() for match in _FACT_HEDGE.finditer(text)]


def wordings(term: str) -> tuple[str, ...]:
    """How a band may be written, in words for a message: the term and ICD 203's synonym."""
    return term, LIKELIHOOD_SYNONYMS[term]


def negated(text: str) -> list[str]:
    """The likelihood words in `text` that a negation turns round ("not likely"), as written."""
    return [match.group() for match in _NEGATED.finditer(text)]
