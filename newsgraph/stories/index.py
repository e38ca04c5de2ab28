"""Story index: story states (an LRU cache over the store, cache.py) plus inverted indexes by entity and by
centroid term, bounded by recency. Ties are broken by term or key, never by dict order, so a story read back from
the store (whose rows have no order) scores and grows exactly as the evicted one would have."""
from __future__ import annotations

import heapq
import math
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .cache import Stories, day_of
from .features import Vocabulary
from .members import Members
from .prior import entity_prior, term_prior

CENTROID_TERMS = 80  # a story's centroid keeps its heaviest terms only, so its cost stays flat
INDEXED_TERMS = 12  # centroid terms a story is findable by
POSTINGS = 64
SETTING = frozenset({"GPE", "LOC", "NORP", "FAC"})  # where a story happens, rarely what it is about  # stories kept per entity or term: the most recently updated ones


def heaviest(weights: dict[str, float], n: int) -> list[tuple[str, float]]:
    """The `n` heaviest (term, weight) pairs, ties broken by term (not by insertion order)."""
    return heapq.nlargest(n, weights.items(), key=lambda kv: (kv[1], kv[0]))


def entity_term(key: tuple[str, str]) -> str:
    return f"{key[0]}:{key[1]}"


WORD = re.compile(r"[\w&'.-]+")  # words of a name without brackets or commas: "Center (NHC" has "NHC"
LINK_WORDS = frozenset({"of", "the", "and", "for", "de", "&"})


def initials(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w.lower() not in LINK_WORDS).upper()


def same_entity(name: str, other: str) -> bool:
    """Aliases the NER and canonicaliser left apart: "Wen" beside "Wen Jiabao", "IMF" beside
    "International Monetary Fund"."""
    words, other_words = WORD.findall(name), WORD.findall(other)
    if words == other_words or (len(words) == 1 and words[0] in other_words) or (
            len(other_words) == 1 and other_words[0] in words):
        return True
    short, long_ = sorted((name, other), key=len)
    return acronym_of(short, long_)


def acronym_of(short: str, long_: str) -> bool:
    """"IMF" of "International Monetary Fund": capitals that are the initials of a name of several words."""
    return short.isupper() and len(short) > 1 and " " in long_ and short == initials(long_)


def spelled_out(name: str, names) -> str:
    """An acronym's full name when the story has it ("CFPB" -> "Consumer Financial Protection Bureau"): articles
    spell a name out once and use the acronym after, so the acronym is the more salient of the two."""
    if not (name.isupper() and 1 < len(name) <= 8 and name.isalpha()):
        return name
    return min((n for n in names if acronym_of(name, n)), key=lambda n: (-len(n), n), default=name)


def vector_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32).copy()


def days_between(a: str | None, b: str | None) -> int | None:
    da, db = day_of(a), day_of(b)
    return abs((da - db).days) if da and db else None


@dataclass
class StoryState:
    id: int
    label: str = ""
    first_date: str | None = None
    last_date: str | None = None
    size: int = 0
    centroid: dict[str, float] = field(default_factory=dict)  # sum of member TF-IDF unit vectors
    entities: Counter = field(default_factory=Counter)  # (label, key) -> member articles mentioning it
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    times: Counter = field(default_factory=Counter)
    vector: np.ndarray | None = None  # sum of member lead embeddings (DIM floats, whatever the story's size)
    events: Counter = field(default_factory=Counter)  # event type -> member articles reporting one
    # (label, key) -> sum over the members of repeats(mentions), for the entities some member names more than once:
    # with `entities`, how much the story is about each (its label's order)
    repeats: Counter = field(default_factory=Counter)

    def gap_days(self, day: str | None) -> int | None:
        """Days from `day` to the story's date range; 0 inside it, None when either is undated."""
        if not day or not self.first_date:
            return None
        if self.first_date <= day <= (self.last_date or self.first_date):
            return 0
        return min(days_between(day, self.first_date) or 0, days_between(day, self.last_date) or 0)


def repeats(mentions: int) -> float:
    """What an article's further mentions of an entity add to its weight in a story's label: an article naming it
    once counts 1, one naming it n times 1 + log(n), so a story is about what its articles keep naming."""
    return math.log(mentions) if mentions > 1 else 0.0


def story_entity_rows(story: StoryState) -> list[tuple[str, str, str, int, float]]:
    """A story's entities as the store keeps them: label, key, name, member articles, summed repeats."""
    return [(*k, story.names[k], n, story.repeats.get(k, 0.0)) for k, n in story.entities.items()]


