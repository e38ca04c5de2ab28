"""Stores: one `Store` protocol (base.py), with SQLite (default) and PostgreSQL behind it."""
from __future__ import annotations

from pathlib import Path

from .base import Store
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore", "open_store", "is_postgres_url"]


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


READERS = 8  # connections a store reads on at once, by default (a server's handler threads need one each)


def open_store(target: str | Path, *, create: bool = True, readers: int = READERS) -> Store:
    """A store for `target`: a postgresql:// URL opens PostgreSQL, anything else is a SQLite file path.
    `create=False` opens only an existing store (a source to read): NotFound rather than a new empty one.
    `readers` bounds the connections open at once (SQLite's readers, PostgreSQL's pool)."""
    if is_postgres_url(target):
        from .postgres import PostgresStore  # psycopg is only imported for PostgreSQL

        return PostgresStore(str(target), create=create, pool_size=readers)
    return SQLiteStore(target, create=create, max_readers=readers)
