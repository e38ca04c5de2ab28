"""Where a full ingest's memory goes, process by process, as the store grows (issue #19, memory).

    nice .venv/bin/python benchmarks/ingest_memory.py --limit 3000 [--workers 2] [--at 300 1000 3000]
        [--sizes] [--trace] [--assignments FILE] [--json]

One `Graph.ingest` of the first `--limit` Wikinews articles into a fresh SQLite store, everything on, as
`benchmarks/ingest.py`'s `full` run. A thread samples every process of the ingest (this one and its forked workers)
every 0.25 s from /proc/PID/smaps_rollup: RSS, PSS (shared pages split between the processes that map them, so the
PSS of all processes sums to what they really hold) and USS (private pages only). It reports each process's peak and
the peak of the sums taken at the same instant; the kernel's own peaks (VmHWM of this process, ru_maxrss of the
largest worker) are exact, the sampled ones can miss a peak shorter than 0.25 s.

At each `--at` count of articles it records this process's RSS and the story index's counts; `--sizes` adds the
bytes of each part of the story index and of each newsgraph `lru_cache` (objects reached from it, each counted once,
in the order listed); `--trace` adds tracemalloc's top allocation sites of what this process allocated since the
first article (slows the ingest; for attribution, not for timing).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout's newsgraph, whatever is installed
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
SAMPLE_SECONDS = 0.25


def rollup(pid: int) -> dict[str, float] | None:
    """RSS, PSS and USS of one process in MB (None when it has gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            kb = {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in f if line[0].isupper() and ":" in line)}
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return {"rss": kb["Rss"] / 1024, "pss": kb["Pss"] / 1024,
            "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024}


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


class Sampler(threading.Thread):
    """Peaks of RSS/PSS/USS per process (main, workers) and of their sums at one instant."""

    def __init__(self):
        super().__init__(name="memory-sampler", daemon=True)
        self.stop = threading.Event()
        self.main: dict[str, float] = {}
        self.workers: dict[int, dict[str, float]] = {}
        self.summed: dict[str, float] = {}
        self.samples = 0

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(SAMPLE_SECONDS):
            own = rollup(me)
            kids = {pid: r for pid in children(me) if (r := rollup(pid)) is not None}
            if own is None:
                continue
            self.samples += 1
            _peak(self.main, own)
            for pid, r in kids.items():
                _peak(self.workers.setdefault(pid, {}), r)
            _peak(self.summed, {k: own[k] + sum(r[k] for r in kids.values()) for k in own})


def _peak(into: dict[str, float], sample: dict[str, float]) -> None:
    for k, v in sample.items():
        into[k] = max(into.get(k, 0.0), v)


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith(field + ":"))


def hwm_mb() -> float:
    return rss_mb("VmHWM")


def deep_size(obj, seen: set[int]) -> int:
    """Bytes of `obj` and every object reached from it not in `seen` (modules, classes and functions excluded)."""
    size, stack = 0, [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, types.ModuleType, types.FunctionType)):
            continue
        seen.add(id(o))
        size += sys.getsizeof(o)
        if hasattr(o, "nbytes") and hasattr(o, "base") and o.base is None:  # a numpy array owning its buffer
            size += int(o.nbytes)
        stack.extend(gc.get_referents(o))
    return size


def lru_caches() -> dict[str, object]:
    """Every `functools.lru_cache` defined in a newsgraph module, by name."""
    found = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("newsgraph"):
            for attr, obj in vars(module).items():
                if callable(getattr(obj, "cache_info", None)) and getattr(obj, "__module__", None) == name:
                    found[f"{name}.{attr}"] = obj
    return found


def index_counts(index) -> dict[str, int]:
    return {"stories": len(index.stories), "story_states_cached": len(index.stories.cache),
            "articles": len(index.members.story_of), "article_states_cached": len(index.members.cache),
            "terms": len(index.vocab.df), "entities": len(index.entity_vocab.df),
            "entity_postings": len(index.by_entity), "term_postings": len(index.by_term)}


def index_sizes(index) -> dict[str, float]:
    """MB of each part of the story index, then of each filled lru_cache; shared objects count in the first part."""
    seen: set[int] = set()
    prior = [index.vocab.prior, index.entity_vocab.prior]  # general-news priors: fixed, loaded once
    parts = {
        "priors (fixed)": prior,
        "story states (cache)": index.stories.cache,
        "story ids and dates (live)": index.stories.live,
        "postings by entity": index.by_entity,
        "postings by term": index.by_term,
        "term document frequencies": index.vocab.df,
        "entity document frequencies": index.entity_vocab.df,
        "article states (members.cache)": index.members.cache,
        "article -> story (members)": [index.members.story_of, index.members.of_story],
        "member term ids": [index.members.term_ids, index.members.names],
    }
    out = {k: round(deep_size(v, seen) / 2**20, 2) for k, v in parts.items()}
    held = []  # keeps each measured list alive: a freed one's id, reused, would read as already seen
    for name, f in sorted(lru_caches().items()):
        if f.cache_info().currsize > 1:
            held.append(gc.get_referents(f))
            out[f"lru {name} ({f.cache_info().currsize})"] = round(deep_size(held[-1], seen) / 2**20, 2)
    return out


