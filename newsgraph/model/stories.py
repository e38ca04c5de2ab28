"""Stories: what the online clusterer assigns and rewrites, and the story records queries return."""
from __future__ import annotations

from dataclasses import dataclass, field

from .items import ArticleSummary, EntitySummary


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
