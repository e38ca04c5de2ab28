"""Data types that flow between newsgraph's layers: raw items, annotated articles and query results.

One module a feature (items, events, stories, provenance); the records that combine them are here, and
every type is importable from `newsgraph.model`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .events import (
    Attribution,
    Event,
    EventArgument,
)
from .items import (
    ENTITY_LABELS,
    MARK_CLOSE,
    MARK_OPEN,
    VALUE_LABELS,
    ArticleDetail,
    ArticleSummary,
    EntitySummary,
    ExtractedDoc,
    IngestError,
    IngestReport,
    MentionInContext,
    MentionSpan,
    Neighbour,
    RawDoc,
    Resolution,
    SearchHit,
    SentenceSpan,
    Stats,
    StoredError,
    StoredMention,
)
from .provenance import (
    ArticleTrace,
    CandidateSentence,
    CopyFamily,
    MatchRow,
    OriginalityRow,
    ProvenanceData,
    SeedCandidate,
    SentenceMatch,
    SentenceTrace,
    SourceRef,
    TraceMatch,
)
from .stories import (
    EntityTimeline,
    StoryAssignment,
    StoryDetail,
    StoryEntity,
    StoryRewrite,
    StorySummary,
    TimelineItem,
)


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


@dataclass(frozen=True)
class EntityDetail:
    entity: EntitySummary
    mentions: list[MentionInContext]
    neighbours: list[Neighbour]
    events: list[Event] = field(default_factory=list)  # timeline, oldest first


# ---- the article read as a whole -------------------------------------------------


@dataclass(frozen=True)
class ArticleFull(ArticleDetail):
    """An article with what every feature found in it: its events, each sentence's provenance and its story."""

    events: list[Event] = field(default_factory=list)
    provenance: ArticleTrace | None = None  # `sentences[i]` traces the article's sentence i
    story: StorySummary | None = None


__all__ = [
    "AnnotatedArticle",
    "ArticleDetail",
    "ArticleFull",
    "ArticleSummary",
    "ArticleTrace",
    "Attribution",
    "CandidateSentence",
    "CopyFamily",
    "ENTITY_LABELS",
    "EntityDetail",
    "EntitySummary",
    "EntityTimeline",
    "Event",
    "EventArgument",
    "ExtractedDoc",
    "IngestError",
    "IngestReport",
    "MARK_CLOSE",
    "MARK_OPEN",
    "MatchRow",
    "MentionInContext",
    "MentionSpan",
    "Neighbour",
    "OriginalityRow",
    "ProvenanceData",
    "RawDoc",
    "Resolution",
    "SearchHit",
    "SeedCandidate",
    "SentenceMatch",
    "SentenceSpan",
    "SentenceTrace",
    "SourceRef",
    "Stats",
    "StoredError",
    "StoredMention",
    "StoryAssignment",
    "StoryDetail",
    "StoryEntity",
    "StoryRewrite",
    "StorySummary",
    "TimelineItem",
    "TraceMatch",
    "VALUE_LABELS",
]
