"""Local batch repair: after an article is assigned, re-cluster its index neighbourhood as a small batch.

Online assignment alone depends on arrival order: an early wrong join is never undone. Repair takes the
stories the index returned for the arriving article (whole, up to `cap` articles), computes the article-to-
article join score (TF-IDF cosine + entity cosine + embedding + year agreement, with the *current* document
frequencies) and cuts an average-linkage tree at `cut`; an article the cut leaves alone may then join the closest
group (`attach_lone`). The partition of those members is written back: the story keeping most of a new group's
members keeps its id. The cost is bounded by `cap`, never by the store.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .features import agreement_matrices
from .index import StoryIndex, StoryState, day_of, entity_term
from .members import Member, Members

if TYPE_CHECKING:
    from .cluster import Params

REPAIR_CUT = 0.5  # average pairwise score a group must keep; tuned on ECB+ train (eval/RESULTS.md)
REPAIR_CAP = 60  # articles in one neighbourhood
REPAIR_STORIES = 8  # stories in one neighbourhood
_FAR = 4.0  # above any score (1 + 1 + embedding + time + dates), so distances stay >= 0


@dataclass(frozen=True)
class Similarities:
    """Pairwise scores of a neighbourhood's members: the join score, and its text and entity cosines alone."""

    score: np.ndarray
    text: np.ndarray
    entities: np.ndarray


def similarities(index: StoryIndex, hood: Members, ms: list[Member], params: Params) -> Similarities:
    """The article-to-article join score of every pair of members, decayed by date gap as a join is."""
    names = hood.names
    cols = np.unique(np.concatenate([m.terms for m in ms])) if ms else np.zeros(0, dtype=np.int32)
    idf = np.array(index.vocab.idfs(names[i] for i in cols))
    t = np.zeros((len(ms), len(cols)))
    for row, m in enumerate(ms):
        at = np.searchsorted(cols, m.terms)
        t[row, at] = m.tf * idf[at]
    t /= np.maximum(np.linalg.norm(t, axis=1), 1e-12)[:, None]
    text = t @ t.T
    entities = np.zeros_like(text)
    ents = sorted({k for m in ms for k in m.features.entities})
    if ents:
        col = {k: i for i, k in enumerate(ents)}
        e = np.zeros((len(ms), len(ents)))
        for row, m in enumerate(ms):
            for k in m.features.entities:
                e[row, col[k]] = index.entity_vocab.idf(entity_term(k))
        e /= np.maximum(np.linalg.norm(e, axis=1), 1e-12)[:, None]
        entities = e @ e.T
    s = params.text * text + params.entities * entities
    if params.embedding and all(m.features.embedding is not None for m in ms):
        v = np.stack([m.features.embedding for m in ms]).astype(np.float64)
        s += params.embedding * (v @ v.T)
    if params.time or params.dates:
        years, days = agreement_matrices([m.features.times for m in ms])
        s += params.time * years + params.dates * days
    days = np.array([_ordinal(m.features.date) for m in ms], dtype=float)
    if not np.isnan(days).all():
        gap = np.nan_to_num(np.abs(days[:, None] - days[None, :]), nan=0.0)
        decay = np.exp(-np.clip(gap - params.grace_days, 0.0, None) / params.tau_days)
        s = np.where(s > 0, s * decay, s)
    return Similarities(score=s, text=text, entities=entities)


def _ordinal(day: str | None) -> float:
    d = day_of(day)
    return float(d.toordinal()) if d else math.nan


def _partition(s: np.ndarray, cut: float) -> list[int]:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    d = np.clip(_FAR - s, 0.0, None)
    np.fill_diagonal(d, 0.0)
    return [int(c) for c in fcluster(linkage(squareform(d, checks=False), method="average"), t=_FAR - cut,
                                     criterion="distance")]


