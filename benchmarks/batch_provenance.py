"""Provenance candidate generation as one Spark join (`batch --provenance join`) against per-sentence store lookups
(what `ingest` and `batch --provenance lookup` do), on the same N articles, in one run.

    nice .venv/bin/python benchmarks/batch_provenance.py --articles 3000 [--master local[2]] [--json]

Articles: Wikinews articles (3 in 5 of them, up to all 3,000) first, then copies made as the provenance benchmark
makes them (each sentence of a base article kept, lightly edited or spun, or a clause of it lifted into another
sentence), no spaCy: sentences are
split as the provenance synth generator splits them. They are written through the store API, oldest first, with
their keys only (pending), into a fresh SQLite store. Before each article is written, the lookup path runs on it
against the articles before it: `provenance_of` (enrich.py) as ingest runs it, with the time spent inside the
store's candidate lookups counted apart. Then the join path (joins.match_pending) matches every pending article:
the candidate joins timed alone, and the whole pass (joins, alignment, writes). Both paths must find the same number
of matches and near-duplicates, printed side by side.

    nice .venv/bin/python benchmarks/batch_provenance.py --articles 30000 --candidates-only --driver-memory 4g

`--candidates-only` times candidate generation alone, the issue's figure, where the whole pass would take hours on
this machine: the lookup half makes only the store's candidate lookups that `provenance_of` makes (whole-sentence,
seed and article candidates, same arguments and limits) and no alignment; the join half stops at the counted
candidate rows. Keys are built without spaCy either way (sentences split by the synth generator's splitter, keys by
provenance's `prepare`). The store is built by a bulk key loader: `--chunk` articles (200) are looked up, then
written in one store transaction (`write_batch`), so the lookups of a chunk see every article of the chunks before
it but not the earlier ones of their own chunk. The first article of each chunk sees exactly the articles before it,
as in a sequential ingest: its candidates, found by the lookups, must equal the join's rows for it (sentence,
candidate, hits or shared seeds), and are checked on that sample (`sample` in the output). Candidate totals differ
by what the chunks hide from each other, and are printed side by side.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from provenance import lift, perturb  # noqa: E402

from newsgraph.eval.provenance_synth import split_sentences  # noqa: E402
from newsgraph.model import AnnotatedArticle, ExtractedDoc, SentenceSpan  # noqa: E402
from newsgraph.provenance.corpus import keys_only, pending_keys  # noqa: E402
from newsgraph.provenance.enrich import CANDIDATES_PER_SENTENCE, prepare, provenance_of  # noqa: E402
from newsgraph.provenance.lifts import MAX_POSTINGS, SEED_CANDIDATES  # noqa: E402
from newsgraph.store import open_store  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def corpus(path: Path, n: int, seed: int) -> list[list[str]]:
    """`n` articles as lists of sentences: the originals, then copies of them with edited and lifted sentences."""
    rng = random.Random(seed)
    with open(path, encoding="utf-8") as f:
        originals = [[a["title"], *split_sentences(a["text"])] for a in map(json.loads, f)]
    originals = originals[:min(len(originals), max(1, n * 3 // 5))]  # two in five articles copy, at least
    out = list(originals)
    while len(out) < n:
        base, other = rng.choice(originals), rng.choice(originals)
        copy = []
        for s in base:
            roll = rng.random()
            copy.append(s if roll < 0.3 else perturb(s, rng) if roll < 0.7 else
                        lift(s, rng.choice(other), rng) if roll < 0.85 else rng.choice(other))
        out.append(copy)
    return out


def annotated(number: int, texts: list[str]) -> AnnotatedArticle:
    spans, at = [], 0
    for i, t in enumerate(texts):
        spans.append(SentenceSpan(i, at, at + len(t), t))
        at += len(t) + 1
    url = f"https://bench.example/{number}"
    doc = ExtractedDoc(item=url, text="\n".join(texts), url=url, canonical_url=url, content_hash=str(number),
                       title=None, date="2020-01-01")
    return AnnotatedArticle(doc=doc, sentences=spans, mentions=[], words=len(doc.text.split()))


class TimedLookups:
    """The store, with the time spent in its candidate lookups counted."""

    def __init__(self, store):
        self.store, self.seconds, self.calls = store, 0.0, 0

    def __getattr__(self, name):
        attr = getattr(self.store, name)
        if name not in ("sentence_candidates", "seed_candidates", "article_candidates", "sentences_at"):
            return attr

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t
                self.calls += 1
        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--data", type=Path, default=WIKINEWS)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidates-only", action="store_true",
                        help="time candidate generation only: no alignment, no matches written")
    parser.add_argument("--chunk", type=int, default=200,
                        help="--candidates-only: articles looked up, then written, together (the bulk key loader)")
    parser.add_argument("--driver-memory", help="Spark driver memory (local mode: the executors' too), e.g. 3g")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.driver_memory:  # the flag wins over newsgraph's spark.driver.memory default
        os.environ["PYSPARK_SUBMIT_ARGS"] = f"--driver-memory {args.driver_memory} pyspark-shell"
    articles = corpus(args.data, args.articles, args.seed)
    result: dict = {"command": " ".join(sys.argv), "articles": len(articles),
                    "sentences": sum(map(len, articles)), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        store = open_store(db)
        if args.candidates_only:
            result["lookup"], sample = chunked_lookups(store, articles, args.chunk)
        else:
            result["lookup"], sample = sequential_provenance(store, articles), {}
        print(json.dumps(result["lookup"]), file=sys.stderr)
        store.close()
        result["load_between"] = os.getloadavg()
        result["join"] = join(db, args.master, args.partitions, args.candidates_only, sample)
        rows = result["join"].pop("sample_rows")
        if sample:
            result["sample"] = check_sample(db, sample, rows)
    result["load_after"] = os.getloadavg()
    result["candidate_ratio_lookup_over_join"] = round(
        result["lookup"]["candidate_seconds"] / result["join"]["read_and_candidate_seconds"], 2)
    if not args.candidates_only:
        result["pass_ratio_lookup_over_join"] = round(
            result["lookup"]["provenance_seconds"] / result["join"]["seconds"], 2)
    print(json.dumps(result, indent=None if args.json else 2))


def sequential_provenance(store, articles: list[list[str]]) -> dict:
    """Each article's provenance found by `provenance_of` against the articles before it, then its keys written:
    what a sequential ingest does, per article."""
    timed = TimedLookups(store)
    enrich_seconds = write_seconds = 0.0
    matches = duplicates = 0
    for n, texts in enumerate(articles):
        article = annotated(n, texts)
        t = time.perf_counter()
        found = provenance_of(timed, article.sentences, prepare(article))  # what ingest runs, per sentence
        matches += len(found.matches)
        duplicates += len(found.duplicates)
        enrich_seconds += time.perf_counter() - t
        t = time.perf_counter()
        store.add_article(keys_only(store, article))
        write_seconds += time.perf_counter() - t
        if n and n % 1000 == 0:
            print(f"  {n} articles: lookups {timed.seconds:.1f}s, enrich {enrich_seconds:.1f}s, "
                  f"writes {write_seconds:.1f}s, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    return {"candidate_seconds": round(timed.seconds, 2), "lookup_calls": timed.calls,
            "provenance_seconds": round(enrich_seconds, 2), "matches": matches, "duplicates": duplicates,
            "keys_only_write_seconds": round(write_seconds, 2)}


def chunked_lookups(store, articles: list[list[str]], chunk: int) -> tuple[dict, dict[int, set]]:
    """The bulk key loader with the candidate lookups timed: each chunk's articles are keyed (`prepare`, as ingest
    keys them), looked up against the chunks before, then written in one transaction. Returns the figures and, for
    the first article of each chunk (article id -> its candidates), the sample the join is checked on."""
    timed = TimedLookups(store)
    found = {"whole": 0, "seed": 0}
    sample: dict[int, set] = {}
    key_seconds = write_seconds = 0.0
    every = max(1, 1000 // chunk) * chunk
    for at in range(0, len(articles), chunk):
        group = [annotated(n, texts) for n, texts in enumerate(articles[at:at + chunk], at)]
        t = time.perf_counter()
        prepared = [prepare(a) for a in group]
        key_seconds += time.perf_counter() - t
        first = [candidate_lookups(timed, p, found) for p in prepared][0]
        t = time.perf_counter()
        with store.write_batch("writing a chunk of keys"):
            ids = [store.add_article(pending_keys(store, a, p)) for a, p in zip(group, prepared, strict=True)]
        write_seconds += time.perf_counter() - t
        sample[ids[0]] = first
        if at and at % every == 0:
            print(f"  {at} articles: lookups {timed.seconds:.1f}s, keys {key_seconds:.1f}s, "
                  f"writes {write_seconds:.1f}s, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    return {"candidate_seconds": round(timed.seconds, 2), "lookup_calls": timed.calls, "candidates": found,
            "chunk": chunk, "key_seconds": round(key_seconds, 2),
            "bulk_write_seconds": round(write_seconds, 2)}, sample


def candidate_lookups(store, prepared, found: dict) -> set[tuple]:
    """The store lookups `provenance_of` makes for one article, with the same arguments, and nothing else; the
    candidates as ("whole", sentence index, candidate id, hits) and ("seed", sentence index, candidate id, seeds)."""
    got: set[tuple] = set()
    for sentence in prepared.sentences:
        if sentence.keys:
            whole = store.sentence_candidates(sentence.keys, sentence.keys[0], limit=CANDIDATES_PER_SENTENCE)
            found["whole"] += len(whole)
            got.update(("whole", sentence.index, c.sentence_id, c.hits) for c in whole)
        if sentence.seeds:
            seeded = store.seed_candidates(sentence.seeds, max_postings=MAX_POSTINGS, limit=SEED_CANDIDATES)
            found["seed"] += len(seeded)
            got.update(("seed", sentence.index, c.sentence_id, c.seeds) for c in seeded)
    store.article_candidates(prepared.article_keys)
    return got


def check_sample(db: str, sample: dict[int, set], rows: list[tuple]) -> dict:
    """The join's candidates of the sample articles against the lookups': equal sets, or the differences."""
    store = open_store(db)
    try:
        index = {c.sentence_id: c.index for c in store.sentences_by_id(sorted({r[2] for r in rows}))}
    finally:
        store.close()
    joined: dict[int, set] = {aid: set() for aid in sample}
    for aid, kind, q_sid, c_sid, extra, _rank in rows:
        joined[aid].add((kind, index[q_sid], c_sid, extra[0] if kind == "whole" else frozenset(extra)))
    differ = [aid for aid in sample if joined[aid] != sample[aid]]
    return {"articles": len(sample), "with_candidates": sum(1 for v in sample.values() if v),
            "candidates": sum(map(len, sample.values())), "join_candidates": sum(map(len, joined.values())),
            "articles_that_differ": len(differ),
            "first_difference": None if not differ else {
                "article": differ[0], "lookups_only": sorted(map(str, sample[differ[0]] - joined[differ[0]]))[:5],
                "join_only": sorted(map(str, joined[differ[0]] - sample[differ[0]]))[:5]}}


def join(db: str, master: str, partitions: int, candidates_only: bool = False, sample=()) -> dict:
    import shutil

    from newsgraph.batch.joins import match_pending
    from newsgraph.batch.spark import _context

    local_dir = tempfile.mkdtemp(prefix="newsgraph-bench-")
    t = time.perf_counter()
    sc = _context(master, local_dir)
    startup = time.perf_counter() - t
    try:
        report = match_pending(sc, db, partitions, candidates_only=candidates_only, sample=sample)
    finally:
        sc.stop()
        shutil.rmtree(local_dir, ignore_errors=True)
    return {"master": master, "startup_seconds": round(startup, 2), "pending": report.pending,
            "matched": report.matched, "index_rows": report.index_rows, "candidates": report.candidates,
            "read_seconds": report.read_seconds, "candidate_seconds": report.candidate_seconds,
            "read_and_candidate_seconds": round(report.read_seconds + report.candidate_seconds, 2),
            "seconds": report.seconds,
            "matches": report.matches, "duplicates": report.duplicates,
            "candidates_by_kind": report.candidates_by_kind, "sample_rows": report.sample_rows or [],
            "driver_memory": os.environ.get("PYSPARK_SUBMIT_ARGS")}


if __name__ == "__main__":
    main()
