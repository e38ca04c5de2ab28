"""SQL fragments shared by the store's queries: bound-parameter lists for `... IN (?, ?, ...)`, the value labels."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import VALUE_LABELS

VALUES_SQL = "(" + ",".join(f"'{v}'" for v in sorted(VALUE_LABELS)) + ")"  # constants, not user input
PARAM_CHUNK = 500  # ids per query: under SQLite's bound-parameter limit on every build


def in_chunks(ids: Sequence) -> Iterator[tuple[list, str]]:
    """(chunk of ids, its "?,?,..." placeholders), PARAM_CHUNK ids at a time."""
    for i in range(0, len(ids), PARAM_CHUNK):
        chunk = list(ids[i:i + PARAM_CHUNK])
        yield chunk, ",".join("?" * len(chunk))
