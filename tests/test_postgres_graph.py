"""The whole pipeline on PostgreSQL: the same corpus gives the same graph as on SQLite, the API serves it, a
database restart is a clean 503 that heals by itself, and no password reaches an error or the CLI."""
from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import newsgraph
from newsgraph.api.app import create_app
from newsgraph.cli import app as cli
from newsgraph.errors import NotFound, StoreUnavailable
from newsgraph.store import open_store

ARTICLES = 12
QUERIES = ("police", '"prime minister"', "elect*", "government -police", "fire OR flood")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("pgcorpus") / "demo.jsonl"
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        path.write_text("".join(next(src) for _ in range(ARTICLES)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def both(corpus, nlp, pg_cluster, tmp_path_factory):
    """The corpus ingested into SQLite and into PostgreSQL through the same pipeline."""
    graphs = {"sqlite": newsgraph.open(tmp_path_factory.mktemp("pg") / "s.db", nlp=nlp),
              "postgres": newsgraph.open(pg_cluster.create_db("graph"), nlp=nlp)}
    for g in graphs.values():
        assert g.ingest([corpus]).added == ARTICLES
    yield graphs
    for g in graphs.values():
        g.close()


def snapshot(g) -> dict:
    by_url = {a.id: a.url for a in g.articles(limit=100)}
    return {
        "stats": g.stats(),
        "entities": [(e.label, e.name, e.mentions, e.articles) for e in g.entities(limit=40)],
        "stories": sorted(sorted(by_url[i.article.id] for i in g.story(s.id).timeline)
                          for s in g.stories(limit=100)),
        "search": {q: sorted({by_url[h.article.id] for h in g.search(q, limit=100)}) for q in QUERIES},
        "events": sorted((by_url[e.article.id], e.type, e.trigger, e.start,
                          tuple((a.role, a.text, a.entity_name) for a in e.arguments)) for e in g.events(limit=1000)),
        "originality": sorted((by_url[r.article.id], r.copied) for r in g.originality(limit=100)),
    }


def test_postgres_builds_the_same_graph_as_sqlite(both):
    s, p = snapshot(both["sqlite"]), snapshot(both["postgres"])
    for key in s:
        assert p[key] == s[key], key
    assert any(s["search"].values())  # the queries find something, so agreeing means something
    assert any(name for *_, arguments in s["events"] for _, _, name in arguments)  # arguments name entities too


def test_recluster_and_delete_agree_too(both):
    for g in both.values():
        g.recluster()
        g.delete_article(g.articles(limit=1)[0].id)
    s, p = snapshot(both["sqlite"]), snapshot(both["postgres"])
    assert (p["stats"], p["stories"]) == (s["stats"], s["stories"])


def test_api_on_postgres_answers_and_bad_queries_are_400(both):
    g = both["postgres"]
    client = TestClient(create_app(g, token="t"))
    aid = g.articles(limit=1)[0].id
    for path in (f"/api/articles/{aid}", f"/articles/{aid}", "/api/stories", "/", "/api/search?q=police"):
        assert client.get(path).status_code == 200, path
    r = client.get("/api/search", params={"q": '"unclosed'})
    assert r.status_code == 400 and "quote" in r.json()["error"]["message"]


def test_unreachable_database_is_one_line_without_the_password():
    url = "postgresql://reader:s3cret-pw@127.0.0.1:1/news"
    with pytest.raises(StoreUnavailable) as err:
        open_store(url)
    assert "s3cret" not in str(err.value) and "reader@127.0.0.1:1/news" in str(err.value)
    result = CliRunner().invoke(cli, ["stats", "--db", url])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "s3cret" not in result.output and "127.0.0.1:1" in lines[0], result.output


def test_a_database_restart_is_a_503_then_heals(nlp, corpus):
    from pgcluster import Cluster

    cluster = Cluster().start()  # its own server: the session's stays up for the other tests
    try:
        g = newsgraph.open(cluster.url(), nlp=nlp)
        g.ingest([corpus])
        client = TestClient(create_app(g, token="t", cache_bytes=0), raise_server_exceptions=False)
        aid = g.articles(limit=1)[0].id
        assert client.get(f"/api/articles/{aid}").status_code == 200
        cluster.stop()
        down = client.get(f"/api/articles/{aid}")
        assert down.status_code == 503 and "Traceback" not in down.text
        assert down.json()["error"]["type"] == "StoreUnavailable"
        cluster.start_again()
        # no restart of the app: the pool reconnects by itself (with backoff, so allow it some seconds under load)
        deadline = time.monotonic() + 60
        while (status := client.get(f"/api/articles/{aid}").status_code) != 200 and time.monotonic() < deadline:
            assert status == 503
            time.sleep(0.5)
        assert status == 200
        assert json.loads(client.get("/api/stats").text)["articles"] == ARTICLES
        g.close()
    finally:
        cluster.destroy()


def test_copy_moves_a_store_and_a_rerun_adds_nothing(both, pg_cluster, nlp):
    source = both["sqlite"]
    url = pg_cluster.create_db("copied")
    runner = CliRunner()
    first = runner.invoke(cli, ["copy", "--from", source.store.url, "--to", url, "--json"])
    assert first.exit_code == 0, first.output
    n = source.stats().articles
    assert json.loads(first.stdout)["added"] == n
    again = json.loads(runner.invoke(cli, ["copy", "--from", source.store.url, "--to", url, "--json"]).stdout)
    assert (again["added"], again["skipped"]) == (0, n)
    with newsgraph.open(url, nlp=nlp) as copied:
        copied.recluster()  # the source was reclustered (test above): so must the copy be, to compare stories
        s, c = snapshot(source), snapshot(copied)
        for key in s:
            assert c[key] == s[key], key


def test_copy_from_a_missing_store_is_refused_and_creates_nothing(pg_cluster, tmp_path):
    runner = CliRunner()
    missing, target = tmp_path / "typo.db", tmp_path / "target.db"
    out = runner.invoke(cli, ["copy", "--from", str(missing), "--to", str(target)])
    assert out.exit_code == 1 and f"no store at {missing}" in out.output and len(out.output.strip().splitlines()) == 1
    assert not missing.exists()  # a read source is never created
    empty = pg_cluster.create_db("empty_source")  # a database without newsgraph's tables is no store either
    out = runner.invoke(cli, ["copy", "--from", empty, "--to", str(target)])
    assert out.exit_code == 1 and "has no newsgraph tables" in out.output
    with pytest.raises(NotFound):
        open_store(empty, create=False)
    open_store(empty).close()  # opened to write, it becomes a store, and then it is one to read too
    open_store(empty, create=False).close()
