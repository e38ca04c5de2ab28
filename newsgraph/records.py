"""Plain records a store reads and writes for export, story persistence and provenance: no domain logic.

Export rows mirror what the store keeps, one field per column in the schema's order, so an export reads the
same from every backend. Story records carry the clusterer's persisted state; `stories/persist.py` turns them
into its own structures (a store never builds a story index).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .model import ArticleSummary, MentionSpan, SentenceSpan

# ---- small typed pairs (named tuples: they still unpack as `a, b, n`) ------------------------------------------


class Cooccurrence(NamedTuple):
    """Two entities (a < b) and the number of articles mentioning both."""

    a: int
    b: int
    articles: int


class SourceLink(NamedTuple):
    """An article copied `sentences` sentences whose earliest source is `source_id`."""

    article_id: int
    source_id: int
    sentences: int


class CopiedSpan(NamedTuple):
    """A sentence copied from an earlier article: the match's kind and the copied character spans, sentence-relative
    (the source span may run on into the next source sentence); `copied` is the share of the sentence's words."""

    article_id: int
    sentence: int
    source_article_id: int
    source_sentence: int
    kind: str
    similarity: float
    copied: float
    span_start: int
    span_end: int
    source_span_start: int
    source_span_end: int


class NearDuplicate(NamedTuple):
    article_id: int
    similarity: float


class ArticleSignature(NamedTuple):
    """A stored article's MinHash signature (provenance's near-duplicate check)."""

    article_id: int
    signature: bytes


# ---- export rows (field order = column order) ----------------------------------------------------------------


@dataclass(frozen=True)
class ArticleRow:
    id: int
    identity: str
    item: str
    url: str | None
    canonical_url: str | None
    content_hash: str
    title: str | None
    date: str | None
    author: str | None
    site: str | None
    language: str | None
    text: str
    words: int
    meta: str  # JSON object
    ingested_at: str


@dataclass(frozen=True)
class SentenceRow:
    id: int
    article_id: int
    idx: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityRow:
    id: int
    label: str
    key: str
    name: str
    mentions: int
    articles: int
    kb_id: str | None = None  # the user's knowledge-base id (`newsgraph link --kb`)


@dataclass(frozen=True)
class AliasRow:
    entity_id: int
    alias: str
    count: int


@dataclass(frozen=True)
class MentionRow:
    id: int
    article_id: int
    sentence_id: int
    entity_id: int
    start: int
    end: int
    text: str
    label: str | None = None  # spaCy's label for this mention; the entity's type is EntityRow.label


@dataclass(frozen=True)
class EntityArticleRow:
    entity_id: int
    article_id: int
    mentions: int


@dataclass(frozen=True)
class StoryRow:
    id: int
    label: str
    first_date: str | None
    last_date: str | None
    articles: int
    updated_at: str


@dataclass(frozen=True)
class StoryArticleRow:
    article_id: int
    story_id: int
    score: float
    key_sentence: int | None


@dataclass(frozen=True)
class EventRow:
    id: int
    article_id: int
    sentence_id: int
    sentence_idx: int
    type: str
    subtype: str | None
    trigger: str
    start: int
    end: int
    modality: str
    polarity: str
    attribution: str
    source: str | None
    cue: str | None
    tags: str
    score: float


@dataclass(frozen=True)
class EventArgumentRow:
    id: int
    event_id: int
    role: str
    kind: str
    text: str
    start: int
    end: int
    entity_id: int | None
    via: str | None


# What `Store.export` streams, in the order an export writes them.
EXPORT_ROWS = (ArticleRow, SentenceRow, EntityRow, AliasRow, MentionRow, StoryRow, StoryArticleRow, EventRow,
               EventArgumentRow)

# ---- stories: what the clusterer persists ---------------------------------------------------------------------


@dataclass(frozen=True)
class StoryEntityCount:
    """One of a story's entities: member articles naming it and their summed repeats (stories/index.py)."""

    label: str
    key: str
    name: str
    articles: int
    repeats: float = 0.0


@dataclass(frozen=True)
class StoryRecord:
    """A story's persisted clustering state."""

    id: int
    label: str
    first_date: str | None
    last_date: str | None
    size: int
    terms: dict[str, float] = field(default_factory=dict)  # truncated TF-IDF centroid
    entities: list[StoryEntityCount] = field(default_factory=list)
    times: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    vector: bytes | None = None  # summed lead embeddings, float32


@dataclass(frozen=True)
class StoryVocabulary:
    """The clusterer's counters: articles clustered, document frequencies of terms and story entities."""

    version: int
    docs: int
    term_df: dict[str, int] = field(default_factory=dict)
    entity_df: dict[str, int] = field(default_factory=dict)  # "LABEL:key" -> df


@dataclass(frozen=True)
class StoryChanges:
    """What the stories gained since a story version (the change log): enough to bring an index up to date.

    `reload`: the log cannot say (the version is unknown to the store, older than a delete or recluster, or older
    than the log keeps), so the index must be read whole. `stories`: the changed stories that still exist; `gone`:
    those that no longer do; `placements`: arrival number -> story of every member of a changed story;
    `term_df`/`entity_df`: the document frequencies written since, as they are now."""

    version: int
    docs: int
    reload: bool = False
    stories: dict[int, StoryRecord] = field(default_factory=dict)
    gone: list[int] = field(default_factory=list)
    placements: dict[int, int] = field(default_factory=dict)
    term_df: dict[str, int] = field(default_factory=dict)
    entity_df: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ArticleStoryState:
    """An article's story features (JSON, stories/members.py) under its arrival number `seq`."""

    article_id: int
    seq: int
    state: str
    embedding: bytes | None = None


@dataclass(frozen=True)
class StorySnapshot:
    """Every story at once (a recluster replaces what the store holds with this)."""

    stories: list[StoryRecord]
    members: list[StoryArticleRow]
    states: list[ArticleStoryState]
    vocabulary: StoryVocabulary


@dataclass(frozen=True)
class KeySentence:
    """A story member with its key sentence (or its title when it has none): one line of a story's timeline."""

    article: ArticleSummary
    text: str


@dataclass(frozen=True)
class StoredArticle:
    """An article as the clusterer re-reads it for a recluster."""

    id: int
    title: str | None
    date: str | None
    text: str
    sentences: list[SentenceSpan]
    mentions: list[MentionSpan]
