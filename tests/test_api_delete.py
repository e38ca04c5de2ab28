"""Deleting an article through DELETE /api/articles/{id} and `newsgraph delete`: the token is needed, the article,
its search hits, provenance links, events and story membership go, and the store's counters stay consistent."""
from __future__ import annotations


import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_corpus import AUTH, NDJSON, SOURCE_RECORDS, TOKEN, demo_records, jsonl, seed_record

import newsgraph
from newsgraph.api import create_app
from newsgraph.cli import app as cli
from newsgraph.errors import NotFound



@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    graph = newsgraph.open(tmp_path_factory.mktemp("delete") / "delete.db", nlp=nlp)
    client = TestClient(create_app(graph, token=TOKEN))
    sources = client.post("/api/ingest", content=jsonl(SOURCE_RECORDS), headers={**NDJSON, **AUTH}).json()
    rest = client.post("/api/ingest", content=jsonl([seed_record(), *demo_records(6)]), headers={**NDJSON, **AUTH})
    assert rest.status_code == 200 and rest.json()["added"] == 7, rest.text
    yield graph, client, sources["article_ids"], rest.json()["article_ids"]
    graph.close()


def consistent(store) -> None:
    """Integrity, foreign keys, the search index, and every counter equal to what its rows add up to."""
    assert store.check() == []


def test_delete_needs_the_token(store):
    graph, client, sources, _ = store
    for headers in ({}, {"authorization": "Bearer wrong-token-0123456789ab"}, {"authorization": TOKEN}):
        r = client.delete(f"/api/articles/{sources[0]}", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["type"] == "Unauthorized"
    assert client.get(f"/api/articles/{sources[0]}").status_code == 200


def test_delete_a_source_removes_it_and_its_links(store):
    graph, client, sources, added = store
    seed_id, gone = added[0], sources[0]
    before = client.get(f"/api/articles/{seed_id}").json()["provenance"]
    assert gone in [a["id"] for a in before["sources"]]
    query = '"third-largest smartphone vendor"'
    assert gone in {h["article"]["id"] for h in client.get("/api/search", params={"q": query}).json()["items"]}
    page = client.get(f"/articles/{gone}")
    assert page.status_code == 200
    version = graph.store.version()

    r = client.delete(f"/api/articles/{gone}", headers=AUTH)
    assert r.status_code == 204 and r.content == b""
    assert graph.store.version() > version
    assert client.get(f"/api/articles/{gone}").status_code == 404
    assert client.get(f"/articles/{gone}").status_code == 404  # a page seen before is not served from a cache
    assert client.delete(f"/api/articles/{gone}", headers=AUTH).status_code == 404
    hits = client.get("/api/search", params={"q": query}).json()["items"]
    assert gone not in {h["article"]["id"] for h in hits} and seed_id in {h["article"]["id"] for h in hits}
    after = client.get(f"/api/articles/{seed_id}").json()["provenance"]
    assert gone not in [a["id"] for a in after["sources"]]
    assert after["originality"] > before["originality"]
    assert gone not in client.get(f"/api/articles/{seed_id}/copies").json()["family"]
    with pytest.raises(NotFound):
        graph.store.article(gone)
    assert graph.store.near_duplicates(gone) == [] and graph.store.sentence_matches(gone) == []
    assert graph.store.events(article=gone) == [] and graph.store.article_story(gone) is None
    assert gone not in {a.id for a in graph.store.articles(entity_id=None, limit=10_000)}
    consistent(graph.store)


def test_delete_the_seed_drops_its_events_and_story_counts(store):
    graph, client, _, added = store
    seed_id = added[0]
    detail = client.get(f"/api/articles/{seed_id}").json()
    assert detail["events"] and detail["story"]
    story = detail["story"]
    assert client.delete(f"/api/articles/{seed_id}", headers=AUTH).status_code == 204
    assert all(e["article"]["id"] != seed_id for e in client.get("/api/events", params={"limit": 100}).json()["items"])
    left = client.get(f"/api/stories/{story['id']}")
    if story["articles"] == 1:
        assert left.status_code == 404
    else:
        assert left.json()["story"]["articles"] == story["articles"] - 1
    consistent(graph.store)


def test_cli_delete(store):
    graph, _, _, added = store
    victim = added[-1]
    out = CliRunner().invoke(cli, ["delete", str(victim), "--db", graph.store.path, "--json"])
    assert out.exit_code == 0, out.output
    assert f'"id": {victim}' in out.stdout
    assert graph.store.article_summaries([victim]) == []
    missing = CliRunner().invoke(cli, ["delete", str(victim), "--db", graph.store.path])
    assert missing.exit_code == 1 and "no article" in missing.output
    consistent(graph.store)
