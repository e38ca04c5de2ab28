"""The batch executor streams WARC records: a file of hundreds of MB, with records larger than the size limit and
one larger than everything else read together, is read and extracted in about the memory of its articles alone.

The default test covers reading and extraction (warcio, the size limit, trafilatura), in a fresh process without
spaCy; the slow one runs the whole executor (spaCy, enrichers, writes) in real Spark on a 1 GB WARC
(benchmarks/batch_memory.py, which records the figure)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from warc_corpus import MB, read_articles, write_bulky_warc, write_warcs

import newsgraph

ROOT = Path(__file__).resolve().parents[1]
GIANT_MB = 128  # one image and one over-limit page this size: a reader holding either one would show it

# Reads one split the way an executor task does (read_split, then extract), and prints the process's peak RSS after
# the articles alone and again after the bulky file.
READER = """
import json, resource, sys
from newsgraph.batch.executor import read_split
from newsgraph.batch.splits import Split
from newsgraph.extract import extract
from newsgraph.ingest import Limits
from newsgraph.model import IngestError

def read(path):
    docs, errors = 0, []
    for item in read_split(Split(path), Limits()):
        if isinstance(item, IngestError):
            errors.append(item.message)
        else:
            docs += extract(item).text.count(" ") > 20
    return docs, errors, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

alone, bulky = read(sys.argv[1]), read(sys.argv[2])
print(json.dumps({"alone": alone, "bulky": bulky}))
"""


def test_reading_a_bulky_warc_holds_no_record_whole(tmp_path):
    articles = read_articles(newsgraph.demo_corpus(), 6)
    bulky = write_bulky_warc(tmp_path / "bulky.warc", articles, 200 * MB, giant_bytes=GIANT_MB * MB)
    alone = write_warcs(articles, tmp_path / "alone", 1)[0]
    assert bulky["bytes"] > 2 * GIANT_MB * MB
    out = subprocess.run([sys.executable, "-c", READER, str(alone), str(tmp_path / "bulky.warc")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout)
    docs, errors, peak = got["bulky"]
    assert docs == got["alone"][0] == len(articles)
    assert errors == ["record too large (over 10.0 MB limit)"] * bulky["too_large"]
    # What the bulk adds: buffers and one limit-sized read (10 MB), far below one giant record.
    assert peak - got["alone"][2] < GIANT_MB / 3, got


@pytest.mark.slow
def test_executor_memory_stays_bounded_on_a_1_gb_warc():
    """Real Spark, local[2]: the same 40 articles alone and inside a 1 GB WARC, each into a fresh SQLite store."""
    out = subprocess.run([sys.executable, "benchmarks/batch_memory.py", "--size-mb", "1024", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout)
    print(json.dumps(got))
    assert got["warc_mb"] >= 1024
    assert got["bulky"]["added"] == got["articles_alone"]["added"] == got["articles"]
    assert got["bulky"]["failed"] == got["too_large_pages"]
    assert got["executor_peak_rss_added_mb"] < got["giant_mb"] / 2
    low, high = got["bulky"]["driver_rss_mb"]
    assert high - low < 50  # the driver stays flat: no record reaches it


def test_an_executor_forgets_the_words_of_each_split(tmp_path, nlp, monkeypatch):
    """spaCy keeps the string of every new word it parses; an executor parses for as long as the job runs, so it
    opens a memory zone around each split and the vocabulary is back to the model's after it."""
    from newsgraph.batch import executor
    from newsgraph.batch.splits import Split
    from newsgraph.store import open_store

    monkeypatch.setattr(executor, "_process", {"nlp": nlp})  # the session's pipeline, and a fresh store
    words = ["Qworvelian", "Blorptastic"]
    articles = read_articles(newsgraph.demo_corpus(), 4)
    db = str(tmp_path / "zone.db")
    try:
        for n, word in enumerate(words):
            path = tmp_path / f"part-{n}.jsonl"
            with open(path, "w", encoding="utf-8") as f:
                for a in articles[2 * n:2 * n + 2]:
                    text = f"{a['text']}\n\nThe {word} Trust said the {word} plan would cost $4 million."
                    f.write(json.dumps({**a, "text": text}) + "\n")
            strings = len(nlp.vocab.strings)
            report = executor.run_task([Split(str(path))], db)
            assert (report.added, report.failed) == (2, 0), report.errors
            assert word not in nlp.vocab.strings
            assert len(nlp.vocab.strings) == strings
        store, _ = executor.store_for(db)
        store.close()
        stored = open_store(db)
        try:
            assert stored.stats().articles == 4
            assert any(words[1] in s.text for s in stored.article(4).sentences)  # written from plain strings
        finally:
            stored.close()
    finally:
        executor._process.clear()
    nlp(f"The {words[0]} Trust.")  # outside a zone the word stays: the check above can fail
    assert words[0] in nlp.vocab.strings


# Run in a fresh process: what an executor imports, not what other tests loaded (the web layer has caches of its own).
CACHES = """
import functools, inspect, json, sys
from newsgraph.batch import executor
from newsgraph.ingest.enrichers import default_enrichers
from newsgraph.stories.enrich import StoryEnricher

executor.pipeline()
stories = next(e for e in default_enrichers() if isinstance(e, StoryEnricher))
caches = {f"{name}.{attr}": obj for name, module in list(sys.modules.items()) if name.startswith("newsgraph")
          for attr, obj in vars(module).items()
          if isinstance(obj, functools._lru_cache_wrapper) and obj.__module__ == name}
# A cache of a function without arguments holds one value; any other needs a maxsize.
unbounded = [name for name, f in caches.items()
             if f.cache_info().maxsize is None and inspect.signature(f.__wrapped__).parameters]
print(json.dumps({"caches": len(caches), "unbounded": unbounded, "story_caps": [stories.cache, stories.stories]}))
"""


def test_what_an_executor_caches_is_bounded():
    """An executor process lives for the whole job: every cache it keeps must have a size limit."""
    out = subprocess.run([sys.executable, "-c", CACHES], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout)
    assert got["caches"] > 10, got
    assert got["unbounded"] == []
    assert None not in got["story_caps"]
