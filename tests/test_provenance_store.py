"""Provenance storage: written atomically with its article, looked up by index only, order-independent."""
from __future__ import annotations

import sqlite3

import pytest

from newsgraph.errors import StoreError
from newsgraph.eval.provenance import to_article
from newsgraph.provenance.enrich import enrich
from newsgraph.eval.provenance_synth import SynthArticle
from newsgraph.provenance.trace import build_trace
from newsgraph.store import sqlite_provenance
from newsgraph.store.sqlite import SQLiteStore

COPIED = "The regional airline said on Monday it would add four daily flights between the two cities from March."


def article(key: str, date: str, sentences: list[str]) -> SynthArticle:
    return SynthArticle(key, sentences[0], date, sentences, [None] * len(sentences), "test")


ORIGIN = article("origin", "2020-01-01", ["Airline adds routes", COPIED, "Tickets go on sale next week online."])
COPY = article("copy", "2020-02-01", ["New flights announced", COPIED, "Local hotels expect more visitors soon."])


@pytest.fixture()
def store(tmp_path):
    s = SQLiteStore(tmp_path / "p.db")
    yield s
    s.close()


def add(store, a):
    return store.add_article(enrich(store, to_article(a)))


def test_earlier_article_ingested_later_becomes_the_source(store):
    copy_id = add(store, COPY)
    origin_id = add(store, ORIGIN)
    t = build_trace(store.article(copy_id), store.sentence_matches(copy_id))
    assert t.sentences[1].source.article_id == origin_id and t.sentences[1].kind == "verbatim"
    assert t.originality == pytest.approx(2 / 3, abs=1e-4)
    back = build_trace(store.article(origin_id), store.sentence_matches(origin_id))
    assert back.originality == 1.0 and back.sentences[1].source is None
    assert [m.article_id for m in back.sentences[1].matches] == [copy_id]  # later copies are listed too


def test_provenance_write_failure_rolls_back_the_article(store, monkeypatch):
    def broken(*args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite_provenance, "add_provenance", broken)
    with pytest.raises(StoreError):
        add(store, ORIGIN)
    assert store.stats().articles == 0 and store.stats().sentences == 0


def test_candidate_lookup_uses_indexes_only(store):
    add(store, ORIGIN)
    con = sqlite3.connect(store.path)  # the plan of the store's own lookup SQL, on its file
    details = " | ".join(row[-1] for row in con.execute("EXPLAIN QUERY PLAN " + sqlite_provenance.candidates_sql(3),
                                                        (1, 1, 2, 3, 100)))
    seeds = " | ".join(row[-1] for row in con.execute("EXPLAIN QUERY PLAN " + sqlite_provenance.seed_postings_sql(2),
                                                      (1, 101, 2, 101)))
    con.close()
    assert "SCAN sentences" not in details and "SCAN sentence_keys" not in details, details
    assert "SEARCH sentence_keys" in details and "SEARCH s USING INTEGER PRIMARY KEY" in details, details
    assert "SCAN sentence_ngrams" not in seeds and "SEARCH sentence_ngrams" in seeds, seeds


def test_credited_when_the_source_outlet_is_named_nearby(store):
    import dataclasses

    def with_site(a, site):
        art = to_article(a)
        return dataclasses.replace(art, doc=dataclasses.replace(art.doc, site=site))

    store.add_article(enrich(store, with_site(ORIGIN, "www.phonearena.com")))
    credited = article("credited", "2020-03-01", ["Flights news", COPIED, "PhoneArena reports the schedule."])
    silent = article("silent", "2020-03-02", ["More flights", COPIED, "Nobody is named here at all."])
    ids = [store.add_article(enrich(store, with_site(a, "copier.example"))) for a in (credited, silent)]
    traces = [build_trace(store.article(i), store.sentence_matches(i)) for i in ids]
    assert traces[0].credited == [1] and traces[1].credited == []


def test_postgres_candidate_lookup_can_use_indexes_only(pg_cluster):
    """With sequential scans priced out, the plans reach sentence_keys, sentence_ngrams and sentences through
    indexes alone."""
    import psycopg

    from newsgraph.store.postgres_sql import to_psycopg
    from newsgraph.store import open_store

    url = pg_cluster.create_db("provplan")
    s = open_store(url)
    add(s, ORIGIN)
    s.close()
    with psycopg.connect(url) as con:
        con.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in con.execute("EXPLAIN " + to_psycopg(sqlite_provenance.candidates_sql(3)),
                                                    (1, 1, 2, 3, 100)))
        seeds = "\n".join(r[0] for r in con.execute("EXPLAIN " + to_psycopg(sqlite_provenance.seed_postings_sql(2)),
                                                     (1, 101, 2, 101)))
    assert "Seq Scan" not in plan and "sentence_keys_pkey" in plan and "sentences_pkey" in plan, plan
    assert "Seq Scan" not in seeds and "sentence_ngrams_pkey" in seeds, seeds
