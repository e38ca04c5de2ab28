"""The store version and its change log: every write transaction bumps the version and records what it touched.

A write function calls `touch(con, tags)` inside its transaction to say which pages it can change
("article:7", "entity:3", "story:2", "errors"); a transaction that touches nothing it names is recorded as
touching everything (NULL), so a write that forgets to say stays safe. Portable SQL (both backends).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

KEEP = 10_000  # versions of history kept; a reader further behind than this starts afresh

_current = threading.local()  # per thread: a transaction runs on one thread from begin to record


def begin() -> None:
    """A write transaction starts: nothing named yet (so it touches everything unless it says otherwise)."""
    _current.tags = None


def touch(tags: Iterable[str]) -> None:
    """Name pages the current transaction changes; several calls add up."""
    named = getattr(_current, "tags", None)
    _current.tags = (named or set()) | set(tags)


def record(con) -> None:
    """Bump the version and log what this transaction touched; the last statement of every write transaction."""
    tags = getattr(_current, "tags", None)
    _current.tags = None
    con.execute("UPDATE store_meta SET value = value + 1 WHERE key = 'version'")
    con.execute("INSERT INTO store_changes (version, tags) SELECT value, ? FROM store_meta WHERE key = 'version'",
                (None if tags is None else " ".join(sorted(tags)),))
    con.execute("DELETE FROM store_changes WHERE version <= (SELECT value FROM store_meta WHERE key = 'version') - ?",
                (KEEP,))


def since(con, version: int) -> list[tuple[int, frozenset[str] | None]] | None:
    """(version, tags or None for everything) of each write after `version`, oldest first; None when the log no
    longer reaches back that far (pruned, or the store predates it)."""
    current = con.execute("SELECT value FROM store_meta WHERE key = 'version'").fetchone()[0]
    if current <= version:
        return []
    rows = con.execute("SELECT version, tags FROM store_changes WHERE version > ? AND version <= ? ORDER BY version",
                       (version, current)).fetchall()
    if len(rows) != current - version:
        return None
    return [(v, None if tags is None else frozenset(tags.split())) for v, tags in rows]
