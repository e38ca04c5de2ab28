"""The second pass of `newsgraph batch --provenance join`: every pending article's sentence candidates found by
Spark joins on band keys and n-gram seeds, then its matches found in `mapPartitions` by provenance's own enricher
and written back through the store in batches.

The joins rank and cut candidates as the store's per-sentence lookups do (sqlite_provenance.candidates and
seed_candidates), counting only articles with lower ids, so the matches are those a sequential `ingest` finds.
"""
from __future__ import annotations

import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..provenance.corpus import candidates_by_sentence, match_article
from ..provenance.enrich import CANDIDATES_PER_SENTENCE
from ..provenance.lifts import MAX_POSTINGS, SEED_CANDIDATES
from ..provenance.minhash_index import SENTENCE_BANDS
from ..store.sqlite_provenance import EXACT_WEIGHT
from .executor import store_for

WRITE_BATCH = 32  # articles whose matches go in one store transaction
ROWS_PER_RANGE = 20_000  # sentences per read task of the index tables


@dataclass
class JoinReport:
    pending: int = 0  # articles whose matches were still to find
    matched: int = 0  # ... found and written by this pass
    matches: int = 0  # sentence matches written (one direction)
    duplicates: int = 0  # near-duplicate article pairs written
    index_rows: int = 0  # band-key and seed rows read from the store
    candidates: int = 0  # candidate (sentence, candidate sentence) rows the joins produced
    seconds: float = 0.0
    read_seconds: float = 0.0  # reading the index rows from the store into Spark
    candidate_seconds: float = 0.0  # the joins alone, up to their materialised candidate rows
    candidates_by_kind: dict | None = None  # candidates_only: {"whole": n, "seed": n}
    sample_rows: list[tuple] | None = None  # candidates_only: the rows of the `sample` articles, (q_aid, kind, ...)


def match_pending(sc, db: str, partitions: int, *, candidates_only: bool = False,
                  sample: Collection[int] = ()) -> JoinReport:
    """Find and store the matches of every article the store holds as pending. `candidates_only` stops once the
    candidate rows are counted, matching and writing nothing (benchmarks/batch_provenance.py times that part), and
    returns the candidate rows of the `sample` articles, to be checked against the store's lookups."""
    from pyspark.sql import SparkSession

    started = time.monotonic()
    store, _ = store_for(db)
    pending = store.provenance_pending()
    report = JoinReport(pending=len(pending))
    if not pending:
        return report
    spark = SparkSession(sc)
    # Spark's default of 200 shuffle partitions is for clusters; a few per core keeps tasks worth their overhead.
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    first, last = store.sentence_id_range()
    ranges = [(lo, min(lo + ROWS_PER_RANGE - 1, last)) for lo in range(first, last + 1, ROWS_PER_RANGE)]
    # Read once from the store and kept: each table feeds both sides of its join.
    keys = _index_frame(spark, sc, db, "bands", ranges).persist()
    seeds = _index_frame(spark, sc, db, "seeds", ranges).persist()
    report.index_rows = keys.count() + seeds.count()
    report.read_seconds = round(time.monotonic() - started, 2)
    new = spark.createDataFrame([(a,) for a in pending], "q_aid long")
    rows = candidate_rows(keys, seeds, new).repartition(partitions, "q_aid").persist()
    report.candidates = rows.count()  # the joins, timed apart from alignment
    report.candidate_seconds = round(time.monotonic() - started - report.read_seconds, 2)
    keys.unpersist()
    seeds.unpersist()
    if candidates_only:
        report.candidates_by_kind = {r["kind"]: r["count"] for r in rows.groupBy("kind").count().collect()}
        if sample:
            picked = rows.where(rows.q_aid.isin(sorted(sample))).collect()
            report.sample_rows = [(r.q_aid, r.kind, r.q_sid, r.c_sid, list(r.extra), r.rank) for r in picked]
        rows.unpersist()
        report.seconds = round(time.monotonic() - started, 2)
        return report
    by_article = rows.rdd.map(lambda r: (r.q_aid, (r.kind, r.q_sid, r.c_sid, r.extra, r.rank)))
    todo = sc.parallelize([(a, None) for a in pending], partitions)
    done = (by_article.union(todo).groupByKey(partitions)
            .mapPartitions(lambda part: _match_partition(part, db)).collect())
    rows.unpersist()
    report.matched = sum(d[0] for d in done)
    report.matches = sum(d[1] for d in done)
    report.duplicates = sum(d[2] for d in done)
    report.seconds = round(time.monotonic() - started, 2)
    return report


