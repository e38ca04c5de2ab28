"""`newsgraph trace/copies/originality` through typer's runner, and source-link edges in exports."""
from __future__ import annotations

import json

import pytest
from seed import SEED, SEED_DATE, SEED_URL
from test_provenance_seed import SOURCES, UNRELATED, write_jsonl
from typer.testing import CliRunner

from newsgraph.cli import app

runner = CliRunner()
SENTENCE_KEYS = {"sentence", "start", "end", "kind", "copied", "source", "matches"}


@pytest.fixture()
def db(tmp_path, nlp, monkeypatch):
    import newsgraph.graph as graph_module

    real_open = graph_module.open
    monkeypatch.setattr("newsgraph.cli.open_graph", lambda path=None, **kw: real_open(path, nlp=nlp, **kw))
    corpus = tmp_path / "news.jsonl"
    write_jsonl(corpus, SOURCES + UNRELATED)
    with open(corpus, "a", encoding="utf-8") as f:
        f.write(json.dumps({"url": SEED_URL, "date": SEED_DATE, "text": SEED}) + "\n")
    path = tmp_path / "cli.db"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", str(path)]).exit_code == 0
    return path


def test_trace_json_shape(db):
    out = runner.invoke(app, ["trace", SEED_URL, "--json", "--db", str(db)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["stitched"] is True and data["originality"] == pytest.approx(15 / 18, abs=1e-4)
    for s in data["sentences"]:
        assert set(s) == SENTENCE_KEYS
        assert s["kind"] in {"original", "verbatim", "near", "spun", "partial", "paraphrase"}
        assert s["source"] is None or set(s["source"]) == {"article_id", "url", "date", "similarity", "sentence",
                                                           "span", "source_span"}
        for m in s["matches"]:
            assert set(m) == {"article_id", "url", "date", "kind", "similarity", "span", "source_span"}
            assert 0 <= m["span"][0] < m["span"][1] <= len(s["sentence"])
    assert sum(s["source"] is not None for s in data["sentences"]) == 3
    view = runner.invoke(app, ["trace", "1", "--db", str(db)])
    assert view.exit_code == 0 and "originality" in view.stdout


def test_copies_originality_and_export(db):
    copies = json.loads(runner.invoke(app, ["copies", SEED_URL, "--json", "--db", str(db)]).stdout)
    assert len(copies["family"]) == 5
    sites = json.loads(runner.invoke(app, ["originality", "--site", "--least", "--json", "--db", str(db)]).stdout)
    assert sites[0]["article"] is None and sites[0]["originality"] < 1
    lines = [json.loads(x) for x in runner.invoke(app, ["export", "--db", str(db)]).stdout.splitlines()]
    links = [x for x in lines if x["type"] == "source_link"]
    assert len(links) == 4 and {x["sentences"] for x in links} == {1}  # seed→3 sources, repost→bloomberg
    missing = runner.invoke(app, ["trace", "https://nowhere.example/x", "--db", str(db)])
    assert missing.exit_code == 1
