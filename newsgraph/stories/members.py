"""Per-article story state kept beside the story index, so local repair can re-partition a neighbourhood."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import numpy as np

from .features import ArticleFeatures, Vocabulary


@dataclass
class Member:
    """What repair needs of one article: raw term frequencies by term id (idf is applied at repair time)."""

    terms: np.ndarray  # int32 ids in Members.term_ids
    tf: np.ndarray  # float32 sublinear term frequencies
    features: ArticleFeatures  # entities, years, date, embedding, events (its tf dropped: `terms`/`tf` hold it)


@dataclass
class Members:
    """Article keys (arrival sequence numbers) per story, and each article's state."""

    term_ids: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # term id -> term
    articles: dict[int, Member] = field(default_factory=dict)
    of_story: dict[int, list[int]] = field(default_factory=dict)  # story id -> article keys, ascending
    story_of: dict[int, int] = field(default_factory=dict)
    next_key: int = 1
    moved: int = 0  # articles a repair moved to another story (for the eval)

    def remember(self, key: int, features: ArticleFeatures, story_id: int) -> None:
        ids = []
        for t in features.tf:
            i = self.term_ids.get(t)
            if i is None:
                i = self.term_ids[t] = len(self.names)
                self.names.append(t)
            ids.append(i)
        self.articles[key] = Member(np.asarray(ids, dtype=np.int32),
                                    np.fromiter(features.tf.values(), dtype=np.float32, count=len(ids)),
                                    replace(features, tf={}, sentence_terms=[]))
        self.of_story.setdefault(story_id, []).append(key)
        self.story_of[key] = story_id
        self.next_key = max(self.next_key, key + 1)

    def merge(self, keep: int, gone: int) -> None:
        moved = self.of_story.pop(gone, [])
        for key in moved:
            self.story_of[key] = keep
        self.of_story[keep] = sorted(self.of_story.get(keep, []) + moved)

    def tfidf(self, vocab: Vocabulary, key: int) -> dict[str, float]:
        """The article's unit TF-IDF vector under the current document frequencies."""
        m = self.articles[key]
        terms = [self.names[i] for i in m.terms]
        w = m.tf * np.array([vocab.idf(t) for t in terms])
        norm = float(np.linalg.norm(w)) or 1.0
        return {t: float(x) / norm for t, x in zip(terms, w, strict=True)}

    def features(self, key: int) -> ArticleFeatures:
        """The article's features with its term frequencies back (what the store persists)."""
        m = self.articles[key]
        return replace(m.features, tf={self.names[i]: float(x) for i, x in zip(m.terms, m.tf, strict=True)})


def state_json(f: ArticleFeatures) -> str:
    """An article's story state as JSON (the embedding is stored apart, as float32 bytes)."""
    return json.dumps({"tf": f.tf, "entities": [[k[0], k[1], n] for k, n in f.entities.items()],
                       "times": sorted(f.times), "date": f.date, "events": sorted(f.events)}, ensure_ascii=False)


def state_from_json(text: str, embedding: np.ndarray | None) -> ArticleFeatures:
    d = json.loads(text)
    return ArticleFeatures(tf=d["tf"], entities={(a, b): n for a, b, n in d["entities"]}, times=frozenset(d["times"]),
                           date=d["date"], sentence_terms=[], embedding=embedding, events=frozenset(d["events"]))
