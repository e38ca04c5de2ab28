"""Provenance speed: ingest-time overhead share, index build throughput and memory, lookup latency p50/p95.

    nice -n 10 python benchmarks/provenance.py --articles 400 --index-size 1000000 [--postgres URL | temp]

The lookup index is written through the public store API (`add_article`, 20 sentences to an article, each with
the band keys and n-gram seeds the enricher attaches), so the same build runs on SQLite and PostgreSQL. It is
slower than a bulk load (minutes per 100,000 sentences): keep it with `--index-db` (SQLite) or a `--postgres` URL
of your own, and a later run with the same `--index-size` reuses it.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.provenance import enrich as enrich_module  # noqa: E402
from newsgraph.provenance.classify import classify  # noqa: E402
from newsgraph.provenance.lifts import find_partials  # noqa: E402
from newsgraph.provenance.ngrams import seed_keys  # noqa: E402
from newsgraph.provenance.minhash_index import sentence_keys  # noqa: E402
from newsgraph.provenance.normalise import normalise  # noqa: E402
from newsgraph.provenance.shingles import sentence_shingles  # noqa: E402
from newsgraph.eval.provenance_synth import light_edit, spin, split_sentences  # noqa: E402
from newsgraph.model import AnnotatedArticle, ExtractedDoc, ProvenanceData, SentenceSpan  # noqa: E402
from newsgraph.ingest.pipeline import Split  # noqa: E402
from newsgraph.store import open_store, sqlite_provenance  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def overhead(articles: list[dict], target: str | Path, tmp: Path) -> dict:
    """Full ingest (extract, spaCy, store) into `target` (a fresh store) with the provenance enricher and writes
    timed in the same run."""
    import newsgraph

    spent = {"enrich": 0.0, "write": 0.0}
    real_write = sqlite_provenance.add_provenance

    def timed(step, part: str):
        def run(*args):
            t = time.perf_counter()
            try:
                return step(*args)
            finally:
                spent[part] += time.perf_counter() - t
        return run

    # Both halves of the split enricher: `prepare` before the ingest lock, `decide` (the lookups) under it.
    timed_enrich = Split(timed(enrich_module.prepare, "enrich"), timed(enrich_module.decide, "enrich"))
    timed_write = timed(real_write, "write")

    corpus = tmp / "overhead.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({k: a[k] for k in ("url", "title", "date", "text")}) + "\n")
    sqlite_provenance.add_provenance = timed_write
    try:
        with newsgraph.open(target) as graph:
            # Only provenance is timed; any other feature's enrichers stay in the ingest total.
            graph.enrichers = [timed_enrich if getattr(e, "prepare", None) is enrich_module.prepare else e
                               for e in graph.enrichers]
            if timed_enrich not in graph.enrichers:
                raise RuntimeError("the provenance enricher is not registered on Graph")
            t = time.perf_counter()
            report = graph.ingest([corpus])
            total = time.perf_counter() - t
            sentences = graph.stats().sentences
    finally:
        sqlite_provenance.add_provenance = real_write
    share = (spent["enrich"] + spent["write"]) / total
    return {"articles": report.added, "sentences": sentences, "ingest_seconds": round(total, 2),
            "provenance_seconds": round(spent["enrich"] + spent["write"], 2),
            "enrich_seconds": round(spent["enrich"], 2), "write_seconds": round(spent["write"], 2),
            "overhead_share": round(share, 4)}


def perturb(sentence: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return light_edit(sentence, rng) or sentence + " " + rng.choice(("Officials agreed.", "More soon."))
    if roll < 0.7:
        return spin(sentence)[0]
    toks = sentence.split(" ")
    if len(toks) > 6:
        del toks[rng.randrange(1, len(toks) - 1)]
    return " ".join(toks)


def lift(sentence: str, framing: str, rng: random.Random) -> str:
    """6-20 words of an indexed sentence inside words of another: a clause lift."""
    words, frame = sentence.split(), framing.split()
    n = min(rng.randint(6, 20), len(words))
    at = rng.randint(0, len(words) - n)
    return " ".join(frame[:rng.randint(3, 8)] + words[at:at + n]) + "."


def bench_article(number: int, texts: list[str]) -> AnnotatedArticle:
    """One article of the lookup index: its sentences with the band keys and n-gram seeds the enricher would attach
    (no matches: the index is what later sentences are looked up against)."""
    text = "\n".join(texts)
    spans, at = [], 0
    for i, t in enumerate(texts):
        spans.append(SentenceSpan(i, at, at + len(t), t))
        at += len(t) + 1
    keys = [(i, k) for i, t in enumerate(texts) if (sh := sentence_shingles(t)) for k in sentence_keys(normalise(t), sh)]
    seeds = [(i, k) for i in range(len(texts)) for k in enrich_module.sentence_seeds(spans, i)]  # as the enricher's
    url = f"https://bench.example/{number}"
    doc = ExtractedDoc(item=url, text=text, url=url, canonical_url=url, content_hash=str(number), title=None,
                       date="2020-01-01")
    return AnnotatedArticle(doc=doc, sentences=spans, mentions=[], words=len(text.split()),
                            provenance=ProvenanceData(sentence_keys=keys, matches=[], article_keys=[], signature=b"",
                                                      duplicates=[], ngram_keys=seeds))


def build_index(sentences: list[str], size: int, store, rng: random.Random) -> dict:
    """`size` sentences (the originals, then perturbed copies) written through the public store API, 20 to an
    article, so the same build runs on every backend (a store that already holds `size` sentences is reused)."""
    if store.stats().sentences == size:  # --index-db, or a PostgreSQL database built by an earlier run
        return {"sentences": size, "reused": store.url}
    if store.stats().sentences:
        raise SystemExit(f"{store.url} holds other sentences: give an empty store, or one built with this --index-size")
    per_article = 20
    t0 = time.perf_counter()
    texts = [sentences[i % len(sentences)] if i < len(sentences) else perturb(sentences[i % len(sentences)], rng)
             for i in range(size)]
    t_gen = time.perf_counter()
    band_keys = seeds = 0
    keys_seconds = 0.0
    for a in range(0, size, per_article):
        t = time.perf_counter()
        article = bench_article(a // per_article, texts[a:a + per_article])
        keys_seconds += time.perf_counter() - t
        band_keys += len(article.provenance.sentence_keys)
        seeds += len(article.provenance.ngram_keys)
        store.add_article(article)
        if a and a % 100_000 == 0:
            print(f"  {a:,} sentences stored ({time.perf_counter() - t_gen:.0f} s)", file=sys.stderr)
    t_db = time.perf_counter()
    out = {"sentences": size, "band_keys": band_keys, "ngram_keys": seeds,
           "band_keys_per_sentence": round(band_keys / size, 2), "ngram_keys_per_sentence": round(seeds / size, 2),
           "generate_seconds": round(t_gen - t0, 1), "keys_seconds": round(keys_seconds, 1),
           "store_seconds": round(t_db - t_gen - keys_seconds, 1),
           "build_sentences_per_second": round(size / (t_db - t_gen)),
           "peak_rss_megabytes": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    path = Path(store.url)
    if path.exists():
        out["db_megabytes"] = round(sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20)
    return out


def lookups(store, queries: list[str]) -> dict:
    """The enricher's per-sentence work: band keys and n-gram seeds, both indexed candidate lookups, whole-sentence
    classification and partial alignment of the candidates."""
    total, sql, seed_part, found, partial = [], [], [], 0, 0
    for text in queries:
        t = time.perf_counter()
        sh = sentence_shingles(text)
        whole = {}
        if sh:
            own = sentence_keys(normalise(text), sh)
            ts = time.perf_counter()
            cands = store.sentence_candidates(own, own[0], limit=enrich_module.CANDIDATES_PER_SENTENCE)
            sql.append(time.perf_counter() - ts)
            whole = {c.sentence_id: got[0] for c in cands if (got := classify(text, c.text))}
        tp = time.perf_counter()
        parts = find_partials(store, 0, text, seed_keys(text), whole)
        seed_part.append(time.perf_counter() - tp)
        total.append(time.perf_counter() - t)
        found += bool(whole or parts)
        partial += bool(parts)

    def ms(values, q):
        return round(float(np.percentile(values, q)) * 1000, 2)

    return {"queries": len(queries), "p50_ms": ms(total, 50), "p95_ms": ms(total, 95), "max_ms": ms(total, 100),
            "sql_p50_ms": ms(sql, 50), "sql_p95_ms": ms(sql, 95), "mean_ms": round(statistics.mean(total) * 1000, 2),
            "partial_p50_ms": ms(seed_part, 50), "partial_p95_ms": ms(seed_part, 95),
            "queries_with_a_match": found, "queries_with_a_partial_match": partial}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=WIKINEWS)
    parser.add_argument("--articles", type=int, default=400, help="articles ingested for the overhead share")
    parser.add_argument("--index-size", type=int, default=1_000_000, help="sentences indexed for lookups")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--index-db", type=Path, help="keep (or reuse) the lookup index in this SQLite file")
    parser.add_argument("--postgres", metavar="URL",
                        help="build (or reuse) the lookup index in this PostgreSQL database instead of SQLite;"
                             " 'temp' starts a throwaway cluster (tests/pgcluster.py)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = load(args.data)
    result = {"command": " ".join(sys.argv)}
    cluster = None
    if args.postgres == "temp":
        sys.path.insert(0, str(ROOT / "tests"))
        from pgcluster import Cluster

        cluster = Cluster().start()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        try:
            if not args.skip_overhead:  # on the throwaway cluster too when there is one (a database of its own)
                target = cluster.create_db("provenance_overhead") if cluster else tmp / "overhead.db"
                result["overhead"] = overhead(corpus[:args.articles], target, tmp)
                print(json.dumps(result["overhead"]), file=sys.stderr)
            if cluster is not None:
                args.postgres = cluster.create_db("provenance_index")
            held_out = corpus[-100:]  # never indexed: queries that should find nothing
            indexed = [s for a in corpus[:-100] for s in [a["title"], *split_sentences(a["text"])]]
            store = open_store(args.postgres or args.index_db or tmp / "index.db")
            try:
                result["index"] = build_index(indexed, args.index_size, store, rng)
                result["index"]["backend"] = "postgresql" if args.postgres else "sqlite"
                print(json.dumps(result["index"]), file=sys.stderr)
                fresh = [s for a in held_out for s in split_sentences(a["text"])]
                pool = indexed[:min(len(indexed), args.index_size)]
                seen = [perturb(s, rng) for s in rng.sample(pool, args.queries // 3)]
                lifted = [lift(s, rng.choice(fresh), rng) for s in rng.sample(pool, args.queries // 3)]
                queries = seen + lifted + rng.sample(fresh, min(len(fresh), args.queries - len(seen) - len(lifted)))
                rng.shuffle(queries)
                result["lookup"] = lookups(store, queries)
            finally:
                store.close()
        finally:
            if cluster is not None:
                cluster.destroy()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
