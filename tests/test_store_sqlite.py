"""SQLite store: atomic articles, canonical entities, FTS, errors, migrations and error translation."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from newsgraph.errors import NotFound, QueryError, StoreError
from newsgraph.model import (
    AnnotatedArticle,
    ExtractedDoc,
    IngestError,
    MentionSpan,
    SentenceSpan,
)
from newsgraph.records import EntityRow
from newsgraph.store import SQLiteStore
from newsgraph.store.sqlite import migrations


def make_article(url: str, text: str, mentions, title: str | None = None, date: str | None = None) -> AnnotatedArticle:
    """An annotated article with one sentence per line and mentions given as (text, label, key, name)."""
    doc = ExtractedDoc(item=url, text=text, url=url, canonical_url=url,
                       content_hash=hashlib.sha1(text.encode()).hexdigest(), title=title or url, date=date)
    sentences, offset = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(SentenceSpan(i, offset, offset + len(line), line))
        offset += len(line) + 1
    spans = []
    for surface, label, key, name in mentions:
        start = text.index(surface)
        idx = next(s.index for s in sentences if s.start <= start < s.end)
        spans.append(MentionSpan(idx, start, start + len(surface), surface, label, key, name))
    return AnnotatedArticle(doc=doc, sentences=sentences, mentions=spans, words=len(text.split()))


@pytest.fixture()
def store(tmp_path):
    s = SQLiteStore(tmp_path / "s.db")
    yield s
    s.close()


SAMSUNG = ("Samsung Electronics Co.", "ORG", "samsung", "Samsung")
SAMSUNG_SHORT = ("Samsung", "ORG", "samsung", "Samsung")
APPLE = ("Apple", "ORG", "apple", "Apple")


def test_add_article_is_atomic_and_idempotent(store):
    art = make_article("https://a.example/1", "Apple and Samsung Electronics Co. rule.\nApple wins.", [APPLE, SAMSUNG])
    first = store.add_article(art)
    assert isinstance(first, int)
    assert store.add_article(art) is None
    assert store.has_article(art.doc.identity)
    s = store.stats()
    assert (s.articles, s.sentences, s.mentions, s.entities) == (1, 2, 2, 2)


def test_aliases_merge_across_articles(store):
    store.add_article(make_article("https://a.example/1", "Samsung Electronics Co. sells phones.", [SAMSUNG]))
    store.add_article(make_article("https://a.example/2", "Samsung and Apple compete.", [SAMSUNG_SHORT, APPLE]))
    [samsung] = store.find_entities("Samsung Electronics Co.")
    assert samsung.name == "Samsung" and samsung.articles == 2 and samsung.mentions == 2
    assert set(samsung.aliases) == {"Samsung", "Samsung Electronics Co."}
    neighbours = store.entity_neighbours(samsung.id)
    assert [n.entity.name for n in neighbours] == ["Apple"]
    mentions = store.entity_mentions(samsung.id)
    assert {m.article.url for m in mentions} == {"https://a.example/1", "https://a.example/2"}
    pair = (min(samsung.id, neighbours[0].entity.id), max(samsung.id, neighbours[0].entity.id), 1)
    assert list(store.cooccurrences()) == [pair]
    assert list(store.cooccurrences([samsung.id, neighbours[0].entity.id])) == [pair]


def test_search_snippets_and_bad_query(store):
    store.add_article(make_article("https://a.example/1", "Xiaomi plans retail stores.\nHuawei sells phones.", []))
    hits = store.search("retail")
    assert len(hits) == 1 and hits[0].sentence == "Xiaomi plans retail stores."
    assert "\ue000retail\ue001" in hits[0].snippet
    with pytest.raises(QueryError):
        store.search('"unterminated')
    with pytest.raises(QueryError):
        store.search("AND OR")


def test_article_by_id_and_url(store):
    art = make_article("https://a.example/x", "Apple wins.", [APPLE])
    aid = store.add_article(art)
    assert store.article(aid).article.url == "https://a.example/x"
    assert store.article("https://a.example/x").article.id == aid
    detail = store.article(aid)
    assert [(m.name, m.text) for m in detail.mentions] == [("Apple", "Apple")]
    with pytest.raises(NotFound):
        store.article(999)


def test_errors_are_upserted(store):
    err = IngestError("bad.jsonl:3", "read", "invalid JSON")
    store.record_error(err)
    store.record_error(err)
    [stored] = store.errors()
    assert (stored.item, stored.count) == ("bad.jsonl:3", 2)


def test_reopen_keeps_data_and_schema_version(tmp_path):
    path = tmp_path / "r.db"
    s = SQLiteStore(path)
    s.add_article(make_article("https://a.example/1", "Apple wins.", [APPLE]))
    s.close()
    s = SQLiteStore(path)
    assert s.stats().articles == 1
    s.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(migrations())
    assert [r[0] for r in con.execute("SELECT name FROM schema_migrations")] == [m[0] for m in migrations()]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_driver_errors_do_not_leak(tmp_path):
    path = tmp_path / "newer.db"
    SQLiteStore(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', 'now')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        SQLiteStore(garbage)


def test_export_streams_typed_records(store):
    store.add_article(make_article("https://a.example/1", "Apple wins.", [APPLE]))
    assert [r.name for r in store.export(EntityRow)] == ["Apple"]
    with pytest.raises(QueryError):
        list(store.export(dict))


def test_check_finds_counters_that_differ_from_rows(tmp_path):
    path = tmp_path / "c.db"
    store = SQLiteStore(path)
    store.add_article(make_article("https://a.example/1", "Apple wins.\nApple again.", [APPLE]))
    assert store.check() == []
    with sqlite3.connect(path) as con:  # a store damaged behind its back
        con.execute("UPDATE entities SET articles = 5")
        con.execute("UPDATE aliases SET count = 7")
    found = store.check()
    store.close()
    assert any("entity counters" in p for p in found) and any("alias counters" in p for p in found), found


def test_migration_fills_cooccurrences_of_an_existing_store(tmp_path):
    """A store from before the co-occurrence table gets it filled when it is opened (migration 0012)."""
    path = tmp_path / "old.db"
    s = SQLiteStore(path)
    s.add_article(make_article("https://a.example/1", "Apple and Samsung Electronics Co. rule.", [APPLE, SAMSUNG]))
    s.add_article(make_article("https://a.example/2", "Apple beats Samsung.", [APPLE, SAMSUNG_SHORT]))
    s.close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE cooccurrences")
    con.execute("DELETE FROM schema_migrations WHERE name = '0012_cooccurrences'")
    con.commit()
    con.close()
    s = SQLiteStore(path)
    try:
        assert [(c.articles) for c in s.cooccurrences()] == [2]
        [apple] = s.find_entities("Apple")
        assert [(n.entity.name, n.articles) for n in s.entity_neighbours(apple.id)] == [("Samsung", 2)]
        assert s.check() == []
    finally:
        s.close()


def test_readers_are_a_bounded_pool_shared_by_threads(tmp_path):
    """Reads from many threads share at most `max_readers` connections (a server's threads come and go)."""
    from concurrent.futures import ThreadPoolExecutor

    s = SQLiteStore(tmp_path / "pool.db", max_readers=2)
    try:
        s.add_article(make_article("https://a.example/1", "Apple rules.", [APPLE]))
        with ThreadPoolExecutor(8) as pool:
            counts = list(pool.map(lambda _: s.stats().articles, range(200)))
        assert counts == [1] * 200
        assert 1 <= len(s._readers) <= 2
    finally:
        s.close()
