"""Crash safety: `kill -9` mid-ingest, re-run, and the store equals one clean run."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsgraph

N_ARTICLES = 520


def build_corpus(path: Path) -> int:
    """≥500 short articles cut from the bundled demo corpus, each paragraph pair its own article."""
    n = 0
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        for line in src:
            art = json.loads(line)
            paras = [p for p in art["text"].split("\n\n") if p.strip()]
            for i in range(0, len(paras), 2):
                text = "\n\n".join(paras[i:i + 2])
                out.write(json.dumps({"url": f"{art['url']}?part={i}", "title": art["title"], "date": art["date"],
                                      "text": text}) + "\n")
                n += 1
                if n >= N_ARTICLES:
                    return n
    return n


def counts(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": q("SELECT COUNT(*) FROM articles"),
            "distinct_identities": q("SELECT COUNT(DISTINCT identity) FROM articles"),
            "sentences": q("SELECT COUNT(*) FROM sentences"),
            "mentions": q("SELECT COUNT(*) FROM mentions"),
            "entities": q("SELECT COUNT(*) FROM entities"),
            "entity_mentions": q("SELECT SUM(mentions) FROM entities"),
            "entity_articles": q("SELECT SUM(articles) FROM entities"),
            "fts_rows": q("SELECT COUNT(*) FROM sentences_fts"),
            "orphan_mentions": q("SELECT COUNT(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id"
                                 " WHERE a.id IS NULL"),
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
            "per_article": sorted(con.execute(
                "SELECT a.url, COUNT(DISTINCT s.id), COUNT(DISTINCT m.id) FROM articles a"
                " LEFT JOIN sentences s ON s.article_id = a.id LEFT JOIN mentions m ON m.article_id = a.id"
                " GROUP BY a.id").fetchall()),
        }
    finally:
        con.close()


def ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db), "--json"]


def articles_in(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet


def test_kill_9_mid_ingest_then_resume_equals_clean_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    total = build_corpus(corpus)
    assert total >= 500

    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen(ingest_cmd(corpus, killed_db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while articles_in(killed_db) < 100:
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = articles_in(killed_db)
    assert 100 <= partial < total, partial

    resumed = subprocess.run(ingest_cmd(corpus, killed_db), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["skipped"] >= partial and summary["added"] == total - summary["skipped"]

    clean_db = tmp_path / "clean.db"
    clean = subprocess.run(ingest_cmd(corpus, clean_db), capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stderr

    after_kill, after_clean = counts(killed_db), counts(clean_db)
    assert after_kill["integrity"] == "ok"
    assert after_kill["articles"] == after_kill["distinct_identities"] == total
    assert after_kill["orphan_mentions"] == 0
    assert after_kill["fts_rows"] == after_kill["sentences"]
    assert after_kill == after_clean
    assert story_counts(killed_db) == story_counts(clean_db) == {"members": total, "sum_sizes": total, "docs": total,
                                                               "orphans": 0}


def story_counts(db: Path) -> dict:
    """Every article is in exactly one story, and the clusterer's counters agree (story ids may differ)."""
    con = sqlite3.connect(db)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {"members": q("SELECT COUNT(DISTINCT article_id) FROM story_articles"),
                "sum_sizes": q("SELECT SUM(articles) FROM stories"),
                "docs": q("SELECT value FROM story_meta WHERE key = 'docs'"),
                "orphans": q("SELECT COUNT(*) FROM story_articles sa LEFT JOIN stories s ON s.id = sa.story_id"
                             " WHERE s.id IS NULL")}
    finally:
        con.close()


@pytest.mark.parametrize("workers", [2])
def test_parallel_ingest_matches_single(tmp_path, workers):
    corpus = tmp_path / "c.jsonl"
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        corpus.write_text("".join(line for _, line in zip(range(20), src)), encoding="utf-8")
    dbs = []
    for w in (1, workers):
        db = tmp_path / f"w{w}.db"
        out = subprocess.run([*ingest_cmd(corpus, db), "--workers", str(w)], capture_output=True, text=True,
                             timeout=600)
        assert out.returncode == 0, out.stderr
        dbs.append(counts(db))
    assert dbs[0] == dbs[1]
