"""The enrichers' split (a store-free `prepare` before the ingest lock, `decide` under it) stores exactly what
running each enricher whole under the lock stores: on SQLite with 1 and 2 NLP processes, and on PostgreSQL."""
from __future__ import annotations

import dataclasses
import json
from contextlib import contextmanager

import pytest

import newsgraph
from copies_corpus import demo_with_copies
from ingest_snapshot import snapshot
from newsgraph.ingest.enrichers import default_enrichers
from newsgraph.ingest.pipeline import SplitEnricher
from newsgraph.records import EXPORT_ROWS

N = 8
CLOCKS = {"ingested_at", "updated_at"}


def corpus_with_copies(path):
    """N demo articles and two that copy parts of them, so provenance finds matches to decide on."""
    return demo_with_copies(path, N, ((0, 1), (2, 5)))


def whole(enricher):
    """The enricher as a plain callable: all of it runs under the lock, as before the split."""
    return lambda store, article: enricher(store, article)


def ingest(target, nlp, corpus, split: bool, workers: int = 1):
    g = newsgraph.open(target, nlp=nlp)
    try:
        if not split:
            g.enrichers = [whole(e) for e in g.enrichers]
        report = g.ingest([corpus], workers=workers, batch=4)
        assert report.added == N + 2 and not report.errors
    finally:
        g.close()


def store_rows(store) -> dict:
    """Every exported record less its clocks, each article's sentence matches, and the story vocabulary."""
    out = {kind.__name__: sorted(repr({k: v for k, v in dataclasses.asdict(r).items() if k not in CLOCKS})
                                 for r in store.export(kind)) for kind in EXPORT_ROWS}
    ids = [a.id for a in store.export(EXPORT_ROWS[0])]
    out["matches"] = sorted(repr(m) for i in ids for m in store.sentence_matches(i))
    vocab = store.story_vocabulary()
    out["vocabulary"] = (vocab.version, vocab.docs, sorted(vocab.term_df.items()), sorted(vocab.entity_df.items()))
    return out


def _rows_of(url: str) -> dict:
    g = newsgraph.open(url)
    try:
        return store_rows(g.store)
    finally:
        g.close()


def test_the_default_enrichers_are_all_split():
    assert all(isinstance(e, SplitEnricher) for e in default_enrichers())


@pytest.mark.parametrize("workers", [1, 2])
def test_split_enrichers_store_what_whole_ones_store_on_sqlite(tmp_path, nlp, workers):
    corpus = corpus_with_copies(tmp_path / "c.jsonl")
    ingest(tmp_path / "whole.db", nlp, corpus, split=False, workers=workers)
    ingest(tmp_path / "split.db", nlp, corpus, split=True, workers=workers)
    before, after = snapshot(str(tmp_path / "whole.db")), snapshot(str(tmp_path / "split.db"))
    # entities, mentions, events, sentence keys and matches, stories: every table, row for row
    assert {t for t, rows in before.items() if rows} >= {"articles", "entities", "mentions", "events", "sentence_keys",
                                                         "sentence_matches", "stories", "story_articles"}
    assert before == after


def test_split_enrichers_store_what_whole_ones_store_on_postgres(tmp_path, nlp, pg_cluster):
    corpus = corpus_with_copies(tmp_path / "c.jsonl")
    whole_url, split_url = pg_cluster.create_db("split_whole"), pg_cluster.create_db("split_split")
    ingest(whole_url, nlp, corpus, split=False)
    ingest(split_url, nlp, corpus, split=True)
    before, after = (_rows_of(url) for url in (whole_url, split_url))
    assert before["matches"] and before["StoryRow"]
    assert before == after


def test_prepare_runs_before_the_lock_and_decide_under_it(tmp_path, nlp):
    corpus = corpus_with_copies(tmp_path / "c.jsonl")
    g = newsgraph.open(tmp_path / "s.db", nlp=nlp)
    held, calls = [False], []
    lock = g.store.ingest_lock

    @contextmanager
    def watched():
        with lock():
            was, held[0] = held[0], True
            try:
                yield
            finally:
                held[0] = was

    class Watch:
        def prepare(self, article):
            calls.append(("prepare", held[0]))
            return article.doc.identity

        def decide(self, store, article, prepared):
            assert prepared == article.doc.identity  # its own article's prepared part
            calls.append(("decide", held[0]))
            return article

        def __call__(self, store, article):
            return self.decide(store, article, self.prepare(article))

    try:
        g.store.ingest_lock = watched
        g.enrichers.append(Watch())
        assert g.ingest([corpus], batch=4).added == N + 2
    finally:
        g.close()
    assert calls.count(("prepare", False)) == N + 2 and calls.count(("decide", True)) == N + 2
    assert len(calls) == 2 * (N + 2)


def test_a_failing_prepare_fails_its_article_alone(tmp_path, nlp):
    corpus = corpus_with_copies(tmp_path / "c.jsonl")
    bad = json.loads(corpus.read_text(encoding="utf-8").splitlines()[1])["url"]

    class Refuse:
        def prepare(self, article):
            if article.doc.url == bad:
                raise ValueError("cannot prepare this one")

        def decide(self, store, article, prepared):
            return article

        def __call__(self, store, article):
            return self.decide(store, article, self.prepare(article))

    g = newsgraph.open(tmp_path / "s.db", nlp=nlp)
    try:
        g.enrichers.append(Refuse())
        report = g.ingest([corpus], batch=4)
        assert report.added == N + 1
        assert [(e.stage, e.message) for e in report.errors] == [("store", "cannot prepare this one")]
        assert g.store.check() == []
    finally:
        g.close()
