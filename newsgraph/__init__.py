"""newsgraph: turn a stream of news into a sourced knowledge graph.

    import newsgraph
    g = newsgraph.open("news.db")  # or "postgresql://user@host/dbname"
    g.ingest(["articles.jsonl", "https://example.com/feed.xml"])
    g.entities(type="ORG")
"""
from __future__ import annotations

from .errors import (
    FetchError,
    InputError,
    NewsgraphError,
    NotFound,
    QueryError,
    StoreError,
    StoreBusy,
    StoreUnavailable,
)
from .graph import Graph, demo_corpus, open
from .model import (  # stories (issue 7)
    ArticleDetail,
    ArticleSummary,
    ArticleTrace,
    CopyFamily,
    EntityDetail,
    EntitySummary,
    EntityTimeline,
    IngestError,
    IngestReport,
    OriginalityRow,
    SearchHit,
    Stats,
    StoryDetail,
    StorySummary,
    TimelineItem,
)

__version__ = "0.1.0"

__all__ = [
    "Graph",
    "open",
    "demo_corpus",
    "ArticleDetail",
    "ArticleSummary",
    "EntityDetail",
    "EntitySummary",
    "IngestError",
    "IngestReport",
    "SearchHit",
    "Stats",
    "StorySummary",
    "StoryDetail",
    "TimelineItem",
    "EntityTimeline",
    "ArticleTrace",
    "CopyFamily",
    "OriginalityRow",
    "NewsgraphError",
    "InputError",
    "FetchError",
    "NotFound",
    "QueryError",
    "StoreError",
    "StoreBusy",
    "StoreUnavailable",
]
