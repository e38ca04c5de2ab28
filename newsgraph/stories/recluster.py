"""Periodic recluster: rebuild every story from the stored articles in date order, then merge near-duplicate stories."""
from __future__ import annotations

from ..model import AnnotatedArticle, ExtractedDoc
from ..records import StoredArticle
from ..store.base import Store
from .cluster import Params, assign, story_score
from .enrich import moved_scores
from .features import ArticleFeatures, article_features, key_sentence
from .index import INDEXED_TERMS, StoryIndex
from .persist import snapshot

# Two stories as wholes agree far more than an article with a story (centroids smooth out what sets sub-events
# apart), so merging needs a much higher score than joining. On ECB+ train any cut below 2.0 merged sub-events
# (B3 F1 0.901 -> 0.875 at 1.4); see eval/RESULTS.md.
STORY_MERGE = 2.2


def _features(a: StoredArticle) -> ArticleFeatures:
    doc = ExtractedDoc(item="", text=a.text, url=None, canonical_url=None, content_hash="", title=a.title, date=a.date)
    return article_features(AnnotatedArticle(doc=doc, sentences=a.sentences, mentions=a.mentions, words=0))


def merge_pass(index: StoryIndex, params: Params, threshold: float) -> dict[int, int]:
    """Merge each story into a candidate that scores at least `threshold` against it; returns {gone: kept}."""
    merged: dict[int, int] = {}
    for sid in sorted(index.stories):
        story = index.stories.get(sid)
        if story is None:
            continue
        top = sorted(story.centroid, key=story.centroid.get, reverse=True)[:INDEXED_TERMS]
        window = params.window_days if story.first_date else None
        best, best_score = None, threshold
        for other in index.candidates(story.entities, top, story.first_date, window, params.candidates):
            if other.id == sid:
                continue
            s = story_score(index, story, other, params)
            if s >= best_score:
                best, best_score = other, s
        if best is not None:
            index.merge(best, story)
            merged[sid] = best.id
    return merged


def recluster(store: Store, params: Params = Params(), merge_threshold: float | None = None) -> dict[str, int]:
    """Rebuild the stories (which splits stories that arrival order glued together) and merge close ones."""
    index = StoryIndex()
    members: dict[int, list] = {}
    seqs: dict[int, int] = {}
    rescored: dict[int, float] = {}
    for stored in store.story_inputs():
        aid = stored.id
        features = _features(stored)
        decision = assign(index, features, params)
        members[aid] = [decision.story.id, round(decision.score, 4), features.sentence_terms]
        if decision.key is not None:
            seqs[aid] = decision.key
        rescored.update(moved_scores(index, decision.moved, params))
    for aid, seq in seqs.items():  # local repair may have moved an article after its own assignment
        members[aid][0] = index.members.story_of[seq]
        members[aid][1] = rescored.get(seq, members[aid][1])  # scored against the story it was moved to
    before = len(index.stories)
    merged = merge_pass(index, params, STORY_MERGE if merge_threshold is None else merge_threshold)
    final: dict[int, tuple[int, float, int | None]] = {}
    for aid, (sid, s, sentence_terms) in members.items():
        while sid not in index.stories:  # follow merges, which may chain
            sid = merged[sid]
        probe = ArticleFeatures(tf={}, entities={}, times=frozenset(), date=None, sentence_terms=sentence_terms)
        final[aid] = (sid, s, key_sentence(probe, index.stories[sid].centroid))
    store.replace_stories(snapshot(index, final, seqs))
    return {"articles": len(final), "stories": len(index.stories), "built": before, "merged": len(merged)}
