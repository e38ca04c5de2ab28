"""Data types that flow between newsgraph's layers: raw items, annotated articles and query results."""
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


@dataclass(frozen=True)
class AnnotatedArticle:
    doc: ExtractedDoc
    sentences: list[SentenceSpan]
    mentions: list[MentionSpan]
    words: int
    story: StoryAssignment | None = None  # set by the stories enricher; written in add_article's transaction
    provenance: ProvenanceData | None = None  # set by the provenance enricher, stored with the article
    events: list[Event] = field(default_factory=list)
    resolution: Resolution | None = None  # set by the entity resolver; without it each mention's label stands


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
class EntityDetail:
    entity: EntitySummary
    mentions: list[MentionInContext]
    neighbours: list[Neighbour]
    events: list[Event] = field(default_factory=list)  # timeline, oldest first


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


# ---- stories -------------------------------------------------------------------


@dataclass(frozen=True)
class StoryAssignment:
    """Where the online clusterer put one article, and the story state to persist with it.

    `story_id` is allocated by the clusterer; `new` says the story starts with this article.
    `terms` is the story's whole (truncated) centroid after the article joined, so the store can
    replace it; `entities` and `times` are this article's increments; `df_terms` its distinct terms.
    """

    story_id: int
    new: bool
    score: float
    label: str
    first_date: str | None
    last_date: str | None
    key_sentence: int | None
    terms: dict[str, float]
    entities: list[tuple[str, str, str, float]]  # (label, key, name, repeats) of the article's story entities
    times: list[str]
    df_terms: list[str]
    version: int  # the store's story version after this write
    vector: bytes | None = None  # the story's summed lead embedding after the article joined (float32), to replace
    event_types: list[str] = field(default_factory=list)  # this article's event types (increments)
    seq: int | None = None  # the article's arrival number in the clusterer (None: no per-article state kept)
    state: str | None = None  # the article's story features as JSON, for local repair after a reload
    embedding: bytes | None = None  # the article's lead embedding (float32)
    rewrites: list[StoryRewrite] = field(default_factory=list)  # stories local repair re-partitioned


