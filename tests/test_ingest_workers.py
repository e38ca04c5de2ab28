"""Ingest with worker processes (parse, annotate and prepare there; decide and write here) stores exactly what one
process stores, records bad items alone, and gives up on a hung worker with a clear error."""
from __future__ import annotations

import json
import time

import pytest

import newsgraph
from copies_corpus import demo_with_copies
from ingest_snapshot import snapshot
from newsgraph.ingest import workers as ingest_workers
from newsgraph.ingest.workers import WorkerError

N = 40  # more than two chunks per worker, so results come back from both workers and in several rounds


def corpus(path, bad: bool = False):
    """N demo articles, two that copy parts of earlier ones (so provenance has matches), and with `bad` a malformed
    line and an empty article in the middle of a worker's chunk."""
    broken = ['{"url": "https://bad.example/1", "text": ', json.dumps({"url": "https://bad.example/2", "text": "   "})]
    return demo_with_copies(path, N, ((0, 1), (20, 25)), {18: broken} if bad else None)


def ingest(db, nlp, source, workers: int, enrichers=()):
    g = newsgraph.open(db, nlp=nlp)
    try:
        g.enrichers.extend(enrichers)
        return g.ingest([source], workers=workers, batch=8)
    finally:
        g.close()


def test_two_workers_store_exactly_what_one_process_stores(tmp_path, nlp):
    source = corpus(tmp_path / "c.jsonl")
    one = ingest(tmp_path / "w1.db", nlp, source, workers=1)
    two = ingest(tmp_path / "w2.db", nlp, source, workers=2)
    assert one.added == two.added == N + 2 and not one.errors and not two.errors
    assert one.article_ids == two.article_ids
    before, after = snapshot(str(tmp_path / "w1.db")), snapshot(str(tmp_path / "w2.db"))
    # articles, mentions, entities, events, sentence matches, stories: every table, row for row
    assert {t for t, rows in before.items() if rows} >= {"articles", "entities", "mentions", "events", "sentence_keys",
                                                         "sentence_matches", "stories", "story_articles"}
    assert before == after


def test_bad_records_in_a_workers_chunk_fail_alone(tmp_path, nlp):
    source = corpus(tmp_path / "c.jsonl", bad=True)
    refused = "https://copies.example/0"

    class Refuse:
        """Its store-free part, which runs in the worker, fails on one article."""

        def prepare(self, article):
            if article.doc.url == refused:
                raise ValueError("cannot prepare this one")
            return None

        def decide(self, store, article, prepared):
            return article

        def __call__(self, store, article):
            return self.decide(store, article, self.prepare(article))

    reports = [ingest(tmp_path / f"w{w}.db", nlp, source, workers=w, enrichers=[Refuse()]) for w in (1, 2)]
    for report in reports:
        assert report.added == N + 1  # all but the refused one (the malformed and the empty line are no articles)
        assert [e.stage for e in report.errors] == ["read", "read", "store"]  # malformed line, empty text, refused
        assert all("\n" not in str(e) for e in report.errors)
        # the refused article is line N + 3 (after N articles and the two bad lines)
        assert str(report.errors[2]) == f"{source}:{N + 3}: cannot prepare this one"
    assert [str(e) for e in reports[0].errors] == [str(e) for e in reports[1].errors]
    with newsgraph.open(tmp_path / "w2.db") as g:
        assert len(g.store.errors()) == 3
    assert snapshot(str(tmp_path / "w1.db")) == snapshot(str(tmp_path / "w2.db"))


def test_a_hung_worker_stops_ingest_with_a_clear_error(tmp_path, nlp, monkeypatch):
    source = corpus(tmp_path / "c.jsonl")
    hang = "https://copies.example/1"  # the last article: the chunks before it are written first

    class Hang:
        def prepare(self, article):
            if article.doc.url == hang:
                time.sleep(3600)
            return None

        def decide(self, store, article, prepared):
            return article

        def __call__(self, store, article):
            return self.decide(store, article, self.prepare(article))

    monkeypatch.setattr(ingest_workers, "CHUNK_TIMEOUT", 20.0)
    started = time.monotonic()
    with pytest.raises(WorkerError, match=r"over 20 s on \d+ articles") as caught:
        ingest(tmp_path / "hung.db", nlp, source, workers=2, enrichers=[Hang()])
    assert time.monotonic() - started < 300
    assert "\n" not in str(caught.value)
    with newsgraph.open(tmp_path / "hung.db") as g:
        assert 0 < g.store.stats().articles < N + 2  # what came before the hung chunk was written


class _Counting:
    """The real pipeline, recording the characters of each `nlp.pipe` call."""

    def __init__(self, nlp):
        self.nlp, self.calls = nlp, []

    def pipe(self, items, **kwargs):
        items = list(items)
        self.calls.append(sum(len(text) for text, _ in items))
        return self.nlp.pipe(items, **kwargs)


def test_a_long_article_is_parsed_a_few_pieces_at_a_time(nlp, monkeypatch):
    # One nlp.pipe call over a long article's pieces holds all of them in the parse's working memory at once: the
    # peak RSS follows the characters in the call, not the articles ingested.
    from newsgraph.ingest.workers import annotated
    from newsgraph.model import ExtractedDoc
    from newsgraph.nlp.chunking import MAX_CHARS

    paragraph = "Acme Corp said on Monday that it would buy Widget Ltd for $3 billion in cash and shares. " * 8
    long_text = "\n\n".join(f"{paragraph} Paragraph {i}." for i in range(60))  # about 45,000 characters
    docs = [ExtractedDoc(item=f"doc-{i}", text=text, url=None, canonical_url=None, content_hash=f"h{i}")
            for i, text in enumerate(["Acme Corp buys Widget Ltd.", long_text, "Widget Ltd shares rose."])]
    monkeypatch.setattr(ingest_workers, "BATCH_CHARS", 10_000)
    counted = _Counting(nlp)
    small = list(annotated(counted, docs))
    # a call may pass the budget by one piece only when it holds that piece alone
    assert len(counted.calls) > 3 and max(counted.calls) <= max(10_000, MAX_CHARS)
    monkeypatch.setattr(ingest_workers, "BATCH_CHARS", 10**9)
    assert small == list(annotated(nlp, docs))  # the same parse, whatever the batches