def _index_frame(spark, sc, db: str, index: str, ranges: list[tuple[int, int]]):
    def read(part: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
        store, _ = store_for(db)
        for lo, hi in part:
            yield from store.index_rows(index, lo, hi)

    rdd = sc.parallelize(ranges, max(1, len(ranges))).mapPartitions(read)
    return spark.createDataFrame(rdd, "key long, sid long, aid long", verifySchema=False)  # ints from the store


def candidate_rows(keys, seeds, new):
    """(q_aid, kind, q_sid, c_sid, extra, rank) for each pending sentence's candidates: "whole" ones sharing band
    keys (extra: the store's hit count), "seed" ones sharing n-gram seeds (extra: the shared seeds)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    q = keys.select("key", F.col("sid").alias("q_sid"), F.col("aid").alias("q_aid")).join(new, "q_aid")
    c = keys.select("key", F.col("sid").alias("c_sid"), F.col("aid").alias("c_aid"))
    shared = (q.join(c, "key").where(F.col("c_aid") < F.col("q_aid"))
              .groupBy("q_aid", "q_sid", "c_sid").agg(F.count("*").alias("n")))
    # Every key shared means the same normalised text, the exact key among them: the store weighs that one apart.
    hits = F.when(F.col("n") == SENTENCE_BANDS + 1, F.col("n") + EXACT_WEIGHT - 1).otherwise(F.col("n"))
    ranked = Window.partitionBy("q_sid").orderBy(F.col("n").desc(), F.col("c_sid"))
    whole = (shared.withColumn("rank", F.row_number().over(ranked)).where(F.col("rank") <= CANDIDATES_PER_SENTENCE)
             .select("q_aid", F.lit("whole").alias("kind"), "q_sid", "c_sid",
                     F.array(hits.cast("long")).alias("extra"), "rank"))

    # A seed counts for a sentence while at most MAX_POSTINGS sentences of earlier articles hold it.
    per_article = seeds.groupBy("key", "aid").agg(F.count("*").alias("held"))
    before = Window.partitionBy("key").orderBy("aid").rowsBetween(Window.unboundedPreceding, -1)
    usable = (per_article.withColumn("earlier", F.coalesce(F.sum("held").over(before), F.lit(0)))
              .where(F.col("earlier") <= MAX_POSTINGS).select("key", F.col("aid").alias("q_aid")))
    qs = (seeds.select("key", F.col("sid").alias("q_sid"), F.col("aid").alias("q_aid"))
          .join(new, "q_aid").join(usable, ["key", "q_aid"]))
    cs = seeds.select("key", F.col("sid").alias("c_sid"), F.col("aid").alias("c_aid"))
    seeded = (qs.join(cs, "key").where(F.col("c_aid") < F.col("q_aid"))
              .groupBy("q_aid", "q_sid", "c_sid").agg(F.collect_set("key").alias("extra"), F.count("*").alias("n")))
    seed_rank = Window.partitionBy("q_sid").orderBy(F.col("n").desc(), F.col("c_sid"))
    seed = (seeded.withColumn("rank", F.row_number().over(seed_rank)).where(F.col("rank") <= SEED_CANDIDATES)
            .select("q_aid", F.lit("seed").alias("kind"), "q_sid", "c_sid", "extra", "rank"))
    return whole.unionByName(seed)


def _match_partition(part: Iterator[tuple[int, object]], db: str) -> Iterator[tuple[int, int, int]]:
    """Align each article's candidates with provenance's enricher and write the matches, WRITE_BATCH at a time."""
    store, _ = store_for(db)
    found, written, matches, duplicates = [], 0, 0, 0
    for article_id, grouped in part:
        rows = [r for r in grouped if r is not None]
        detail = store.article(article_id)
        sentences = {c.index: c for c in store.sentences_at(article_id, [s.index for s in detail.sentences])}
        texts = {c.sentence_id: c for c in store.sentences_by_id(sorted({r[2] for r in rows}))}
        whole, seeded = candidates_by_sentence(
            ((k, s, c, e[0] if k == "whole" else e, r) for k, s, c, e, r in rows), texts)
        data = match_article(store, detail, [sentences[s.index].sentence_id for s in detail.sentences],
                             whole, seeded)
        found.append((article_id, data))
        matches += len(data.matches)
        duplicates += len(data.duplicates)
        if len(found) >= WRITE_BATCH:
            written += _write(store, found)
            found = []
    if found:
        written += _write(store, found)
    yield (written, matches, duplicates)


def _write(store, found) -> int:
    with store.ingest_lock():  # one writer at a time, as the first pass writes
        store.add_matches(found)
    return len(found)

