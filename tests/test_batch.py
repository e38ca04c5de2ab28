"""`newsgraph batch` on real Spark (local[2]): WARC and JSONL inputs with broken records into a throwaway PostgreSQL,
the same articles, errors and provenance as a sequential `ingest` (provenance by store lookups, and by a Spark join on
SQLite and on PostgreSQL), and a job killed mid-run and re-run (on SQLite) that ends equal to a clean run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warc_corpus import read_articles, write_truncated_warc, write_warcs

import newsgraph
from newsgraph.batch.executor import read_split
from newsgraph.batch.splits import Split, expand, jsonl_ranges, plan
from newsgraph.ingest import Limits

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 20  # in 3 WARC files
COPIES = 4  # later articles that lift paragraphs from earlier ones, so provenance has something to find
BAD_JSON = '{"url": "https://news.example/bad", "text": '


def _copy_of(a: dict, other: dict, n: int) -> dict:
    paragraphs = a["text"].split("\n\n")
    return {"url": f"https://copies.example/{n}", "title": f"Report: {a['title']}", "date": "2030-01-0" + str(n + 1),
            "text": "\n\n".join(paragraphs[:2] + other["text"].split("\n\n")[-1:])}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """3 WARC files (20 articles, 4 copies, an empty record, a page with no text), a WARC cut off in its second
    record, and a JSONL file with 3 articles and a broken line."""
    root = tmp_path_factory.mktemp("batchcorpus")
    articles = read_articles(newsgraph.demo_corpus(), ARTICLES + 4)
    copies = [_copy_of(articles[i], articles[i + 1], n) for n, i in enumerate((0, 3, 6, 9))]
    extra = [("https://news.example/empty", b"   ", "2024-01-01"),
             ("https://news.example/blank", b"<html><body><div></div></body></html>", "2024-01-01")]
    write_warcs(articles[:ARTICLES] + copies, root / "warc", 3, extra=extra)
    cut = write_truncated_warc(root / "cut.warc", articles[ARTICLES])
    jsonl = root / "more.jsonl"
    jsonl.write_text("".join(json.dumps(a) + "\n" for a in articles[ARTICLES + 1:]) + BAD_JSON + "\n",
                     encoding="utf-8")
    return {"inputs": [str(root / "warc"), str(cut), str(jsonl)], "good": ARTICLES + COPIES + 1 + 3}


def snapshot(g) -> dict:
    """What must not depend on how the corpus was ingested: articles, errors, counts, earliest sources."""
    url = {a.id: a.url for a in g.articles(limit=1000)}
    stats = g.stats()
    return {
        "articles": sorted(url.values()),
        "errors": sorted((e.item, e.stage, e.message) for e in g.errors(limit=1000)),
        "counts": (stats.articles, stats.sentences, stats.mentions),
        "sources": sorted((url[s.article_id], url[s.source_id], s.sentences) for s in g.store.source_links()),
        "matches": sorted((url[i], m.sentence, m.article.url, m.kind) for i in url
                          for m in g.store.sentence_matches(i)),
    }


@pytest.fixture(scope="module")
def batched(corpus, pg_cluster):
    g = newsgraph.open(pg_cluster.create_db("batch"))
    seen = []
    report = g.batch(corpus["inputs"], master="local[2]", partitions=4, progress=lambda r: seen.append(r.read))
    yield g, report, seen
    g.close()


def test_batch_stores_every_good_record_and_each_bad_one_as_one_error(corpus, batched):
    g, report, seen = batched
    assert report.added == corpus["good"] == g.stats().articles
    assert report.failed == len(g.errors(limit=100)) == 4
    messages = {e.split(": ", 1)[1] for e in report.errors}
    assert "empty record" in messages
    assert any(m.startswith("truncated record") for m in messages)
    assert any(m.startswith("invalid JSON") for m in messages)
    assert report.read == report.added + report.skipped + report.failed
    assert report.partitions_done == report.partitions >= 3 and seen[-1] == report.read
    assert g.store.check() == []


@pytest.fixture(scope="module")
def sequential(corpus, nlp, tmp_path_factory) -> dict:
    with newsgraph.open(tmp_path_factory.mktemp("seq") / "seq.db", nlp=nlp) as seq:
        seq.ingest(corpus["inputs"])
        return snapshot(seq)


def test_batch_finds_what_sequential_ingest_finds(batched, sequential):
    """Same articles, same error lines, same earliest sources as `ingest` in input order."""
    g, _, _ = batched
    assert len(sequential["sources"]) >= COPIES  # the copies were found, so agreeing means something
    assert snapshot(g) == sequential


def test_provenance_by_spark_join_finds_what_sequential_ingest_finds(corpus, sequential, tmp_path, monkeypatch):
    """`--provenance join` on SQLite: articles stored with keys only, then candidates from one join over the batch;
    the same (sentence, source, kind) matches and earliest sources. A job that dies between storing and matching
    leaves its articles pending, and the re-run matches them."""
    from newsgraph.batch import spark

    def killed(*args, **kwargs):
        raise spark.BatchError("killed before matching")

    with newsgraph.open(tmp_path / "joined.db") as g:
        monkeypatch.setattr(spark, "match_pending", killed)
        with pytest.raises(spark.BatchError):
            g.batch(corpus["inputs"], master="local[2]", partitions=4, provenance="join")
        assert len(g.store.provenance_pending()) == g.stats().articles == corpus["good"]
        assert snapshot(g)["matches"] == []
        monkeypatch.undo()
        report = g.batch(corpus["inputs"], master="local[2]", partitions=2, provenance="join")
        assert report.added == 0 and report.pending == report.matched == corpus["good"]
        assert g.store.provenance_pending() == []
        assert len(sequential["matches"]) > COPIES
        assert snapshot(g) == sequential
        assert g.store.check() == []


def test_provenance_by_spark_join_on_postgresql(corpus, sequential, pg_cluster):
    """`--provenance join` into PostgreSQL: the index rows are read from the server by range in the executors, the
    matches written back in batches; the same matches and earliest sources as sequential `ingest`."""
    with newsgraph.open(pg_cluster.create_db("joined")) as g:
        report = g.batch(corpus["inputs"], master="local[2]", partitions=3, provenance="join")
        assert report.added == report.pending == report.matched == corpus["good"]
        assert g.store.provenance_pending() == []
        assert snapshot(g) == sequential
        assert g.store.check() == []


def test_killed_job_rerun_equals_a_clean_run(corpus, batched, tmp_path):
    """The CLI on a SQLite path: killed with -9 mid-run (driver, JVM and workers), then re-run to the end."""
    db = str(tmp_path / "killed.db")
    cmd = [sys.executable, "-m", "newsgraph", "batch", *corpus["inputs"], "--db", db, "--master", "local[2]",
           "--json"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    job = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    stored = 0
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and job.poll() is None:
            time.sleep(0.5)
            if os.path.exists(db):
                with newsgraph.open(db) as g:
                    stored = g.stats().articles
                if stored >= 3:
                    break
    finally:
        os.killpg(job.pid, signal.SIGKILL)
        job.wait()
    assert 0 < stored < corpus["good"], "the job was not killed mid-run"
    time.sleep(2)  # Spark's Python workers leave once their JVM is gone
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    summary = json.loads(done.stdout)
    assert done.returncode == 1  # the corpus has bad records
    with newsgraph.open(db) as g:
        assert summary["added"] + summary["skipped"] == corpus["good"] and summary["skipped"] >= stored
        assert snapshot(g) == snapshot(batched[0])
        assert g.store.check() == []


# ---- planning and reading, without Spark ---------------------------------------------------------------------


def test_jsonl_ranges_start_at_lines_and_read_back_the_whole_file(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps({"url": f"https://x.example/{i}", "text": "word " * (i % 7 + 1)}) for i in range(200)]
    path.write_text("\n".join(lines[:120]) + "\n\n" + "\n".join(lines[120:]) + "\n", encoding="utf-8")
    whole = [d.item for d in read_split(Split(str(path)), Limits())]
    for target in (1, 100, 977, 4096, 10**9):
        ranges = jsonl_ranges(str(path), target)
        assert ranges[0].start == 0 and ranges[-1].end in (None, path.stat().st_size)
        assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
        data = path.read_bytes()
        assert all(r.start == 0 or data[r.start - 1:r.start] == b"\n" for r in ranges)
        items = [d.item for r in ranges for d in read_split(r, Limits())]
        assert items == whole  # the same names (`path:LINE`) as one reader gives, none twice
    assert len(jsonl_ranges(str(path), 977)) > 5


def test_plan_expands_directories_and_globs_and_keeps_warc_whole(tmp_path):
    (tmp_path / "d" / ".hidden").mkdir(parents=True)
    (tmp_path / "d" / "a.warc.gz").write_bytes(b"x" * 500_000)
    (tmp_path / "d" / "b.jsonl").write_text('{"text": "a"}\n' * 40_000)
    (tmp_path / "d" / ".hidden" / "c.jsonl").write_text("{}\n")
    (tmp_path / "d" / "notes.md").write_text("skip me")
    assert list(expand([str(tmp_path / "d" / "*.jsonl")])) == [str(tmp_path / "d" / "b.jsonl")]
    splits = plan([str(tmp_path / "d"), str(tmp_path / "missing.jsonl")], pieces=8)
    warc = [s for s in splits if s.path.endswith(".warc.gz")]
    assert warc == [Split(str(tmp_path / "d" / "a.warc.gz"))]
    assert len([s for s in splits if s.path.endswith("b.jsonl")]) == 8
    assert splits[-1] == Split(str(tmp_path / "missing.jsonl"))  # read as a path: its error is `ingest`'s
    missing = list(read_split(splits[-1], Limits()))
    assert [(e.stage, e.message) for e in missing] == [("read", "no such file or directory")]


def test_cli_start_up_does_not_import_pyspark():
    out = subprocess.run([sys.executable, "-c", "import sys, newsgraph.cli; print('pyspark' in sys.modules)"],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "False"
