"""What the briefing says of the sources an item rests on: its footnote (each source in full the
first time the briefing cites it, short after), a short citation for a table's cell, and the
sources numbered as the sources annex numbers them. Text only: where it goes is the renderer's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from ..briefing import wording
from ..briefing.items import Citation, Source

Said = TypeVar("Said")


class SaidOf(Generic[Said]):
    """What is said of each item (its footnote, its figure's note), worked out once: kept by the
    item's identity, as the model makes each distinct item once and hashing one by its value
    reads every field; and kept with the item, so that the id of one gone never finds another's."""

    def __init__(self) -> None:
        self._said: dict[int, tuple[object, Said]] = {}

    def get(self, item: object) -> Said | None:
        found = self._said.get(id(item))
        return found[1] if found is not None and found[0] is item else None

    def put(self, item: object, said: Said) -> Said:
        self._said[id(item)] = (item, said)
        return said

    def once(self, item: object, saying: Callable[[], Said]) -> Said:
        """What is said of `item`: as said before, or `saying()` now, kept."""
        found = self.get(item)
        return found if found is not None else self.put(item, saying())


class Citations:
    """The citations of one briefing, worded in the order the renderer prints them: whether a
    source is given in full depends on what was cited before."""

    def __init__(self, sources: Iterable[Source]):
        self._numbers = {source.id: number for number, source in enumerate(sources, start=1)}
        self._cited: set[str] = set()  # sources given in full in a footnote already
        # The note of each citation noted with every source short: it says the same again.
        self._short_notes: SaidOf[str] = SaidOf()

    def note(self, citation: Citation) -> str:
        """The footnote of `citation`, printed next: every source it rests on, each in full the
        first time it is cited, short after, then whom they credit and their grades."""
        noted = self._short_notes.get(citation)
        if noted is not None:
            return noted
        leads, graded = [], []
        for reference in citation.references:
            source, number = reference.source, self._numbers[reference.source.id]
            full = source.id not in self._cited
            self._cited.add(source.id)
            leads.append(wording.cited_source(number, source, reference.locator, full))
            if full:
                graded.append((number, source))
        note = " ".join([*leads, *wording.citation_details(citation, graded)])
        return self._short_notes.put(citation, note) if not graded else note

    def short(self, citation: Citation) -> str:
        """`[1] Publisher, “Short title…”, para. 7`: the sources, each with where in it."""
        return "; ".join(
            wording.cited_source(self._numbers[r.source.id], r.source, r.locator, full=False).removesuffix(".")
            for r in citation.references
        )

    def numbered(self, citations: Iterable[Citation]) -> list[tuple[int, Source]]:
        """Every source `citations` rest on, once, with its number, in the annex's order."""
        sources = {source.id: source for citation in citations for source in citation.sources}
        return sorted(((self._numbers[source_id], source) for source_id, source in sources.items()), key=lambda pair: pair[0])
