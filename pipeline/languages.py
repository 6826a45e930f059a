"""Which language a text is in, and which way it reads, told from its script.

The workbook says which language the briefing is in (`language` on the Briefing sheet); a
quote's language is read from its letters, by Unicode range: Arabic script with Persian
letters (پ چ ژ گ) is Persian, Cyrillic is Russian unless it has Ukrainian letters (і ї є ґ),
and so on. Script cannot tell apart languages that share one: a quote in Latin letters is
taken to be in the briefing's own language. The validator asks for a translation of a quote
in another language, the briefing tags each quote with its language, and the Word side sets
right-to-left text right to left.
"""

from __future__ import annotations

import re
from functools import lru_cache

DEFAULT = "en-GB"

# Right-to-left letters: Hebrew, Arabic (with its supplements and presentation forms), Syriac,
# Thaana, N'Ko; and the invisible right-to-left mark.
RIGHT_TO_LEFT_MARK = "\u200f"
_RIGHT_TO_LEFT = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f"
_RTL = re.compile(f"[{_RIGHT_TO_LEFT}]")
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# Each script's letters, and the languages written in it: each with the letters that single it
# out from the others, the last being the one taken when none of those letters is there.
_SCRIPTS = (
    (
        _ARABIC,
        (
            ("ur-PK", "\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2"),
            ("fa-IR", "\u067e\u0686\u0698\u06a9\u06af\u06cc"),
            ("ar-SA", ""),
        ),
    ),
    ("\u0590-\u05ff\ufb1d-\ufb4f", (("he-IL", ""),)),
    ("\u0400-\u04ff", (("uk-UA", "\u0404\u0406\u0407\u0490\u0454\u0456\u0457\u0491"), ("ru-RU", ""))),
    ("\u0370-\u03ff\u1f00-\u1fff", (("el-GR", ""),)),
)
NAMES = {
    "ar": "Arabic",
    "en": "English",
    "el": "Greek",
    "fa": "Persian",
    "he": "Hebrew",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ur": "Urdu",
}
# A quote's own quotation marks; where a language is missing, the English pair.
_QUOTATION_MARKS = {
    "ru": ("\u00ab", "\u00bb"),
    "uk": ("\u00ab", "\u00bb"),
    "fa": ("\u00ab", "\u00bb"),
    "ar": ("\u00ab", "\u00bb"),
    "ur": ("\u201c", "\u201d"),
    "el": ("\u00ab", "\u00bb"),
}
_ENGLISH_MARKS = ("\u201c", "\u201d")
# Pairs of marks a cell may already wrap its text in: "…", “…”, «…», „…“, ‘…’, ‹…›, 「…」.
_PAIRS = {
    '"': '"',
    "\u201c": "\u201d",
    "\u00ab": "\u00bb",
    "\u00bb": "\u00ab",
    "\u201e": "\u201c",
    "\u2018": "\u2019",
    "\u2039": "\u203a",
    "\u300c": "\u300d",
}


_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_SCRIPT_LETTERS = [(re.compile(f"[{script}]"), languages) for script, languages in _SCRIPTS]


# Both worked out once for a text: a workbook repeats its texts (an indicator, a publisher) in
# every row that names them, and a right-to-left one is cut and told apart letter by letter.
@lru_cache(maxsize=4096)
def language_of(text: str, document: str = DEFAULT) -> str:
    """The language `text` is in, by the script most of its letters are written in;
    `document` (the briefing's language) where that is Latin or cannot be told."""
    if text.isascii():  # Latin letters or none, as most of a briefing is: no script to count
        return document
    latin = len(_LATIN.findall(text))
    most, languages = max(((len(letters.findall(text)), languages) for letters, languages in _SCRIPT_LETTERS), key=lambda c: c[0])
    if most <= latin:
        return document
    return next((tag for tag, distinctive in languages if distinctive and re.search(f"[{distinctive}]", text)), languages[-1][0])


def primary(tag: str) -> str:
    """`fa` of `fa-IR`."""
    return tag.split("-")[0].lower()


def name(tag: str) -> str:
    """The language's English name: `Persian`."""
    return NAMES.get(primary(tag), tag)


def same_language(tag: str, other: str) -> bool:
    """Whether two tags name one language (`en-GB` and `en-US` do)."""
    return primary(tag) == primary(other)


def is_right_to_left(tag: str) -> bool:
    return primary(tag) in ("ar", "fa", "he", "ur")


def has_right_to_left(text: str) -> bool:
    return _RTL.search(text) is not None


def quoted(text: str, tag: str) -> str:
    """`text` in one pair of quotation marks, those of its language: «…» for Russian or
    Persian, “…” for English. Text the analyst already wrapped in a pair keeps its own. A
    right-to-left quote is held between right-to-left marks, so that every reader sets its
    quotation marks with it, the opening one beside its first word, rather than with the text
    around it."""
    text = text.strip()
    if not (len(text) > 1 and _PAIRS.get(text[0]) == text[-1]):
        opening, closing = _QUOTATION_MARKS.get(primary(tag), _ENGLISH_MARKS)
        text = f"{opening}{text}{closing}"
    return f"{RIGHT_TO_LEFT_MARK}{text}{RIGHT_TO_LEFT_MARK}" if is_right_to_left(tag) else text


def mainly_right_to_left(text: str) -> bool:
    """Whether more of `text`'s letters read right to left than left to right: a paragraph
    that is mostly Persian is laid out right to left, its first words on the right."""
    if not has_right_to_left(text):
        return False
    letters = [c for c in text if c.isalpha()]
    right = sum(1 for c in letters if _RTL.match(c))
    return right > len(letters) - right


@lru_cache(maxsize=4096)
def directional_runs(text: str, right_to_left_paragraph: bool) -> tuple[tuple[str, bool], ...]:
    """`text` cut where its direction changes, as (piece, right to left). Letters decide;
    spaces, punctuation and digits between two letters of one direction go with them, and
    between the two directions (or at either end) take the paragraph's, as the Unicode
    bidirectional algorithm resolves them."""
    if not has_right_to_left(text):
        return ((text, False),)
    strong = [(_RTL.match(c) is not None) if (c.isalpha() or _RTL.match(c)) else None for c in text]
    following, after = [], right_to_left_paragraph  # the next letter's direction, from each place
    for direction in reversed(strong):
        after = after if direction is None else direction
        following.append(after)
    following.reverse()
    resolved = []
    previous = right_to_left_paragraph
    for direction, next_direction in zip(strong, following):
        if direction is None:
            direction = previous if previous == next_direction else right_to_left_paragraph
        else:
            previous = direction
        resolved.append(direction)
    pieces: list[tuple[str, bool]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or resolved[index] != resolved[start]:
            pieces.append((text[start:index], resolved[start]))
            start = index
    return tuple(pieces)
