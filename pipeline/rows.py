"""Typed rows: for each sheet of the contract, a class with a property for each of its
columns, typed as the contract types it, so that a type checker sees every column a row is
read by and what it holds. Generated from `contract.SHEETS` by `make docs`; do not edit.

Each wraps a row that reads its values by column name (a workbook's `Record`, an edition's
`Row`): `Unchecked…Row` as read, before validation, `…Row` once validation has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from .contract import OutlookKind, Qualifier, StatementKind, Yardstick
from .dates import PartialDate


class Values(Protocol):
    """A row that reads its values by column name, each typed as its column is."""

    def value(self, column: str) -> Any: ...


class Fields:
    """Key-value fields, read as a row."""

    __slots__ = ("fields",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields = fields

    def value(self, column: str) -> Any:
        return self.fields.get(column)


class BriefingFields:
    """The Briefing fields of a workbook validation passed."""

    __slots__ = ("record",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.record = Fields(fields)

    @property
    def title(self) -> str:
        return self.record.value("title")

    @property
    def subtitle(self) -> str | None:
        return self.record.value("subtitle")

    @property
    def as_of(self) -> dt.date:
        return self.record.value("as_of")

    @property
    def edition(self) -> str | None:
        return self.record.value("edition")

    @property
    def prepared_by(self) -> str | None:
        return self.record.value("prepared_by")

    @property
    def marking(self) -> str:
        return self.record.value("marking")

    @property
    def summary(self) -> str:
        return self.record.value("summary")

    @property
    def scope_note(self) -> str | None:
        return self.record.value("scope_note")

    @property
    def paper(self) -> str | None:
        return self.record.value("paper")

    @property
    def yardstick(self) -> Yardstick | None:
        return self.record.value("yardstick")

    @property
    def language(self) -> str | None:
        return self.record.value("language")


class UncheckedSectionRow:
    """A row of Sections as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def section_id(self) -> str | None:
        return self.record.value("section_id")

    @property
    def order(self) -> int | None:
        return self.record.value("order")

    @property
    def heading(self) -> str | None:
        return self.record.value("heading")

    @property
    def intro(self) -> str | None:
        return self.record.value("intro")

    @property
    def source_id(self) -> tuple[str, ...] | None:
        return self.record.value("source_id")

    @property
    def locator(self) -> str | None:
        return self.record.value("locator")


class SectionRow(UncheckedSectionRow):
    """A row of Sections validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def section_id(self) -> str:
        return self.record.value("section_id")

    @property
    def heading(self) -> str:
        return self.record.value("heading")


class UncheckedSourceRow:
    """A row of Sources as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def source_id(self) -> str | None:
        return self.record.value("source_id")

    @property
    def publisher(self) -> str | None:
        return self.record.value("publisher")

    @property
    def title(self) -> str | None:
        return self.record.value("title")

    @property
    def author(self) -> str | None:
        return self.record.value("author")

    @property
    def published(self) -> PartialDate | None:
        return self.record.value("published")

    @property
    def accessed(self) -> dt.date | None:
        return self.record.value("accessed")

    @property
    def url(self) -> str | None:
        return self.record.value("url")

    @property
    def source_type(self) -> str | None:
        return self.record.value("source_type")

    @property
    def reliability(self) -> str | None:
        return self.record.value("reliability")

    @property
    def relays(self) -> str | None:
        return self.record.value("relays")


class SourceRow(UncheckedSourceRow):
    """A row of Sources validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def source_id(self) -> str:
        return self.record.value("source_id")

    @property
    def publisher(self) -> str:
        return self.record.value("publisher")

    @property
    def title(self) -> str:
        return self.record.value("title")


class UncheckedFigureRow:
    """A row of Figures as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def figure_id(self) -> str | None:
        return self.record.value("figure_id")

    @property
    def section_id(self) -> str | None:
        return self.record.value("section_id")

    @property
    def indicator(self) -> str | None:
        return self.record.value("indicator")

    @property
    def value(self) -> float | None:
        return self.record.value("value")

    @property
    def unit(self) -> str | None:
        return self.record.value("unit")

    @property
    def period(self) -> str | None:
        return self.record.value("period")

    @property
    def source_id(self) -> tuple[str, ...] | None:
        return self.record.value("source_id")

    @property
    def attribution(self) -> str | None:
        return self.record.value("attribution")

    @property
    def locator(self) -> str | None:
        return self.record.value("locator")

    @property
    def key(self) -> bool:
        return bool(self.record.value("key"))

    @property
    def note(self) -> str | None:
        return self.record.value("note")

    @property
    def qualifier(self) -> Qualifier | None:
        return self.record.value("qualifier")

    @property
    def value_high(self) -> float | None:
        return self.record.value("value_high")

    @property
    def withdrawn(self) -> bool:
        return bool(self.record.value("withdrawn"))

    @property
    def change_note(self) -> str | None:
        return self.record.value("change_note")


