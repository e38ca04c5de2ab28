"""Online story assignment: each article joins its best candidate story or starts a new one; stories decay with time."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np

from .features import ArticleFeatures, cosine, date_agreement, tfidf, year_agreement
from .index import StoryIndex, StoryState, entity_term
from .repair import REPAIR_CUT, repair


@dataclass(frozen=True)
class Params:
    """Weights and threshold of the join decision; defaults tuned on ECB+ train (see eval/RESULTS.md)."""

    text: float = 1.0  # TF-IDF cosine, article vs story centroid
    entities: float = 1.0  # idf-weighted cosine of canonical entities
    embedding: float = 0.25  # cosine of the article's lead embedding and the story's mean lead embedding
    time: float = 0.3  # + when the article's years agree with the story's, - when they conflict
    dates: float = 0.6  # + when the article names a calendar day ("Nov. 27") the story names too
    threshold: float = 0.625
    grace_days: int = 14  # a story's news keeps coming for a while: no decay within this many days of its range
    tau_days: float = 45.0  # then the score falls by e every tau days (a story five years on is another story)
    window_days: int | None = 60  # stories further than this from the article's date are not candidates
    candidates: int = 40
    query_terms: int = 10
    repair: float | None = REPAIR_CUT  # cut of the local batch repair after each join (None: off); see repair.py
    attach: float | None = 0.3  # repair gives an article the cut left alone to the best formed group at this mean score
    attach_margin: float = 0.05  # ... when it beats the next group by this much,
    attach_text: float = 0.1  # its mean TF-IDF cosine with the group reaches this
    attach_entity: float = 0.1  # and its entity cosine with some member reaches this


@dataclass(frozen=True)
class Decision:
    story: StoryState
    score: float
    new: bool
    vector: dict[str, float]
    key: int | None = None  # the article's key in index.members (None when repair is off)
    rewritten: dict[int, list[int]] = field(default_factory=dict)  # stories repair re-partitioned: id -> member keys
    moved: dict[int, int] = field(default_factory=dict)  # members repair moved to another story: key -> story id


def _time_agreement(times, other_times, params: Params) -> float:
    """The stated years' agreement and a shared calendar day, weighted (repair has the matrix form)."""
    return params.time * year_agreement(times, other_times) + params.dates * date_agreement(times, other_times)


def _entity_vec(index: StoryIndex, counts) -> dict[str, float]:
    return {entity_term(k): n * index.entity_vocab.idf(entity_term(k)) for k, n in counts.items()}


def article_entities(index: StoryIndex, features: ArticleFeatures) -> dict[str, float]:
    """The article's entity vector as `score` weighs it (each key entity once, by its idf)."""
    return _entity_vec(index, {k: 1 for k in features.entities})


def _decay(s: float, gap: int | None, params: Params) -> float:
    """A positive score falls by e every tau days once the gap passes the grace period."""
    if gap and gap > params.grace_days and s > 0:
        return s * math.exp(-(gap - params.grace_days) / params.tau_days)
    return s


def score(index: StoryIndex, story: StoryState, vec: dict[str, float], features: ArticleFeatures,
          params: Params, doc_ents: dict[str, float] | None = None) -> float:
    """The article's join score against `story`; `doc_ents`: `article_entities` of it, when the caller scores it
    against many stories (the same for each)."""
    s = params.text * cosine(vec, story.centroid)
    if features.entities and story.entities:
        doc_ents = article_entities(index, features) if doc_ents is None else doc_ents
        story_ents = _entity_vec(index, story.entities)
        s += params.entities * cosine(doc_ents, story_ents)
    if params.embedding and features.embedding is not None and story.vector is not None:
        norm = float(np.linalg.norm(story.vector))
        if norm:
            s += params.embedding * float(features.embedding @ story.vector) / norm
    s += _time_agreement(features.times, story.times, params)
    return _decay(s, story.gap_days(features.date), params)


def _cosine_vectors(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm else 0.0


def story_score(index: StoryIndex, a: StoryState, b: StoryState, params: Params) -> float:
    """The join score of two stories, each taken as a whole: the same signals as an article against a story."""
    s = params.text * cosine(a.centroid, b.centroid)
    if a.entities and b.entities:
        s += params.entities * cosine(_entity_vec(index, a.entities), _entity_vec(index, b.entities))
    s += params.embedding * _cosine_vectors(a.vector, b.vector)
    s += _time_agreement(a.times, b.times, params)
    gap = b.gap_days(a.first_date) if a.first_date else None
    if gap is not None and a.last_date:
        gap = min(gap, b.gap_days(a.last_date) or 0)
    return _decay(s, gap, params)


def assign(index: StoryIndex, features: ArticleFeatures, params: Params = Params()) -> Decision:
    """Put one article in a story (existing or new) and update the index with it."""
    index.vocab.add(features.tf)
    index.entity_vocab.add(entity_term(k) for k in features.entities)
    vec = tfidf(features.tf, index.vocab)
    top = [t for t, _ in heapq.nlargest(params.query_terms, vec.items(), key=lambda kv: kv[1])]
    window = params.window_days if features.date else None
    doc_ents = article_entities(index, features)  # the index does not change while the candidates are scored
    scored = [(score(index, story, vec, features, params, doc_ents), story)
              for story in index.candidates(features.entities, top, features.date, window, params.candidates)]
    scored.sort(key=lambda x: (-x[0], x[1].id))
    best, best_score = scored[0][1] if scored else None, scored[0][0] if scored else -math.inf
    new = best is None or best_score < params.threshold
    story = index.new_story() if new else best
    index.add(story, vec, features.entities, features.times, features.date, features.embedding,
              features.events, features.repeated)
    key, rewritten, moved, members = None, {}, {}, index.members
    if params.repair is not None and members is not None:
        key = members.next_key
        members.remember(key, features, story.id)
        rewritten, moved = repair(index, members, story, [s for _, s in scored], params, cut=params.repair)
        story = index.stories[members.story_of[key]]
    return Decision(story=story, score=0.0 if new else best_score, new=new, vector=vec, key=key, rewritten=rewritten,
                    moved=moved)