def attach_lone(sims: Similarities, labels: list[int], params: Params) -> list[int]:
    """Give each article the cut left alone to the group of two or more it scores best with on average, when that
    average reaches `params.attach`, beats the next group by `params.attach_margin`, and the article shares words
    (mean text cosine) and a key entity (best entity cosine with one member) with the group.

    A follow-up that recaps a story in its own words scores low against each member but is still closest to that
    story; only groups the cut already formed can take it, so two lone articles never pair up this way. The word
    and entity gates keep a lone article from joining a story of the same week on the year agreement and the
    embedding alone (eval/RESULTS.md, Wikinews).
    """
    out = list(labels)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(label, []).append(i)
    formed = {label: np.array(ms) for label, ms in groups.items() if len(ms) > 1}
    if not formed:
        return out
    for ms in groups.values():
        if len(ms) > 1:
            continue
        i = ms[0]
        ranked = sorted((float(sims.score[i, rows].mean()), label) for label, rows in formed.items())
        best, target = ranked[-1]
        rows = formed[target]
        if (best >= params.attach and (len(ranked) < 2 or best - ranked[-2][0] >= params.attach_margin)
                and sims.text[i, rows].mean() >= params.attach_text
                and sims.entities[i, rows].max() >= params.attach_entity):
            out[i] = target
    return out


def repair(index: StoryIndex, hood: Members, story: StoryState, candidates: list[StoryState],
           params: Params, cut: float = REPAIR_CUT, cap: int = REPAIR_CAP,
           max_stories: int = REPAIR_STORIES) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Re-partition the neighbourhood of `story` (the arriving article's) and its index candidates.

    Returns the rewritten stories, {story id: member keys} (an empty list: the story is gone), and the members that
    changed story, {key: story id}; both empty when nothing moved.
    """
    def known(s: StoryState) -> int:
        """Members with state; 0 when some are missing (clustered before state was kept): such a story stays."""
        n = len(hood.of_story.get(s.id, ()))
        return n if n == s.size else 0

    picked, total = [story.id], known(story)
    if not total or total > cap:
        return {}, {}
    for other in candidates:  # best-scoring first, as the index and scorer returned them
        size = known(other)
        if len(picked) >= max_stories:
            break
        if other.id in picked or not size or total + size > cap:
            continue
        picked.append(other.id)
        total += size
    keys = sorted(k for sid in picked for k in hood.of_story.get(sid, ()))
    if len(keys) < 2:  # a lone story of two or more may still split
        return {}, {}
    state = dict(zip(keys, hood.get(keys), strict=True))  # one load for what the cache evicted
    sims = similarities(index, hood, list(state.values()), params)
    labels = _partition(sims.score, cut)
    if params.attach is not None:
        labels = attach_lone(sims, labels, params)
    groups: dict[int, list[int]] = {}
    for k, label in zip(keys, labels, strict=True):
        groups.setdefault(label, []).append(k)
    # the story keeping most of a group's members keeps its id (ties: the older story)
    overlaps = sorted((-sum(1 for k in g if hood.story_of[k] == sid), sid, label)
                      for label, g in groups.items() for sid in {hood.story_of[k] for k in g})
    target: dict[int, int] = {}
    used: set[int] = set()
    for _, sid, label in overlaps:
        if sid not in used and label not in target:
            target[label] = sid
            used.add(sid)
    if len(used) == len(groups) and all(sorted(hood.of_story[target[label]]) == g for label, g in groups.items()):
        return {}, {}
    out: dict[int, list[int]] = {sid: [] for sid in picked}
    for label, g in sorted(groups.items()):
        sid = target.get(label)
        if sid is None:
            sid = index.new_story().id
        out[sid] = g
    moves: dict[int, int] = {}
    for sid, g in out.items():
        moved = [k for k in g if hood.story_of[k] != sid]
        hood.moved += len(moved)
        moves.update(dict.fromkeys(moved, sid))
        _rebuild(index, hood, sid, [(k, state[k]) for k in g])
    return out, moves


def _rebuild(index: StoryIndex, hood: Members, sid: int, members: list[tuple[int, Member]]) -> None:
    """Recompute a story's state from its members (key, state) with the current document frequencies."""
    if not members:
        index.stories.pop(sid, None)
        hood.of_story.pop(sid, None)
        return
    story = index.stories.get(sid) or StoryState(id=sid)
    story.__init__(id=sid)
    index.stories[sid] = story
    for k, m in members:
        f = m.features
        index.add(story, hood.tfidf(index.vocab, m), f.entities, f.times, f.date, f.embedding, f.events, f.repeated,
                  relabel=False)
        hood.story_of[k] = sid
    story.label = index.label(story)  # once, not per member
    hood.of_story[sid] = [k for k, _ in members]

