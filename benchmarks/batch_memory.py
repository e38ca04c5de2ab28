"""The batch executor's memory on a 1 GB WARC: peak RSS against the same articles alone, so what the bulk adds shows.

    nice .venv/bin/python benchmarks/batch_memory.py [--size-mb 1024] [--articles 40] [--giant-mb 256] [--json]

Writes, streamed to a temporary directory, an uncompressed WARC of about `--size-mb`: `--articles` Wikinews articles,
each followed by a large image response (24 MB, skipped unread) or an HTML page over the 10 MB `--max-mb` limit
(12 MB, an error after the limit is read), plus one image and one page of `--giant-mb` each. Then
`newsgraph batch --master local[2] --json` runs twice, each into a fresh SQLite store, each file one partition (so one
executor reads it all): on a WARC of the articles alone, then on the bulky one. Both runs parse the same articles
with spaCy, so the difference in executor peak RSS is what reading (and skipping) 1 GB of bulk costs; a reader that
held a record, or the file, would add at least `--giant-mb`. The driver's RSS is sampled every 0.5 s too.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from batch import DEFAULT_DATA, NEWSGRAPH, run  # noqa: E402
from warc_corpus import MB, read_articles, write_bulky_warc, write_warcs  # noqa: E402


def batch(warc: Path, db: Path, master: str) -> dict:
    summary, wall, driver = run([*NEWSGRAPH, "batch", str(warc), "--db", str(db), "--master", master, "--json"],
                                sample=True)
    running = driver[int(summary["startup_seconds"] / 0.5) + 1:] or driver
    return {"added": summary["added"], "failed": summary["failed"], "read": summary["read"],
            "startup_seconds": summary["startup_seconds"], "job_seconds": summary["seconds"],
            "executor_peak_rss_mb": summary["executor_peak_rss_mb"],
            "driver_rss_mb": [round(min(running), 1), round(max(running), 1)] if running else None,
            "errors": summary["errors"][:3]}


def measure(data: Path, size_mb: int, articles: int, giant_mb: int, master: str) -> dict:
    chosen = read_articles(data, articles)
    with tempfile.TemporaryDirectory(prefix="newsgraph-bench-memory-") as tmp:
        tmp = Path(tmp)
        started = time.monotonic()
        bulky = write_bulky_warc(tmp / "bulky.warc", chosen, size_mb * MB, giant_bytes=giant_mb * MB)
        written = time.monotonic() - started
        alone = write_warcs(chosen, tmp / "alone", 1)[0]
        load = os.getloadavg()
        base = batch(alone, tmp / "alone.db", master)
        big = batch(tmp / "bulky.warc", tmp / "bulky.db", master)
        load_after = os.getloadavg()
    return {
        "warc_mb": round(bulky["bytes"] / MB, 1), "records": bulky["records"], "articles": bulky["articles"],
        "too_large_pages": bulky["too_large"], "giant_mb": giant_mb, "write_seconds": round(written, 1),
        "articles_alone": base, "bulky": big,
        "executor_peak_rss_added_mb": round(big["executor_peak_rss_mb"] - base["executor_peak_rss_mb"], 1),
        "bulky_job_seconds_over_alone": round(big["job_seconds"] - base["job_seconds"], 1),  # reading the bulk
        "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in load_after],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--giant-mb", type=int, default=256)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.data, args.size_mb, args.articles, args.giant_mb, args.master)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:30} {value}")


if __name__ == "__main__":
    main()
