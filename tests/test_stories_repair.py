"""Local batch repair: the partition stops depending on arrival order, and the store keeps what repair needs."""
from __future__ import annotations

import itertools
import math
import sqlite3

import pytest


from test_stories import storied  # noqa: F401 - the ingested fixture

from newsgraph.eval.stories import online
from newsgraph.model import AnnotatedArticle, ExtractedDoc, SentenceSpan
from newsgraph.records import StoryArticleRow, StoryRow
from newsgraph.store.sqlite import SQLiteStore
from newsgraph.stories.cluster import Params, assign
from newsgraph.stories.enrich import StoryEnricher
from newsgraph.stories.features import ArticleFeatures
from newsgraph.stories.index import StoryIndex
from newsgraph.stories.members import state_from_json, state_json
from newsgraph.stories.persist import load_index


def feats(words: str) -> ArticleFeatures:
    return ArticleFeatures(tf={w: 1.0 for w in words.split()}, entities={}, times=frozenset(), date=None,
                           sentence_terms=[set(words.split())])


# two storms, one river flood and one coastal wind story, and a bridging article that mentions both
DOCS = [feats("storm flood river rain town"), feats("storm flood river rain bridge"),
        feats("flood river rain town bridge"), feats("storm wind coast power rain"),
        feats("storm wind coast power trees"), feats("wind coast power trees rain"),
        feats("storm flood wind coast rain")]


def partitions(params: Params) -> set[tuple[int, ...]]:
    """The distinct partitions of DOCS over every arrival order, each written in document order."""
    found = set()
    for order in itertools.permutations(range(len(DOCS))):
        labels = dict(zip(order, online([DOCS[i] for i in order], params), strict=True))
        first: dict[int, int] = {}
        found.add(tuple(first.setdefault(labels[i], len(first)) for i in range(len(DOCS))))
    return found


def test_repair_makes_the_partition_order_free():
    text_only = {"entities": 0.0, "embedding": 0.0, "time": 0.0, "threshold": 0.5}
    assert len(partitions(Params(**text_only, repair=None))) > 1  # plain online: the order decides
    assert partitions(Params(**text_only, repair=0.5)) == {(0, 0, 0, 1, 1, 1, 1)}


def test_repair_keeps_index_and_members_consistent():
    index = StoryIndex()
    params = Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5)
    for i in (6, 0, 3, 1, 4, 2, 5):
        assign(index, DOCS[i], params)
    members = index.members
    assert sorted(members.of_story) == sorted(index.stories)
    assert all(index.stories[sid].size == len(keys) for sid, keys in members.of_story.items())
    assert sum(len(k) for k in members.of_story.values()) == len(DOCS)


def test_state_json_round_trip():
    f = ArticleFeatures(tf={"storm": 1.5}, entities={("ORG", "acme"): "Acme"}, times=frozenset({"2013"}),
                        date="2013-08-02", sentence_terms=[], events=frozenset({"Deal"}))
    back = state_from_json(state_json(f), None)
    assert (back.tf, back.entities, back.times, back.date, back.events) == (f.tf, f.entities, f.times, f.date,
                                                                           f.events)


def test_store_keeps_member_state_and_reloads_it(storied):  # noqa: F811
    graph, ids = storied
    rows = [(m.article_id, m.story_id) for m in graph.store.export(StoryArticleRow)]
    assert sorted(a for a, _ in rows) == sorted(ids)
    index = load_index(graph.store)
    by_story: dict[int, int] = {}
    for _, sid in rows:
        by_story[sid] = by_story.get(sid, 0) + 1
    assert {sid: len(keys) for sid, keys in index.members.of_story.items()} == by_story
    sizes = {s.id: s.articles for s in graph.store.export(StoryRow)}
    assert sizes == by_story


