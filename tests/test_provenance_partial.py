"""Partial copies (lifted clauses, across two source sentences), restructured rewrites, stock phrases: from the
aligner through the store, the trace, originality, exports and the article page."""
from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from newsgraph.api import create_app
from newsgraph.eval.provenance import to_article
from newsgraph.eval.provenance_synth import SynthArticle
from newsgraph.export import write_jsonl
from newsgraph.graph import Graph
from newsgraph.provenance.classify import classify
from newsgraph.provenance.corpus import candidates_by_sentence, keys_only, match_article
from newsgraph.provenance.enrich import enrich
from newsgraph.provenance.lifts import STRONG_INFORMATION, STRONG_RAREST, strong
from newsgraph.provenance.ngrams import join_keys, seed_keys, tokens
from newsgraph.provenance.partial import best_passage
from newsgraph.provenance.trace import build_trace, trace_json
from newsgraph.store.sqlite import SQLiteStore

WUZHEN = ("The Wuzhen conference, which until this year has had a primarily local presence, is designed to globally"
          " promote the country's vision of a more censored and controlled internet.")
LIFTED = "designed to globally promote the country's vision of a more censored and controlled internet"
COPY = f"Comments come at World Internet Conference - an event {LIFTED}."
SOURCE = SynthArticle("source", "Cook in China", "2017-12-01", [
    "Apple chief executive Tim Cook spoke at the World Internet Conference in Wuzhen on Sunday.",
    WUZHEN,
    "Cook praised the Chinese developers who built more than a million apps for the store.",
    "Analysts expect the company to open two further research centres in Shanghai next year.",
    "It was Cook's second appearance in China in two months, following a meeting with President Xi Jinping.",
], [None] * 5, "base")
ACROSS = ("who built more than a million apps for the store. Analysts expect the company to open two further"
          " research centres")
COPIER = SynthArticle("copier", "Comments", "2017-12-04", [
    COPY,
    "A blogger wrote that the firm praised people " + ACROSS + ", which surprised nobody.",
    "The weather in the region was mild for the season and the roads stayed open.",
], [None] * 3, "x")


def test_aligner_finds_the_issue_example_clause():
    q, s = tokens(COPY), tokens(WUZHEN)
    found = best_passage(q, s, frozenset(seed_keys(COPY)) & frozenset(seed_keys(WUZHEN)))
    assert found is not None
    assert COPY[found.span[0]:found.span[1]] == LIFTED
    assert WUZHEN[found.source_span[0]:found.source_span[1]] == LIFTED
    assert best_passage(q, s, frozenset()) is None  # no rare seed, no match


def test_a_copied_run_is_not_cut_short_where_its_first_words_occur_earlier_in_the_source():
    """One longest common subsequence matches "in a" of the lifted run to "in a" earlier in the source, leaving a
    5-word block (too short); the chain runs on over the identical words before it and the whole run is found."""
    source = ("A jury in a courthouse ordered the operator of nursing homes to pay damages in a class action lawsuit"
              " from patients of its facilities.")
    lifted = "In a class action lawsuit from patients"
    copy = f"{lifted}, the company was called worse than its rivals."
    found = best_passage(tokens(copy), tokens(source), frozenset(seed_keys(copy)) & frozenset(seed_keys(source)))
    assert found is not None and found.words == 7
    assert copy[found.span[0]:found.span[1]] == lifted
    assert source[found.source_span[0]:found.source_span[1]] == lifted.lower()


def test_a_shared_name_is_weak_evidence():
    """Two reports naming one agency share its six-word name, acronym included: names only, which independent
    reports share too, so the passage is weak however rare its words (it needs another match from the same
    source); with lowercase words copied beside the name it is strong."""
    source = "Officials at the Federal Emergency Management Agency (FEMA) said the levees would hold through the weekend."
    copy = "Critics said the president did not put the Federal Emergency Management Agency (FEMA) in charge at all."
    found = best_passage(tokens(copy), tokens(source), frozenset(seed_keys(copy)) & frozenset(seed_keys(source)))
    assert copy[found.span[0]:found.span[1]] == "the Federal Emergency Management Agency (FEMA"
    assert found.names and found.information >= STRONG_INFORMATION and found.rarest >= STRONG_RAREST
    assert not strong(found)
    copy = "Critics said the Federal Emergency Management Agency (FEMA) said the levees were weak."
    found = best_passage(tokens(copy), tokens(source), frozenset(seed_keys(copy)) & frozenset(seed_keys(source)))
    assert copy[found.span[0]:found.span[1]] == "the Federal Emergency Management Agency (FEMA) said the levees"
    assert not found.names and strong(found)


@pytest.fixture()
def store(tmp_path):
    store = SQLiteStore(tmp_path / "partial.db")
    yield store
    store.close()


def ingest(store, *articles):
    return [store.add_article(enrich(store, to_article(a))) for a in articles]


