"""Per-article story state kept beside the story index, so local repair can re-partition a neighbourhood.

Which story each article is in is kept for every article (two ints). The state itself (term frequencies,
entities, years, date, events, lead embedding: a few KB) is kept in a bounded LRU cache when a loader can read
evicted state back from the store (`story_article_state`), so the clusterer's memory stays flat as the corpus
grows. State never changes once an article is remembered, so a reloaded member is the one that was evicted and
the clustering does not depend on the cache size.
"""
from __future__ import annotations

import json
from bisect import insort
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import StoreError
from .features import ArticleFeatures, Vocabulary


def read_back(missing: list, loader: Callable | None, what: str) -> dict:
    """The evicted states of `missing` from the store in one call: a key the store lacks is an error, not a gap."""
    if loader is None:
        raise KeyError(f"no {what} {missing[:5]}")
    loaded = loader(missing)
    lost = [k for k in missing if k not in loaded]
    if lost:
        raise StoreError(f"the store has no {what} {lost[:5]}")
    return loaded


def evict(cache: OrderedDict, cap: int | None, loader: Callable | None, keep,
          stale: Callable[[object], bool] | None = None) -> None:
    """Drop the least recently used entries of `cache` down to `cap`, then on while the least recently used is
    `stale` (its key), never one in `keep`; nothing is dropped without a `loader` to read it back."""
    if loader is None:
        return
    excess = 0 if cap is None else len(cache) - cap
    if excess <= 0 and stale is None:
        return
    drop = []
    for k in cache:  # oldest first; kept keys are recent, so this stops early
        if k in keep:
            continue
        if len(drop) < excess or (stale is not None and stale(k)):
            drop.append(k)
        else:
            break
    for k in drop:
        del cache[k]


DEFAULT_CAP = 20_000  # articles whose state stays in memory (about 4 KB each on Wikinews; eval/RESULTS.md)

# Reads the state of articles (by key) back from where the enricher persisted it.
Loader = Callable[[list[int]], dict[int, ArticleFeatures]]


@dataclass
class Member:
    """What repair needs of one article: raw term frequencies by term id (idf is applied at repair time)."""

    terms: np.ndarray  # int32 ids in Members.term_ids
    tf: np.ndarray  # float32 sublinear term frequencies
    features: ArticleFeatures  # entities, years, date, embedding, events (its tf dropped: `terms`/`tf` hold it)


@dataclass
class Members:
    """Article keys (arrival sequence numbers) per story, and each article's state (cached, see the module doc).

    Without a `loader` nothing is evicted (the eval and recluster hold every article anyway). Articles remembered
    since the store last confirmed a write are `pending`: not persisted yet, so never evicted."""

    term_ids: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # term id -> term
    cache: OrderedDict[int, Member] = field(default_factory=OrderedDict)  # least recently used first
    of_story: dict[int, list[int]] = field(default_factory=dict)  # story id -> article keys, ascending
    story_of: dict[int, int] = field(default_factory=dict)
    next_key: int = 1
    moved: int = 0  # articles a repair moved to another story (for the eval)
    cap: int | None = DEFAULT_CAP
    loader: Loader | None = None
    pending: set[int] = field(default_factory=set)
    loads: int = 0  # states read back through the loader (for tests and the benchmark)
    # article key -> True when its state can wait in the store: its story is out of every window ahead (cache.py)
    stale: Callable[[int], bool] | None = None

    def place(self, key: int, story_id: int) -> None:
        """Record that article `key` is in `story_id` (its state stays wherever it is)."""
        self.of_story.setdefault(story_id, []).append(key)
        self.story_of[key] = story_id
        self.next_key = max(self.next_key, key + 1)

    def move(self, key: int, story_id: int) -> None:
        """Article `key` is now in `story_id` (another process placed or moved it: stories/persist.py refresh)."""
        old = self.story_of.get(key)
        if old == story_id:
            return
        if old is not None and key in self.of_story.get(old, ()):
            self.of_story[old].remove(key)
        insort(self.of_story.setdefault(story_id, []), key)
        self.story_of[key] = story_id
        self.next_key = max(self.next_key, key + 1)

    def remember(self, key: int, features: ArticleFeatures, story_id: int) -> None:
        """A new article: its place, and its state, held until the store has it."""
        self._put(key, features)
        self.pending.add(key)
        self.place(key, story_id)
        self._trim(())

    def persisted(self) -> None:
        """The store now holds every pending article's state: they may be evicted."""
        self.pending.clear()
        self._trim(())

    def _put(self, key: int, features: ArticleFeatures) -> None:
        ids = []
        for t in features.tf:
            i = self.term_ids.get(t)
            if i is None:
                i = self.term_ids[t] = len(self.names)
                self.names.append(t)
            ids.append(i)
        self.cache[key] = Member(np.asarray(ids, dtype=np.int32),
                                 np.fromiter(features.tf.values(), dtype=np.float32, count=len(ids)),
                                 replace(features, tf={}, sentence_terms=[]))

    def get(self, keys: list[int]) -> list[Member]:
        """The members of `keys`, loading the evicted ones in one call; the cache may pass its cap by len(keys)
        until the next call, so what the caller holds is not evicted under it."""
        missing = [k for k in keys if k not in self.cache]
        if missing:
            loaded = read_back(missing, self.loader, "story state for article keys")
            for k in missing:
                self._put(k, loaded[k])
            self.loads += len(missing)
        for k in keys:
            self.cache.move_to_end(k)
        out = [self.cache[k] for k in keys]
        self._trim(set(keys))
        return out

    def _trim(self, keep) -> None:
        """Evict least recently used state down to `cap`, never a pending article's nor one in `keep`."""
        evict(self.cache, self.cap, self.loader, self.pending.union(keep), self.stale)

    def merge(self, keep: int, gone: int) -> None:
        moved = self.of_story.pop(gone, [])
        for key in moved:
            self.story_of[key] = keep
        self.of_story[keep] = sorted(self.of_story.get(keep, []) + moved)

    def tfidf(self, vocab: Vocabulary, m: Member) -> dict[str, float]:
        """The member's unit TF-IDF vector under the current document frequencies."""
        terms = [self.names[i] for i in m.terms]
        w = m.tf * np.array([vocab.idf(t) for t in terms])
        norm = float(np.linalg.norm(w)) or 1.0
        return {t: float(x) / norm for t, x in zip(terms, w, strict=True)}

    def features(self, key: int) -> ArticleFeatures:
        """The article's features with its term frequencies back (what the store persists)."""
        m = self.get([key])[0]
        return replace(m.features, tf={self.names[i]: float(x) for i, x in zip(m.terms, m.tf, strict=True)})


def state_json(f: ArticleFeatures) -> str:
    """An article's story state as JSON (the embedding is stored apart, as float32 bytes)."""
    return json.dumps({"tf": f.tf, "entities": [[k[0], k[1], n] for k, n in f.entities.items()],
                       "times": sorted(f.times), "date": f.date, "events": sorted(f.events),
                       "repeated": [[k[0], k[1], n] for k, n in f.repeated.items()]}, ensure_ascii=False)


def state_from_json(text: str, embedding: np.ndarray | None) -> ArticleFeatures:
    d = json.loads(text)
    return ArticleFeatures(tf=d["tf"], entities={(a, b): n for a, b, n in d["entities"]}, times=frozenset(d["times"]),
                           date=d["date"], sentence_terms=[], embedding=embedding, events=frozenset(d["events"]),
                           repeated={(a, b): n for a, b, n in d.get("repeated", ())})  # absent before labels used it
