"""Online story assignment: each article joins its best candidate story or starts a new one; stories decay with time."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from .features import ArticleFeatures, cosine, tfidf
from .index import StoryIndex, StoryState, entity_term


@dataclass(frozen=True)
class Params:
    """Weights and threshold of the join decision; defaults tuned on ECB+ train (see eval/RESULTS.md)."""

    text: float = 1.0  # TF-IDF cosine, article vs story centroid
    entities: float = 1.0  # idf-weighted cosine of canonical entities
    time: float = 0.3  # + when the article's years agree with the story's, - when they conflict
    threshold: float = 0.5
    grace_days: int = 14  # a story's news keeps coming for a while: no decay within this many days of its range
    tau_days: float = 45.0  # then the score falls by e every tau days (a story five years on is another story)
    window_days: int | None = 60  # stories further than this from the article's date are not candidates
    candidates: int = 40
    query_terms: int = 10


@dataclass(frozen=True)
class Decision:
    story: StoryState
    score: float
    new: bool
    vector: dict[str, float]


def _entity_vec(index: StoryIndex, counts) -> dict[str, float]:
    return {entity_term(k): n * index.entity_vocab.idf(entity_term(k)) for k, n in counts.items()}


def _time_agreement(times, story_times) -> float:
    years = {t for t in times if len(t) == 4}
    story_years = {t for t in story_times if len(t) == 4}
    if not years or not story_years:
        return 0.0
    return 1.0 if years & story_years else -1.0


def score(index: StoryIndex, story: StoryState, vec: dict[str, float], features: ArticleFeatures,
          params: Params) -> float:
    s = params.text * cosine(vec, story.centroid)
    if features.entities and story.entities:
        doc_ents = _entity_vec(index, {k: 1 for k in features.entities})
        story_ents = _entity_vec(index, story.entities)
        s += params.entities * cosine(doc_ents, story_ents)
    s += params.time * _time_agreement(features.times, story.times)
    gap = story.gap_days(features.date)
    if gap and gap > params.grace_days and s > 0:
        s *= math.exp(-(gap - params.grace_days) / params.tau_days)
    return s


def assign(index: StoryIndex, features: ArticleFeatures, params: Params = Params()) -> Decision:
    """Put one article in a story (existing or new) and update the index with it."""
    index.vocab.add(features.tf)
    index.entity_vocab.add(entity_term(k) for k in features.entities)
    vec = tfidf(features.tf, index.vocab)
    top = [t for t, _ in heapq.nlargest(params.query_terms, vec.items(), key=lambda kv: kv[1])]
    window = params.window_days if features.date else None
    best, best_score = None, -math.inf
    for story in index.candidates(features.entities, top, features.date, window, params.candidates):
        s = score(index, story, vec, features, params)
        if s > best_score:
            best, best_score = story, s
    new = best is None or best_score < params.threshold
    story = index.new_story() if new else best
    index.add(story, vec, features.entities, features.times, features.date)
    return Decision(story=story, score=0.0 if new else best_score, new=new, vector=vec)
