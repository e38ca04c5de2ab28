"""PostgreSQL's write path alone, per article: the full pipeline's annotated articles (parsed once, cached) enriched
and stored as `ingest` does (32 to a transaction), with the client's CPU, the server's CPU and, from
pg_stat_statements, each statement's calls, rows and server time.

    PYTHONPATH=. .venv/bin/python benchmarks/pg_writes.py [--limit 300] [--top 25] [--sqlite] [--json]

The first run parses the articles with spaCy and keeps them in a pickle beside the system's temp files (`--cache`);
later runs, and runs of other checkouts, replay the same articles, so a change to the store is measured on the same
input without the parse. CPU is split into the enrichers' (stories, provenance and entity decisions, their lookups
included) and the store's writes (`add_article`, the client's side), both this process's; the server's CPU is the
throwaway cluster's (tests/pgcluster.py) over the whole replay. `--sqlite` replays into SQLite too, for comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
BATCH = 32


def annotated(data: Path, limit: int, cache: Path) -> list:
    """The first `limit` articles of `data` as `ingest` annotates them, before enrichment (parsed once, then read
    from `cache`)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from newsgraph.ingest import Fetcher
    from newsgraph.ingest.pipeline import run_ingest
    from newsgraph.nlp import load_pipeline
    from newsgraph.store import open_store

    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
    out: list = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(lines), encoding="utf-8")
        store = open_store(str(Path(tmp) / "parse.db"))
        run_ingest([str(source)], store=store, nlp=load_pipeline(), fetcher=Fetcher(),
                   enrichers=[lambda _store, article: out.append(article) or article])
        store.close()
    cache.write_bytes(pickle.dumps(out))
    return out


def replay(store, articles: list) -> dict:
    """Enrich and store `articles` in batches as `ingest`'s writer thread does; CPU split enrichers / writes."""
    from newsgraph.ingest.enrichers import default_enrichers
    from newsgraph.ingest.pipeline import store_articles

    write_cpu = [0.0]
    add = store.add_article

    def timed_add(article):
        started = time.thread_time()
        try:
            return add(article)
        finally:
            write_cpu[0] += time.thread_time() - started

    store.add_article = timed_add
    enrichers = default_enrichers()
    cpu, wall = time.thread_time(), time.perf_counter()
    added = 0
    for i in range(0, len(articles), BATCH):
        added += sum(isinstance(r, int) for r in store_articles(store, articles[i:i + BATCH], enrichers))
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    return {"added": added, "seconds": round(wall, 2), "client_cpu_seconds": round(cpu, 2),
            "write_cpu_seconds": round(write_cpu[0], 2), "enrich_cpu_seconds": round(cpu - write_cpu[0], 2)}


def statements(url: str, top: int) -> dict:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        rows = con.execute(
            "SELECT calls, rows, total_exec_time, total_plan_time, query, wal_records, wal_bytes,"
            " shared_blks_hit + shared_blks_read FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " ORDER BY total_exec_time + total_plan_time DESC").fetchall()
        tables = con.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC").fetchall()
        pairs = con.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE articles = 1) FROM cooccurrences").fetchone()
    ms = sum(r[2] + r[3] for r in rows)
    # WAL records and buffer accesses do not move with the machine's load, as the times do
    return {"statements": sum(r[0] for r in rows), "rows": sum(r[1] for r in rows),
            "wal_records": sum(r[5] for r in rows), "wal_bytes": sum(int(r[6]) for r in rows),
            "buffer_accesses": sum(r[7] for r in rows),
            "server_statement_ms": round(ms),
            # rows written per table; an update that is not HOT writes a new entry in every index of its table
            "tables": {t: {"inserted": i, "updated": u, "hot_updated": h, "deleted": d} for t, i, u, h, d in tables},
            "cooccurrence_pairs": {"rows": pairs[0], "in_one_article": pairs[1]},
            "top": [{"calls": c, "rows": n, "exec_ms": round(e), "plan_ms": round(p), "share": round((e + p) / ms, 3),
                     "wal_records": w, "buffers": b, "query": " ".join(q.split())[:240]}
                    for c, n, e, p, q, w, _, b in rows[:top]]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--cache", type=Path, help="annotated articles (default: a pickle in the temp dir)")
    ap.add_argument("--top", type=int, default=25, help="statements to list, by server time")
    ap.add_argument("--sqlite", action="store_true", help="replay into SQLite too")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    cache = args.cache or Path(tempfile.gettempdir()) / f"newsgraph-annotated-{args.limit}.pickle"
    articles = annotated(args.data, args.limit, cache)

    import psycopg
    from pgcluster import Cluster
    from stores import cluster_cpu

    from newsgraph.store import open_store

    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d", time.gmtime()),
              "articles": len(articles), "load_before": open("/proc/loadavg").read().split()[:3]}
    cluster = Cluster().start()
    try:
        with open(cluster.data / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'all'\n"
                    "pg_stat_statements.track_planning = on\npg_stat_statements.max = 10000\n")
        cluster.stop()  # not restart: its server would keep the pipe pgcluster reads open
        cluster.start_again()
        url = cluster.url()
        store = open_store(url)
        with psycopg.connect(url, autocommit=True) as con:
            con.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            con.execute("SELECT pg_stat_statements_reset()")
        server = cluster_cpu(cluster)
        pg = replay(store, articles)
        pg["server_cpu_seconds"] = round(cluster_cpu(cluster) - server, 2)
        store.close()
        pg.update(statements(url, args.top))
        n = max(pg["added"], 1)
        pg["per_article"] = {
            "statements": round(pg["statements"] / n, 1), "rows": round(pg["rows"] / n, 1),
            "wal_records": round(pg["wal_records"] / n), "wal_kb": round(pg["wal_bytes"] / n / 1024, 1),
            "buffer_accesses": round(pg["buffer_accesses"] / n),
            "server_cpu_ms": round(1000 * pg["server_cpu_seconds"] / n, 1),
            "write_client_cpu_ms": round(1000 * pg["write_cpu_seconds"] / n, 1),
            "enrich_cpu_ms": round(1000 * pg["enrich_cpu_seconds"] / n, 1)}
        result["postgres"] = pg
    finally:
        cluster.destroy()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(os.path.join(tmp, "w.db"))
            result["sqlite"] = replay(store, articles)
            store.close()
    result["load_after"] = open("/proc/loadavg").read().split()[:3]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    pg = result["postgres"]
    print(f"PostgreSQL, {pg['added']} articles: per article {pg['per_article']}")
    print(f"  co-occurrence rows {pg['cooccurrence_pairs']}; rows written per table:")
    for t, n in list(pg["tables"].items())[:12]:
        print(f"    {t:<22} {n}")
    for s in pg["top"]:
        print(f"  {s['share']:6.1%} {s['exec_ms']:>6} + {s['plan_ms']:>4} ms {s['calls']:>6} calls {s['rows']:>7} rows"
              f" {s['wal_records']:>7} WAL {s['buffers']:>8} buf"
              f"  {s['query'][:150]}")
    if "sqlite" in result:
        print(f"SQLite: {result['sqlite']}")
    print(f"load average before {result['load_before']}, after {result['load_after']}")


if __name__ == "__main__":
    main()
