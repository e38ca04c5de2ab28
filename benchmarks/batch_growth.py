"""What a batch executor process holds as its tasks go on, and what an entry of each large cache weighs.

    nice .venv/bin/python benchmarks/batch_growth.py --articles 1000 --per-task 100 [--no-zone] [--json]

One Python process runs the executor's task function (`newsgraph.batch.executor.run_task`, what each Spark task runs,
without the JVM) over the first `--articles` Wikinews articles, `--per-task` to a task, into a fresh SQLite store,
as a Spark executor process that is reused for task after task. After each task: RSS and its peak, spaCy's vocabulary
(strings, live lexemes), the fill of every newsgraph `lru_cache`, the story index. Then the bytes an entry of each
large cache holds (tracemalloc on Wikinews sentences and names, keys not counted), to tell what a full cache weighs:
dropping a part and reading RSS does not tell, as freed Python objects stay in the allocator's arenas.
`--no-zone` runs without the spaCy memory zone the executor opens around each split.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.batch import executor  # noqa: E402
from newsgraph.batch.splits import Split  # noqa: E402
from ingest_memory import lru_caches  # noqa: E402  (benchmarks/, the script's own folder)

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
    result["cache_entry_bytes"] = entry_sizes(args.data)
    print(json.dumps(result, indent=None if args.json else 2))


def entry_sizes(data: Path) -> dict[str, int]:
    """Bytes an entry of each large cache holds (tracemalloc, keys not counted), on Wikinews sentences and names."""
    from newsgraph.eval.provenance_synth import split_sentences
    from newsgraph.nlp import canonical, resolve
    from newsgraph.provenance import ngrams, spin

    with open(data, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(2000), f, strict=False)]
    sentences = list(dict.fromkeys(s for t in texts for s in split_sentences(t)))[:20000]
    names = list(dict.fromkeys(m.group() for t in texts for m in NAME.finditer(t)))[:20000]
    canonical.canonical("warm", "ORG"), resolve.cluster_key("warm up", "ORG")  # their tables load once, not per entry
    sizes = {}
    for cached, calls in ((ngrams.tokens, [(s,) for s in sentences]), (spin.profile, [(s,) for s in sentences]),
                          (canonical.canonical, [(n, "ORG") for n in names]),
                          (resolve.cluster_key, [(n, "PERSON") for n in names])):
        cached.cache_clear()
        tracemalloc.start()
        for args in calls:
            cached(*args)
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        sizes[f"{cached.__module__}.{cached.__name__}"] = round(used / cached.cache_info().currsize)
    return sizes


NAME = re.compile(r"(?:[A-Z][a-z]+ ){1,3}[A-Z][a-z]+")  # a capitalised name of two to four words


def _no_zone(self, mem=None):
    from contextlib import nullcontext

    return nullcontext()


if __name__ == "__main__":
    main()
