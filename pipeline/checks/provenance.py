"""Where a source's information comes from: a source that relays another (a repost, a report
that only repeats another's figures) adds no origin of its own, so two sources corroborate each
other only when they trace back to different origins. The validator and the briefing's source
summary both count origins this way."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def origin(source_id: str, relays: Callable[[str], str | None]) -> str:
    """The source `source_id` traces back to through `relays` (a source's id → the id of the
    source it relays, or None): itself when it relays none. A chain that loops ends where it
    would repeat."""
    seen = {source_id}
    while (relayed := relays(source_id)) and relayed not in seen:
        seen.add(relayed)
        source_id = relayed
    return source_id


def origins(source_ids: Iterable[str], relays: Callable[[str], str | None]) -> list[str]:
    """The distinct origins of `source_ids`, in the order first reached."""
    return list(dict.fromkeys(origin(source_id, relays) for source_id in source_ids))