def top_sites(snapshot: tracemalloc.Snapshot, by: str, n: int = 15) -> list[list]:
    return [[str(s.traceback[0]) if by == "lineno" else s.traceback[0].filename, round(s.size / 2**20, 2), s.count]
            for s in snapshot.statistics(by)[:n]]


def dump_assignments(g, out: Path) -> None:
    """Each article's story (by item) and each story's label and size, to compare two checkouts' clustering."""
    from newsgraph.records import ArticleRow, StoryArticleRow, StoryRow

    store = g.store
    item = {a.id: int(a.item.rsplit(":", 1)[1]) for a in store.export(ArticleRow)}  # "corpus.jsonl:LINE"
    stories = {s.id: s for s in store.export(StoryRow)}
    rows = sorted((item[m.article_id], m.story_id, stories[m.story_id].label, stories[m.story_id].articles, m.score,
                   m.key_sentence) for m in store.export(StoryArticleRow))
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def run(path: Path, workers: int, at: list[int], sizes: bool, trace: bool, assignments: Path | None = None) -> dict:
    import newsgraph
    from newsgraph.nlp import load_pipeline
    from newsgraph.stories.enrich import StoryEnricher

    marks: list[dict] = []
    pending = sorted(at)
    with tempfile.TemporaryDirectory() as tmp:
        g = newsgraph.open(Path(tmp) / "bench.db", nlp=load_pipeline(events=True))
        story = next(e for e in g.enrichers if isinstance(e, StoryEnricher))
        loaded = rss_mb()
        sampler = Sampler()

        def progress(report) -> None:
            if trace and not tracemalloc.is_tracing() and report.added >= 1:
                tracemalloc.start()  # after the fork: the workers are not traced
            while pending and report.added >= pending[0]:
                n = pending.pop(0)
                # peaks so far, before this mark's own measuring allocates anything
                mark = {"articles": n, "rss_mb": round(rss_mb(), 1), "peak_rss_mb": round(hwm_mb(), 1),
                        "sampled_summed_peak_mb": _rounded(sampler.summed), "story_index": index_counts(story.index),
                        "lru_hits_misses_size": {k: list(f.cache_info())[:2] + [f.cache_info().currsize]
                                                 for k, f in sorted(lru_caches().items())
                                                 if f.cache_info().currsize > 1}}
                if sizes:
                    mark["sizes_mb"] = index_sizes(story.index)
                if trace:
                    snap = tracemalloc.take_snapshot()
                    mark["traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
                    mark["top_files"] = top_sites(snap, "filename")
                    mark["top_lines"] = top_sites(snap, "lineno")
                marks.append(mark)
                print(json.dumps(mark), file=sys.stderr, flush=True)

        sampler.start()
        start = time.perf_counter()
        report = g.ingest([path], workers=workers, progress=progress)
        seconds = time.perf_counter() - start
        sampler.stop.set()
        sampler.join()
        end = rss_mb()
        if assignments:
            dump_assignments(g, assignments)
        g.close()
    if trace:
        tracemalloc.stop()
    workers_peak = sorted(sampler.workers.values(), key=lambda r: -r["rss"])
    return {
        "articles": report.added, "errors": len(report.errors), "seconds": round(seconds, 1), "workers": workers,
        "main_rss_model_loaded_mb": round(loaded, 1), "main_rss_at_end_mb": round(end, 1),
        "main_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # VmHWM: exact
        "largest_worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "sampled": {"samples": sampler.samples, "main_peak_mb": _rounded(sampler.main),
                    "worker_peaks_mb": [_rounded(r) for r in workers_peak],
                    "summed_peak_mb": _rounded(sampler.summed)},
        "marks": marks,
    }


def _rounded(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 1) for k, v in d.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--at", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--sizes", action="store_true", help="bytes of each part of the story index at each mark")
    parser.add_argument("--trace", action="store_true", help="tracemalloc's top sites at each mark (slow)")
    parser.add_argument("--assignments", type=Path, help="write each article's story and its label here (JSON lines)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        with open(args.data, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
            for _, line in zip(range(args.limit), src, strict=False):
                dst.write(line)
        result = {"command": " ".join(sys.argv), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                  "load_before": os.getloadavg()[0],
                  **run(path, args.workers, [n for n in args.at if n <= args.limit], args.sizes, args.trace,
                         args.assignments)}
    result["load_after"] = os.getloadavg()[0]
    s = result["sampled"]
    # the README's earlier figure: main's peak + each worker at the largest worker's peak (an upper bound)
    result["summed_peak_rss_bound_mb"] = round(result["main_peak_rss_mb"]
                                               + args.workers * result["largest_worker_peak_rss_mb"], 1)
    print(json.dumps(result, indent=None if args.json else 2))
    print(f"main peak RSS {result['main_peak_rss_mb']:.0f} MB, largest worker {result['largest_worker_peak_rss_mb']:.0f}"
          f" MB, bound {result['summed_peak_rss_bound_mb']:.0f} MB; sampled summed peak RSS "
          f"{s['summed_peak_mb'].get('rss', 0):.0f} PSS {s['summed_peak_mb'].get('pss', 0):.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