def test_store_applies_repair_rewrites(tmp_path):
    words = ["storm flood river rain town", "storm flood river rain bridge", "flood river rain town bridge",
             "storm wind coast power rain", "storm wind coast power trees", "wind coast power trees rain",
             "storm flood wind coast rain"]
    store = SQLiteStore(tmp_path / "s.db")
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5, repair=0.5))
    article_of, rewrites = {}, 0
    for i in (6, 0, 3, 1, 4, 2, 5):  # the bridging article first: plain online glues both stories to it
        doc = ExtractedDoc(item=str(i), text=words[i], url=f"https://example.com/{i}", canonical_url=None,
                           content_hash=str(i))
        article = enrich(store, AnnotatedArticle(doc=doc, sentences=[SentenceSpan(0, 0, len(words[i]), words[i])],
                                                 mentions=[], words=5))
        rewrites += len(article.story.rewrites)
        article_of[i] = store.add_article(article)
    assert rewrites  # repair moved something, through the store's rewrite path
    story = {m.article_id: m.story_id for m in store.export(StoryArticleRow)}
    first: dict[int, int] = {}
    assert tuple(first.setdefault(story[article_of[i]], len(first)) for i in range(7)) == (0, 0, 0, 1, 1, 1, 1)
    sizes = {s.id: s.articles for s in store.export(StoryRow)}
    assert sorted(sizes.values()) == [3, 4] and set(sizes) == set(story.values())
    reloaded = load_index(store)
    assert {sid: len(k) for sid, k in reloaded.members.of_story.items()} == sizes
    assert {sid: s.size for sid, s in reloaded.stories.items()} == sizes
    store.close()


def _partition_through_store(path, words: list[str], cache: int | None, stories: int | None = None,
                             params: Params = Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5, repair=0.5)
                             ) -> tuple[tuple[int, ...], int]:
    """Each text's story (numbered by first appearance) after ingest through the enricher and the store."""
    store = SQLiteStore(path)
    enrich = StoryEnricher(params, cache=cache, stories=stories)
    ids = []
    for i, text in enumerate(words):
        doc = ExtractedDoc(item=str(i), text=text, url=f"https://example.com/{i}", canonical_url=None,
                           content_hash=str(i))
        ids.append(store.add_article(enrich(store, AnnotatedArticle(
            doc=doc, sentences=[SentenceSpan(0, 0, len(text), text)], mentions=[], words=len(text.split())))))
        assert len(enrich.index.members.cache) <= max(cache or 0, 1) + 60  # cap, passed by one neighbourhood at most
    story = {m.article_id: m.story_id for m in store.export(StoryArticleRow)}
    loads = enrich.index.members.loads if stories is None else enrich.index.stories.loads
    store.close()
    first: dict[int, int] = {}
    return tuple(first.setdefault(story[a], len(first)) for a in ids), loads


def test_evicting_member_state_leaves_the_partition_unchanged(tmp_path):
    import random

    rng = random.Random(3)
    topics = ["storm flood river rain town bridge levee", "storm wind coast power trees rain ferry",
              "bank rates inflation loans central growth", "election votes party poll leader campaign"]
    words = [" ".join(rng.sample(topics[rng.randrange(4)].split(), 4) + rng.sample(topics[rng.randrange(4)].split(), 1))
             for _ in range(30)]
    unbounded, no_loads = _partition_through_store(tmp_path / "a.db", words, None)
    tiny, loads = _partition_through_store(tmp_path / "b.db", words, 2)
    assert no_loads == 0 and loads > 0  # the tiny cache really read evicted state back from the store
    assert len(set(unbounded)) > 1 and tiny == unbounded


