"""REST API and server-rendered pages through FastAPI's TestClient, on the seed, hostile markup and demo articles."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed import SEED_DATE, SEED_URL
from web_corpus import XSS_TITLE, XSS_URL, demo_records, jsonl, seed_record, xss_records

import newsgraph
from newsgraph.api import create_app
from newsgraph.api.paging import MAX_PAGE

TOKEN = "test-token-0123456789abcdef"
DEMO = 20
NDJSON = {"content-type": "application/x-ndjson"}
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    graph = newsgraph.open(tmp_path_factory.mktemp("api") / "api.db", nlp=nlp)
    client = TestClient(create_app(graph, token=TOKEN))
    r = client.post("/api/ingest", content=jsonl([seed_record(), *xss_records(), *demo_records(DEMO)]),
                    headers={**NDJSON, **AUTH})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["added"] == DEMO + 3 and body["errors"] == []
    yield graph, client, body["article_ids"]
    graph.close()


@pytest.fixture(scope="module")
def client(store):
    return store[1]


@pytest.fixture(scope="module")
def seed_id(store):
    return store[2][0]


def entity_id(client, name):
    items = client.get("/api/entities", params={"name": name}).json()["items"]
    assert items, f"no entity {name}"
    return items[0]["id"]


# ---- ingest and security ----------------------------------------------------------


def test_ingest_needs_the_token(store):
    graph, _, _ = store
    client = TestClient(create_app(graph, token=TOKEN))
    body = jsonl([seed_record()])
    for headers in ({}, {"authorization": "Bearer wrong-token-0123456789ab"}, {"authorization": TOKEN}):
        r = client.post("/api/ingest", content=body, headers={**NDJSON, **headers})
        assert r.status_code == 401 and r.json()["error"]["type"] == "Unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/ingest", content=body, headers={**NDJSON, **AUTH})
    assert r.status_code == 200 and r.json()["skipped"] == 1  # already stored: idempotent


def test_ingest_body_limits_and_kinds(store):
    graph, _, _ = store
    client = TestClient(create_app(graph, token=TOKEN, ingest_limit=2_000, body_limit=100))
    big = jsonl([{"title": "x", "text": "word " * 1_000}])
    r = client.post("/api/ingest", content=big, headers={**NDJSON, **AUTH})
    assert r.status_code == 413 and "limit" in r.json()["error"]["message"]

    def chunks():  # no Content-Length: the limit must hold while streaming too
        for _ in range(10):
            yield b"{" + b" " * 500

    r = client.post("/api/ingest", content=chunks(), headers={**NDJSON, **AUTH})
    assert r.status_code == 413
    assert client.post("/api/search?q=x", content=b"x" * 200).status_code == 413
    r = client.post("/api/ingest", content=b"hello", headers={"content-type": "text/plain", **AUTH})
    assert r.status_code == 400 and "Content-Type" in r.json()["error"]["message"]
    r = client.post("/api/ingest", content=b"file:///etc/passwd\n", headers={"content-type": "text/uri-list", **AUTH})
    assert r.status_code == 400 and "http" in r.json()["error"]["message"]


def test_ingest_html_page(store):
    graph, _, _ = store
    client = TestClient(create_app(graph, token=TOKEN))
    html = (b"<html><head><title>Nokia opens a lab in Oulu</title></head><body><article><h1>Nokia opens a lab in Oulu"
            b"</h1><p>Nokia said on Tuesday that it will open a research lab in Oulu, Finland, hiring 200 engineers."
            b"</p><p>The company expects the lab to work on 5G radio equipment for Ericsson rivals.</p></article>"
            b"</body></html>")
    r = client.post("/api/ingest", content=html, headers={"content-type": "text/html", **AUTH})
    assert r.status_code == 200 and r.json()["added"] == 1, r.text


def test_reads_need_the_token_off_loopback(store):
    graph, _, _ = store
    client = TestClient(create_app(graph, token=TOKEN, open_reads=False))
    assert client.get("/api/stats").status_code == 401
    assert client.get("/").status_code == 401
    assert client.get("/api/stats", headers=AUTH).status_code == 200


def test_every_response_sends_a_strict_csp(client, seed_id):
    for url in ("/", f"/articles/{seed_id}", "/search?q=Xiaomi", "/api/stats", "/no/such/page"):
        csp = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp


def test_hostile_text_is_escaped(client, store):
    ids = store[2]
    page = client.get(f"/articles/{ids[1]}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)
    # An article whose own URL is javascript: shows it as text, never as a link.
    page = client.get(f"/articles/{ids[2]}").text
    assert "javascript:alert(1)" in page
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)
    home = client.get("/").text
    assert XSS_TITLE not in home and "&lt;img src=x onerror=alert(1)&gt;" in home


# ---- reads --------------------------------------------------------------------------


def test_articles_list_filters_and_pages(client, seed_id):
    r = client.get("/api/articles", params={"limit": 5})
    body = r.json()
    assert r.status_code == 200 and len(body["items"]) == 5 and body["next_offset"] == 5
    dates = [a["date"] for a in body["items"]]
    assert dates == sorted(dates, reverse=True)
    seed = client.get("/api/articles", params={"site": "gamesworlditalia.com"}).json()["items"]
    assert [a["id"] for a in seed] == [seed_id]
    in_2017 = client.get("/api/articles", params={"date_from": "2017-01-01", "date_to": SEED_DATE}).json()["items"]
    assert [a["id"] for a in in_2017] == [seed_id]
    wikinews_2005 = client.get("/api/articles", params={"date_from": "2005", "date_to": "2005-12-31",
                                                        "limit": MAX_PAGE}).json()["items"]
    assert wikinews_2005 and all(a["date"].startswith("2005") for a in wikinews_2005)
    by_entity = client.get("/api/articles", params={"entity": entity_id(client, "Huawei")}).json()["items"]
    assert seed_id in [a["id"] for a in by_entity]
    assert client.get("/api/articles", params={"date_from": "last week"}).status_code == 422


def test_page_size_is_capped(client):
    assert client.get("/api/articles", params={"limit": MAX_PAGE}).status_code == 200
    for url in ("/api/articles", "/api/entities", "/api/search?q=the", "/api/errors"):
        r = client.get(url, params={"limit": MAX_PAGE + 1})
        assert r.status_code == 422 and "less than or equal" in r.json()["error"]["message"]


def test_article_detail(client, seed_id):
    r = client.get(f"/api/articles/{seed_id}")
    body = r.json()
    assert body["article"]["url"] == SEED_URL
    assert body["sentences"][0]["text"].startswith("In years past")
    names = {m["name"] for m in body["mentions"]}
    assert {"Xiaomi", "Huawei", "Tim Cook"} <= names
    missing = client.get("/api/articles/999999")
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "no article 999999"


def test_entity_detail_timeline_neighbours(client, seed_id):
    apple = entity_id(client, "Apple")
    body = client.get(f"/api/entities/{apple}").json()
    assert body["entity"]["name"] == "Apple" and body["entity"]["aliases"]
    assert {"Xiaomi", "Samsung"} & {n["entity"]["name"] for n in body["neighbours"]}
    timeline = client.get(f"/api/entities/{apple}/timeline", params={"limit": MAX_PAGE}).json()["items"]
    assert len(timeline) == body["entity"]["mentions"]
    dates = [m["article"]["date"] for m in timeline]
    assert dates == sorted(dates) and len(set(dates)) > 1  # Apple is in the seed and in demo articles
    for m in timeline:
        assert m["sentence"][m["start"]:m["end"]] == m["text"]
    near = client.get(f"/api/entities/{apple}/neighbours").json()
    assert near == body["neighbours"]
    assert client.get("/api/entities/999999").status_code == 404
    assert client.get("/api/entities/999999/timeline").status_code == 404
    orgs = client.get("/api/entities", params={"type": "org", "limit": 10}).json()["items"]
    assert orgs and all(e["label"] == "ORG" for e in orgs)


def test_search(client, seed_id):
    body = client.get("/api/search", params={"q": "Xiaomi AND carrier*"}).json()
    assert body["items"] and all(h["article"]["id"] == seed_id for h in body["items"])
    assert "\ue000" in body["items"][0]["snippet"]
    for bad in ('"unterminated', "AND OR", "foo:bar", "(", "*"):
        r = client.get("/api/search", params={"q": bad})
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["message"].startswith("bad search query")
        page = client.get("/search", params={"q": bad})
        assert page.status_code == 400 and "bad search query" in page.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=40))
def test_search_never_fails_with_500(client, q):
    assert client.get("/api/search", params={"q": q}).status_code in (200, 400, 422)


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/entities/{entity_id}/timeline",
                 "/api/search", "/api/ingest", "/api/stats"):
        assert path in spec["paths"]
    assert "/" not in spec["paths"]  # pages stay out of the API description
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


# ---- pages --------------------------------------------------------------------------


def test_home_page(client):
    page = client.get("/").text
    assert "articles" in page and "Recent articles" in page and "Top entities by type" in page
    assert 'action="/search"' in page and "Xiaomi in talks with carriers" in page


def test_article_page_highlights_by_type(client, seed_id):
    page = client.get(f"/articles/{seed_id}").text
    assert re.search(r'<a class="ent ent-ORG"[^>]*>Xiaomi</a>', page)
    assert re.search(r'<a class="ent ent-PERSON"[^>]*>Tim Cook</a>', page)
    assert re.search(r'<a class="ent ent-PRODUCT"[^>]*>Mate 10</a>', page)
    assert f'href="{SEED_URL}"' in page
    assert page.count('class="sentence-row') == len(client.get(f"/api/articles/{seed_id}").json()["sentences"])


def test_entity_page(client):
    page = client.get(f"/entities/{entity_id(client, 'Xiaomi')}").text
    assert "<svg" in page and page.count("<circle") > 3
    assert 'class="timeline-item"' in page and "Timeline of mentions" in page
    assert client.get("/entities/999999").status_code == 404


def test_error_pages_are_html_with_the_right_status(client):
    r = client.get("/articles/not-a-number")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    r = client.get("/nowhere")
    assert r.status_code == 404 and "no such page" in r.text
    r = client.get("/api/nowhere")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_queries_are_parameterised(client):
    before = client.get("/api/stats").json()
    hostile = "x'; DROP TABLE articles; --"
    assert client.get("/api/articles", params={"site": hostile}).json()["items"] == []
    assert client.get("/api/entities", params={"name": hostile}).json()["items"] == []
    assert client.get("/api/search", params={"q": hostile}).status_code in (200, 400)
    assert client.get("/search", params={"q": '"x\'); DELETE FROM sentences; --"'}).status_code in (200, 400)
    assert client.get("/api/stats").json() == before


def test_xss_url_never_linked(client, store):
    assert client.get("/api/articles", params={"site": "evil.example"}).json()["items"][0]["url"] == XSS_URL
