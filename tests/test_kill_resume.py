"""Crash safety: `kill -9` mid-ingest, re-run, and the store equals one clean run."""
from __future__ import annotations

import json
from collections import Counter
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsgraph
from newsgraph.records import ArticleRow, EntityRow, MentionRow, SentenceRow, StoryArticleRow, StoryRow
from newsgraph.store import open_store

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
    """What the store holds, through its public API (so the same check runs on any backend)."""
    store = open_store(str(db))
    try:
        articles = list(store.export(ArticleRow))
        entities = list(store.export(EntityRow))
        sentences = Counter(s.article_id for s in store.export(SentenceRow))
        mentions = Counter(m.article_id for m in store.export(MentionRow))
        stats = store.stats()
        return {
            "articles": len(articles),
            "distinct_identities": len({a.identity for a in articles}),
            "sentences": stats.sentences,
            "mentions": stats.mentions,
            "entities": len(entities),
            "entity_mentions": sum(e.mentions for e in entities),
            "entity_articles": sum(e.articles for e in entities),
            "problems": store.check(),  # integrity, foreign keys, the search index, counters against rows
            "search_hits": len(store.search("the", limit=100_000)),
            "per_article": sorted((a.url, sentences[a.id], mentions[a.id]) for a in articles),
        }
    finally:
        store.close()


def ingest_cmd(corpus: Path, db: Path, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db), "--json", "--workers", str(workers)]


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state first, then the parent's pid); None once gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def children(pid: int) -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
            and (fields := _stat(int(p.name))) is not None and fields[1] == str(pid)]


def alive(pids: list[int]) -> list[int]:
    return [p for p in pids if (fields := _stat(p)) is not None and fields[0] != "Z"]  # a zombie is dead


def articles_in(db: Path) -> int:
    if not db.exists():
        return 0  # not created yet
    store = open_store(str(db))
    try:
        return store.stats().articles
    finally:
        store.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_mid_ingest_then_resume_equals_clean_run(tmp_path, workers):
    corpus = tmp_path / "corpus.jsonl"
    total = build_corpus(corpus)
    assert total >= 500

    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen(ingest_cmd(corpus, killed_db, workers), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while articles_in(killed_db) < 100:
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    pool = children(proc.pid)
    assert len(pool) == (workers if workers > 1 else 0), pool
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the worker processes die with it, rather than live on holding a model each
    gone_by = time.monotonic() + 10
    while alive(pool) and time.monotonic() < gone_by:
        time.sleep(0.1)
    assert alive(pool) == []
    partial = articles_in(killed_db)
    assert 100 <= partial < total, partial

    resumed = subprocess.run(ingest_cmd(corpus, killed_db, workers), capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["skipped"] >= partial and summary["added"] == total - summary["skipped"]

    clean_db = tmp_path / "clean.db"
    clean = subprocess.run(ingest_cmd(corpus, clean_db), capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stderr

    after_kill, after_clean = counts(killed_db), counts(clean_db)
    assert after_kill["problems"] == []
    assert after_kill["articles"] == after_kill["distinct_identities"] == total
    assert after_kill == after_clean
    assert story_counts(killed_db) == story_counts(clean_db) == {"members": total, "sum_sizes": total, "docs": total,
                                                               "orphans": 0}


def story_counts(db: Path) -> dict:
    """Every article is in exactly one story, and the story sizes add up (story ids may differ)."""
    store = open_store(str(db))
    try:
        members = list(store.export(StoryArticleRow))
        stories = {s.id: s.articles for s in store.export(StoryRow)}
        return {"members": len({m.article_id for m in members}), "sum_sizes": sum(stories.values()),
                "docs": store.story_vocabulary().docs, "orphans": sum(m.story_id not in stories for m in members)}
    finally:
        store.close()


@pytest.mark.parametrize("workers", [2])
def test_parallel_ingest_matches_single(tmp_path, workers):
    corpus = tmp_path / "c.jsonl"
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        corpus.write_text("".join(line for _, line in zip(range(20), src)), encoding="utf-8")
    dbs = []
    for w in (1, workers):
        db = tmp_path / f"w{w}.db"
        out = subprocess.run(ingest_cmd(corpus, db, w), capture_output=True, text=True,
                             timeout=600)
        assert out.returncode == 0, out.stderr
        dbs.append(counts(db))
    assert dbs[0] == dbs[1]
