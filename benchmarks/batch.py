"""`newsgraph batch --master local[2]` against `newsgraph ingest --workers 2` on the same WARC files, in one run.

    .venv/bin/python benchmarks/batch.py [--limit 600] [--files 8] [--store temp|sqlite] [--json]

The first `--limit` Wikinews articles are written as HTML response records into `--files` .warc.gz files; each
command then runs in its own process into its own fresh store (`temp`: databases of one throwaway PostgreSQL
cluster, tests/pgcluster.py; `sqlite`: files). Figures:
- docs/s of each, and their ratio (batch's job time, without Spark start-up, which is given on its own);
- the batch driver's RSS sampled every 0.5 s while the job runs (min/max: it stays flat, no records reach it) and
  the executors' peak RSS;
- executor CPU seconds per stored article, the figure docs/scale.md scales from, and how much of it is spent
  holding the store's ingest lock (serial across executors).

    .venv/bin/python benchmarks/batch.py --profile-lock 100

splits that locked part by stage instead: CPU ms per article of each enricher and of the write, over a sequential
ingest of the first N articles into a fresh SQLite store (one process, so no waiting for the lock is counted).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
NEWSGRAPH = [sys.executable, "-m", "newsgraph"]


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run(cmd: list[str], sample: bool = False) -> tuple[dict, float, list[float]]:
    """(the command's --json summary, wall seconds, its RSS samples in MB)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    samples: list[float] = []

    def watch() -> None:
        while proc.poll() is None:
            if (mb := rss_mb(proc.pid)) is not None:
                samples.append(mb)
            time.sleep(0.5)

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    out, err = proc.communicate()
    seconds = time.monotonic() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    return json.loads(out), seconds, samples


def profiled(enricher, timed):
    """The enricher with its time counted: a split one's prepare (before the lock) and decide (under it) apart."""
    from newsgraph.ingest.pipeline import Split, SplitEnricher

    if isinstance(enricher, SplitEnricher):
        name = getattr(enricher.decide, "__module__", type(enricher).__name__).rsplit(".", 2)[-2]
        return Split(timed(f"{name}.prepare", enricher.prepare), timed(f"{name}.decide", enricher.decide))
    return timed(getattr(enricher, "__name__", type(enricher).__name__), enricher)


def profile_lock(data: Path, limit: int) -> dict:
    """CPU ms per stored article of each enricher and of `add_article`, in one sequential ingest."""
    import newsgraph

    spent: dict[str, float] = {}

    def timed(name: str, fn):
        def run(*args):
            started = time.process_time()
            try:
                return fn(*args)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return run

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with open(data, encoding="utf-8") as src, open(corpus, "w", encoding="utf-8") as dst:
            dst.writelines(line for _, line in zip(range(limit), src))
        with newsgraph.open(Path(tmp) / "p.db") as g:
            g.enrichers = [profiled(e, timed) for e in g.enrichers]
            g.store.add_article = timed("add_article (write)", g.store.add_article)
            started = time.process_time()
            report = g.ingest([corpus])
            total = time.process_time() - started
    per = {name: round(1000 * s / max(report.added, 1), 1) for name, s in spent.items()}
    locked = sum(v for name, v in per.items() if not name.endswith(".prepare"))  # prepare runs before the lock
    return {"articles": report.added, **per, "locked_total": round(locked, 1),
            "whole_ingest": round(1000 * total / max(report.added, 1), 1), "load": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=600, help="Wikinews articles to write as WARC")
    parser.add_argument("--files", type=int, default=8, help="WARC files (each one Spark partition)")
    parser.add_argument("--store", choices=("temp", "sqlite"), default="temp")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile-lock", type=int, metavar="N", help="only split the locked section's CPU by stage")
    args = parser.parse_args()
    if args.profile_lock:
        result = profile_lock(args.data, args.profile_lock)
        print(json.dumps(result) if args.json else "\n".join(f"{k:24} {v}" for k, v in result.items()))
        return

    from warc_corpus import read_articles, write_warcs

    articles = read_articles(args.data, args.limit)
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-batch-") as tmp:
        warcs = write_warcs(articles, Path(tmp) / "warc", args.files)
        cluster = None
        if args.store == "temp":
            from pgcluster import Cluster

            cluster = Cluster().start()
            dbs = [cluster.create_db("ingest"), cluster.create_db("batch")]
        else:
            dbs = [str(Path(tmp) / "ingest.db"), str(Path(tmp) / "batch.db")]
        try:
            load = os.getloadavg()
            ingest, ingest_wall, _ = run([*NEWSGRAPH, "ingest", *map(str, warcs), "--workers", "2", "--db", dbs[0],
                                          "--json"])
            batch, batch_wall, driver = run([*NEWSGRAPH, "batch", *map(str, warcs), "--master", "local[2]",
                                             "--db", dbs[1], "--json"], sample=True)
            load_after = os.getloadavg()
        finally:
            if cluster is not None:
                cluster.destroy()
    running = [mb for mb in driver[int(batch["startup_seconds"] / 0.5) + 1:]] or driver
    result = {
        "articles": len(articles), "warc_files": len(warcs), "store": args.store,
        "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in load_after],
        "ingest": {"added": ingest["added"], "seconds": ingest["seconds"],
                   "docs_per_s": round(ingest["added"] / ingest["seconds"], 2)},
        "batch": {"added": batch["added"], "startup_seconds": batch["startup_seconds"],
                  "job_seconds": batch["seconds"], "docs_per_s": round(batch["added"] / batch["seconds"], 2),
                  "wall_seconds": round(batch_wall, 1), "partitions": batch["partitions"]},
        "ratio_batch_over_ingest": round((batch["added"] / batch["seconds"]) / (ingest["added"] / ingest["seconds"]),
                                         3),
        "ratio_with_startup": round((batch["added"] / (batch["seconds"] + batch["startup_seconds"]))
                                    / (ingest["added"] / ingest["seconds"]), 3),
        "driver_rss_mb_while_running": [round(min(running), 1), round(max(running), 1)] if running else None,
        "executor_peak_rss_mb": batch["executor_peak_rss_mb"],
        "executor_cpu_seconds": batch["cpu_seconds"],
        "cpu_ms_per_article": round(1000 * batch["cpu_seconds"] / max(batch["added"], 1), 1),
        "locked_ms_per_article": round(1000 * batch["locked_seconds"] / max(batch["added"], 1), 1),
        "lock_wait_seconds": batch["lock_wait_seconds"],
        "locked_cpu_ms_per_article": round(1000 * batch.get("locked_cpu_seconds", 0.0) / max(batch["added"], 1), 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
