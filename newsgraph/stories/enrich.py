"""The ingest enricher that puts each article in a story; the store writes it in add_article's transaction."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from ..model import AnnotatedArticle, StoryAssignment, StoryRewrite
from ..store.base import Store
from .cache import DEFAULT_STORIES
from .cluster import Params, assign, score
from .features import TextFeatures, article_features, key_sentence, text_features
from .index import StoryIndex, day_of, repeats, story_entity_rows, vector_bytes
from .members import DEFAULT_CAP, state_json
from .persist import load_index, moved_key_sentences, refresh


class StoryEnricher:
    """Keeps the story index in memory between articles, brings it up to date with what other processes wrote
    (the store's change log) and reloads it whole when the log cannot tell.

    Per-article repair state is cached for the `cache` most recently used articles and story state for the
    `stories` most recently used stories, both read back from the store beyond that (stories/members.py,
    stories/cache.py), so memory does not grow with every article ever clustered.

    The index is updated when an article is assigned; if that article's transaction then fails, the next
    article finds it missing from the store and reloads the index.
    """

    def __init__(self, params: Params = Params(), cache: int | None = DEFAULT_CAP,
                 stories: int | None = DEFAULT_STORIES):
        self.params = params
        self.cache = cache  # articles whose repair state stays in memory (None: all); the rest is read back
        self.stories = stories  # stories whose state stays in memory (None: all); the rest is read back
        self.index: StoryIndex | None = None
        self.written: str | None = None  # the identity of the article last assigned, until the store confirms it

    def _up_to_date(self, store: Store) -> bool:
        """Bring the index up to the store (other processes' stories, from the change log); False when it must be
        reloaded whole: none yet, the last assignment's write did not land (the index holds an article the store
        lacks, even if another writer has reached the same version), or the log cannot tell."""
        if self.index is None or (self.written is not None and not store.has_article(self.written)):
            return False
        self.index.members.persisted()  # the store has the last article's state: it may be evicted now
        self.index.stories.persisted()  # and every story as the last article left it
        return refresh(self.index, store)

    def prepare(self, article: AnnotatedArticle) -> TextFeatures:
        """The store-free part (terms, sentence terms, the lead's embedding), run before the ingest lock."""
        return text_features(article)

    def decide(self, store: Store, article: AnnotatedArticle, prepared: TextFeatures) -> AnnotatedArticle:
        """Assign the article (its mentions as resolved by now) to a story, under the ingest lock."""
        if not self._up_to_date(store):
            self.index = load_index(store, self.stories)
            self.index.members.cap = self.cache
            stories, members = self.index.stories, self.index.members
            members.stale = lambda key: stories.stale(members.story_of.get(key))
        self.written = article.doc.identity
        features = article_features(article, text=prepared)
        decision = assign(self.index, features, self.params)
        self._move_horizon(features.date)
        self.index.version += 1
        story = decision.story
        moved = moved_scores(self.index, decision.moved, self.params)
        rewrites = [rewrite(self.index, sid, keys, moved, decision.key)
                    for sid, keys in sorted(decision.rewritten.items())]
        return replace(article, story=StoryAssignment(
            story_id=story.id, new=decision.new, score=moved.get(decision.key, round(decision.score, 4)),
            label=story.label,
            first_date=story.first_date, last_date=story.last_date,
            key_sentence=key_sentence(features, story.centroid), terms=dict(story.centroid),
            entities=[(*k, name, repeats(features.repeated.get(k, 1))) for k, name in features.entities.items()],
            times=sorted(features.times), df_terms=sorted(features.tf), version=self.index.version,
            vector=None if story.vector is None else vector_bytes(story.vector), event_types=sorted(features.events),
            seq=decision.key, state=None if decision.key is None else state_json(features),
            embedding=None if features.embedding is None else vector_bytes(features.embedding),
            rewrites=with_key_sentences(store, rewrites),
        ))

    def _move_horizon(self, day: str | None) -> None:
        """Stories that ended more than the window before the newest article can take no article dated since: the
        caches let them (and their articles' state) go once the store has them. An older article reads back what it
        needs, so the clustering is the same, only memory follows the window rather than the whole store."""
        window, day = self.params.window_days, day_of(day)
        if window is None or day is None:
            return
        horizon = (day - timedelta(days=window)).isoformat()
        stories = self.index.stories
        if stories.horizon is None or horizon > stories.horizon:
            stories.horizon = horizon

    def __call__(self, store: Store, article: AnnotatedArticle) -> AnnotatedArticle:
        return self.decide(store, article, self.prepare(article))


def with_key_sentences(store: Store, rewrites: list[StoryRewrite]) -> list[StoryRewrite]:
    """Each moved member's key sentence against the story it moved to (its sentences are read from the store)."""
    terms_of = {seq: r.terms for r in rewrites for seq, *_ in r.moved}
    if not terms_of:
        return rewrites
    keys = moved_key_sentences(store, terms_of)
    return [replace(r, moved=[(seq, s, keys[seq]) for seq, s, *_ in r.moved]) for r in rewrites]


def moved_scores(index: StoryIndex, moved: dict[int, int], params: Params) -> dict[int, float]:
    """The join score of each article a repair `moved` ({key: story id}) against the story it now is in (the story
    as rebuilt, so the article is counted in it): its score at arrival was against a story it has left."""
    members = index.members
    out = {}
    for key, sid in sorted(moved.items()):
        m = members.get([key])[0]  # score() reads the vector it is given, not the features' tf
        out[key] = round(score(index, index.stories[sid], members.tfidf(index.vocab, m), m.features, params), 4)
    return out


def rewrite(index: StoryIndex, story_id: int, members: list[int], moved: dict[int, float] | None = None,
            arriving: int | None = None) -> StoryRewrite:
    """What the store must hold of a story local repair rebuilt (or that it emptied); `moved` has the new scores
    of the members repair moved (the `arriving` article's go in its own assignment); their key sentences are
    filled in by `with_key_sentences`."""
    s = index.stories.get(story_id)
    if not members or s is None:
        return StoryRewrite(story_id=story_id, members=[])
    return StoryRewrite(
        story_id=story_id, members=list(members), label=s.label, first_date=s.first_date, last_date=s.last_date,
        terms=dict(s.centroid), entities=story_entity_rows(s),
        times=list(s.times.items()), events=list(s.events.items()),
        vector=None if s.vector is None else vector_bytes(s.vector),
        moved=[(k, moved[k], None) for k in members if moved and k in moved and k != arriving])
