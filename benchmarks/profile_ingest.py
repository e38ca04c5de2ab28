"""cProfile of a full 1-process ingest (for when py-spy is not installed): the heaviest functions, self and cumulative.

    .venv/bin/python benchmarks/profile_ingest.py [--limit 300] [--out ingest.pstats] [--top 40]

Only `Graph.ingest` is profiled (the model is loaded and warmed before), in each thread's CPU time: the reading and
parsing thread and the writer thread (enrichers and store writes) apart. cProfile charges its own overhead to each
Python call, so Python-heavy code looks dearer than Cython/C (spaCy's model) next to it; compare runs with each other,
not with py-spy's shares.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from ingest import DEFAULT_DATA, corpus_copy  # noqa: E402

LIBRARIES = ("spacy/", "thinc/", "site-packages/")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--out", type=Path, help="also write the raw pstats here")
    args = ap.parse_args()

    import newsgraph
    from newsgraph.ingest import pipeline
    from newsgraph.nlp import load_pipeline

    with corpus_copy(args.data, args.limit) as (path, words), tempfile.TemporaryDirectory() as tmp:
        g = newsgraph.open(Path(tmp) / "profile.db", nlp=load_pipeline())
        list(g.nlp.pipe(["Apple Inc. said on Monday it would buy Beats for $3 billion."]))  # lazy parts loaded
        # thread CPU time, not wall time: the two threads take turns for the GIL, and wall time would charge one's waits to
        # whatever the other was doing
        prof, writer = cProfile.Profile(time.thread_time), cProfile.Profile(time.thread_time)
        store_articles = pipeline.store_articles

        def profiled(*a, **kw):  # cProfile sees one thread: the writer thread gets its own profiler
            writer.enable()
            try:
                return store_articles(*a, **kw)
            finally:
                writer.disable()

        pipeline.store_articles = profiled
        start = time.perf_counter()
        prof.enable()
        report = g.ingest([path], workers=1)
        prof.disable()
        pipeline.store_articles = store_articles
        seconds = time.perf_counter() - start
        g.close()
    print(f"{report.added} articles, {words:,} words, {seconds:.1f} s under cProfile", file=sys.stderr)
    for name, p in (("main thread (read, parse, annotate)", prof), ("writer thread (enrich, write)", writer)):
        print(f"\n# {name}")
        if args.out:
            p.dump_stats(f"{args.out}.{'writer' if p is writer else 'main'}")
        report_stats(pstats.Stats(p), args.top)


def report_stats(stats: pstats.Stats, top: int) -> None:
    total = stats.total_tt
    rows = []
    for (file, line, name), (_, calls, tt, ct, _) in stats.stats.items():
        rows.append((file, line, name, calls, tt, ct))

    def label(r) -> str:
        file = r[0]
        short = file.split("newsgraph/", 1)[1] if "/newsgraph/" in file else file.rsplit("/", 2)[-2:]
        short = short if isinstance(short, str) else "/".join(short)
        return f"{r[2]} ({short}:{r[1]})"

    def ours(r) -> bool:
        return "/newsgraph/" in r[0] and "site-packages" not in r[0]

    print(f"total {total:.1f} CPU-s (profiled)")
    print(f"\n## newsgraph functions by cumulative time (top {top})")
    for r in sorted(filter(ours, rows), key=lambda r: -r[5])[:top]:
        print(f"{r[5]:8.2f} s {r[5] / total:6.1%}  {r[3]:>9,} calls  {label(r)}")
    print(f"\n## all functions by self time (top {top})")
    for r in sorted(rows, key=lambda r: -r[4])[:top]:
        print(f"{r[4]:8.2f} s {r[4] / total:6.1%}  {r[3]:>9,} calls  {label(r)}")


if __name__ == "__main__":
    main()
