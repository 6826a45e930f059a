"""What a workbook cell may hold, as characters and numbers: one definition for the workbook's
cells and for every other input that carries their text (an edition's snapshot, the comments a
review left open), and for what `review` writes from an editor's .docx for the next build."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters Word cannot hold: the C0 controls except tab, newline and carriage return, and
# the surrogates an _xD800_ escape can spell.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Direction overrides, embeddings and isolates: they make text display in an order other than
# the one it is stored in. The marks U+200E and U+200F only nudge neutral characters.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Characters that print nothing: zero-width spaces and joiners, direction marks and controls,
# the word joiner and invisible operators, the byte-order mark, the soft hyphen.
INVISIBLE = re.compile("[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A quadrillion: beyond world GDP in US dollars; larger is a slip of the keyboard or the unit.
LARGEST_NUMBER = 1e15
# Of a text that prints nothing, the characters spelt out: all but ASCII's (a blank stays blank).
_NOT_ASCII = re.compile("[^\x00-\x7f]")


def unheld(texts: Iterable[str]) -> str | None:
    """The first character of `texts` a cell may not hold, or None: a control, a lone surrogate
    or a direction override anywhere; else the first of a text that is not ASCII and prints
    nothing (zero-width or blank characters only), which would stand for text that is not there."""
    texts = list(texts)
    joined = "\n".join(texts)
    all_ascii = joined.isascii()  # then no direction override, and every text prints what it holds or is blank
    found = CONTROL.search(joined) or (None if all_ascii else BIDI_CONTROL.search(joined))
    if found is not None:
        return found.group()
    if all_ascii:
        return None
    return next((text[0] for text in texts if _prints_nothing(text)), None)


def held(text: str) -> str:
    """`text` as a cell may hold it: each character `unheld` would find spelt out as its code
    (`\\u202e`), the rest as it is; so nothing is lost and nothing hidden."""
    text = CONTROL.sub(_spell, BIDI_CONTROL.sub(_spell, text))
    return _NOT_ASCII.sub(_spell, text) if _prints_nothing(text) else text


def spelt(character: str) -> str:
    """A character as its code, the way messages show one: a vertical tab as `\\x0b`, a
    right-to-left override as `\\u202e`."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _spell(match: re.Match[str]) -> str:
    return spelt(match.group())


def _prints_nothing(text: str) -> bool:
    return bool(text) and not text.isascii() and not INVISIBLE.sub("", text).strip()