def test_partial_match_spans_trace_originality_and_export(store):
    source_id, copier_id = ingest(store, SOURCE, COPIER)
    t = build_trace(store.article(copier_id), store.sentence_matches(copier_id))
    first, second, third = trace_json(t)["sentences"]
    assert first["kind"] == "partial" and first["source"]["article_id"] == source_id
    a, b = first["source"]["span"]
    assert COPY[a:b] == LIFTED
    assert first["source"]["sentence"] == 1
    x, y = first["source"]["source_span"]
    assert WUZHEN[x:y] == LIFTED
    # Across two source sentences: the span starts in sentence 2 and runs into sentence 3.
    assert second["kind"] == "partial" and second["source"]["sentence"] == 2
    a, b = second["source"]["span"]
    assert second["sentence"][a:b] == ACROSS
    text = store.article(source_id).text
    start = store.article(source_id).sentences[2].start
    x, y = second["source"]["source_span"]
    assert text[start + x:start + y].replace("\n\n", " ") == ACROSS
    assert third["kind"] == "original"
    # Originality counts the words copied: 14 of 22 words, about half the second, nothing of the third.
    shares = [s["copied"] for s in (first, second, third)]
    assert shares[0] == pytest.approx(14 / 22, abs=1e-3) and 0.4 < shares[1] < 0.7 and shares[2] == 0
    assert t.originality == pytest.approx(1 - sum(shares) / 3, abs=1e-3)
    ranked = {r.article.id: r for r in store.originality()}
    assert ranked[copier_id].copied == pytest.approx(sum(shares), abs=0.02)
    out = io.StringIO()
    counts = write_jsonl(store, out)
    spans = [json.loads(x) for x in out.getvalue().splitlines() if '"copied_span"' in x]
    assert counts["copied_spans"] == len(spans) == 2
    assert {(s["sentence"], s["kind"], s["source_sentence"]) for s in spans} == {(0, "partial", 1), (1, "partial", 2)}
    assert any(s["span_start"] == COPY.index(LIFTED) for s in spans)
    assert copier_id in store.copy_family(source_id)


def test_stock_phrase_alone_is_never_a_source(store):
    phrase = "did not immediately respond to a request for comment on the findings"
    one = SynthArticle("one", "a", "2020-01-01", [f"The mayor of Springfield, who opened a new bridge, {phrase}.",
                                                  "Traffic across the river has doubled since the spring floods."],
                       [None] * 2, "x")
    two = SynthArticle("two", "b", "2020-02-01", [f"A chemical plant in Ohio leaked solvent into a creek and {phrase}.",
                                                  "Fishermen downstream reported dead trout along a mile of bank."],
                       [None] * 2, "x")
    _, second = ingest(store, one, two)
    t = build_trace(store.article(second), store.sentence_matches(second))
    assert all(s.kind == "original" for s in t.sentences)


def test_restructured_rewrite_is_spun_but_an_independent_report_is_not():
    source = "The Industrial and Commercial Bank of China (ICBC) announced the migration on Thursday, April 28."
    assert classify("On Thursday, April 28, the Industrial and Commercial Bank of China ICBC announced the migration.",
                    source)[0] == "spun"
    assert classify("The budget report mentioned an increase in fuel duty for drivers.",
                    "An increase in fuel duty for drivers was mentioned by the budget report.")[0] == "spun"
    independent = (
        "ICBC, the Industrial and Commercial Bank of China, finished moving its systems by Thursday, April 28.")
    assert classify(independent, source) is None or classify(independent, source)[0] == "paraphrase"


def test_article_page_marks_only_the_lifted_span_and_links_the_source_span(store):
    source_id, copier_id = ingest(store, SOURCE, COPIER)
    client = TestClient(create_app(Graph(store)))
    page = client.get(f"/articles/{copier_id}").text
    assert f'<mark class="lifted" title="copied from an earlier article">{escape(LIFTED)}</mark>' in page
    assert page.count('<mark class="lifted"') == 2  # the two partial sentences; the original one is unmarked
    start = store.article(source_id).sentences[1].start + WUZHEN.index(LIFTED)
    link = f"/articles/{source_id}?mark={start}-{start + len(LIFTED)}#s1"
    assert link.replace("&", "&amp;") in page
    marked = client.get(link.split("#")[0]).text
    assert f'<mark class="source-span">{escape(LIFTED)}</mark>' in marked
    assert client.get(f"/articles/{source_id}?mark=junk").status_code == 200
    assert client.get(f"/articles/{source_id}?mark=99999999-999999999").status_code == 200


def test_deleting_an_article_drops_its_seeds_and_partial_matches(store):
    source_id, copier_id = ingest(store, SOURCE, COPIER)
    con = store._writer  # row counts only; the store API has no reader for seeds
    assert con.execute("SELECT COUNT(*) FROM sentence_ngrams").fetchone()[0] > 0
    store.delete_article(source_id)
    assert store.sentence_matches(copier_id) == []
    left = con.execute("SELECT COUNT(*) FROM sentence_ngrams n JOIN sentences s ON s.id = n.sentence_id").fetchone()[0]
    assert left == con.execute("SELECT COUNT(*) FROM sentence_ngrams").fetchone()[0] > 0  # only the copier's


