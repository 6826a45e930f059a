"""The workbook against the previous edition: its label and date move on, and the ids it shared
with the last edition still name the same things.

Items are matched across editions by their ids. An id that is gone is a warning (withdrawn on
purpose?), never an error; an id now naming unrelated content is a warning too, for the briefing
would report a revision where there is a new item. The previous edition is anything with the
released edition's `label`, `as_of` and `records(sheet)`: the briefing side reads it from a
snapshot; nothing here knows the snapshot's format.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from .. import catalogue
from ..catalogue import Problem, Rule
from ..contract import SHEETS, ColumnType, Sheet
from ..contract import sheet as contract_sheet
from ..formats import folded, format_date, some
from ..rows import Values
from ..workbook.load import LoadedWorkbook, Record

# A reused id's text keeps less than this share of its words in order: most of it is new.
SIMILAR_AT_LEAST = 0.5


class PreviousEdition(Protocol):
    """A released edition, as the checks read it (`briefing.editions.Edition` is one)."""

    @property
    def label(self) -> str | None: ...

    @property
    def as_of(self) -> dt.date: ...

    def records(self, sheet_name: str) -> Sequence[Values]: ...


def described(previous: PreviousEdition) -> str:
    """`edition 1 (31 August 2022)`, or `the edition of 31 August 2022` without a label."""
    if previous.label:
        return f"edition {previous.label} ({format_date(previous.as_of)})"
    return f"the edition of {format_date(previous.as_of)}"


def problems(workbook: LoadedWorkbook, previous: PreviousEdition) -> list[Problem]:
    """What the workbook does against `previous`: a label or date that does not move on (errors),
    ids gone or reused (warnings)."""
    found = _check_label_and_date(workbook, previous)
    for sheet in SHEETS:
        id_column = sheet.id_column
        data = workbook.sheets.get(sheet.name)
        if id_column is None or data is None:
            continue
        old = {row.value(id_column.name): row for row in previous.records(sheet.name)}
        now = {r.value(id_column.name): r for r in data.records if r.value(id_column.name) is not None}
        marked = {r.value(id_column.name) for r in workbook.withdrawn(sheet.name)}  # withdrawn on purpose
        gone = [i for i in old if i not in now and i not in marked]
        if gone:
            one = len(gone) == 1
            reason = (
                f" To say why, restore {'it' if one else 'them'} marked withdrawn, with a change_note."
                if sheet.withdrawal is not None
                else ""
            )
            found.append(
                Problem.of(
                    catalogue.WITHDRAWN,
                    f"{id_column.name} {some([str(i) for i in gone])} {'was' if one else 'were'} in {described(previous)} and {'is' if one else 'are'} gone; "
                    f"the briefing reports {'it' if one else 'them'} withdrawn. "
                    f"If that is not meant, restore the {'row with its id' if one else 'rows with their ids'}.{reason}",
                    data.title,
                    column=id_column.name,
                )
            )
        for identifier, record in now.items():
            if identifier in old and unrelated(sheet, old[identifier], record):
                found.append(
                    _at(
                        record,
                        id_column.name,
                        catalogue.ID_REUSED,
                        f"{id_column.name} {identifier} named other content in {described(previous)} "
                        f"(\u201c{_describing(sheet, old[identifier])[:60]}\u201d); the same id now names something unrelated. "
                        "Give the new content an id of its own.",
                    )
                )
    return found


def _check_label_and_date(workbook: LoadedWorkbook, previous: PreviousEdition) -> list[Problem]:
    found = []
    label, as_of = _field(workbook, "edition"), _field(workbook, "as_of")
    if label is not None and folded(str(label.value("value") or "")) == folded(previous.label or ""):
        shown = f"edition {previous.label}" if previous.label else "unlabelled"
        found.append(
            _at(
                label,
                "value",
                catalogue.EDITION_LABEL,
                f"edition is {shown}, as was {described(previous)}, the edition it is compared with. "
                "Give this edition a label of its own (or compare it with another edition, --since).",
            )
        )
    when = as_of.value("value") if as_of is not None else None
    if as_of is not None and isinstance(when, dt.date) and when < previous.as_of:
        found.append(
            _at(
                as_of,
                "value",
                catalogue.AS_OF_BACKWARDS,
                f"as_of {when:%Y-%m-%d} is earlier than {described(previous)}, the edition it is compared with; "
                "editions run forward in time.",
            )
        )
    return found


def label_released(workbook: LoadedWorkbook, released_as: str) -> Problem:
    """The edition's label was released before, as `released_as`, with other content."""
    record = _field(workbook, "edition")
    if record is None:
        raise ValueError("an edition without a label cannot have been released under one")
    return _at(
        record,
        "value",
        catalogue.EDITION_LABEL,
        f"edition {record.value('value')} was released before ({released_as}) with other content; "
        "an edition once released stays as it was. Give this one a label of its own.",
    )


def unlabelled(workbook: LoadedWorkbook) -> Problem:
    """An edition released without a label, which later editions could not name."""
    record = _field(workbook, "edition")
    message = "edition is blank; an edition is released under its label, which the next edition's changes name."
    if record is None:
        data = workbook.sheets["Briefing"]
        return Problem.of(catalogue.EDITION_LABEL, message, data.title, column="edition")
    return _at(record, "value", catalogue.EDITION_LABEL, message)


def of_another_briefing(workbook: LoadedWorkbook, since: str, other: str, this: str) -> Problem:
    """The edition to compare with, `since`, is the briefing `other`'s, not this one's (`this`)."""
    message = (
        f"the edition to compare with, {since}, was released for the briefing {other}, not for this one, {this}; "
        "a briefing is compared only with its own editions. Name one of its own with --since, or leave --since out."
    )
    record = _field(workbook, "edition")
    if record is None:
        return Problem.of(catalogue.OTHER_BRIEFING, message, workbook.sheets["Briefing"].title, column="edition")
    return _at(record, "value", catalogue.OTHER_BRIEFING, message)


def unrelated(sheet: Sheet, old: Values, new: Values) -> bool:
    """Whether an id names something else than it did: its kind or chapter changed (on a sheet
    that has them) and most of its text is new."""
    placed = _placing(sheet.name)
    moved = any(old.value(name) != new.value(name) for name in placed) if placed else True
    return moved and _similarity(_describing(sheet, old), _describing(sheet, new)) < SIMILAR_AT_LEAST


@cache
def _placing(sheet_name: str) -> tuple[str, ...]:
    """The columns that place a sheet's row: its kind, its chapter. Asked for every id both editions have."""
    return tuple(c.name for c in contract_sheet(sheet_name).columns if c.name == "kind" or c.references == "Sections")


def _describing(sheet: Sheet, row: Values) -> str:
    """What a row says in words: its required text columns (a statement's text, a figure's
    indicator, unit and period, a source's publisher and title)."""
    return " ".join(
        str(row.value(c.name)) for c in sheet.columns if c.required and c.type is ColumnType.TEXT and row.value(c.name)
    )


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, folded(a).split(), folded(b).split(), autojunk=False).ratio()


def _field(workbook: LoadedWorkbook, name: str) -> Record | None:
    """The Briefing sheet's row for field `name`."""
    data = workbook.sheets.get("Briefing")
    if data is None:
        return None
    return next((r for r in data.records if isinstance(field := r.value("field"), str) and field.casefold() == name), None)


def _at(record: Record, column: str, rule: Rule, message: str) -> Problem:
    return Problem.of(rule, message, record.sheet, record.ref(column), record.row, column)
