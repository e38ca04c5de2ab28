"""The enricher protocol, and the store-free step of it that can run anywhere (before the ingest lock, or in a
worker process)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import NewsgraphError
from ..model import AnnotatedArticle, IngestError
from ..store.base import Store

# Adds derived data (provenance, story, ...) to an article before it is stored in one transaction.
Enricher = Callable[[Store, AnnotatedArticle], AnnotatedArticle]
ARTICLE_ERRORS = (NewsgraphError, ValueError, KeyError, IndexError)  # what fails one article, not the batch


@runtime_checkable
class SplitEnricher(Protocol):
    """An enricher in two steps, so concurrent ingesters take turns only for the part that needs the store:
    `prepare` computes what the article alone determines and runs before the ingest lock (on the article as
    annotated: it must not read what earlier enrichers change, such as resolved mentions); `decide` does the store
    lookups, the decisions and fills the article in, under the lock. Calling it does both in a row."""

    def prepare(self, article: AnnotatedArticle) -> Any: ...

    def decide(self, store: Store, article: AnnotatedArticle, prepared: Any) -> AnnotatedArticle: ...

    def __call__(self, store: Store, article: AnnotatedArticle) -> AnnotatedArticle: ...


@dataclass(frozen=True)
class Split:
    """A `SplitEnricher` made of two functions."""

    prepare: Callable[[AnnotatedArticle], Any]
    decide: Callable[[Store, AnnotatedArticle, Any], AnnotatedArticle]

    def __call__(self, store: Store, article: AnnotatedArticle) -> AnnotatedArticle:
        return self.decide(store, article, self.prepare(article))


def prepare_article(article: AnnotatedArticle, enrichers: Sequence[Enricher]) -> list[Any]:
    """Each split enricher's store-free part for `article` (None for a plain enricher): no lock needed."""
    return [e.prepare(article) if isinstance(e, SplitEnricher) else None for e in enrichers]


def prepare_or_error(article: AnnotatedArticle, enrichers: Sequence[Enricher]) -> list[Any] | IngestError:
    """`prepare_article`, or the one-line error that fails this article alone at the store stage."""
    try:
        return prepare_article(article, enrichers)
    except ARTICLE_ERRORS as exc:
        return IngestError(article.doc.item, "store", str(exc))