@pytest.mark.parametrize("repair", [None, 0.5])  # without repair the join decisions alone show a wrong reload
def test_evicting_stories_leaves_the_partition_unchanged(tmp_path, repair):
    import random

    rng = random.Random(11)
    topics = ["storm flood river rain town bridge levee 2013", "storm wind coast power trees rain ferry 2014",
              "bank rates inflation loans central growth 2013", "election votes party poll leader campaign 2012",
              "match goal league coach striker season 2014", "court judge trial jury verdict appeal 2012"]
    words = [" ".join(rng.sample(topics[rng.randrange(6)].split(), 5) + rng.sample(topics[rng.randrange(6)].split(), 2))
             for _ in range(40)]
    params = Params(threshold=0.55, repair=repair)  # text, embedding and years all count
    unbounded, no_loads = _partition_through_store(tmp_path / "a.db", words, None, None, params)
    tiny, loads = _partition_through_store(tmp_path / "b.db", words, 2, 1, params)
    assert no_loads == 0 and loads > 0  # the tiny cap really read evicted stories back from the store
    assert len(set(unbounded)) > 2 and tiny == unbounded


def test_story_cache_is_bounded_and_never_evicts_pending_stories():
    from newsgraph.errors import StoreError
    from newsgraph.stories.cache import Stories
    from newsgraph.stories.index import StoryState

    stored: dict[int, StoryState] = {}
    s = Stories(cap=2, loader=lambda ids: {i: stored[i] for i in ids if i in stored})
    for sid in range(1, 6):
        s[sid] = StoryState(id=sid, size=sid)
    assert len(s.cache) == 5  # all written since the last persist: none evicted
    stored.update({i: StoryState(id=i, size=10 * i) for i in range(1, 6)})
    s.persisted()
    assert list(s.cache) == [4, 5] and len(s) == 5
    assert s[1].size == 10 and s.loads == 1  # read back from the store
    del s[2]
    assert 2 not in s and s.get(2) is None
    s.persisted()
    assert list(s.cache) == [5, 1]
    stored.pop(3)
    try:
        s[3]
        raise AssertionError("a story the store lost must not come back as nothing")
    except StoreError:
        pass


def test_members_cache_is_bounded_and_never_evicts_pending_state():
    from newsgraph.stories.members import Members

    stored: dict[int, ArticleFeatures] = {}
    m = Members(cap=2, loader=lambda keys: {k: stored[k] for k in keys if k in stored})
    for key in range(1, 6):
        m.remember(key, DOCS[key], story_id=1)
    assert len(m.cache) == 5  # nothing persisted yet: all pending, none evicted
    stored.update({k: DOCS[k] for k in range(1, 6)})
    m.persisted()
    assert list(m.cache) == [4, 5]
    got = m.get([1, 5])
    assert [g.features.entities for g in got] == [{}, {}] and m.loads == 1
    assert list(m.cache) == [1, 5]  # the least recently used (4) went, not what was asked for
    m.remember(6, DOCS[6], story_id=2)
    assert list(m.cache) == [5, 6]
    assert m.features(2).tf == DOCS[2].tf  # read back whole


def test_a_member_moved_by_repair_gets_its_new_storys_score_and_key_sentence(tmp_path):
    texts = ["storm flood river rain town", "storm flood river rain bridge", "flood river rain town bridge",
             "storm rain flood. wind coast power trees.",  # joins the flood story, then belongs to the wind one
             "storm wind coast power trees", "wind coast power trees rain",
             "river flood bridge. storm wind coast power rain trees."]
    store = SQLiteStore(tmp_path / "s.db")
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5, repair=0.5))
    arrival, moved_scores = {}, {}
    for i in (6, 0, 1, 2, 3, 4, 5):
        text, sentences, start = texts[i], [], 0
        for j, part in enumerate(texts[i].split(". ")):
            at = text.index(part, start)
            sentences.append(SentenceSpan(j, at, at + len(part), part))
            start = at + len(part)
        doc = ExtractedDoc(item=str(i), text=text, url=f"https://example.com/{i}", canonical_url=None,
                           content_hash=str(i))
        a = enrich(store, AnnotatedArticle(doc=doc, sentences=sentences, mentions=[], words=len(text.split())))
        for r in a.story.rewrites:
            moved_scores.update({seq: (r.story_id, s) for seq, s, _ in r.moved})
        arrival[i] = (store.add_article(a), a.story.seq, a.story.story_id, a.story.score, a.story.key_sentence)
    article_id, seq, story_id, score, sentence = arrival[3]
    assert (sentence, seq in moved_scores) == (0, True)  # at arrival: the flood sentence, in the flood story
    [row] = [(m.story_id, m.score, m.key_sentence) for m in store.export(StoryArticleRow) if m.article_id == article_id]
    store.close()
    assert row[0] != story_id and row[0] == moved_scores[seq][0]
    assert row[1] == moved_scores[seq][1] != score  # its score against the story it is in now
    assert row[2] == 1  # and the wind sentence is its key sentence there


