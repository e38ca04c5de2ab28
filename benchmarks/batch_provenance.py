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

    nice .venv/bin/python benchmarks/batch_provenance.py --articles 30000 --candidates-only --driver-memory 3g

`--candidates-only` times candidate generation alone, the issue's figure, where the whole pass would take hours on
this machine: the lookup half makes only the store's candidate lookups that `provenance_of` makes (whole-sentence,
seed and article candidates, same arguments and limits) and no alignment; the join half stops at the counted
candidate rows. Candidates found are counted on both sides (whole-sentence and seed), which should agree. Keys are
built without spaCy either way (sentences split by the synth generator's splitter, keys by provenance's `prepare`).
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
from newsgraph.provenance.corpus import keys_only  # noqa: E402
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
        timed = TimedLookups(store)
        enrich_seconds = write_seconds = 0.0
        lookup_matches = lookup_duplicates = 0
        found_candidates = {"whole": 0, "seed": 0}
        for n, texts in enumerate(articles):
            article = annotated(n, texts)
            t = time.perf_counter()
            if args.candidates_only:
                candidate_lookups(timed, prepare(article), found_candidates)
            else:
                found = provenance_of(timed, article.sentences, prepare(article))  # what ingest runs, per sentence
                lookup_matches += len(found.matches)
                lookup_duplicates += len(found.duplicates)
            enrich_seconds += time.perf_counter() - t
            t = time.perf_counter()
            store.add_article(keys_only(store, article))
            write_seconds += time.perf_counter() - t
            if n and n % 1000 == 0:
                print(f"  {n} articles: lookups {timed.seconds:.1f}s, enrich {enrich_seconds:.1f}s, "
                      f"writes {write_seconds:.1f}s, load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        result["lookup"] = {"candidate_seconds": round(timed.seconds, 2), "lookup_calls": timed.calls,
                            "provenance_seconds": round(enrich_seconds, 2), "matches": lookup_matches,
                            "duplicates": lookup_duplicates, "keys_only_write_seconds": round(write_seconds, 2)}
        if args.candidates_only:
            result["lookup"]["candidates"] = found_candidates
            del result["lookup"]["matches"], result["lookup"]["duplicates"]
        print(json.dumps(result["lookup"]), file=sys.stderr)
        store.close()
        result["load_between"] = os.getloadavg()
        result["join"] = join(db, args.master, args.partitions, args.candidates_only)
    result["load_after"] = os.getloadavg()
    result["candidate_ratio_lookup_over_join"] = round(
        result["lookup"]["candidate_seconds"] / result["join"]["read_and_candidate_seconds"], 2)
    if not args.candidates_only:
        result["pass_ratio_lookup_over_join"] = round(
            result["lookup"]["provenance_seconds"] / result["join"]["seconds"], 2)
    print(json.dumps(result, indent=None if args.json else 2))


def candidate_lookups(store, prepared, found: dict) -> None:
    """The store lookups `provenance_of` makes for one article, with the same arguments, and nothing else."""
    for sentence in prepared.sentences:
        if sentence.keys:
            found["whole"] += len(store.sentence_candidates(sentence.keys, sentence.keys[0],
                                                            limit=CANDIDATES_PER_SENTENCE))
        if sentence.seeds:
            found["seed"] += len(store.seed_candidates(sentence.seeds, max_postings=MAX_POSTINGS,
                                                       limit=SEED_CANDIDATES))
    store.article_candidates(prepared.article_keys)


def join(db: str, master: str, partitions: int, candidates_only: bool = False) -> dict:
    import shutil

    from newsgraph.batch.joins import match_pending
    from newsgraph.batch.spark import _context

    local_dir = tempfile.mkdtemp(prefix="newsgraph-bench-")
    t = time.perf_counter()
    sc = _context(master, local_dir)
    startup = time.perf_counter() - t
    try:
        report = match_pending(sc, db, partitions, candidates_only=candidates_only)
    finally:
        sc.stop()
        shutil.rmtree(local_dir, ignore_errors=True)
    return {"master": master, "startup_seconds": round(startup, 2), "pending": report.pending,
            "matched": report.matched, "index_rows": report.index_rows, "candidates": report.candidates,
            "read_seconds": report.read_seconds, "candidate_seconds": report.candidate_seconds,
            "read_and_candidate_seconds": round(report.read_seconds + report.candidate_seconds, 2),
            "seconds": report.seconds,
            "matches": report.matches, "duplicates": report.duplicates,
            "candidates_by_kind": report.candidates_by_kind, "driver_memory": os.environ.get("PYSPARK_SUBMIT_ARGS")}


if __name__ == "__main__":
    main()
