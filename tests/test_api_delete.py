"""Deleting an article through DELETE /api/articles/{id} and `newsgraph delete`: the token is needed, the article,
its search hits, provenance links, events and story membership go, and the store's counters stay consistent."""
from __future__ import annotations

import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_corpus import AUTH, NDJSON, SOURCE_RECORDS, TOKEN, demo_records, jsonl, seed_record

import newsgraph
from newsgraph.api import create_app
from newsgraph.cli import app as cli



@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    graph = newsgraph.open(tmp_path_factory.mktemp("delete") / "delete.db", nlp=nlp)
    client = TestClient(create_app(graph, token=TOKEN))
    sources = client.post("/api/ingest", content=jsonl(SOURCE_RECORDS), headers={**NDJSON, **AUTH}).json()
    rest = client.post("/api/ingest", content=jsonl([seed_record(), *demo_records(6)]), headers={**NDJSON, **AUTH})
    assert rest.status_code == 200 and rest.json()["added"] == 7, rest.text
    yield graph, client, sources["article_ids"], rest.json()["article_ids"]
    graph.close()


def consistent(path: str) -> None:
    """Integrity, foreign keys, and every counter equal to what its rows add up to."""
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)") is not None
        wrong = con.execute(
            "SELECT e.id FROM entities e LEFT JOIN (SELECT entity_id, COUNT(*) n, SUM(mentions) m FROM entity_articles"
            " GROUP BY entity_id) c ON c.entity_id = e.id WHERE e.articles != COALESCE(c.n, 0)"
            " OR e.mentions != COALESCE(c.m, 0)").fetchall()
        assert wrong == []
        assert con.execute("SELECT COUNT(*) FROM entities WHERE articles <= 0 AND id NOT IN"
                           " (SELECT entity_id FROM event_arguments WHERE entity_id IS NOT NULL)").fetchone() == (0,)
        assert con.execute("SELECT SUM(count) FROM aliases").fetchone() == con.execute(
            "SELECT COUNT(*) FROM mentions").fetchone()
        assert con.execute("SELECT COUNT(*) FROM aliases WHERE count <= 0").fetchone() == (0,)
        stories = con.execute("SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, COUNT(*) n FROM story_articles"
                              " GROUP BY story_id) m ON m.story_id = s.id WHERE s.articles != COALESCE(m.n, 0)"
                              " OR m.n IS NULL").fetchall()
        assert stories == []
        assert con.execute("SELECT value FROM story_meta WHERE key = 'docs'").fetchone() == con.execute(
            "SELECT COUNT(*) FROM story_articles").fetchone()
        # story_events counts, per story and type, the member articles reporting an event of that type (with
        # confidence: the types in the article's story state, stories/labels.py)
        counted = con.execute("SELECT story_id, type, count FROM story_events ORDER BY 1, 2").fetchall()
        actual = con.execute("SELECT sa.story_id, t.value, COUNT(*) FROM story_articles sa JOIN story_article_state st"
                             " ON st.article_id = sa.article_id, json_each(st.state, '$.events') t"
                             " GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        assert counted == actual
    finally:
        con.close()


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
    con = sqlite3.connect(graph.store.path)
    try:
        for sql in ("SELECT COUNT(*) FROM sentence_matches WHERE article_id = ? OR other_article_id = ?",
                    "SELECT COUNT(*) FROM sentences WHERE article_id = ? OR article_id = ?",
                    "SELECT COUNT(*) FROM events WHERE article_id = ? OR article_id = ?",
                    "SELECT COUNT(*) FROM story_articles WHERE article_id = ? OR article_id = ?",
                    "SELECT COUNT(*) FROM article_keys WHERE article_id = ? OR article_id = ?",
                    "SELECT COUNT(*) FROM entity_articles WHERE article_id = ? OR article_id = ?"):
            assert con.execute(sql, (gone, gone)).fetchone() == (0,), sql
    finally:
        con.close()
    consistent(graph.store.path)


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
    consistent(graph.store.path)


def test_cli_delete(store):
    graph, _, _, added = store
    victim = added[-1]
    out = CliRunner().invoke(cli, ["delete", str(victim), "--db", graph.store.path, "--json"])
    assert out.exit_code == 0, out.output
    assert f'"id": {victim}' in out.stdout
    assert graph.store.article_summaries([victim]) == []
    missing = CliRunner().invoke(cli, ["delete", str(victim), "--db", graph.store.path])
    assert missing.exit_code == 1 and "no article" in missing.output
    consistent(graph.store.path)
