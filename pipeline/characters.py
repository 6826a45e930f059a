"""What a workbook cell may hold, as characters and numbers: one definition for the workbook's
cells and for every other input that carries their text (an edition's snapshot)."""

from __future__ import annotations

import re

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