def test_store_keeps_story_entity_repeats_and_older_rows_rank_by_articles(tmp_path):
    from newsgraph.model import MentionSpan

    store = SQLiteStore(tmp_path / "s.db")
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.1, repair=0.5))

    def ingest(i: int, acme_mentions: int) -> None:
        text = "acme storm flood river rain town " + "acme " * (acme_mentions - 1)
        mentions = [MentionSpan(0, 0, 4, "acme", "ORG", "acme", "Acme")] * acme_mentions
        doc = ExtractedDoc(item=str(i), text=text, url=f"https://example.com/{i}", canonical_url=None,
                           content_hash=str(i))
        store.add_article(enrich(store, AnnotatedArticle(doc=doc, sentences=[SentenceSpan(0, 0, len(text), text)],
                                                         mentions=mentions, words=len(text.split()))))

    def stored() -> tuple[int, float]:
        [record] = store.story_records(store.story_ids()).values()
        [e] = record.entities
        return e.articles, e.repeats

    ingest(0, 3)
    assert stored() == (1, pytest.approx(math.log(3)))
    ingest(1, 1)
    assert stored() == (2, pytest.approx(math.log(3)))
    ingest(2, 2)
    assert stored() == (3, pytest.approx(math.log(3) + math.log(2)))
    story = next(iter(load_index(store).stories.values()))
    assert story.repeats[("ORG", "acme")] == pytest.approx(math.log(6))
    with sqlite3.connect(store.path) as con:  # as migration 0008 leaves a story stored before it
        con.execute("UPDATE story_entities SET repeats = 0")
    enrich.index = None  # reload from the store
    ingest(3, 4)
    assert stored() == (4, pytest.approx(math.log(4)))
    assert enrich.index.stories[story.id].repeats[("ORG", "acme")] == pytest.approx(math.log(4))
    store.close()


def _sims(score, text=None, entities=None):
    import numpy as np

    from newsgraph.stories.repair import Similarities
    s = np.array(score, dtype=float)
    return Similarities(score=s, text=np.full_like(s, 0.2) if text is None else np.array(text, dtype=float),
                        entities=np.full_like(s, 0.2) if entities is None else np.array(entities, dtype=float))


# articles 0 and 1 form a story (0.9); article 2 scores 0.35 with each: under the cut of 0.5, over attach's 0.3
FOLLOW_UP = [[1.0, 0.9, 0.35], [0.9, 1.0, 0.35], [0.35, 0.35, 1.0]]


def test_a_lone_follow_up_joins_the_story_it_is_closest_to():
    from newsgraph.stories.repair import _partition, attach_lone
    labels = _partition(_sims(FOLLOW_UP).score, 0.5)
    assert labels[2] != labels[0]  # the cut alone leaves it out
    assert attach_lone(_sims(FOLLOW_UP), labels, Params())[2] == labels[0]
    assert attach_lone(_sims(FOLLOW_UP), labels, Params(attach=0.4))[2] != labels[0]  # under the mean score