@dataclass(frozen=True)
class StoryRewrite:
    """The whole state of one story after local repair re-partitioned it (replaces what the store holds).

    `members` are arrival numbers (`StoryAssignment.seq`); no members: the story is gone.
    """

    story_id: int
    members: list[int]
    label: str = ""
    first_date: str | None = None
    last_date: str | None = None
    terms: dict[str, float] = field(default_factory=dict)
    entities: list[tuple[str, str, str, int, float]] = field(default_factory=list)  # label, key, name, articles, repeats
    times: list[tuple[str, int]] = field(default_factory=list)
    events: list[tuple[str, int]] = field(default_factory=list)
    vector: bytes | None = None
    # members repair moved into this story: (arrival number, join score against it, key sentence against its terms);
    # the arriving article's own are in its StoryAssignment
    moved: list[tuple[int, float, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class StorySummary:
    id: int
    label: str
    first_date: str | None
    last_date: str | None
    articles: int


@dataclass(frozen=True)
class TimelineItem:
    """One dated item of a story's timeline: an article with its key sentence, or (later) an event.

    Event items (issue #4) fill `event_type`, `modality` and `polarity`; `shift` then names a change
    of modality or polarity against the previous item about the same claim (e.g. "planned -> certain").
    """

    date: str | None
    kind: str  # article | event
    article: ArticleSummary
    text: str
    event_type: str | None = None
    modality: str | None = None
    polarity: str | None = None
    shift: str | None = None


@dataclass(frozen=True)
class StoryEntity:
    id: int | None
    label: str
    name: str
    articles: int  # story articles that mention it


@dataclass(frozen=True)
class StoryDetail:
    story: StorySummary
    entities: list[StoryEntity]
    timeline: list[TimelineItem]


@dataclass(frozen=True)
class EntityTimeline:
    """An entity's stories across time, oldest first, each with the entity's share of it."""

    entity: EntitySummary
    stories: list[StorySummary]
# ---- provenance ------------------------------------------------------------------


@dataclass(frozen=True)
class SentenceMatch:
    """A sentence of a new article (by index) matched to a stored sentence of another article."""

    sentence: int
    other_sentence_id: int
    other_article_id: int
    kind: str  # verbatim | near | spun | partial | paraphrase
    similarity: float
    # A `partial` match: the copied span [start, end) in characters of this sentence and of the other one (the
    # other's may run on into the sentence after it); None for whole-sentence kinds.
    span: tuple[int, int] | None = None
    source_span: tuple[int, int] | None = None
    share: float = 1.0  # share of this sentence's words that the match covers
    source_share: float = 1.0  # ... and of the other sentence's words


@dataclass(frozen=True)
class ProvenanceData:
    """What the provenance enricher computed for one article, written in its store transaction."""

    sentence_keys: list[tuple[int, int]]  # (sentence index, LSH band key)
    matches: list[SentenceMatch]
    article_keys: list[int]
    signature: bytes
    duplicates: list[tuple[int, float]]  # (article id, estimated Jaccard)
    ngram_keys: list[tuple[int, int]] = field(default_factory=list)  # (sentence index, word n-gram seed key)


@dataclass(frozen=True)
class CandidateSentence:
    """A stored sentence sharing at least one band key with a query sentence."""

    sentence_id: int
    article_id: int
    text: str
    hits: int  # how many keys it shares


@dataclass(frozen=True)
class SeedCandidate:
    """A stored sentence sharing word n-gram seeds with a query sentence, with its place in its article."""

    sentence_id: int
    article_id: int
    index: int
    start: int  # character offsets in its article's text
    end: int
    text: str
    seeds: frozenset[int]  # the shared seed keys (frequent ones left out)


@dataclass(frozen=True)
class MatchRow:
    """One stored match of an article's sentence, with the other article's date for ordering."""

    sentence: int  # index in the traced article
    article: ArticleSummary  # the other article
    kind: str
    similarity: float
    other_sentence: str
    span: tuple[int, int] | None = None  # see SentenceMatch; None: the whole sentence
    source_span: tuple[int, int] | None = None
    share: float = 1.0
    other_index: int = 0  # the other sentence's index and character offset in its article
    other_start: int = 0


@dataclass(frozen=True)
class SourceRef:
    article_id: int
    url: str | None
    date: str | None
    similarity: float
    sentence: int = 0  # the source sentence's index in its article
    span: tuple[int, int] = (0, 0)  # copied span in this sentence (characters)
    source_span: tuple[int, int] = (0, 0)  # ... and in the source sentence; may run on into the next one
    source_offset: int = 0  # the source sentence's character offset in its article (source_span + this: article)


@dataclass(frozen=True)
class TraceMatch:
    article_id: int
    url: str | None
    date: str | None
    kind: str
    similarity: float
    span: tuple[int, int] = (0, 0)
    source_span: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class SentenceTrace:
    sentence: str
    start: int
    end: int
    kind: str  # original | verbatim | near | spun | partial | paraphrase
    source: SourceRef | None
    matches: list[TraceMatch]
    copied: float = 0.0  # share of the sentence's words copied from earlier sources
    spans: list[tuple[int, int]] = field(default_factory=list)  # the copied character spans (partial copies)


@dataclass(frozen=True)
class ArticleTrace:
    """Where each sentence of an article came from."""

    article: ArticleSummary
    originality: float  # 1 - mean over sentences of the share of words copied from earlier sources
    stitched: bool  # copied sentences come from three or more earlier articles
    sources: list[ArticleSummary]  # distinct earlier articles its copied sentences come from
    credited: list[int]  # indices of copied sentences that name their source's outlet nearby
    sentences: list[SentenceTrace]


@dataclass(frozen=True)
class CopyFamily:
    article: ArticleSummary
    family: list[ArticleSummary]  # articles connected to it by copied sentences, itself included
    duplicates: list[tuple[ArticleSummary, float]]  # near-duplicate articles (MinHash LSH) and their Jaccard


@dataclass(frozen=True)
class OriginalityRow:
    name: str  # article title/URL, or site
    article: ArticleSummary | None  # None when ranking sites
    sentences: int
    copied: float  # sentences counted by the share of their words copied from earlier articles
    originality: float
# ---- events ----------------------------------------------------------------------


@dataclass(frozen=True)
class EventArgument:
    """A role filled by a span; `entity_*` is set when the span is (or corefers with) a canonical entity."""

    role: str  # e.g. Producer, Partner, ProductService, Price, Place, Time
    kind: str  # participant | filler
    text: str
    start: int  # character offsets into the article text
    end: int
    entity_id: int | None = None
    entity_name: str | None = None
    entity_label: str | None = None
    entity_key: str | None = None
    via: str | None = None  # the descriptor resolved by coreference ("the Chinese company")


@dataclass(frozen=True)
class Attribution:
    """Who the article says the claim comes from: a named source, an anonymous one, or none."""

    kind: str = "none"  # named | anonymous | none
    source: str | None = None  # the source as written ("Bloomberg", "the people")
    cue: str | None = None  # the reporting verb or phrase ("reports", "according to")


@dataclass(frozen=True)
class Event:
    """A business event (SENTiVENT typology) found in one sentence of one article."""

    type: str
    subtype: str | None
    trigger: str
    start: int  # trigger offsets into the article text
    end: int
    sentence: int  # index into the article's sentences
    modality: str = "certain"  # certain | planned | possible | reported
    polarity: str = "positive"  # positive | negated
    attribution: Attribution = field(default_factory=Attribution)
    arguments: list[EventArgument] = field(default_factory=list)
    tags: tuple[str, ...] = ()  # qualifiers such as "exclusive"
    score: float = 1.0
    id: int | None = None  # set when read from a store
    article: ArticleSummary | None = None
    sentence_text: str | None = None


# ---- the article read as a whole -------------------------------------------------


@dataclass(frozen=True)
class ArticleFull(ArticleDetail):
    """An article with what every feature found in it: its events, each sentence's provenance and its story."""

    events: list[Event] = field(default_factory=list)
    provenance: ArticleTrace | None = None  # `sentences[i]` traces the article's sentence i
    story: StorySummary | None = None