class FigureRow(UncheckedFigureRow):
    """A row of Figures validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def figure_id(self) -> str:
        return self.record.value("figure_id")

    @property
    def indicator(self) -> str:
        return self.record.value("indicator")

    @property
    def value(self) -> float:
        return self.record.value("value")

    @property
    def unit(self) -> str:
        return self.record.value("unit")

    @property
    def period(self) -> str:
        return self.record.value("period")

    @property
    def source_id(self) -> tuple[str, ...]:
        return self.record.value("source_id")


class UncheckedStatementRow:
    """A row of Statements as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def statement_id(self) -> str | None:
        return self.record.value("statement_id")

    @property
    def section_id(self) -> str | None:
        return self.record.value("section_id")

    @property
    def text(self) -> str | None:
        return self.record.value("text")

    @property
    def kind(self) -> StatementKind | None:
        return self.record.value("kind")

    @property
    def attributed_to(self) -> str | None:
        return self.record.value("attributed_to")

    @property
    def date(self) -> PartialDate | None:
        return self.record.value("date")

    @property
    def source_id(self) -> tuple[str, ...] | None:
        return self.record.value("source_id")

    @property
    def locator(self) -> str | None:
        return self.record.value("locator")

    @property
    def credibility(self) -> str | None:
        return self.record.value("credibility")

    @property
    def confidence(self) -> str | None:
        return self.record.value("confidence")

    @property
    def key(self) -> bool:
        return bool(self.record.value("key"))

    @property
    def likelihood(self) -> str | None:
        return self.record.value("likelihood")

    @property
    def translation(self) -> str | None:
        return self.record.value("translation")

    @property
    def withdrawn(self) -> bool:
        return bool(self.record.value("withdrawn"))

    @property
    def change_note(self) -> str | None:
        return self.record.value("change_note")


class StatementRow(UncheckedStatementRow):
    """A row of Statements validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def statement_id(self) -> str:
        return self.record.value("statement_id")

    @property
    def text(self) -> str:
        return self.record.value("text")

    @property
    def source_id(self) -> tuple[str, ...]:
        return self.record.value("source_id")


class UncheckedEventRow:
    """A row of Events as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def event_id(self) -> str | None:
        return self.record.value("event_id")

    @property
    def date(self) -> PartialDate | None:
        return self.record.value("date")

    @property
    def section_id(self) -> str | None:
        return self.record.value("section_id")

    @property
    def event(self) -> str | None:
        return self.record.value("event")

    @property
    def source_id(self) -> tuple[str, ...] | None:
        return self.record.value("source_id")

    @property
    def locator(self) -> str | None:
        return self.record.value("locator")

    @property
    def withdrawn(self) -> bool:
        return bool(self.record.value("withdrawn"))

    @property
    def change_note(self) -> str | None:
        return self.record.value("change_note")


class EventRow(UncheckedEventRow):
    """A row of Events validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def event_id(self) -> str:
        return self.record.value("event_id")

    @property
    def date(self) -> PartialDate:
        return self.record.value("date")

    @property
    def event(self) -> str:
        return self.record.value("event")

    @property
    def source_id(self) -> tuple[str, ...]:
        return self.record.value("source_id")


class UncheckedChartRow:
    """A row of Charts as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def chart_id(self) -> str | None:
        return self.record.value("chart_id")

    @property
    def section_id(self) -> str | None:
        return self.record.value("section_id")

    @property
    def title(self) -> str | None:
        return self.record.value("title")

    @property
    def kind(self) -> str | None:
        return self.record.value("kind")

    @property
    def figures(self) -> tuple[str, ...] | None:
        return self.record.value("figures")

    @property
    def caption(self) -> str | None:
        return self.record.value("caption")


class ChartRow(UncheckedChartRow):
    """A row of Charts validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def chart_id(self) -> str:
        return self.record.value("chart_id")

    @property
    def title(self) -> str:
        return self.record.value("title")

    @property
    def figures(self) -> tuple[str, ...]:
        return self.record.value("figures")


class UncheckedOutlookRow:
    """A row of Outlook as read: any column may be None, blank or unreadable."""

    __slots__ = ("record",)

    def __init__(self, record: Values) -> None:
        self.record = record

    @property
    def outlook_id(self) -> str | None:
        return self.record.value("outlook_id")

    @property
    def kind(self) -> OutlookKind | None:
        return self.record.value("kind")

    @property
    def text(self) -> str | None:
        return self.record.value("text")

    @property
    def signals(self) -> str | None:
        return self.record.value("signals")

    @property
    def bears_on(self) -> str | None:
        return self.record.value("bears_on")

    @property
    def source_id(self) -> tuple[str, ...] | None:
        return self.record.value("source_id")

    @property
    def locator(self) -> str | None:
        return self.record.value("locator")


class OutlookRow(UncheckedOutlookRow):
    """A row of Outlook validation passed: its required columns hold a value."""

    __slots__ = ()

    @property
    def outlook_id(self) -> str:
        return self.record.value("outlook_id")

    @property
    def kind(self) -> OutlookKind:
        return self.record.value("kind")

    @property
    def text(self) -> str:
        return self.record.value("text")
