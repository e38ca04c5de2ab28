"""The rendered-response cache: a repeat GET is a hit, a write drops the pages it touches (listings: every
write), the byte bound holds, and without open reads only token holders use it."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from web_corpus import AUTH, NDJSON, TOKEN, demo_records, jsonl, seed_record

import newsgraph
from newsgraph.api import create_app
from newsgraph.api.cache import Entry, ResponseStore



@pytest.fixture(scope="module")
def graph(tmp_path_factory, nlp):
    graph = newsgraph.open(tmp_path_factory.mktemp("cache") / "cache.db", nlp=nlp)
    assert graph.ingest([_write(tmp_path_factory.mktemp("src") / "a.jsonl", [seed_record(), *demo_records(3)])]).added == 4
    yield graph
    graph.close()


def _write(path, records):
    path.write_bytes(jsonl(records))
    return path


def test_repeat_is_a_hit_with_the_same_body_and_fresh_headers(graph):
    client = TestClient(create_app(graph, token=TOKEN))
    for url in ("/", "/articles/1", "/search?q=Huawei", "/api/search?q=Huawei", "/api/articles/1"):
        first, second = client.get(url), client.get(url)
        assert first.status_code == second.status_code == 200, url
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit"), url
        assert first.content == second.content and first.headers["content-type"] == second.headers["content-type"]
        assert "default-src 'none'" in second.headers["content-security-policy"]
        assert second.headers["server-timing"].startswith("app;dur=")
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/articles/999999").headers["x-cache"] == "miss"  # errors are not kept
    static = client.get("/static/style.css")
    assert static.status_code == 200 and "x-cache" not in static.headers


def test_a_write_makes_every_entry_stale(graph):
    client = TestClient(create_app(graph, token=TOKEN))
    before = client.get("/api/search", params={"q": "Zanzibar"})
    assert before.json()["items"] == [] and client.get("/api/search", params={"q": "Zanzibar"}).headers["x-cache"] == "hit"
    home = client.get("/").text
    record = {"url": "https://example.org/zanzibar", "date": "2020-01-02", "title": "Zanzibar ferry",
              "text": "A new ferry links Zanzibar and Dar es Salaam, the operator said on Monday."}
    r = client.post("/api/ingest", content=jsonl([record]), headers={**NDJSON, **AUTH})
    assert r.status_code == 200 and r.json()["added"] == 1
    after = client.get("/api/search", params={"q": "Zanzibar"})
    assert after.headers["x-cache"] == "miss" and after.json()["items"]
    assert client.get("/").text != home
    # A write from another process (here: another store on the same file) is seen too.
    other = newsgraph.open(graph.store.path)
    try:
        other.delete_article(r.json()["article_ids"][0])
    finally:
        other.close()
    assert client.get("/api/search", params={"q": "Zanzibar"}).json()["items"] == []


def test_off_and_closed_reads(graph):
    off = TestClient(create_app(graph, token=TOKEN, cache_bytes=0))
    assert "x-cache" not in off.get("/articles/1").headers
    closed = TestClient(create_app(graph, token=TOKEN, open_reads=False))
    assert closed.get("/articles/1", headers=AUTH).headers["x-cache"] == "miss"
    assert closed.get("/articles/1", headers=AUTH).headers["x-cache"] == "hit"
    refused = closed.get("/articles/1")  # the cached page must not leak to a request without the token
    assert refused.status_code == 401 and "x-cache" not in refused.headers


def test_store_keeps_within_its_byte_bound():
    store = ResponseStore(max_bytes=1000)
    for i in range(10):
        store.put((f"/p{i}", b""), Entry(1, 200, [], b"x" * 300))
    assert store.bytes <= 1000 and len(store.entries) == 3 and store.evicted == 7
    assert store.get(("/p9", b""), 1) is not None and store.get(("/p9", b""), 2) is None
    assert store.get(("/p0", b""), 1) is None and (store.hits, store.misses) == (1, 2)


def test_concurrent_misses_render_once(graph, monkeypatch):
    import asyncio
    import threading
    import time

    import httpx

    app = create_app(graph, token=TOKEN)
    calls, lock = [], threading.Lock()
    search = graph.search

    def slow_search(*args, **kwargs):
        with lock:
            calls.append(args)
        time.sleep(0.3)  # long enough for the other requests to arrive while this one renders
        return search(*args, **kwargs)

    monkeypatch.setattr(graph, "search", slow_search)

    async def burst():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            return await asyncio.gather(*(http.get("/search", params={"q": "Huawei carriers"}) for _ in range(6)))

    answers = asyncio.run(burst())
    assert [r.status_code for r in answers] == [200] * 6
    assert len({r.content for r in answers}) == 1
    assert len(calls) == 1 and sorted(r.headers["x-cache"] for r in answers) == ["hit"] * 5 + ["miss"]
    cache = app.state.response_cache
    assert (cache.hits, cache.misses) == (5, 1)


def test_an_ingest_drops_only_the_pages_it_touches(graph):
    """A new article makes stale the pages that show it, its entities (and theirs: the graph's links) and its
    story; other article and entity pages stay cached across the write, the listings do not."""
    client = TestClient(create_app(graph, token=TOKEN))
    articles = [a.id for a in graph.articles(limit=100)]
    entities = [e.id for e in graph.entities(limit=40)]
    urls = [f"/articles/{a}" for a in articles] + [f"/entities/{e}" for e in entities] + ["/"]
    for url in urls:
        assert client.get(url).headers["x-cache"] == "miss", url
    [huawei] = graph.find_entities("Huawei")
    shown_before = client.get(f"/entities/{huawei.id}").text
    record = {"url": "https://example.org/huawei-lab", "date": "2021-03-04", "title": "Huawei lab",
              "text": "Huawei opened a research lab in Reykjavik on Thursday, the company said."}
    r = client.post("/api/ingest", content=jsonl([record]), headers={**NDJSON, **AUTH})
    assert r.status_code == 200 and r.json()["added"] == 1
    new = graph.article_full(r.json()["article_ids"][0])
    named = {m.entity_id for m in new.mentions}
    assert huawei.id in named
    sources = {s.source.article_id for s in (new.provenance.sentences if new.provenance else []) if s.source}
    story = new.story.id if new.story else None

    def untouched_article(a: int) -> bool:
        full = graph.article_full(a)
        return (a not in sources and not named & {m.entity_id for m in full.mentions}
                and (full.story is None or full.story.id != story))

    def untouched_entity(e: int) -> bool:
        detail = graph.entity(e, mentions=0)
        shown = {e} | {n.entity.id for n in detail.neighbours}
        return not named & shown and story not in {s.id for s in graph.entity_timeline(e).stories}

    kept = [f"/articles/{a}" for a in articles if untouched_article(a)] + [
        f"/entities/{e}" for e in entities if untouched_entity(e)]
    assert any(u.startswith("/articles/") for u in kept) and any(u.startswith("/entities/") for u in kept)
    for url in kept:
        assert client.get(url).headers["x-cache"] == "hit", url
    touched = client.get(f"/entities/{huawei.id}")
    assert touched.headers["x-cache"] == "miss" and touched.text != shown_before
    assert client.get("/").headers["x-cache"] == "miss"  # listings name nothing: every write drops them
    # A write that touches anything (a delete) drops every page.
    graph.delete_article(new.article.id)
    assert all(client.get(url).headers["x-cache"] == "miss" for url in kept[:5])


def test_advance_keeps_what_the_writes_did_not_touch():
    store = ResponseStore()
    for name, tags in (("a", frozenset({"entity:1"})), ("b", frozenset({"entity:2", "article:5"})), ("c", None)):
        store.put((f"/{name}", b""), Entry(1, 200, [], b"x", tags))
    store.advance(2, [(2, frozenset({"entity:2"}))])
    assert list(store.entries) == [("/a", b"")] and store.get(("/a", b""), 2) is not None
    store.advance(3, [(3, None)])  # a write that may touch anything
    assert not store.entries and store.bytes == 0
    store.put(("/a", b""), Entry(3, 200, [], b"x", frozenset({"entity:1"})))
    store.advance(9, None)  # the log no longer reaches back
    assert not store.entries
