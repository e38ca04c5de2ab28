"""Ingest throughput on SQLite against PostgreSQL with one and with two concurrent ingest processes, in one run.

    .venv/bin/python benchmarks/stores.py [--data ../shared/data/wikinews/articles.jsonl] [--limit 1000]
                                          [--postgres URL_OF_AN_EMPTY_DATABASE | temp] [--json]

Every configuration ingests the same articles with the full pipeline (events, provenance, stories) into a fresh
store. Each ingest process loads its spaCy pipeline first and starts on a signal, so model loading is not timed;
with two processes each takes half of the articles and throughput is all articles over the wall time from the
first start to the last finish. `temp` (the default) starts a throwaway cluster (tests/pgcluster.py).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
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
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.time()
    report = graph.ingest([source])
    end = time.time()
    graph.close()
    print(json.dumps({"added": report.added, "skipped": report.skipped, "errors": len(report.errors),
                      "start": start, "end": end}), flush=True)


def run(target: str, sources: list[Path]) -> dict:
    procs = [subprocess.Popen([sys.executable, __file__, "--child", target, str(s)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for s in sources]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    reports = [json.loads(p.stdout.readline()) for p in procs]
    for p in procs:
        p.wait()
    added = sum(r["added"] for r in reports)
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    return {"processes": len(procs), "added": added, "errors": sum(r["errors"] for r in reports),
            "seconds": round(wall, 1), "articles_per_second": round(added / wall, 2)}


def split(data: Path, limit: int, out: Path) -> tuple[Path, list[Path]]:
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)[:limit]
    whole = out / "all.jsonl"
    whole.write_text("".join(lines), encoding="utf-8")
    halves = [out / "first.jsonl", out / "second.jsonl"]
    halves[0].write_text("".join(lines[0::2]), encoding="utf-8")  # interleaved: both halves span the dates
    halves[1].write_text("".join(lines[1::2]), encoding="utf-8")
    return whole, halves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--postgres", default="temp", help="a server to create databases on, or 'temp'")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    cluster = None
    if args.postgres == "temp":
        sys.path.insert(0, str(ROOT / "tests"))
        from pgcluster import Cluster

        cluster = Cluster().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            whole, halves = split(args.data, args.limit, Path(tmp))
            result = {"command": " ".join(sys.argv), "articles": args.limit,
                      "load_before": open("/proc/loadavg").read().split()[:3]}
            result["sqlite_1"] = run(str(Path(tmp) / "bench.db"), [whole])
            pg = (lambda name: cluster.create_db(name)) if cluster else (lambda name: args.postgres)
            result["postgres_1"] = run(pg("one"), [whole])
            result["postgres_2"] = run(pg("two"), halves) if cluster else "needs --postgres temp (two fresh databases)"
            result["load_after"] = open("/proc/loadavg").read().split()[:3]
    finally:
        if cluster is not None:
            cluster.destroy()
    one, sq = result["postgres_1"]["articles_per_second"], result["sqlite_1"]["articles_per_second"]
    result["postgres_1_vs_sqlite_1"] = round(one / sq, 3)
    if isinstance(result["postgres_2"], dict):
        result["postgres_2_vs_postgres_1"] = round(result["postgres_2"]["articles_per_second"] / one, 3)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key in ("sqlite_1", "postgres_1", "postgres_2"):
        r = result[key]
        print(f"{key:>11}: {r['added']} articles in {r['seconds']} s = {r['articles_per_second']} articles/s"
              if isinstance(r, dict) else f"{key:>11}: {r}")
    print(f"PostgreSQL 1 process / SQLite 1 process: {result['postgres_1_vs_sqlite_1']}")
    if "postgres_2_vs_postgres_1" in result:
        print(f"PostgreSQL 2 processes / 1 process: {result['postgres_2_vs_postgres_1']}")
    print(f"load average before {result['load_before']}, after {result['load_after']}")


if __name__ == "__main__":
    main()
