"""Ingest throughput on SQLite against PostgreSQL with one and with two concurrent ingest processes, in one run.

    .venv/bin/python benchmarks/stores.py [--data ../shared/data/wikinews/articles.jsonl] [--limit 1000]
                                          [--postgres URL_OF_AN_EMPTY_DATABASE | temp]
                                          [--configs sqlite_1,postgres_1,postgres_2] [--json]
    .venv/bin/python benchmarks/stores.py --web STORE.db [--clients 50] [--seconds 20] [--json]

Every configuration ingests the same articles with the full pipeline (events, provenance, stories) into a fresh
store. Each ingest process loads its spaCy pipeline first and starts on a signal, so model loading is not timed;
with two processes each takes half of the articles and throughput is all articles over the wall time from the
first start to the last finish. `temp` (the default) starts a throwaway cluster (tests/pgcluster.py).

Each process also reports the share of its time it held the ingest lock (enrichment and the write, which concurrent
ingesters take in turns) and waited for it, and its CPU seconds: with two processes, the held share bounds the
speed-up at 1 / held share, and the free cores bound it too (on a shared 2-core machine, often well below 2).
Each configuration also reports its CPU per article: the ingest processes' and, on a `temp` cluster, the PostgreSQL
server's (`cpu_ms_per_article`). On a loaded machine the wall clock measures the scheduler as much as the code,
and `postgres_1_vs_sqlite_1_cpu` (SQLite's CPU per article over PostgreSQL's) is the steadier comparison.

`--web STORE.db` measures the web side instead: benchmarks/web.py (wrk, 50 clients, cache off) against the SQLite
store on one `serve` worker, then against a PostgreSQL copy of it (`newsgraph copy`) on `serve --workers 2`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout's newsgraph, whatever is installed
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def child(target: str, source: str) -> None:
    """One ingest process: load the pipeline, say ready, wait for the go, ingest, report the times."""
    import newsgraph
    from newsgraph.nlp import load_pipeline

    nlp = load_pipeline()
    graph = newsgraph.open(target, nlp=nlp)
    waited, held = time_the_ingest_lock(graph.store)
    print("ready", flush=True)
    sys.stdin.readline()
    start, cpu = time.time(), time.process_time()
    report = graph.ingest([source])
    end, cpu = time.time(), time.process_time() - cpu
    graph.close()
    print(json.dumps({"added": report.added, "skipped": report.skipped, "errors": len(report.errors),
                      "start": start, "end": end, "cpu": round(cpu, 1), "lock_wait": round(sum(waited), 2),
                      "lock_held": round(sum(held), 2)}), flush=True)


def time_the_ingest_lock(store) -> tuple[list[float], list[float]]:
    """Wrap the store's ingest lock to add up the seconds spent waiting for it and holding it: the held share of
    the wall time bounds what a second process can add (at most 1 / held share, whatever the free cores)."""
    waited: list[float] = []
    held: list[float] = []
    lock = store.ingest_lock

    depth = [0]  # the lock is re-entrant (store_articles holds it around each store_article): time the outermost

    @contextmanager
    def timed():
        if depth[0]:
            with lock():
                yield
            return
        asked = time.perf_counter()
        with lock():
            got = time.perf_counter()
            waited.append(got - asked)
            depth[0] += 1
            try:
                yield
            finally:
                depth[0] -= 1
                held.append(time.perf_counter() - got)

    store.ingest_lock = timed
    return waited, held


def run(target: str, sources: list[Path], server_cpu=None) -> dict:
    procs = [subprocess.Popen([sys.executable, __file__, "--child", target, str(s)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for s in sources]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    server = server_cpu() if server_cpu else None  # after the stores opened (and migrated): the ingest only
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    reports = [json.loads(p.stdout.readline()) for p in procs]
    server = None if server is None else server_cpu() - server
    for p in procs:
        p.wait()
    added = sum(r["added"] for r in reports)
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    busy = [r["end"] - r["start"] for r in reports]
    return {"processes": len(procs), "added": added, "errors": sum(r["errors"] for r in reports),
            "seconds": round(wall, 1), "articles_per_second": round(added / wall, 2),
            # per process: the share of its time spent holding / waiting for the ingest lock
            "lock_held_share": [round(r["lock_held"] / b, 3) for r, b in zip(reports, busy, strict=True)],
            "lock_wait_share": [round(r["lock_wait"] / b, 3) for r, b in zip(reports, busy, strict=True)],
            "cpu_seconds": [r["cpu"] for r in reports],
            # CPU per article, the ingest processes' and the database server's: on a loaded machine the wall clock
            # measures the scheduler as much as the code, CPU hardly moves with the load.
            **({} if server is None else {"server_cpu_seconds": round(server, 1)}),
            "cpu_ms_per_article": round(1000 * (sum(r["cpu"] for r in reports) + (server or 0)) / max(added, 1), 1)}


def cluster_cpu(cluster) -> float:
    """CPU seconds the throwaway PostgreSQL cluster has used so far: the postmaster, its live children (backends,
    background writers) and the children it has reaped (a closed connection's backend)."""
    from web import cpu_seconds  # benchmarks/web.py, beside this script

    return cpu_seconds((cluster.data / "postmaster.pid").read_text().split()[0], reaped=True)


def split(data: Path, limit: int, out: Path) -> tuple[Path, list[Path]]:
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
    whole = out / "all.jsonl"
    whole.write_text("".join(lines), encoding="utf-8")
    halves = [out / "first.jsonl", out / "second.jsonl"]
    halves[0].write_text("".join(lines[0::2]), encoding="utf-8")  # interleaved: both halves span the dates
    halves[1].write_text("".join(lines[1::2]), encoding="utf-8")
    return whole, halves


CONFIGS = ("sqlite_1", "postgres_1", "postgres_2")


def web(sqlite_db: Path, clients: int, seconds: float) -> dict:
    """benchmarks/web.py, cache off, against `sqlite_db` served by one worker and against a PostgreSQL copy of it
    (`newsgraph copy`, on a throwaway cluster) served by `serve --workers 2`, one after the other."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pgcluster import Cluster

    cluster = Cluster().start()
    try:
        url = cluster.create_db("web")
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "newsgraph", "copy", "--from", str(sqlite_db), "--to", url, "--json"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        out = {"copy_seconds": round(time.monotonic() - started)}
        for name, db, workers in (("sqlite_1_worker", str(sqlite_db), 1), ("postgres_2_workers", url, 2)):
            done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "web.py"), "--db", db, "--workers",
                                   str(workers), "--cache-mb", "0", "--clients", str(clients), "--seconds",
                                   str(seconds), "--json"], check=True, cwd=ROOT, capture_output=True, text=True)
            out[name] = json.loads(done.stdout)
        return out
    finally:
        cluster.destroy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--postgres", default="temp", help="a server to create databases on, or 'temp'")
    ap.add_argument("--configs", default=",".join(CONFIGS), help=f"which of {', '.join(CONFIGS)} to run")
    ap.add_argument("--web", type=Path, metavar="SQLITE_DB",
                    help="instead: web p95 with the cache off, this store on 1 worker against a PostgreSQL copy of it"
                         " on `serve --workers 2` (benchmarks/web.py)")
    ap.add_argument("--clients", type=int, default=50, help="with --web")
    ap.add_argument("--seconds", type=float, default=20, help="with --web: each wrk run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    if args.web:
        result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d", time.gmtime()),
                  "cores": os.cpu_count(), "load_before": open("/proc/loadavg").read().split()[:3],
                  **web(args.web, args.clients, args.seconds),
                  "load_after": open("/proc/loadavg").read().split()[:3]}
        if args.json:
            print(json.dumps(result, indent=2))
            return
        for name in ("sqlite_1_worker", "postgres_2_workers"):
            r = result[name]
            print(f"{name} ({r['articles']} articles, {r['clients']} clients, cache off):")
            for endpoint, e in r["endpoints"].items():
                print(f"  {endpoint:<12} p95 {e['client_p95_ms']} ms, {e.get('rps', '')} req/s, {e['errors']} errors")
        print(f"load average before {result['load_before']}, after {result['load_after']} ({result['cores']} cores)")
        return
    configs = [c for c in args.configs.split(",") if c]
    if set(configs) - set(CONFIGS):
        ap.error(f"unknown configuration: {', '.join(sorted(set(configs) - set(CONFIGS)))}")
    if "postgres_2" in configs and "postgres_1" in configs and args.postgres != "temp":
        ap.error("postgres_1 and postgres_2 need two fresh databases: use --postgres temp")
    cluster = None
    if args.postgres == "temp" and any(c.startswith("postgres") for c in configs):
        sys.path.insert(0, str(ROOT / "tests"))
        from pgcluster import Cluster

        cluster = Cluster().start()
    result = {"command": " ".join(sys.argv), "date": time.strftime("%Y-%m-%d", time.gmtime()),
              "articles": args.limit, "cores": os.cpu_count(), "load_before": open("/proc/loadavg").read().split()[:3]}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            whole, halves = split(args.data, args.limit, Path(tmp))
            pg = (lambda name: cluster.create_db(name)) if cluster else (lambda name: args.postgres)
            for config in configs:
                target = str(Path(tmp) / "bench.db") if config == "sqlite_1" else pg(config)
                server = (lambda: cluster_cpu(cluster)) if cluster and config != "sqlite_1" else None
                result[config] = run(target, halves if config == "postgres_2" else [whole], server)
            result["load_after"] = open("/proc/loadavg").read().split()[:3]
    finally:
        if cluster is not None:
            cluster.destroy()
    rate = {c: result[c]["articles_per_second"] for c in configs}
    if {"postgres_1", "sqlite_1"} <= set(rate):
        result["postgres_1_vs_sqlite_1"] = round(rate["postgres_1"] / rate["sqlite_1"], 3)
        # the same ratio in CPU per article (client and server): what the wall clock would give on an idle machine
        # if every wait for the server were its CPU
        result["postgres_1_vs_sqlite_1_cpu"] = round(result["sqlite_1"]["cpu_ms_per_article"]
                                                     / result["postgres_1"]["cpu_ms_per_article"], 3)
    if {"postgres_1", "postgres_2"} <= set(rate):
        result["postgres_2_vs_postgres_1"] = round(rate["postgres_2"] / rate["postgres_1"], 3)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key in configs:
        r = result[key]
        print(f"{key:>11}: {r['added']} articles in {r['seconds']} s = {r['articles_per_second']} articles/s,"
              f" ingest lock held {r['lock_held_share']} and waited for {r['lock_wait_share']} of the time,"
              f" {r['cpu_seconds']} CPU s per process"
              + (f", {r['server_cpu_seconds']} CPU s in PostgreSQL" if "server_cpu_seconds" in r else "")
              + f"; {r['cpu_ms_per_article']} ms CPU per article")
    if "postgres_1_vs_sqlite_1" in result:
        print(f"PostgreSQL 1 process / SQLite 1 process: {result['postgres_1_vs_sqlite_1']} (wall clock),"
              f" {result['postgres_1_vs_sqlite_1_cpu']} (CPU per article, inverted)")
    if "postgres_2_vs_postgres_1" in result:
        print(f"PostgreSQL 2 processes / 1 process: {result['postgres_2_vs_postgres_1']}")
    print(f"load average before {result['load_before']}, after {result['load_after']} ({result['cores']} cores)")


if __name__ == "__main__":
    main()
