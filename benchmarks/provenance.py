"""Provenance speed: ingest-time overhead share, index build throughput and memory, lookup latency p50/p95.

    nice -n 10 python benchmarks/provenance.py --articles 400 --index-size 1000000
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
from newsgraph.store import sqlite_provenance  # noqa: E402
from newsgraph.store.sqlite import SQLiteStore  # noqa: E402

WIKINEWS = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def overhead(articles: list[dict], tmp: Path) -> dict:
    """Full ingest (extract, spaCy, store) with the provenance enricher and writes timed in the same run."""
    import newsgraph

    spent = {"enrich": 0.0, "write": 0.0}
    real_write = sqlite_provenance.add_provenance

    def timed_enrich(store, article):
        t = time.perf_counter()
        try:
            return enrich_module.enrich(store, article)
        finally:
            spent["enrich"] += time.perf_counter() - t

    def timed_write(*args):
        t = time.perf_counter()
        try:
            return real_write(*args)
        finally:
            spent["write"] += time.perf_counter() - t

    corpus = tmp / "overhead.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({k: a[k] for k in ("url", "title", "date", "text")}) + "\n")
    sqlite_provenance.add_provenance = timed_write
    try:
        with newsgraph.open(tmp / "overhead.db") as graph:
            # Only provenance is timed; any other feature's enrichers stay in the ingest total.
            graph.enrichers = [timed_enrich if e is enrich_module.enrich else e for e in graph.enrichers]
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


def load_postgres(url: str, texts: list[str], per_article: int, key_tables: dict[str, tuple]):
    """COPY the sentences and their band keys and n-gram seeds (`key_tables`: table -> (keys, sentence ids)) into a
    PostgreSQL store's tables (the store API writes per article)."""
    import psycopg

    from newsgraph.store.postgres import PostgresStore

    PostgresStore(url).close()  # migrated
    with psycopg.connect(url) as con, con.cursor() as cur:
        copy_articles = "COPY articles (id, identity, item, content_hash, date, text, words, ingested_at) FROM STDIN"
        with cur.copy(copy_articles) as cp:
            for a in range((len(texts) + per_article - 1) // per_article):
                cp.write_row((a + 1, f"bench-{a}", f"bench-{a}", str(a), "2020-01-01", "", 0, ""))
        with cur.copy('COPY sentences (id, article_id, idx, start, "end", text, tsv) FROM STDIN') as cp:
            for i, text in enumerate(texts):
                cp.write_row((i + 1, i // per_article + 1, i % per_article, 0, 0, text, ""))
        cur.execute("SET maintenance_work_mem = '512MB'")
        for table, (keys, ids) in key_tables.items():
            # Distinct pairs in key order, COPY'd without indexes, which are then built in one pass: a bulk load.
            pairs = np.unique(np.stack([keys, ids], axis=1), axis=0)
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
            cur.execute(f"DROP INDEX {table}_sentence")
            with cur.copy(f"COPY {table} (key, sentence_id) FROM STDIN") as cp:
                for key, sid in pairs.tolist():
                    cp.write_row((key, sid))
            cur.execute(f"ALTER TABLE {table} ADD PRIMARY KEY (key, sentence_id)")
            cur.execute(f"CREATE INDEX {table}_sentence ON {table}(sentence_id)")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("VACUUM ANALYZE")  # what autovacuum would do: visibility map set, so index-only scans stay so
    return PostgresStore(url)


def build_index(sentences: list[str], size: int, path: Path, rng: random.Random,
                pg_url: str | None = None) -> tuple[SQLiteStore, dict]:
    """`size` sentences (the originals, then perturbed copies) bulk-loaded into a real store's tables."""
    store = None
    if pg_url is None:
        store = SQLiteStore(path)
        if store.stats().sentences == size:  # --index-db: reuse an index built by an earlier run
            return store, {"sentences": size, "reused": str(path)}
        con = store._writer  # a benchmark may bulk-load through the writer; the store API is per article
    per_article = 20
    t0 = time.perf_counter()
    seed_seconds = [0.0]
    texts = [sentences[i % len(sentences)] if i < len(sentences) else perturb(sentences[i % len(sentences)], rng)
             for i in range(size)]
    t_gen = time.perf_counter()
    key_chunks, id_chunks, gram_chunks, gid_chunks = [], [], [], []
    for start in range(0, size, 50_000):
        ks, ids, gs, gids = [], [], [], []
        for i in range(start, min(start + 50_000, size)):
            sh = sentence_shingles(texts[i])
            if sh:
                own = sentence_keys(normalise(texts[i]), sh)
                ks += own
                ids += [i + 1] * len(own)
        key_chunks.append(np.array(ks, dtype=np.int64))
        id_chunks.append(np.array(ids, dtype=np.int64))
        t_seed = time.perf_counter()
        for i in range(start, min(start + 50_000, size)):
            own = seed_keys(texts[i])
            gs += own
            gids += [i + 1] * len(own)
        seed_seconds[0] += time.perf_counter() - t_seed
        gram_chunks.append(np.array(gs, dtype=np.int64))
        gid_chunks.append(np.array(gids, dtype=np.int64))
    keys, ids = np.concatenate(key_chunks), np.concatenate(id_chunks)
    grams, gram_ids = np.concatenate(gram_chunks), np.concatenate(gid_chunks)
    t_keys = time.perf_counter()
    if pg_url:
        store = load_postgres(pg_url, texts, per_article,
                              {"sentence_keys": (keys, ids), "sentence_ngrams": (grams, gram_ids)})
        t_db = time.perf_counter()
        return store, {"sentences": size, "band_keys": int(len(keys)), "ngram_keys": int(len(grams)),
                       "backend": "postgresql", "seed_seconds": round(seed_seconds[0], 1),
                       "generate_seconds": round(t_gen - t0, 1),
                       "signature_seconds": round(t_keys - t_gen - seed_seconds[0], 1),
                       "postgres_load_seconds": round(t_db - t_keys, 1),
                       "build_sentences_per_second": round(size / (t_db - t_gen))}
    con.execute("BEGIN")
    con.executemany("INSERT INTO articles (id, identity, item, content_hash, date, text, words, ingested_at)"
                    " VALUES (?, ?, ?, ?, '2020-01-01', '', 0, '')",
                    ((a + 1, f"bench-{a}", f"bench-{a}", str(a)) for a in range((size + per_article - 1) // per_article)))
    con.executemany('INSERT INTO sentences (id, article_id, idx, start, "end", text) VALUES (?,?,?,0,0,?)',
                    ((i + 1, i // per_article + 1, i % per_article, texts[i]) for i in range(size)))
    order = np.lexsort((ids, keys))  # B-tree appends in key order: a bulk load, not per-article inserts
    for c in range(0, len(order), 1_000_000):
        part = order[c:c + 1_000_000]
        con.executemany("INSERT OR IGNORE INTO sentence_keys (key, sentence_id) VALUES (?,?)",
                        zip(keys[part].tolist(), ids[part].tolist(), strict=True))
    order = np.lexsort((gram_ids, grams))
    for c in range(0, len(order), 1_000_000):
        part = order[c:c + 1_000_000]
        con.executemany("INSERT OR IGNORE INTO sentence_ngrams (key, sentence_id) VALUES (?,?)",
                        zip(grams[part].tolist(), gram_ids[part].tolist(), strict=True))
    con.execute("COMMIT")
    t_db = time.perf_counter()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    try:  # table sizes need SQLite's dbstat table, compiled into most builds
        pages = dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name IN"
                                 " ('sentence_keys', 'sentence_ngrams') GROUP BY name").fetchall())
    except Exception as e:  # noqa: BLE001 - a figure we can do without
        pages = {"error": str(e)}
    db_bytes = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    return store, {
        "sentences": size, "band_keys": int(len(keys)), "ngram_keys": int(len(grams)),
        "band_keys_per_sentence": round(len(keys) / size, 2), "ngram_keys_per_sentence": round(len(grams) / size, 2),
        "table_megabytes": {k: round(v / 2**20) if isinstance(v, int) else v for k, v in pages.items()},
        "generate_seconds": round(t_gen - t0, 1), "signature_seconds": round(t_keys - t_gen - seed_seconds[0], 1),
        "seed_seconds": round(seed_seconds[0], 1),
        "sqlite_load_seconds": round(t_db - t_keys, 1),
        "build_sentences_per_second": round(size / (t_db - t_gen)),
        "db_megabytes": round(db_bytes / 2**20), "peak_rss_megabytes": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def lookups(store: SQLiteStore, queries: list[str]) -> dict:
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
    parser.add_argument("--index-db", type=Path, help="keep (or reuse) the lookup index in this file")
    parser.add_argument("--postgres", metavar="URL",
                        help="build the lookup index in this (empty) PostgreSQL database instead of SQLite;"
                             " 'temp' starts a throwaway cluster (tests/pgcluster.py)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = load(args.data)
    result = {"command": " ".join(sys.argv)}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_overhead:
            result["overhead"] = overhead(corpus[:args.articles], tmp)
            print(json.dumps(result["overhead"]), file=sys.stderr)
        held_out = corpus[-100:]  # never indexed: queries that should find nothing
        indexed = [s for a in corpus[:-100] for s in [a["title"], *split_sentences(a["text"])]]
        cluster = None
        if args.postgres == "temp":
            sys.path.insert(0, str(ROOT / "tests"))
            from pgcluster import Cluster

            cluster = Cluster().start()
            args.postgres = cluster.url()
        store, result["index"] = build_index(indexed, args.index_size, args.index_db or tmp / "index.db", rng,
                                             pg_url=args.postgres)
        print(json.dumps(result["index"]), file=sys.stderr)
        try:
            fresh = [s for a in held_out for s in split_sentences(a["text"])]
            pool = indexed[:min(len(indexed), args.index_size)]
            seen = [perturb(s, rng) for s in rng.sample(pool, args.queries // 3)]
            lifted = [lift(s, rng.choice(fresh), rng) for s in rng.sample(pool, args.queries // 3)]
            queries = seen + lifted + rng.sample(fresh, min(len(fresh), args.queries - len(seen) - len(lifted)))
            rng.shuffle(queries)
            result["lookup"] = lookups(store, queries)
        finally:
            store.close()
            if cluster is not None:
                cluster.destroy()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
