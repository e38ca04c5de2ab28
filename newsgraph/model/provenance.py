"""Provenance: sentence matches as stored, candidates as looked up, and traces as shown."""
from __future__ import annotations

from dataclasses import dataclass, field

from .items import ArticleSummary

UNDATED = "9999"  # an undated article sorts after every dated one


def precedence(date: str | None, content_hash: str, identity: str) -> tuple[str, str, str]:
    """The earliest-source key: of two articles the smaller is the source. Date (undated last), then content hash,
    then identity, compared by code point, which is UTF-8 byte order, as the stores' SQL compares them. Never a row
    id: ids follow arrival order, which differs between a sequential ingest and Spark executors."""
    return (date or UNDATED, content_hash, identity)


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
    pending: bool = False  # keys only: the matches are found later, in bulk (`batch --provenance join`)


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
    """One stored match of an article's sentence, with the other article's precedence for ordering."""

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
    precedence: tuple[str, str, str] = field(kw_only=True)  # the other article's `precedence` key
    earlier: bool = field(kw_only=True)  # the other article precedes the traced one


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
