"""What the briefing says of the sources an item rests on: its footnote (each source in full the
first time the briefing cites it, short after), a short citation for a table's cell, and the
sources numbered as the sources annex numbers them. Text only: where it goes is the renderer's."""

from __future__ import annotations

from collections.abc import Iterable

from ..briefing import wording
from ..briefing.items import Citation, Source


class Citations:
    """The citations of one briefing, worded in the order the renderer prints them: whether a
    source is given in full depends on what was cited before."""

    def __init__(self, sources: Iterable[Source]):
        self._numbers = {source.id: number for number, source in enumerate(sources, start=1)}
        self._cited: set[str] = set()  # sources given in full in a footnote already
        # The note of each citation noted with every source short, by the citation's identity
        # (the model makes each distinct citation once), kept with it: it says the same again.
        self._short_notes: dict[int, tuple[Citation, str]] = {}

    def note(self, citation: Citation) -> str:
        """The footnote of `citation`, printed next: every source it rests on, each in full the
        first time it is cited, short after, then whom they credit and their grades."""
        noted = self._short_notes.get(id(citation))
        if noted is not None and noted[0] is citation:
            return noted[1]
        leads, graded = [], []
        for reference in citation.references:
            source, number = reference.source, self._numbers[reference.source.id]
            full = source.id not in self._cited
            self._cited.add(source.id)
            leads.append(wording.cited_source(number, source, reference.locator, full))
            if full:
                graded.append((number, source))
        note = " ".join([*leads, *wording.citation_details(citation, graded)])
        if not graded:
            self._short_notes[id(citation)] = (citation, note)
        return note

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
