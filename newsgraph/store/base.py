"""The storage interface every backend (SQLite, PostgreSQL) implements."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from ..model import (
    AnnotatedArticle,
    ArticleDetail,
    ArticleSummary,
    EntityDetail,
    EntitySummary,
    IngestError,
    SearchHit,
    Stats,
    StoredError,
    Event,
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

    def record_error(self, error: IngestError) -> None: ...

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

    def close(self) -> None: ...

    # ---- events ----

    def events(self, *, type: str | None = None, entity_ids: list[int] | None = None, modality: str | None = None,
               since: str | None = None, article: int | None = None, limit: int = 100,
               offset: int = 0) -> list[Event]:
        """Stored events matching every given filter (`type` may be "Type" or "Type.Subtype")."""
        ...


EXPORT_TABLES = ("articles", "sentences", "entities", "aliases", "mentions")
EVENT_TABLES = ("events", "event_arguments")
