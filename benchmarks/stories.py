"""Story clustering speed: per-article cost as the number of articles grows, and its share of ingest time.

    .venv/bin/python benchmarks/stories.py [--data ../shared/data/wikinews/articles.jsonl] [--base 1000]
                                           [--sizes 300,3000,30000] [--ingest 300] [--json]
                                           [--memory] [--cache N|none] [--stories N|none] [--copy-years N]

Scale: `--base` Wikinews articles go through the newsgraph spaCy pipeline once; the stream is then
extended to the largest size with perturbed copies (dates moved 20 years on per copy by default, a fifth of
the terms dropped at random), so later copies meet a full index. With `--copy-years 0` the copies keep their
originals' dates, join their stories, and so read back what the caps evicted. The cost of an article is its feature
extraction plus its online assignment (candidates from the index, scoring, index update, local repair); it is
reported as the mean over the last 10% of articles before each size (the marginal cost there).

Memory (`--memory`): at each size, the bytes the clusterer holds (deep size of its per-article repair state, of
the per-article story membership, of the stories with their postings, and of the vocabularies) and the process
RSS. With `--cache N` the per-article state is a cache of N articles, as the ingest enricher's is (default
20,000): each article's state is written to a scratch SQLite table as the store writes it, and evicted state is
read back from there; `--cache none` keeps every article's state. `--stories N` caps the stories in memory the
same way (default 20,000, as the enricher's): every story an article changed is rewritten whole into scratch story
tables (the store's schema) and evicted stories are read back with the store's query; `--stories none` keeps all.
Run one mode per process (RSS is per process).

Share: `--ingest` articles are ingested with `Graph.ingest` into a fresh SQLite store; the story
enricher and the story writes inside add_article are timed against the whole ingest.
"""
from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"

from benchmarks.ingest import rss_mb  # noqa: E402
from newsgraph.eval.stories import annotate_records, read_jsonl  # noqa: E402
from newsgraph.stories.cache import DEFAULT_STORIES  # noqa: E402
from newsgraph.stories.cluster import Params, assign  # noqa: E402
from newsgraph.stories.features import ArticleFeatures, article_features  # noqa: E402
from newsgraph.stories.index import StoryIndex, story_entity_rows, vector_bytes  # noqa: E402
from newsgraph.stories.members import DEFAULT_CAP, state_json  # noqa: E402


def perturbed(f: ArticleFeatures, copy: int, rng: random.Random, years: int = 20) -> ArticleFeatures:
    """A copy with a fifth of its terms dropped, dated `years` × `copy` years on (0: the same day, so copies
    meet their originals' stories and evicted state must be read back)."""
    day = f.date and Date.fromisoformat(f.date)
    moved = day and day.replace(year=day.year + years * copy, day=min(day.day, 28)).isoformat()
    tf = {t: w for t, w in f.tf.items() if rng.random() > 0.2}
    return replace(f, tf=tf, date=moved)


def deep_bytes(obj, seen: set[int]) -> int:
    """Bytes held by `obj` and what it references (numpy arrays by their buffers); shared objects count once."""
    import numpy as np

    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return sys.getsizeof(obj) + (obj.nbytes if obj.base is None else 0)
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        size += sum(deep_bytes(k, seen) + deep_bytes(v, seen) for k, v in obj.items())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        size += sum(deep_bytes(x, seen) for x in obj)
    elif hasattr(obj, "__dict__"):
        size += deep_bytes(obj.__dict__, seen)
    return size


def state_mb(index: StoryIndex) -> dict[str, float]:
    """The clusterer's memory by part, in MB (the term prior, loaded once and shared, is left out)."""
    m, seen = index.members, {id(index.vocab.prior)}
    parts = {"article_state": deep_bytes(m.cache, seen),
             "member_terms": deep_bytes(m.term_ids, seen) + deep_bytes(m.names, seen),  # grows with the vocabulary
             "article_membership": deep_bytes(m.of_story, seen) + deep_bytes(m.story_of, seen),
             "stories": deep_bytes(index.stories, seen) + deep_bytes(index.by_entity, seen)
             + deep_bytes(index.by_term, seen),
             "vocabularies": deep_bytes(index.vocab.df, seen) + deep_bytes(index.entity_vocab.df, seen)}
    return {k: round(v / 2**20, 2) for k, v in parts.items()}