@dataclass
class StoryIndex:
    """Everything the online clusterer needs; the store persists it (see store/sqlite_stories.py) and reads evicted
    stories back (`stories.loader`)."""

    stories: Stories = field(default_factory=Stories)
    # Terms and entities start from general-news document frequencies (stories/prior.py).
    vocab: Vocabulary = field(default_factory=lambda: Vocabulary(prior=term_prior()))
    entity_vocab: Vocabulary = field(default_factory=lambda: Vocabulary(prior=entity_prior()))
    by_entity: dict[tuple[str, str], OrderedDict] = field(default_factory=dict)
    by_term: dict[str, OrderedDict] = field(default_factory=dict)
    next_id: int = 1
    version: int = 0
    members: Members | None = field(default_factory=Members)  # per-article state for local repair

    def post(self, postings: dict, key, story_id: int) -> None:
        ids = postings.get(key)
        if ids is None:
            ids = postings[key] = OrderedDict()
        ids[story_id] = None
        ids.move_to_end(story_id)
        if len(ids) > POSTINGS:
            ids.popitem(last=False)

    def candidates(self, entities, terms: list[str], day: str | None, window_days: int | None,
                   limit: int) -> list[StoryState]:
        """Stories sharing an entity or a top term with the article, most shared first; never a scan."""
        hits: Counter = Counter()
        for key in entities:
            for sid in self.by_entity.get(key, ()):
                hits[sid] += 2
        for term in terms:
            for sid in self.by_term.get(term, ()):
                hits[sid] += 1
        found: list[StoryState] = []
        ranked = [sid for sid, _ in hits.most_common()
                  if sid in self.stories and not self._outside(sid, day, window_days)]  # postings outlive merges
        for i in range(0, len(ranked), limit):  # evicted stories are read back a batch at a time
            for story in self.stories.many(ranked[i:i + limit]):
                gap = story.gap_days(day) if window_days is not None else None
                if gap is not None and gap > window_days:
                    continue
                found.append(story)
                if len(found) >= limit:
                    return found
        return found

    def _outside(self, sid: int, day: str | None, window_days: int | None) -> bool:
        """An evicted story known, from its stored dates, to lie beyond the window (no need to read it back)."""
        dates = self.stories.dates(sid) if window_days is not None else None
        if dates is None:
            return False
        gap = StoryState(id=sid, first_date=dates[0], last_date=dates[1]).gap_days(day)
        return gap is not None and gap > window_days

    def new_story(self) -> StoryState:
        story = StoryState(id=self.next_id)
        self.next_id += 1
        self.stories[story.id] = story
        return story

    def add(self, story: StoryState, vec: dict[str, float], entities: dict, times, day: str | None,
            embedding: np.ndarray | None = None, events=(), repeated: dict | None = None, relabel: bool = True) -> None:
        """Fold one article into `story` and re-post it in the indexes (`repeated`: its entities named more than once,
        with their mentions). `relabel=False` leaves the label to the caller, who folds in several articles."""
        story.events.update(events)
        if embedding is not None:
            story.vector = embedding.copy() if story.vector is None else story.vector + embedding
        c = story.centroid
        for t, w in vec.items():
            c[t] = c.get(t, 0.0) + w
        if len(c) > CENTROID_TERMS:
            story.centroid = c = dict(heaviest(c, CENTROID_TERMS))
        for key, name in entities.items():
            story.entities[key] += 1
            if repeated and key in repeated:
                story.repeats[key] += repeats(repeated[key])
            story.names.setdefault(key, name)
            self.post(self.by_entity, key, story.id)
        story.times.update(times)
        story.size += 1
        if day:
            story.first_date = min(story.first_date or day, day)
            story.last_date = max(story.last_date or day, day)
        for t, _ in heaviest(c, INDEXED_TERMS):
            self.post(self.by_term, t, story.id)
        if relabel:
            story.label = self.label(story)

    def label(self, story: StoryState, n: int = 3) -> str:
        """Key entities plus the dominant event type, when the story's articles report events."""
        names = self.key_names(story, n)
        if story.events:
            # most articles first, then the alphabet, so the label does not flip on ties
            event, count = min(story.events.items(), key=lambda kv: (-kv[1], kv[0]))
            if 2 * count >= story.size:  # dominant: reported by at least half the articles, not a stray extraction
                return f"{names}: {event}" if names else event
        return names

    def key_names(self, story: StoryState, n: int = 3) -> str:
        """Key entities: named often in the story's articles (1 + log mentions each) and rare elsewhere; places and
        groups only break ties with actors. Mentions, not only presence: in a one-article story every entity is
        present once, and the rarest is often a by-name or a parse error ("Notes"), not what the story is about."""
        if story.entities:
            def weight(kv) -> float:
                (label, _), count = kv
                return ((count + story.repeats.get(kv[0], 0.0)) * self.entity_vocab.idf(entity_term(kv[0]))
                        * (0.6 if label in SETTING else 1.0))

            names: list[str] = []
            keys: set[str] = set()
            for key, _ in sorted(story.entities.items(), key=lambda kv: (weight(kv), kv[0]), reverse=True):
                name = spelled_out(story.names[key], story.names.values())
                alias = next((i for i, other in enumerate(names) if same_entity(name, other)), None)
                if alias is not None:  # one entity, shown by its fullest name: "Wen Jiabao", not "Wen"
                    names[alias] = max(names[alias], name, key=len)
                elif key[1] not in keys:
                    names.append(name)
                    keys.add(key[1])  # "EU" tagged ORG and GPE is one entity in a label
                if len(names) == n:
                    break
            return " · ".join(names)
        return " · ".join(t for t, _ in heaviest(story.centroid, n))

    def merge(self, keep: StoryState, gone: StoryState) -> None:
        """Fold story `gone` into `keep` (recluster); postings of `gone` are left to age out."""
        for t, w in gone.centroid.items():
            keep.centroid[t] = keep.centroid.get(t, 0.0) + w
        keep.centroid = dict(heaviest(keep.centroid, CENTROID_TERMS))
        keep.entities.update(gone.entities)
        keep.repeats.update(gone.repeats)
        for k, v in gone.names.items():
            keep.names.setdefault(k, v)
        keep.times.update(gone.times)
        keep.events.update(gone.events)
        if gone.vector is not None:
            keep.vector = gone.vector.copy() if keep.vector is None else keep.vector + gone.vector
        keep.size += gone.size
        dates = [d for d in (keep.first_date, keep.last_date, gone.first_date, gone.last_date) if d]
        keep.first_date, keep.last_date = (min(dates), max(dates)) if dates else (None, None)
        for key in gone.entities:
            self.post(self.by_entity, key, keep.id)
        del self.stories[gone.id]
        keep.label = self.label(keep)
        if self.members is not None:
            self.members.merge(keep.id, gone.id)
