"""Story clustering speed: per-article cost as the number of articles grows, and its share of ingest time.

    .venv/bin/python benchmarks/stories.py [--data ../shared/data/wikinews/articles.jsonl] [--base 1000]
                                           [--sizes 300,3000,30000] [--ingest 300] [--json]

Scale: `--base` Wikinews articles go through the newsgraph spaCy pipeline once; the stream is then
extended to the largest size with perturbed copies (dates moved 20 years on per copy, a fifth of the
terms dropped at random), so later copies meet a full index. The cost of an article is its feature
extraction plus its online assignment (candidates from the index, scoring, index update, local repair); it is
reported as the mean over the last 10% of articles before each size (the marginal cost there).

Share: `--ingest` articles are ingested with `Graph.ingest` into a fresh SQLite store; the story
enricher and the story writes inside add_article are timed against the whole ingest.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"

from newsgraph.eval.stories import annotate_records, read_jsonl  # noqa: E402
from newsgraph.stories.cluster import Params, assign  # noqa: E402
from newsgraph.stories.features import ArticleFeatures, article_features  # noqa: E402
from newsgraph.stories.index import StoryIndex  # noqa: E402


def perturbed(f: ArticleFeatures, copy: int, rng: random.Random) -> ArticleFeatures:
    day = f.date and Date.fromisoformat(f.date)
    moved = day and day.replace(year=day.year + 20 * copy, day=min(day.day, 28)).isoformat()
    tf = {t: w for t, w in f.tf.items() if rng.random() > 0.2}
    return replace(f, tf=tf, date=moved)


def scale(articles, sizes: list[int], seed: int = 5) -> dict:
    for a in articles[:50]:  # warm-up: regexes, stop words
        article_features(a)
    rng = random.Random(seed)
    index = StoryIndex()
    params = Params()
    marks = {n: (n - max(1, n // 10), n) for n in sizes}
    cost = {n: 0.0 for n in sizes}
    total = max(sizes)
    for i in range(total):
        copy, k = divmod(i, len(articles))
        t0 = time.perf_counter()
        f = article_features(articles[k])  # every article pays for its features, copies too
        if copy:
            f = perturbed(f, copy, rng)
        assign(index, f, params)
        dt = time.perf_counter() - t0
        for n, (lo, hi) in marks.items():
            if lo <= i < hi:
                cost[n] += dt
    return {"base_articles": len(articles), "stories": len(index.stories),
            "ms_per_article": {str(n): round(1000 * cost[n] / (marks[n][1] - marks[n][0]), 3) for n in sizes}}


def share(records: list[dict], nlp) -> dict:
    import newsgraph
    from newsgraph.store import sqlite_stories

    timers = {"enrich": 0.0, "write": 0.0}
    write = sqlite_stories.write_assignment

    def timed_write(*args):
        t0 = time.perf_counter()
        write(*args)
        timers["write"] += time.perf_counter() - t0

    sqlite_stories.write_assignment = timed_write
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "in.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            with newsgraph.open(Path(tmp) / "bench.db", nlp=nlp) as g:
                enrich = g.enrichers[-1]

                def timed_enrich(store, article):
                    t0 = time.perf_counter()
                    out = enrich(store, article)
                    timers["enrich"] += time.perf_counter() - t0
                    return out

                g.enrichers[-1] = timed_enrich
                t0 = time.perf_counter()
                report = g.ingest([path])
                total = time.perf_counter() - t0
    finally:
        sqlite_stories.write_assignment = write
    stories = timers["enrich"] + timers["write"]
    return {"articles": report.added, "ingest_s": round(total, 2), "stories_s": round(stories, 3),
            "stories_share": round(stories / total, 4), "ms_per_article": round(1000 * stories / max(report.added, 1), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--base", type=int, default=1000)
    ap.add_argument("--sizes", default="300,3000,30000")
    ap.add_argument("--ingest", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from newsgraph.nlp import load_pipeline

    nlp = load_pipeline()
    records = read_jsonl(args.data)
    t0 = time.perf_counter()
    articles = annotate_records(records[:args.base], nlp)
    result = {"annotate_s": round(time.perf_counter() - t0, 1),
              "scale": scale(articles, [int(s) for s in args.sizes.split(",")])}
    if args.ingest:
        result["share"] = share(records[args.base:args.base + args.ingest] or records[:args.ingest], nlp)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for n, ms in result["scale"]["ms_per_article"].items():
        print(f"{n:>7} articles: {ms:.3f} ms/article for clustering")
    if "share" in result:
        s = result["share"]
        print(f"ingest of {s['articles']} articles: {s['ingest_s']} s, stories {s['stories_s']} s"
              f" ({100 * s['stories_share']:.1f}%)")


if __name__ == "__main__":
    main()
