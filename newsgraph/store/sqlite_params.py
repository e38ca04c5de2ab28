"""Bound-parameter lists for `... IN (?, ?, ...)` queries over many ids."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

PARAM_CHUNK = 500  # ids per query: under SQLite's bound-parameter limit on every build


def in_chunks(ids: Sequence) -> Iterator[tuple[list, str]]:
    """(chunk of ids, its "?,?,..." placeholders), PARAM_CHUNK ids at a time."""
    for i in range(0, len(ids), PARAM_CHUNK):
        chunk = list(ids[i:i + PARAM_CHUNK])
        yield chunk, ",".join("?" * len(chunk))
