"""Raw items, annotated text spans, errors, and the article and entity records that queries return."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The entity types newsgraph stores (spaCy's labels): a mention of any other type is dropped at annotation.
ENTITY_LABELS = frozenset(
    {"ORG", "PRODUCT", "PERSON", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "MONEY", "DATE"}
)


# Entity types whose mentions are values, not things: kept as mentions and event fillers, but left out of
# neighbours, co-occurrence edges and "top entities" lists unless asked for (MONEY too: "$500" is no node).
VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"})


@dataclass(frozen=True)
class RawDoc:
    """One news item as read from a source, before extraction.

    `item` names where it came from (a path, `path:line`, a URL or `warc#offset`) so
    errors and provenance can point back at it. Exactly one of `text` or `html` is set.
    """

    item: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    text: str | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestError:
    """A one-line, user-facing failure for one item; the batch goes on without it."""

    item: str
    stage: str  # read | fetch | extract | nlp | store
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


@dataclass(frozen=True)
class ExtractedDoc:
    """Clean article text and metadata, ready for NLP."""

    item: str
    text: str
    url: str | None
    canonical_url: str | None
    content_hash: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    site: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """Content hash plus canonical URL: the same text at the same address is one article."""
        return f"{self.canonical_url or ''}#{self.content_hash}"


@dataclass(frozen=True)
class SentenceSpan:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MentionSpan:
    """An entity mention with its canonical identity (`label`, `key`) and display name."""

    sentence: int  # index into the article's sentences
    start: int  # character offsets into the article text
    end: int
    text: str
    label: str  # ORG, PRODUCT, PERSON, GPE, LOC, MONEY, DATE, ...
    key: str  # cluster key, e.g. "samsung"; one key is one entity, whatever the label
    name: str  # canonical display name, e.g. "Samsung"
    ner_label: str = ""  # spaCy's own label when `label` is the resolved entity type ("" before resolution)


@dataclass(frozen=True)
class Resolution:
    """What entity resolution decided for one article, stored with it: vote increments, types and names by key."""

    votes: dict[str, dict[str, float]]  # key -> type -> added weight
    types: dict[str, str]  # key -> the entity's type after this article
    names: dict[str, str]  # key -> display name
    links: dict[str, dict[str, float]] = field(default_factory=dict)  # short key -> fuller key -> added weight
    # short key -> fuller key, for links this article established: the store folds the short key's entity in
    moves: dict[str, str] = field(default_factory=dict)


# ---- query results -------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    articles: int
    sentences: int
    mentions: int
    entities: int
    errors: int
    entities_by_type: dict[str, int]


@dataclass(frozen=True)
class EntitySummary:
    id: int
    label: str
    name: str
    mentions: int
    articles: int
    aliases: list[str]
    kb_id: str | None = None  # the user's knowledge-base id, set by `newsgraph link --kb`


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    url: str | None
    title: str | None
    date: str | None
    site: str | None


@dataclass(frozen=True)
class MentionInContext:
    article: ArticleSummary
    sentence: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Neighbour:
    entity: EntitySummary
    articles: int  # articles where both are mentioned


@dataclass(frozen=True)
class StoredMention:
    entity_id: int
    label: str  # the entity's type
    name: str
    text: str
    start: int
    end: int
    sentence: int
    ner_label: str = ""  # spaCy's label for this mention (the entity's type may differ)


@dataclass(frozen=True)
class ArticleDetail:
    article: ArticleSummary
    text: str
    author: str | None
    language: str | None
    item: str
    meta: dict[str, Any]
    sentences: list[SentenceSpan]
    mentions: list[StoredMention]


@dataclass(frozen=True)
class SearchHit:
    article: ArticleSummary
    sentence_index: int
    snippet: str  # the sentence around the matches, each between MARK_OPEN and MARK_CLOSE
    sentence: str


@dataclass(frozen=True)
class StoredError:
    item: str
    stage: str
    message: str
    count: int
    last_seen: str


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0
    words: int = 0
    errors: list[IngestError] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Search snippets mark matches with these private-use characters; each front end
# turns them into its own markup after escaping the text.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