def _traced_beside_source(store, copy_first: bool, slug: str, date: str, sentence: str) -> tuple[int, list[dict]]:
    """Store SOURCE and a two-sentence copier (`sentence`, then an unrelated one) in either order; the source's id
    and the copier's traced sentences (`trace --json`)."""
    copier = SynthArticle(slug, "Cook", date, [
        sentence, "The weather in the region was mild for the season and the roads stayed open.",
    ], [None] * 2, "x")
    source_id, copier_id = ingest(store, SOURCE, copier) if not copy_first else ingest(store, copier, SOURCE)[::-1]
    t = build_trace(store.article(copier_id), store.sentence_matches(copier_id))
    return source_id, trace_json(t)["sentences"]


SHORT_ACROSS = "centres in Shanghai next year. It was Cook's second"  # 5 words, then 4


@pytest.mark.parametrize("copy_first", [False, True])
def test_lift_across_two_sentences_too_short_in_either_alone(store, copy_first):
    """Neither half reaches the six words a passage needs, so only the two sentences joined give the passage; the
    copy may be stored before its source (ingest order is not date order) and must still be found."""
    source_id, sentences = _traced_beside_source(store, copy_first, "short-across", "2017-12-05",
                                                 "A trade newsletter listed " + SHORT_ACROSS
                                                 + " of the season, and nobody disputed that.")
    first = sentences[0]
    assert first["kind"] == "partial" and first["source"]["article_id"] == source_id
    assert first["source"]["sentence"] == 3
    a, b = first["source"]["span"]
    assert first["sentence"][a:b] == SHORT_ACROSS
    assert sentences[1]["kind"] == "original"


THREE_AND_THREE = "Shanghai next year. It was Cook's"  # 3 words, then 3: no seed lies inside either half


@pytest.mark.parametrize("copy_first", [False, True])
def test_lift_of_three_and_three_words_across_two_sentences(store, copy_first):
    """Only the seeds stored across the join of two sentences (join_keys) can find this lift, in either ingest
    order: with the source stored, its sentence 3 holds them; with the copy stored, the new source asks them."""
    source_id, sentences = _traced_beside_source(store, copy_first, "three-three", "2017-12-06",
                                                 "The blog post about " + THREE_AND_THREE
                                                 + " trip drew a few comments from readers overseas.")
    first = sentences[0]
    assert first["kind"] == "partial" and first["source"]["article_id"] == source_id
    assert first["source"]["sentence"] == 3
    a, b = first["source"]["span"]
    assert first["sentence"][a:b] == THREE_AND_THREE


def test_join_keys_are_the_seeds_across_the_join_only():
    first, second = SOURCE.sentences[3], SOURCE.sentences[4]
    across = join_keys(first, second)
    assert len(across) == 3
    assert not set(across) & set(seed_keys(first)) and not set(across) & set(seed_keys(second))
    assert set(across) <= set(seed_keys("in " + THREE_AND_THREE + " second"))
    assert sorted(set(seed_keys(first)) | set(across)) == seed_keys(first, second)
    assert join_keys(first, "") == []


@pytest.mark.parametrize("copy_first", [False, True])
def test_corpus_join_asks_the_seeds_across_the_join_too(store, copy_first):
    """`batch --provenance join` (corpus.py) answers each sentence from the join's rows keyed by the seeds the store
    holds for it, join seeds included: the same 3 + 3 lift as ingest finds, from a seed join done here in Python."""
    copier = SynthArticle("three-three", "Cook", "2017-12-06", [
        "The blog post about " + THREE_AND_THREE + " trip drew a few comments from readers overseas.",
        "The weather in the region was mild for the season and the roads stayed open.",
    ], [None] * 2, "x")
    first, later = (copier, SOURCE) if copy_first else (SOURCE, copier)
    first_id = store.add_article(keys_only(store, to_article(first)))
    later_id = store.add_article(keys_only(store, to_article(later)))
    held: dict[int, set[int]] = {}  # sentence id -> its stored seeds
    article_of: dict[int, int] = {}
    for key, sid, aid in store.index_rows("seeds", *store.sentence_id_range()):
        held.setdefault(sid, set()).add(key)
        article_of[sid] = aid
    rows = []
    for q in (s for s in held if article_of[s] == later_id):
        shared = {c: held[q] & held[c] for c in held if article_of[c] == first_id and held[q] & held[c]}
        ranked = sorted(shared, key=lambda c: (-len(shared[c]), c))
        rows += [("seed", q, c, sorted(shared[c]), rank) for rank, c in enumerate(ranked, 1)]
    texts = {c.sentence_id: c for c in store.sentences_by_id(sorted({r[2] for r in rows}))}
    whole, seeded = candidates_by_sentence(rows, texts)
    detail = store.article(later_id)
    ids = {c.index: c.sentence_id for c in store.sentences_at(later_id, [s.index for s in detail.sentences])}
    data = match_article(store, detail, [ids[s.index] for s in detail.sentences], whole, seeded)
    found = [(m.sentence, m.kind, m.other_article_id) for m in data.matches]
    assert (3 if copy_first else 0, "partial", first_id) in found
