"""SQL statements and time per page, cache off, one client in-process: where a page's own time goes.

    .venv/bin/python benchmarks/web_queries.py --db STORE.db|postgresql://... [--page entity|article]
                                               [--pages 100] [--json]

Serves `--pages` sampled pages (entities drawn from the 1,000 most connected, as benchmarks/web.py does)
through the app with the response cache off, and counts every SQL statement the store runs for each
page (sqlite3 trace callback on every connection the store opens; on PostgreSQL every statement a psycopg
cursor sends, each a round trip). Prints statements per page, the most frequent statement shapes, and how a
page's wall time splits between the SQL work (on PostgreSQL: the waits for the server) and the rest (routing,
Python-side assembly, template rendering), and the CPU time of this process per page.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout's newsgraph, whatever is installed

statements: list[str] = []
sql_seconds = [0.0]


def _timed(call, *a, **k):
    t = time.perf_counter()
    try:
        return call(*a, **k)
    finally:
        sql_seconds[0] += time.perf_counter() - t


class TracedCursor(sqlite3.Cursor):
    """Times execute plus the fetches that follow it (SQLite does the work lazily, row by row)."""

    def execute(self, *a, **k):
        return _timed(super().execute, *a, **k)

    def executemany(self, *a, **k):
        return _timed(super().executemany, *a, **k)

    def fetchall(self):
        return _timed(super().fetchall)

    def fetchone(self):
        return _timed(super().fetchone)

    def __next__(self):
        return _timed(super().__next__)


class TracedConnection(sqlite3.Connection):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.set_trace_callback(statements.append)

    def cursor(self, factory=TracedCursor):
        return super().cursor(factory)

    def execute(self, *a, **k):
        return self.cursor().execute(*a, **k)

    def executemany(self, *a, **k):
        return self.cursor().executemany(*a, **k)


def trace_psycopg() -> None:
    """Count and time every statement psycopg sends, with the fetches that follow it."""
    import psycopg

    for name in ("execute", "executemany", "fetchone", "fetchall", "fetchmany", "__iter__", "__next__"):
        call = getattr(psycopg.Cursor, name, None)
        if call is None:
            continue

        def traced(self, *a, _call=call, _name=name, **k):
            if _name in ("execute", "executemany"):
                statements.append(str(a[0]))
            return _timed(_call, self, *a, **k)

        setattr(psycopg.Cursor, name, traced)


def backends_cpu(db: str) -> float:
    """CPU seconds so far of the PostgreSQL server processes serving `db` (its pooled connections live on through
    the run, so the difference over the run is the server's share of the pages)."""
    import psycopg

    with psycopg.connect(db, autocommit=True) as con:
        pids = [r[0] for r in con.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                                          " AND pid != pg_backend_pid()")]
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def shape(sql: str) -> str:
    """A statement with its literals blanked, so the same query with other values counts once."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\(\s*\?(\s*,\s*\?)*\s*\)", "(…)", sql)
    return " ".join(sql.split())[:140]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a SQLite path or a postgresql:// URL")
    ap.add_argument("--page", choices=("entity", "article"), default="entity")
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    postgres = args.db.startswith(("postgresql://", "postgres://"))
    if postgres:
        trace_psycopg()
    else:
        real_connect = sqlite3.connect
        sqlite3.connect = lambda *a, **k: real_connect(*a, factory=TracedConnection, **k)  # type: ignore

    from fastapi.testclient import TestClient

    import newsgraph
    from newsgraph.api import create_app
    from newsgraph.records import ArticleRow
    from newsgraph.store import open_store

    store = open_store(args.db, create=False)
    if args.page == "entity":
        ids = [e.id for e in store.entities(limit=1000, values=True)]
    else:
        ids = [a.id for a in store.export(ArticleRow)]
    store.close()
    sample = random.Random(args.seed).sample(ids, min(args.pages, len(ids)))
    prefix = "/entities/" if args.page == "entity" else "/articles/"

    graph = newsgraph.open(args.db)
    client = TestClient(create_app(graph, cache_bytes=0))
    client.get(prefix + str(sample[0]))  # first request pays imports and template compilation
    counts, walls, sqls, shapes = [], [], [], Counter()
    cpu, server_cpu = time.process_time(), backends_cpu(args.db) if postgres else 0.0
    for i in sample:
        statements.clear()
        sql_seconds[0] = 0.0
        t = time.perf_counter()
        r = client.get(prefix + str(i))
        walls.append(time.perf_counter() - t)
        if r.status_code != 200:
            sys.exit(f"{prefix}{i}: HTTP {r.status_code}")
        sqls.append(sql_seconds[0])
        counts.append(len(statements))
        shapes.update(shape(s) for s in statements)
    cpu = time.process_time() - cpu
    server_cpu = backends_cpu(args.db) - server_cpu if postgres else None
    graph.close()
    result = {
        "db": str(args.db), "page": args.page, "pages": len(sample),
        "statements_per_page": {"mean": statistics.mean(counts), "median": statistics.median(counts),
                                "max": max(counts)},
        "wall_ms_median": statistics.median(walls) * 1000,
        "sql_ms_median": statistics.median(sqls) * 1000,
        "sql_share_of_wall": sum(sqls) / sum(walls),
        "cpu_ms_per_page": 1000 * cpu / len(sample),  # this process: the app (what `serve` would spend)
        "server_cpu_ms_per_page": None if server_cpu is None else 1000 * server_cpu / len(sample),  # PostgreSQL's
        "top_statements": [{"per_page": n / len(sample), "sql": s} for s, n in shapes.most_common(12)],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    sp = result["statements_per_page"]
    print(f"{args.page} page, cache off, {len(sample)} pages of {args.db}: {sp['mean']:.1f} SQL statements per page "
          f"(median {sp['median']}, max {sp['max']}); wall median {result['wall_ms_median']:.1f} ms, "
          f"of which SQL {result['sql_ms_median']:.1f} ms ({result['sql_share_of_wall']:.0%} of all wall time);"
          f" {result['cpu_ms_per_page']:.1f} ms CPU per page in this process"
          + ("" if server_cpu is None else f", {result['server_cpu_ms_per_page']:.1f} ms in PostgreSQL's"))
    for row in result["top_statements"]:
        print(f"  {row['per_page']:6.1f}/page  {row['sql']}")


if __name__ == "__main__":
    main()
