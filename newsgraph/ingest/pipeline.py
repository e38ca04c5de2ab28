"""Streams sources through extraction, spaCy and annotation into a store, many articles to a transaction, each
article all or nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol, runtime_checkable

from ..errors import InputError, NewsgraphError, StoreBusy, StoreUnavailable
from ..extract import extract
from ..model import AnnotatedArticle, ExtractedDoc, IngestError, IngestReport, RawDoc
from ..nlp import annotate
from ..nlp.chunking import join_docs, split_for_nlp
from ..store.base import Store
from . import Limits, iter_sources
from .fetch import FetcherLike

Progress = Callable[[IngestReport], None]
# Adds derived data (provenance, story, ...) to an article before it is stored in one transaction.
Enricher = Callable[[Store, AnnotatedArticle], AnnotatedArticle]
BATCH_ARTICLES = 32  # articles per write transaction: one COMMIT (and one FTS flush) for all of them


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


def _enrich(store: Store, article: AnnotatedArticle, enrichers: Sequence[Enricher],
            prepared: list[Any]) -> AnnotatedArticle:
    for enrich, ready in zip(enrichers, prepared, strict=True):
        article = enrich.decide(store, article, ready) if isinstance(enrich, SplitEnricher) else enrich(store, article)
    return article


def store_article(store: Store, article: AnnotatedArticle, enrichers: Sequence[Enricher] = (),
                  prepared: list[Any] | None = None) -> int | None:
    """Enrich and store one article; None if it is already there. Enrichers read what earlier articles stored, so
    concurrent writers enrich and write one at a time, and one that stored the article meanwhile wins; the split
    enrichers' store-free part runs before that (`prepared`, when the caller computed it already)."""
    if prepared is None:
        prepared = prepare_article(article, enrichers)
    with store.ingest_lock():
        return _store_locked(store, article, enrichers, prepared)


def _store_locked(store: Store, article: AnnotatedArticle, enrichers: Sequence[Enricher],
                  prepared: list[Any]) -> int | None:
    if store.has_article(article.doc.identity):
        return None
    return store.add_article(_enrich(store, article, enrichers, prepared))


def store_articles(store: Store, articles: Sequence[AnnotatedArticle],
                   enrichers: Sequence[Enricher] = ()) -> list[int | None | IngestError]:
    """`store_article` for each article, all in one transaction; each article is a savepoint, so one whose
    enrichment or write fails is undone alone (its IngestError is in its place) and the others are kept.
    A crash before the commit loses the whole batch and no part of an article; a re-run stores it again.

    The split enrichers prepare every article first, before the ingest lock is taken."""
    results: list[int | None | IngestError] = []
    prepared: list[list[Any] | IngestError] = []
    for article in articles:
        try:
            prepared.append(prepare_article(article, enrichers))
        except _ARTICLE_ERRORS as exc:
            prepared.append(IngestError(article.doc.item, "store", str(exc)))
    with store.ingest_lock(), store.write_batch(f"storing {len(articles)} articles"):
        for article, ready in zip(articles, prepared, strict=True):
            if isinstance(ready, IngestError):
                results.append(ready)
                continue
            try:
                results.append(_store_locked(store, article, enrichers, ready))  # the lock is held already
            except (StoreBusy, StoreUnavailable):
                raise  # the store, not the article: the batch cannot go on
            except _ARTICLE_ERRORS as exc:
                results.append(IngestError(article.doc.item, "store", str(exc)))
    return results


_ARTICLE_ERRORS = (NewsgraphError, ValueError, KeyError, IndexError)  # what fails one article, not the batch


def run_ingest(
    sources: Iterable[str],
    *,
    store: Store,
    nlp,
    fetcher: FetcherLike,
    limits: Limits | None = None,
    workers: int = 1,
    batch_size: int = 32,
    batch_articles: int = BATCH_ARTICLES,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    enrichers: Sequence[Enricher] = (),
    items: Iterable[RawDoc | IngestError] | None = None,
) -> IngestReport:
    """Ingest every item of `sources` (or the already read `items`); bad items are recorded as errors and the
    rest go on.

    Articles already in the store (same canonical URL and content hash) are skipped, so a
    re-run after a crash resumes where the last committed batch left off. `batch_articles` articles are
    written per transaction (1: one transaction per article).
    """
    report = IngestReport()
    pending: dict[int, ExtractedDoc] = {}
    seen: set[str] = set()

    def tick() -> None:
        if progress is not None:
            progress(report)

    def fail(error: IngestError) -> None:
        store.record_error(error)
        report.errors.append(error)
        tick()

    def to_nlp() -> Iterator[tuple[str, tuple[int, int]]]:
        read = items if items is not None else iter_sources(sources, fetcher, limits or Limits(), stdin=stdin)
        for number, raw in enumerate(read):
            if isinstance(raw, IngestError):
                fail(raw)
                continue
            try:
                doc = extract(raw)
            except InputError as exc:
                fail(IngestError(exc.item, exc.stage, exc.message))
                continue
            if doc.identity in seen or store.has_article(doc.identity):
                report.skipped += 1
                tick()
                continue
            seen.add(doc.identity)
            pending[number] = doc
            # Only numbers cross to the worker processes; the document stays here.
            pieces = split_for_nlp(doc.text)
            for piece in pieces:
                yield piece, (number, len(pieces))

    ready: list[AnnotatedArticle] = []
    # One batch is written (enriched, stored, committed) by a writer thread while the next is parsed, so the
    # store's own work (PostgreSQL's server, SQLite's I/O, both outside the GIL) overlaps spaCy. Batches are
    # written one at a time and in order, so the store ends the same as when written inline.
    writing: tuple[list[AnnotatedArticle], Future] | None = None

    def collect() -> None:
        nonlocal writing
        if writing is None:
            return
        batch, future = writing
        writing = None
        for article, result in zip(batch, future.result()):
            if isinstance(result, IngestError):
                fail(result)
            elif result is None:
                report.skipped += 1
            else:
                report.added += 1
                report.words += article.words
                report.article_ids.append(result)
        tick()

    def flush(writer: ThreadPoolExecutor) -> None:
        nonlocal writing
        collect()  # at most one batch in flight: memory stays bounded and errors surface a batch late at most
        batch = ready.copy()
        ready.clear()
        writing = batch, writer.submit(store_articles, store, batch, enrichers)

    parsed: list = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-writer") as writer:
        for spacy_doc, (number, n_pieces) in nlp.pipe(to_nlp(), as_tuples=True, n_process=workers,
                                                      batch_size=batch_size):
            parsed.append(spacy_doc)  # pieces of one article arrive together and in order
            if len(parsed) < n_pieces:
                continue
            pieces, parsed = parsed, []
            doc = pending.pop(number)
            try:
                article = annotate(join_docs(pieces), doc)
            except (ValueError, IndexError, KeyError) as exc:  # a bad document fails alone
                fail(IngestError(doc.item, "nlp", f"annotation failed: {exc}"))
                continue
            ready.append(article)
            if len(ready) >= batch_articles:
                flush(writer)
        if ready:
            flush(writer)
        collect()
    return report
