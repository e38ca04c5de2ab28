"""The CLI through typer's runner: ingest, queries with --json, errors, export, exit codes."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from seed import SEED, SEED_DATE, SEED_URL
from typer.testing import CliRunner

from newsgraph.cli import app

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path):
    """The seed as JSONL, a second article, one malformed line and a plain-text file."""
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"url": SEED_URL, "title": "Xiaomi in talks with carriers", "date": SEED_DATE, "text": SEED,
                    "outlet": "gamesworlditalia"}),
        json.dumps({"url": "https://example.com/a?utm_source=x", "title": "Samsung results", "date": "2018-01-05",
                    "text": "Samsung Electronics Co. reported record profit. Samsung sells more phones than Apple."}),
        '{"url": "https://example.com/broken", "text": ',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def db(tmp_path, corpus, nlp, monkeypatch):
    """A store with the corpus ingested, sharing the session's spaCy pipeline."""
    import newsgraph.graph as graph_module

    real_open = graph_module.open
    monkeypatch.setattr("newsgraph.cli.open_graph", lambda path=None, **kw: real_open(path, nlp=nlp, **kw))
    path = tmp_path / "cli.db"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(path), "--json"])
    assert result.exit_code == 1, result.output  # the malformed line fails; the rest goes through
    summary = json.loads(result.stdout)
    assert summary["added"] == 2 and len(summary["errors"]) == 1
    assert "news.jsonl:3" in summary["errors"][0]
    return path


def invoke_json(*args):
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_reingest_adds_nothing(db, corpus):
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--json"])
    summary = json.loads(result.stdout)
    assert summary["added"] == 0 and summary["skipped"] == 2


def test_stats_and_entities(db):
    stats = invoke_json("stats", "--db", str(db))
    assert stats["stats"]["articles"] == 2 and stats["stats"]["errors"] == 1
    orgs = invoke_json("entities", "--type", "ORG", "--db", str(db), "--limit", "100")
    names = {e["name"] for e in orgs}
    assert {"Xiaomi", "Huawei", "Apple", "Samsung", "Verizon"} <= names
    samsung = next(e for e in orgs if e["name"] == "Samsung")
    assert samsung["articles"] == 2 and "Samsung Electronics Co." in samsung["aliases"]


def test_entity_detail(db):
    detail = invoke_json("entity", "Samsung Electronics Co.", "--db", str(db))
    assert detail["entity"]["name"] == "Samsung"
    assert {m["article"]["url"] for m in detail["mentions"]} == {SEED_URL, "https://example.com/a?utm_source=x"}
    assert "Apple" in {n["entity"]["name"] for n in detail["neighbours"]}
    missing = runner.invoke(app, ["entity", "Nokia Siemens", "--db", str(db)])
    assert missing.exit_code == 1 and "no entity named" in missing.output


def test_article_by_url_and_id(db):
    by_url = invoke_json("article", "https://example.com/a", "--db", str(db))  # canonical form finds it
    assert by_url["article"]["title"] == "Samsung results"
    seed = invoke_json("article", SEED_URL, "--db", str(db))
    assert seed["meta"] == {"outlet": "gamesworlditalia"}
    assert seed["article"]["date"] == SEED_DATE
    shown = runner.invoke(app, ["article", str(seed["article"]["id"]), "--db", str(db)])
    assert shown.exit_code == 0 and "Xiaomi in talks" in shown.stdout


def test_search(db):
    hits = invoke_json("search", "retail stores", "--db", str(db))
    assert hits and "retail stores" in hits[0]["sentence"]
    bad = runner.invoke(app, ["search", '"unbalanced', "--db", str(db)])
    assert bad.exit_code == 1 and "bad search query" in bad.output


def test_errors(db):
    errors = invoke_json("errors", "--db", str(db))
    assert [e["item"] for e in errors] == [f"{db.parent / 'news.jsonl'}:3"]
    assert "invalid JSON" in errors[0]["message"]


def test_export_formats(db, tmp_path):
    out = runner.invoke(app, ["export", "--format", "jsonl", "--db", str(db)])
    assert out.exit_code == 0
    kinds = {json.loads(line)["type"] for line in out.stdout.splitlines()}
    assert kinds >= {"article", "sentence", "entity", "alias", "mention", "story", "story_article", "event",
                     "event_argument"}

    csv_dir = tmp_path / "csv"
    assert runner.invoke(app, ["export", "--format", "csv", "--out", str(csv_dir), "--db", str(db)]).exit_code == 0
    with open(csv_dir / "entities.csv", encoding="utf-8") as f:
        assert "Samsung" in {row["name"] for row in csv.DictReader(f)}

    graphml = tmp_path / "g.graphml"
    assert runner.invoke(app, ["export", "--format", "graphml", "--out", str(graphml), "--db", str(db)]).exit_code == 0
    root = ET.parse(graphml).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) > 10 and len(root.findall(".//g:edge", ns)) > 10


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    for command in ("ingest", "stats", "entities", "entity", "article", "search", "errors", "export", "eval"):
        assert command in result.stdout


def test_ingest_needs_a_source(tmp_path):
    result = runner.invoke(app, ["ingest", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "SOURCE" in result.output


@pytest.mark.parametrize("args", [["stats"], ["search", "police"], ["entities"], ["entity", "Apple"],
                                  ["article", "1"], ["errors"], ["export", "--format", "jsonl"], ["events"],
                                  ["trace", "1"], ["copies", "1"], ["originality"], ["stories"], ["story", "1"],
                                  ["delete", "1"], ["link"], ["reindex", "entities"]])
def test_commands_on_a_missing_store_fail_and_create_nothing(tmp_path, args):
    """Only ingest (and copy's target) makes a store: a mistyped --db is one error line naming it, exit 1."""
    missing = tmp_path / "typo" / "news.db"
    if args == ["link"]:
        kb = tmp_path / "kb.jsonl"
        kb.write_text('{"id": "Q1", "name": "Apple", "type": "ORG"}\n', encoding="utf-8")
        args = [*args, "--kb", str(kb)]
    out = runner.invoke(app, [*args, "--db", str(missing)])
    assert out.exit_code == 1, out.output
    assert f"no store at {missing}" in out.output and len(out.output.strip().splitlines()) == 1
    assert not missing.exists() and not missing.parent.exists()
