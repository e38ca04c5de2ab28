"""What a batch executor process holds as its tasks go on, and what each part gives back when dropped.

    nice .venv/bin/python benchmarks/batch_growth.py --articles 1000 --per-task 100 [--no-zone] [--json]

One Python process runs the executor's task function (`newsgraph.batch.executor.run_task`, what each Spark task runs,
without the JVM) over the first `--articles` Wikinews articles, `--per-task` to a task, into a fresh SQLite store,
as a Spark executor process that is reused for task after task. After each task: RSS and its peak, spaCy's vocabulary
(strings, lexemes), the fill of every newsgraph `lru_cache`, the story index. At the end each part is dropped in turn
(`lru_cache`s cleared, the story index, the store, the spaCy pipeline), with `gc.collect()` and `malloc_trim(0)`, and
the fall in RSS is what it held. `--no-zone` runs without the spaCy memory zone the executor opens around each split.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.batch import executor  # noqa: E402
from newsgraph.batch.splits import Split  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def rss_mb() -> dict[str, int]:
    with open("/proc/self/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return {"rss": int(fields["VmRSS"].split()[0]) // 1024, "peak": int(fields["VmHWM"].split()[0]) // 1024}


def trimmed_rss() -> int:
    """RSS once garbage is collected and malloc has handed its free pages back."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_mb()["rss"]


def lru_caches() -> dict[str, object]:
    """Every `functools.lru_cache` defined in a newsgraph module, by name."""
    found = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("newsgraph"):
            for attr, obj in vars(module).items():
                if callable(getattr(obj, "cache_info", None)) and getattr(obj, "__module__", None) == name:
                    found[f"{name}.{attr}"] = obj
    return found


def story_enricher(db: str):
    _, enrichers = executor.store_for(db)
    return next(e for e in enrichers if type(e).__name__ == "StoryEnricher")


def state(db: str) -> dict:
    nlp = executor.pipeline()
    index = story_enricher(db).index
    # len(nlp.vocab) counts the lexemes a memory zone freed too: count the live ones
    return {"strings": len(nlp.vocab.strings), "lexemes": sum(1 for _ in nlp.vocab),
            "caches": {k: f.cache_info().currsize for k, f in sorted(lru_caches().items())
                       if f.cache_info().currsize > 1},
            "story_index": None if index is None else {
                "stories": len(index.stories), "story_states_cached": len(index.stories.cache),
                "articles": len(index.members.story_of), "article_states_cached": len(index.members.cache),
                "terms": len(index.vocab.df), "entities": len(index.entity_vocab.df),
                "entity_postings": len(index.by_entity), "term_postings": len(index.by_term)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-task", type=int, default=100)
    parser.add_argument("--data", type=Path, default=WIKINEWS)
    parser.add_argument("--no-zone", action="store_true", help="without the spaCy memory zone around each split")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.no_zone:
        executor.pipeline().__class__.memory_zone = _no_zone  # type: ignore[method-assign]
    with open(args.data, encoding="utf-8") as f:
        lines = [line for _, line in zip(range(args.articles), f, strict=False)]
    result: dict = {"command": " ".join(sys.argv), "zone": not args.no_zone}
    executor.pipeline()
    model = trimmed_rss()
    result["model_loaded_rss_mb"] = model
    tasks = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "growth.db")
        for at in range(0, len(lines), args.per_task):
            part = Path(tmp) / f"task-{at}.jsonl"
            part.write_text("".join(lines[at:at + args.per_task]), encoding="utf-8")
            t = time.perf_counter()
            report = executor.run_task([Split(str(part))], db)
            row = {"articles": at + report.read, "added": report.added, "seconds": round(time.perf_counter() - t, 1),
                   **rss_mb(), "trimmed_rss": trimmed_rss(), **state(db)}
            tasks.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        result["tasks"] = tasks
        result["held_mb"] = dropped(db)
    print(json.dumps(result, indent=None if args.json else 2))


def dropped(db: str) -> dict[str, int]:
    """RSS given back by dropping each part in turn (after gc and malloc_trim)."""
    held, before = {}, trimmed_rss()
    for name, cached in sorted(lru_caches().items()):
        if cached.cache_info().currsize > 1:
            cached.cache_clear()
            after = trimmed_rss()
            held[f"lru_cache {name} ({cached.cache_info().maxsize} max)"] = before - after
            before = after
    story_enricher(db).index = None
    after = trimmed_rss()
    held["story index"], before = before - after, after
    store, _ = executor.store_for(db)
    store.close()
    executor._process.clear()  # the store, the enrichers and the spaCy pipeline
    after = trimmed_rss()
    held["spaCy pipeline, store and enrichers"], before = before - after, after
    held["left"] = before
    return held


def _no_zone(self, mem=None):
    from contextlib import nullcontext

    return nullcontext()


if __name__ == "__main__":
    main()
