"""The marking against TLP 2.0: a marking that looks like a TLP label but is not one as written
prints as plain text, with none of the label's colours, so a reader may take it for the label.
Told at the marking cell, with the label to type."""

from __future__ import annotations

import re
import unicodedata

from .. import catalogue
from ..catalogue import Problem
from ..contract import TLP_LABEL, TLP_LEVELS
from ..workbook.load import LoadedWorkbook, Record

# Letters of other scripts drawn as Latin ones, as they appear in a marking typed on another
# keyboard: the Cyrillic and Greek capitals (and Cyrillic small letters) that look like A–Z.
_LOOK_ALIKES = str.maketrans(
    "АВЕІЈКМНОРСТУХаеорсухіјԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "ABEIJKMHOPCTYXaeopcyxijqwABEZHIKMNOPTYX",
)
# TLP 1.0's label, which TLP 2.0 renamed.
_RENAMED = {"WHITE": "CLEAR"}
_LABEL = re.compile(r"TLP\s*[:;.\-]?\s*([A-Z]+)(?:\s*[+&\-_ ]\s*(STRICT))?")


def check(workbook: LoadedWorkbook) -> list[Problem]:
    record = _marking(workbook)
    if record is None:
        return []
    marking = record.value("value")
    if not isinstance(marking, str) or TLP_LABEL.fullmatch(marking.strip()):
        return []
    meant, why = _meant(marking.strip())
    if meant is None:
        return []
    return [
        Problem.of(
            catalogue.MARKING_LOOKS_LIKE_TLP,
            f"marking looks like the TLP label {meant} but is not one as written ({why}), so it would print as plain "
            f"text, not as the label in its colours. Type {meant}.",
            record.sheet,
            record.ref("value"),
            record.row,
            "value",
        )
    ]


def _meant(marking: str) -> tuple[str | None, str]:
    """The TLP 2.0 label `marking` seems meant as, and why it is not that label as written."""
    latin = unicodedata.normalize("NFKC", marking).translate(_LOOK_ALIKES)
    found = _LABEL.fullmatch(latin.upper())
    if found is None:
        return None, ""
    level = _RENAMED.get(found.group(1), found.group(1)) + ("+STRICT" if found.group(2) else "")
    if level not in TLP_LEVELS:
        return None, ""
    if latin != marking:
        return f"TLP:{level}", "it holds a letter of another script that looks like a Latin one"
    if found.group(1) in _RENAMED:
        return f"TLP:{level}", f"TLP 2.0 renamed TLP:{found.group(1)} to TLP:{_RENAMED[found.group(1)]}"
    return f"TLP:{level}", "it is spelt otherwise than the label"


def _marking(workbook: LoadedWorkbook) -> Record | None:
    data = workbook.sheets.get("Briefing")
    if data is None:
        return None
    return next((r for r in data.records if str(r.value("field")).casefold() == "marking"), None)