class _ScratchStories:
    """The store's story reads (its own SQL) over the scratch tables: what `stories.persist` loads from."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def article_story_states(self, seqs):
        from newsgraph.store.sqlite_stories import article_states

        return article_states(self.con, seqs)

    def story_records(self, ids):
        from newsgraph.store.sqlite_stories import story_records

        return story_records(self.con, ids)


def write_stories(con: sqlite3.Connection, index: StoryIndex, ids) -> None:
    """The stories `ids` rewritten whole in the scratch story tables (deleted when gone), as the store holds them."""
    from newsgraph.store.sqlite_stories import _insert_story_rows

    for sid in ids:
        for table in ("stories", "story_entities", "story_terms", "story_times", "story_events", "story_vectors"):
            con.execute(f"DELETE FROM {table} WHERE {'id' if table == 'stories' else 'story_id'} = ?", (sid,))
        s = index.stories.get(sid)
        if s is None:
            continue
        con.execute("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,?,'')",
                    (s.id, s.label, s.first_date, s.last_date, s.size))
        _insert_story_rows(con, s.id, story_entity_rows(s), s.centroid,
                           s.times.items(), s.events.items(), None if s.vector is None else vector_bytes(s.vector))


def scale(articles, sizes: list[int], seed: int = 5, cache: int | None = DEFAULT_CAP, memory: bool = False,
          stories: int | None = DEFAULT_STORIES, copy_years: int = 20) -> dict:
    for a in articles[:50]:  # warm-up: regexes, stop words
        article_features(a)
    rng = random.Random(seed)
    index = StoryIndex()
    params = Params()
    scratch = tempfile.TemporaryDirectory()
    con = sqlite3.connect(Path(scratch.name) / "state.db")
    con.execute("CREATE TABLE story_article_state (article_id INTEGER, seq INTEGER PRIMARY KEY, state TEXT NOT NULL,"
                " embedding BLOB)")
    scratch_store = _ScratchStories(con)
    members = index.members
    members.cap = cache
    if cache is not None:  # evicted state is read back as the store's loader does, with the store's query
        from newsgraph.stories.persist import load_states

        members.loader = lambda seqs: load_states(scratch_store, seqs)
    index.stories.cap = stories
    if stories is not None:
        from newsgraph.stories.persist import load_stories

        for migration in ("0004_stories.sql", "0006_story_state.sql", "0008_story_entity_repeats.sql"):
            con.executescript((ROOT / "newsgraph" / "store" / "sqlite_migrations" / migration).read_text())
        index.stories.loader = lambda ids: load_stories(scratch_store, ids)
    marks = {n: (n - max(1, n // 10), n) for n in sizes}
    cost = {n: 0.0 for n in sizes}
    mem = {}
    total = max(sizes)
    for i in range(total):
        copy, k = divmod(i, len(articles))
        t0 = time.perf_counter()
        f = article_features(articles[k])  # every article pays for its features, copies too
        if copy:
            f = perturbed(f, copy, rng, copy_years)
        decision = assign(index, f, params)
        dt = time.perf_counter() - t0
        if decision.key is not None:  # what the store writes in add_article's transaction (not timed here)
            con.execute("INSERT INTO story_article_state VALUES (?,?,?,?)", (decision.key, decision.key, state_json(f),
                        None if f.embedding is None else vector_bytes(f.embedding)))
            members.persisted()
        if stories is not None:
            write_stories(con, index, {decision.story.id, *decision.rewritten})
            index.stories.persisted()
        for n, (lo, hi) in marks.items():
            if lo <= i < hi:
                cost[n] += dt
        if memory and i + 1 in marks:
            mem[str(i + 1)] = {**state_mb(index), "cached_articles": len(members.cache),
                               "cached_stories": len(index.stories.cache),
                               "rss_mb": round(rss_mb(), 1)}
    con.close()
    scratch.cleanup()
    out = {"base_articles": len(articles), "copy_years": copy_years, "stories": len(index.stories), "cache": cache,
           "state_reads": members.loads, "story_cap": stories, "story_reads": index.stories.loads,
           "ms_per_article": {str(n): round(1000 * cost[n] / (marks[n][1] - marks[n][0]), 3) for n in sizes}}
    if memory:
        out["memory_mb"] = mem
    return out


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
    ap.add_argument("--memory", action="store_true", help="report the clusterer's memory at each size")
    ap.add_argument("--cache", default=str(DEFAULT_CAP),
                    help="articles whose repair state stays in memory, or 'none' for all (default %(default)s)")
    ap.add_argument("--stories", default=str(DEFAULT_STORIES),
                    help="stories whose state stays in memory, or 'none' for all (default %(default)s)")
    ap.add_argument("--copy-years", type=int, default=20,
                    help="years between a base article and its copies (0: same day, exercises the read-back)")
    args = ap.parse_args()
    from newsgraph.nlp import load_pipeline

    nlp = load_pipeline()
    records = read_jsonl(args.data)
    t0 = time.perf_counter()
    articles = annotate_records(records[:args.base], nlp)
    result = {"annotate_s": round(time.perf_counter() - t0, 1),
              "scale": scale(articles, [int(s) for s in args.sizes.split(",")],
                             cache=None if args.cache == "none" else int(args.cache), memory=args.memory,
                             stories=None if args.stories == "none" else int(args.stories),
                             copy_years=args.copy_years)}
    if args.ingest:
        result["share"] = share(records[args.base:args.base + args.ingest] or records[:args.ingest], nlp)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for n, ms in result["scale"]["ms_per_article"].items():
        print(f"{n:>7} articles: {ms:.3f} ms/article for clustering")
        if n in result["scale"].get("memory_mb", {}):
            print(f"{'':>17}memory (MB): {result['scale']['memory_mb'][n]}")
    if "share" in result:
        s = result["share"]
        print(f"ingest of {s['articles']} articles: {s['ingest_s']} s, stories {s['stories_s']} s"
              f" ({100 * s['stories_share']:.1f}%)")


if __name__ == "__main__":
    main()
