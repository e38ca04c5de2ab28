"""The storage interface every backend (SQLite, PostgreSQL) implements."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from ..model import (
    AnnotatedArticle,
    ArticleDetail,
    ArticleSummary,
    EntityDetail,
    CandidateSentence,
    EntitySummary,
    IngestError,
    MatchRow,
    SeedCandidate,
    MentionInContext,
    OriginalityRow,
    SearchHit,
    Stats,
    StoredError,
    Event,
    StoryDetail,
    StorySummary,
)


class Store(Protocol):
    """A newsgraph store. Implementations raise only `newsgraph.errors` exceptions.

    Writes are atomic per article: after a crash an article is either wholly there
    (with its sentences and mentions) or not at all.
    """

    def has_article(self, identity: str) -> bool: ...

    def add_article(self, article: AnnotatedArticle) -> int | None:
        """Insert an article with its sentences and mentions; None if it was already there."""
        ...

    def delete_article(self, article_id: int) -> None:
        """Remove an article and everything hanging off it in one transaction; NotFound if there is none."""
        ...

    def record_error(self, error: IngestError) -> None: ...

    def version(self) -> int:
        """Bumped by every write, so a cached response can tell it is stale."""
        ...

    def stats(self) -> Stats: ...

    def entities(self, label: str | None = None, limit: int = 50, offset: int = 0) -> list[EntitySummary]: ...

    def find_entities(self, name: str, label: str | None = None) -> list[EntitySummary]:
        """Entities whose canonical name or an alias matches `name` (case-insensitive)."""
        ...

    def entity(self, entity_id: int, mentions: int = 20, neighbours: int = 20) -> EntityDetail: ...

    def article(self, ref: int | str) -> ArticleDetail:
        """An article by id or by URL (as ingested, or canonical)."""
        ...

    def articles(self, limit: int = 50, offset: int = 0) -> list[ArticleSummary]: ...

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]: ...

    def errors(self, limit: int = 100) -> list[StoredError]: ...

    def iter_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Stream rows of one table: an EXPORT_TABLES one, or entity_articles."""
        ...

    def cooccurrences(self, min_articles: int = 1) -> Iterator[tuple[int, int, int]]:
        """(entity_a, entity_b, shared_articles) with entity_a < entity_b."""
        ...

    # ---- stories ----

    def story_version(self) -> int:
        """Bumped by every story write, so a cached story index can tell it is stale."""
        ...

    def story_index(self, cap: int | None = 20_000) -> Any:
        """The online clusterer's `stories.index.StoryIndex`, loaded from the store; its members' per-article
        state is not loaded but read on demand through `story_states` (the index's `members.loader`), and at most
        `cap` stories stay in memory, the others read back through `story_states_of` (`stories.loader`)."""
        ...

    def story_states_of(self, ids: list[int]) -> dict[int, Any]:
        """The persisted `stories.index.StoryState` of the stories with these ids (those the store has)."""
        ...

    def story_states(self, seqs: list[int]) -> dict[int, Any]:
        """The persisted story features (`stories.features.ArticleFeatures`) of the articles with these
        clusterer keys; keys the store does not hold are left out."""
        ...

    def replace_stories(self, index: Any, members: dict[int, tuple[int, float, int | None]],
                        seqs: dict[int, int] | None = None) -> None:
        """Replace all stories in one transaction (recluster); members: article id -> (story, score, key sentence);
        seqs: article id -> its key in the index's per-article state (`stories.members`), persisted with it."""
        ...

    def story_inputs(self) -> Iterator[tuple]:
        """(article id, title, date, text, sentences, mentions) of every article, oldest first."""
        ...

    def stories(self, entity_id: int | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StorySummary]:
        ...

    def article_story(self, article_id: int) -> StorySummary | None:
        """The story the article belongs to, if it has been assigned one."""
        ...

    def story(self, story_id: int, events: Any = ()) -> StoryDetail: ...

    def entity_stories(self, entity_id: int) -> list[StorySummary]: ...

    # ---- web ----

    def find_articles(self, *, site: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      entity_id: int | None = None, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        """Articles newest first, filtered by site, date range (ISO, inclusive) and a mentioned entity."""
        ...

    def entity_mentions(self, entity_id: int, limit: int = 50, offset: int = 0,
                        oldest_first: bool = True) -> list[MentionInContext]:
        """One entity's mentions in context, ordered by article date: a timeline."""
        ...

    def links_among(self, entity_ids: list[int]) -> list[tuple[int, int, int]]:
        """(a, b, shared_articles) for the pairs of `entity_ids` that share an article, a < b."""
        ...

    # ---- provenance ----------------------------------------------------------

    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        """Stored sentences sharing LSH band keys with a sentence (`exact` is its whole-text key); indexed only."""
        ...

    def article_candidates(self, keys: list[int]) -> list[tuple[int, bytes]]:
        """(article id, MinHash signature) of stored articles sharing an article band key."""
        ...

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        """Stored sentences sharing word n-gram seed keys, most first; a key held by more than `max_postings`
        sentences is skipped (a stock phrase). Indexed lookups only."""
        ...

    def sentences_at(self, article_id: int, indices: list[int]) -> list[SeedCandidate]:
        """An article's sentences at these indices (a candidate's neighbours), `seeds` empty."""
        ...

    def copied_spans(self) -> Iterator[tuple]:
        """(article, sentence index, source article, source sentence index, kind, similarity, share, span start,
        span end, source span start, source span end) of every copy match from an earlier article."""
        ...

    def sentence_matches(self, article_id: int) -> list[MatchRow]: ...

    def article_summaries(self, ids: list[int]) -> list[ArticleSummary]: ...

    def copy_family(self, article_id: int, limit: int = 1000) -> list[int]: ...

    def near_duplicates(self, article_id: int) -> list[tuple[int, float]]: ...

    def originality(self, by_site: bool = False, limit: int = 50, least_first: bool = False) -> list[OriginalityRow]:
        ...

    def source_links(self) -> Iterator[tuple[int, int, int]]:
        """(article, source article, copied sentences), each sentence counted at its earliest source."""
        ...

    # ---- events ----

    def events(self, *, type: str | None = None, entity_ids: list[int] | None = None, modality: str | None = None,
               since: str | None = None, article: int | None = None, limit: int = 100,
               offset: int = 0) -> list[Event]:
        """Stored events matching every given filter (`type` may be "Type" or "Type.Subtype")."""
        ...

    def close(self) -> None: ...


EXPORT_TABLES = ("articles", "sentences", "entities", "aliases", "mentions", "stories", "story_articles")
EVENT_TABLES = ("events", "event_arguments")