def test_attaching_needs_shared_words_and_a_shared_entity():
    from newsgraph.stories.repair import _partition, attach_lone
    labels = _partition(_sims(FOLLOW_UP).score, 0.5)
    no_words = [[1, 1, 0.05], [1, 1, 0.05], [0.05, 0.05, 1]]  # the same week, the same year, no shared words
    no_entity = [[1, 1, 0.0], [1, 1, 0.0], [0.0, 0.0, 1]]
    assert attach_lone(_sims(FOLLOW_UP, text=no_words), labels, Params())[2] != labels[0]
    assert attach_lone(_sims(FOLLOW_UP, entities=no_entity), labels, Params())[2] != labels[0]


def test_two_lone_articles_never_pair_up_and_a_close_call_stays_alone():
    from newsgraph.stories.repair import attach_lone
    lone = [[1.0, 0.4], [0.4, 1.0]]
    assert attach_lone(_sims(lone), [1, 2], Params()) == [1, 2]
    # two stories (0+1, 2+3) and an article scoring 0.35 and 0.33 with them: within the margin, it stays alone
    two = [[1, .9, 0, 0, .35], [.9, 1, 0, 0, .35], [0, 0, 1, .9, .33], [0, 0, .9, 1, .33], [.35, .35, .33, .33, 1]]
    assert attach_lone(_sims(two), [1, 1, 2, 2, 3], Params()) == [1, 1, 2, 2, 3]
    assert attach_lone(_sims(two), [1, 1, 2, 2, 3], Params(attach_margin=0.0)) == [1, 1, 2, 2, 1]


def _dated_partition(path, texts: list[tuple[str, str]], horizon: bool) -> tuple[tuple[int, ...], list[str], int, int]:
    """Each (date, text)'s story (numbered by first appearance), the story labels, and the most story and article
    states the index held in memory after any article; `horizon=False` keeps the window from evicting anything."""
    store = SQLiteStore(path)
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, threshold=0.5, repair=0.5))
    if not horizon:
        enrich._move_horizon = lambda day: None
    ids, most_stories, most_states = [], 0, 0
    for i, (day, text) in enumerate(texts):
        doc = ExtractedDoc(item=str(i), text=text, url=f"https://example.com/{i}", canonical_url=None,
                           content_hash=str(i), date=day)
        ids.append(store.add_article(enrich(store, AnnotatedArticle(
            doc=doc, sentences=[SentenceSpan(0, 0, len(text), text)], mentions=[], words=len(text.split())))))
        most_stories = max(most_stories, len(enrich.index.stories.cache))
        most_states = max(most_states, len(enrich.index.members.cache))
    story = {m.article_id: m.story_id for m in store.export(StoryArticleRow)}
    labels = sorted(s.label for s in store.export(StoryRow))
    store.close()
    first: dict[int, int] = {}
    return tuple(first.setdefault(story[a], len(first)) for a in ids), labels, most_stories, most_states


def test_stories_beyond_the_window_leave_memory_and_the_partition_is_unchanged(tmp_path):
    """Three years of news, a few articles a fortnight: only the stories (and their articles' state) within the
    60-day window of the newest article stay in memory, whatever the caps, and the stories come out the same."""
    import random
    from datetime import date, timedelta

    rng = random.Random(5)
    topics = ["storm flood river rain town bridge levee", "bank rates inflation loans central growth",
              "election votes party poll leader campaign", "match goal league coach striker season",
              "court judge trial jury verdict appeal"]
    start = date(2010, 1, 1)
    texts = [((start + timedelta(days=5 * i)).isoformat(),
              " ".join(rng.sample(topics[rng.randrange(5)].split(), 5) + [f"w{i // 4}"])) for i in range(200)]
    kept, kept_labels, kept_stories, kept_states = _dated_partition(tmp_path / "a.db", texts, horizon=False)
    bounded, labels, most_stories, most_states = _dated_partition(tmp_path / "b.db", texts, horizon=True)
    assert kept_stories > 50 and kept_states == 200  # without the horizon every story stays (the caps are 20,000)
    assert most_stories <= 25 and most_states <= 40  # about 12 articles a window, and their stories
    assert len(set(kept)) > 5 and bounded == kept and labels == kept_labels
