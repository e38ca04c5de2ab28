"""Business events: their participants, attribution, modality and polarity."""
from __future__ import annotations

from dataclasses import dataclass, field

from .items import ArticleSummary


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
