"""Batched writes (many articles to a transaction) store exactly what one transaction per article stores, and a bad
article inside a batch fails alone."""
from __future__ import annotations

import json

import newsgraph
from ingest_snapshot import snapshot

N = 12


def demo_corpus(path, n: int = N):
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        path.write_text("".join(line for _, line in zip(range(n), src)), encoding="utf-8")
    return path


def ingest(tmp_path, name, nlp, corpus, batch, enrich_last=None):
    g = newsgraph.open(tmp_path / f"{name}.db", nlp=nlp)
    try:
        if enrich_last is not None:  # after stories and provenance: their in-memory state must roll back too
            g.enrichers.append(enrich_last)
        report = g.ingest([corpus], batch=batch)
        assert g.store.check() == []
        return report, g.store.path
    finally:
        g.close()


def test_batched_ingest_stores_what_one_article_per_transaction_stores(tmp_path, nlp):
    corpus = demo_corpus(tmp_path / "c.jsonl")
    single, single_db = ingest(tmp_path, "single", nlp, corpus, batch=1)
    batched, batched_db = ingest(tmp_path, "batched", nlp, corpus, batch=5)  # 5 + 5 + 2: a partial last batch
    assert single.added == batched.added == N and not single.errors and not batched.errors
    one, many = snapshot(single_db), snapshot(batched_db)
    # entities, mentions, events, provenance matches and keys, stories and their members: every table, row for row
    assert {t for t, rows in one.items() if rows} >= {"articles", "entities", "mentions", "events", "sentence_keys",
                                                      "stories", "story_articles"}
    assert one == many


def test_a_bad_article_in_a_batch_fails_alone(tmp_path, nlp):
    corpus = demo_corpus(tmp_path / "c.jsonl", 6)
    bad_url = json.loads(corpus.read_text(encoding="utf-8").splitlines()[2])["url"]

    def refuse(store, article):  # fails on the third article, mid-batch, after the others enriched it
        if article.doc.url == bad_url:
            raise ValueError("cannot enrich this one")
        return article

    report, db = ingest(tmp_path, "bad", nlp, corpus, batch=4, enrich_last=refuse)
    assert report.added == 5 and [(e.stage, e.message) for e in report.errors] == [("store", "cannot enrich this one")]
    store = newsgraph.open(db).store
    try:
        assert store.stats().articles == 5 and [e.message for e in store.errors()] == ["cannot enrich this one"]
        assert store.story_vocabulary().docs == 5  # the story index rolled back with the article
    finally:
        store.close()
    # the five stored articles equal an ingest that never saw the bad one
    good = tmp_path / "good.jsonl"
    good.write_text("".join(line + "\n" for line in corpus.read_text(encoding="utf-8").splitlines()
                            if json.loads(line)["url"] != bad_url), encoding="utf-8")
    _, clean_db = ingest(tmp_path, "clean", nlp, good, batch=4)
    bad_snap, clean_snap = snapshot(db, drop=("item",)), snapshot(clean_db, drop=("item",))  # item: file and line
    bad_snap.pop("errors"), clean_snap.pop("errors")
    assert bad_snap == clean_snap


def test_the_writer_thread_writes_in_order_and_a_store_failure_stops_the_ingest(tmp_path, nlp):
    """Batches are written by one thread beside the parse, in arrival order; a failure of the store itself (not of
    an article) raises out of `ingest` instead of being lost in the thread, and the batches before it are kept."""
    import threading

    from newsgraph.errors import StoreBusy

    corpus = demo_corpus(tmp_path / "c.jsonl", 7)
    urls = [json.loads(line)["url"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    seen: list[tuple[str, str]] = []

    def watch(store, article):
        seen.append((threading.current_thread().name, article.doc.url))
        if article.doc.url == urls[5]:
            raise StoreBusy("the store is busy")
        return article

    g = newsgraph.open(tmp_path / "w.db", nlp=nlp)
    try:
        g.enrichers.append(watch)
        try:
            g.ingest([corpus], batch=2)
        except StoreBusy:
            pass
        else:
            raise AssertionError("a store failure in the writer thread was swallowed")
        assert [url for _, url in seen] == urls[:6]  # in order, and nothing after the failing batch
        assert {name for name, _ in seen} != {threading.current_thread().name}  # written off the parsing thread
        assert g.store.stats().articles == 4  # the two batches before the failing one are committed
        assert g.store.check() == []
    finally:
        g.close()
