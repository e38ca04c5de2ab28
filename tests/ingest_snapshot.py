"""Everything an ingest wrote to a SQLite store, minus clocks, as comparable rows: two ingests of the same corpus
that differ only in how they batch or where they compute must give equal snapshots.

    python tests/ingest_snapshot.py STORE.db > snapshot.json   # to compare a branch's ingest with main's
"""
from __future__ import annotations

import json
import sqlite3
import sys

# Wall-clock columns, and tables that are bookkeeping rather than ingest output.
CLOCKS = {"ingested_at", "applied_at", "first_seen", "last_seen", "updated_at"}
SKIP = {"schema_migrations", "store_meta", "sqlite_sequence", "store_changes"}  # store_changes: numbered by write, errors too


def _value(v):
    return v.hex() if isinstance(v, bytes) else v


def snapshot(path: str, drop: tuple[str, ...] = ()) -> dict[str, list]:
    """Rows of every table, sorted; `drop` names columns left out too (e.g. `item`, which names the input file)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            # FTS5 shadow tables are covered by the store's integrity check, not compared byte by byte
            if table in SKIP or table.startswith("sentences_fts"):
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in CLOCKS and r[1] not in drop]
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'SELECT {select} FROM "{table}"').fetchall()
            out[table] = sorted(([_value(v) for v in row] for row in rows), key=repr)
        return out
    finally:
        con.close()


if __name__ == "__main__":
    json.dump(snapshot(sys.argv[1]), sys.stdout, sort_keys=True)
