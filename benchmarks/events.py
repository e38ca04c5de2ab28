"""Ingest speed with business-event extraction on and off, on the same texts in the same run.

    .venv/bin/python benchmarks/events.py [--data ../shared/data/wikinews/articles.jsonl] [--limit 300] [--rounds 2] [--json]

Each run is a fresh subprocess ingesting into a fresh SQLite store with one worker; the two
configurations alternate for `--rounds` rounds and each keeps its best time, so a busy
neighbour on a shared machine hurts both alike. Budget: events cost at most 25% extra time.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.ingest import DEFAULT_DATA, corpus_copy, run_child

BUDGET = 0.25


def run(path: Path, events: bool) -> dict:
    import newsgraph
    from newsgraph.nlp import load_pipeline

    nlp = load_pipeline(events=events)
    with tempfile.TemporaryDirectory() as tmp:
        g = newsgraph.open(Path(tmp) / "bench.db", nlp=nlp)
        start = time.perf_counter()
        report = g.ingest([path], workers=1)
        seconds = time.perf_counter() - start
        n_events = len(g.events(limit=10**9, min_confidence=0.0)) if events else 0
        n_listed = len(g.events(limit=10**9)) if events else 0
        g.close()
    return {"seconds": seconds, "docs": report.added, "events": n_events, "listed": n_listed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.path, args.one == "on")))
        return
    with corpus_copy(args.data, args.limit) as (path, words):
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for mode in ("off", "on"):
                r = run_child(__file__, "--one", mode, "--path", str(path))
                if mode not in best or r["seconds"] < best[mode]["seconds"]:
                    best[mode] = r
    for r in best.values():
        r["words_per_s"] = words / r["seconds"]
    overhead = best["on"]["seconds"] / best["off"]["seconds"] - 1
    summary = {"articles": best["off"]["docs"], "words": words, "events_off": best["off"], "events_on": best["on"],
               "events_overhead": overhead, "within_budget": overhead <= BUDGET}
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"corpus: {summary['articles']} articles, {words:,} words; best of {args.rounds} rounds, 1 worker")
    for mode in ("off", "on"):
        r = best[mode]
        print(f"events {mode:3}: {r['words_per_s']:8.0f} words/s  {r['seconds']:6.1f}s  {r['events']} events")
    print(f"events overhead: {overhead:+.1%} (budget {BUDGET:.0%})")


if __name__ == "__main__":
    main()
