"""Two full-pipeline `newsgraph ingest` processes on one PostgreSQL database, one killed with -9 mid-batch: no half
article is left, the other finishes, and a re-run of the killed one ends with what one clean ingest gives."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import newsgraph
from newsgraph.records import ArticleRow
from newsgraph.store import open_store
from test_kill_resume import counts, ingest_cmd, story_counts

PIECES = 24  # short articles; the killed ingester takes the first 16, the other the last 16 (8 taken by both)
SPLIT = 8
BATCH = ["--batch", "2"]  # articles per write transaction: small, so the kill lands with part of the file stored


def pieces() -> list[dict]:
    """Short articles cut from the demo corpus (a paragraph pair each), so a full-pipeline ingest of each is quick."""
    out: list[dict] = []
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        for line in src:
            art = json.loads(line)
            paras = [p for p in art["text"].split("\n\n") if p.strip()]
            for i in range(0, len(paras), 2):
                out.append({"url": f"{art['url']}?part={i}", "title": art["title"], "date": art["date"],
                            "text": "\n\n".join(paras[i:i + 2])})
                if len(out) == PIECES:
                    return out


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_two_ingesters_one_killed_mid_batch_then_rerun_equals_a_clean_run(pg_cluster, tmp_path, nlp):
    rows = pieces()
    first = write(tmp_path / "first.jsonl", rows[:2 * SPLIT])
    second = write(tmp_path / "second.jsonl", rows[SPLIT:])
    own = {r["url"] for r in rows[:SPLIT]}  # only the first ingester stores these
    url = pg_cluster.create_db("two_ingesters")
    open_store(url).close()  # the schema first, so both processes start on it
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    killed = subprocess.Popen(ingest_cmd(first, url) + BATCH, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    other = subprocess.Popen(ingest_cmd(second, url) + BATCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    store = open_store(url)
    try:
        deadline = time.monotonic() + 300
        while len(own & {a.url for a in store.export(ArticleRow)}) < 3:
            assert killed.poll() is None, "the first ingester ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        assert killed.wait() == -signal.SIGKILL
        stored_own = len(own & {a.url for a in store.export(ArticleRow)})
        assert stored_own < SPLIT  # killed mid-batch

        out, err = other.communicate(timeout=600)
        assert other.returncode == 0, err  # the other finishes: the dead session's advisory lock went with it
        report = json.loads(out)
        assert report["added"] + report["skipped"] == 2 * SPLIT and not report["errors"]
        assert store.check() == []  # no half article: counters match rows, nothing orphaned
        # every stored article is whole: it has its sentences and is in a story
        assert story_counts(url)["orphans"] == 0
        assert story_counts(url)["members"] == store.stats().articles
    finally:
        store.close()

    missing = {r["url"] for r in rows[:2 * SPLIT]} - stored_urls(url)
    assert missing  # the killed ingester's batch was left unfinished
    rerun = subprocess.run(ingest_cmd(first, url), capture_output=True, text=True, timeout=600, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["added"] == len(missing)  # the rest only, nothing twice

    clean = pg_cluster.create_db("one_clean_ingest")
    with newsgraph.open(clean, nlp=nlp) as g:
        assert g.ingest([write(tmp_path / "all.jsonl", rows)]).added == PIECES
    after_kill, after_clean = counts(url), counts(clean)
    assert after_kill["problems"] == [] and after_kill["articles"] == after_kill["distinct_identities"] == PIECES
    assert after_kill == after_clean  # no duplicates, nothing lost, the same sentences, mentions and entities
    assert story_counts(url) == story_counts(clean) == {"members": PIECES, "sum_sizes": PIECES, "docs": PIECES,
                                                        "orphans": 0}


def stored_urls(url: str) -> set[str]:
    store = open_store(url)
    try:
        return {a.url for a in store.export(ArticleRow)}
    finally:
        store.close()
