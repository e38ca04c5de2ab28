"""Which table and order each export record is read from; shared by every SQL backend."""
from __future__ import annotations

from dataclasses import fields

from ..errors import QueryError
from ..records import (
    AliasRow,
    ArticleRow,
    EntityArticleRow,
    EntityRow,
    EventArgumentRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StoryArticleRow,
    StoryRow,
)

TABLES: dict[type, tuple[str, str]] = {
    ArticleRow: ("articles", "id"),
    SentenceRow: ("sentences", "id"),
    EntityRow: ("entities", "id"),
    AliasRow: ("aliases", "entity_id, alias"),
    MentionRow: ("mentions", "id"),
    EntityArticleRow: ("entity_articles", "article_id, entity_id"),
    StoryRow: ("stories", "id"),
    StoryArticleRow: ("story_articles", "story_id, article_id"),
    EventRow: ("events", "id"),
    EventArgumentRow: ("event_arguments", "id"),
}


def export_sql(kind: type) -> str:
    """SELECT of every field of `kind`, in field order, from its table."""
    if kind not in TABLES:
        raise QueryError(f"cannot export {getattr(kind, '__name__', kind)!r}; one of"
                         f" {', '.join(k.__name__ for k in TABLES)}")
    table, order = TABLES[kind]
    cols = ", ".join(f'"{f.name}"' for f in fields(kind))
    return f"SELECT {cols} FROM {table} ORDER BY {order}"
