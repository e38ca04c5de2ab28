"""Two clusterers on one store (two ingest processes): each refreshes its index from the store's story change log,
on every backend, and ends where one clusterer would, with no whole reload after the first."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from newsgraph.records import ArticleRow, StoryArticleRow
from newsgraph.store import open_store
from newsgraph.stories import enrich as enrich_module
from newsgraph.stories.cluster import Params
from newsgraph.stories.enrich import StoryEnricher
from newsgraph.stories.persist import load_index, refresh
from newsgraph.stories.recluster import recluster
from test_store_contract import STORM, consistent, make, store, target  # noqa: F401  (fixtures)

# Repair on, other signals off: small texts re-partition their neighbourhoods, so the log carries rewrites,
# emptied stories and moved members, not only one story per article.
PARAMS = Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5, repair=0.5)
TOPICS = [*STORM, "merger bank shares deal board", "bank shares deal board vote", "election vote party poll city",
          "party poll city mayor vote", "merger bank deal rain storm"]
ORDER = [6, 0, 3, 1, 4, 2, 5, 7, 9, 8, 11, 10]


def corpus() -> list:
    rows = []
    for rep, i in itertools.product(range(2), ORDER):
        rows.append(make(f"https://r.example/{rep}/{i}", [f"{TOPICS[i]} {rep}", TOPICS[i]],
                         date=f"2020-03-{1 + (i + 3 * rep) % 20:02d}"))
    return rows


def partition(store) -> set[frozenset[str]]:
    urls = {a.id: a.url for a in store.export(ArticleRow)}
    groups: dict[int, set[str]] = {}
    for m in store.export(StoryArticleRow):
        groups.setdefault(m.story_id, set()).add(urls[m.article_id])
    return {frozenset(g) for g in groups.values()}


def same_index(got, want) -> None:
    """An index refreshed from the log holds what one read whole from the store holds."""
    assert list(got.stories) == list(want.stories)
    for sid in want.stories:
        g, w = got.stories[sid], want.stories[sid]
        assert (g.size, g.label, g.first_date, g.last_date) == (w.size, w.label, w.first_date, w.last_date), sid
        assert g.centroid == pytest.approx(w.centroid) and g.entities == w.entities and g.times == w.times
        assert g.events == w.events and dict(g.repeats) == pytest.approx(dict(w.repeats))
        assert (g.vector is None) == (w.vector is None) and (g.vector is None or np.allclose(g.vector, w.vector))
    assert got.vocab.docs == want.vocab.docs and got.vocab.df == want.vocab.df
    assert got.entity_vocab.df == want.entity_vocab.df
    assert got.members.story_of == want.members.story_of
    assert {s: k for s, k in got.members.of_story.items() if k} == {s: k for s, k in want.members.of_story.items() if k}
    assert got.members.next_key == want.members.next_key and got.next_id >= want.next_id
    assert got.version == want.version


def test_two_clusterers_refresh_from_the_log_and_match_one(store, tmp_path, monkeypatch):
    loads = []
    monkeypatch.setattr(enrich_module, "load_index", lambda s, cap: loads.append(1) or load_index(s, cap))
    rows = corpus()
    one = open_store(str(tmp_path / "one.db"))
    try:
        single = StoryEnricher(PARAMS)
        for a in rows:
            one.add_article(single(one, a))
        assert len(loads) == 1  # one clusterer alone: its index is always current, never re-read
        expected = partition(one)
    finally:
        one.close()

    pair = [StoryEnricher(PARAMS), StoryEnricher(PARAMS)]
    rewrites = 0
    for i, a in enumerate(rows):  # the two take turns, as two ingesters under the ingest lock do
        writer, other = pair[i % 2], pair[(i + 1) % 2]
        a = writer(store, a)
        rewrites += len(a.story.rewrites)
        store.add_article(a)
        if other.index is not None:
            assert refresh(other.index, store)  # the log says what changed: no whole reload
            same_index(other.index, load_index(store, None))
    assert rewrites and len(loads) == 3  # repairs went through the log; each clusterer loaded once, at its start
    assert partition(store) == expected  # the same stories as one clusterer
    consistent(store)


def test_a_delete_or_recluster_makes_the_next_article_reload(store):
    enrich = StoryEnricher(PARAMS)
    rows = corpus()[:6]
    ids = [store.add_article(enrich(store, a)) for a in rows[:4]]
    version = enrich.index.version
    assert not store.story_changes(version).reload and store.story_changes(version).stories == {}
    assert store.story_changes(version + 1).reload  # an index ahead of the store (its write failed) reloads
    store.delete_article(ids[0])
    assert store.story_changes(version).reload  # the log does not describe a delete
    index = enrich.index
    store.add_article(enrich(store, rows[4]))
    assert enrich.index is not index  # reloaded whole
    recluster(store)
    assert store.story_changes(enrich.index.version).reload
    store.add_article(enrich(store, rows[5]))
    consistent(store)


def test_a_write_that_did_not_land_makes_the_next_article_reload(store):
    enrich, other = StoryEnricher(PARAMS), StoryEnricher(PARAMS)
    rows = corpus()[:4]
    store.add_article(enrich(store, rows[0]))
    store.add_article(other(store, rows[1]))
    enrich(store, rows[2])  # assigned in memory, never stored (its transaction failed)
    store.add_article(other(store, rows[3]))  # the other process reaches the very version the lost one had
    index = enrich.index
    assert store.story_changes(index.version).version == index.version  # versions alone cannot tell
    store.add_article(enrich(store, corpus()[5]))
    assert enrich.index is not index  # the lost article was seen missing: reloaded whole
    assert sum(s.size for s in enrich.index.stories.values()) == 4
    consistent(store)
