"""Streaming export records out of SQLite."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from .export_tables import export_sql


def export_rows(con: sqlite3.Connection, kind: type) -> Iterator:
    sql = export_sql(kind)
    for row in con.execute(sql):
        yield kind(*row)
