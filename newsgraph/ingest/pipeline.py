"""Streams sources through extraction, spaCy and annotation into a store, many articles to a transaction, each
article all or nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

from ..errors import InputError, StoreBusy, StoreUnavailable
from ..extract import extract
from ..model import AnnotatedArticle, ExtractedDoc, IngestError, IngestReport, RawDoc
from ..store.base import Store
from . import Limits, iter_sources
from .fetch import FetcherLike
from .prepare import ARTICLE_ERRORS as _ARTICLE_ERRORS
from .prepare import Enricher, Split, SplitEnricher, prepare_article, prepare_or_error
from .workers import Prepared, WorkerPool, annotated

__all__ = ["Enricher", "Split", "SplitEnricher", "prepare_article", "run_ingest", "store_article", "store_articles"]

Progress = Callable[[IngestReport], None]
BATCH_ARTICLES = 32  # articles per write transaction: one COMMIT (and one FTS flush) for all of them


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


def store_articles(store: Store, articles: Sequence[AnnotatedArticle], enrichers: Sequence[Enricher] = (),
                   prepared: Sequence[list[Any] | IngestError] | None = None) -> list[int | None | IngestError]:
    """`store_article` for each article, all in one transaction; each article is a savepoint, so one whose
    enrichment or write fails is undone alone (its IngestError is in its place) and the others are kept.
    A crash before the commit loses the whole batch and no part of an article; a re-run stores it again.

    The split enrichers prepare every article first, before the ingest lock is taken, unless the caller has
    (`prepared`: `prepare_or_error` of each article, e.g. from a worker process)."""
    results: list[int | None | IngestError] = []
    if prepared is None:
        prepared = [prepare_or_error(article, enrichers) for article in articles]
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
    written per transaction (1: one transaction per article). `workers` > 1: that many forked processes parse,
    annotate and prepare the articles (ingest.workers), and this one decides and writes them in input order.
    """
    report = IngestReport()
    seen: set[str] = set()

    def tick() -> None:
        if progress is not None:
            progress(report)

    def fail(error: IngestError) -> None:
        store.record_error(error)
        report.errors.append(error)
        tick()

    def extracted() -> Iterator[ExtractedDoc]:
        read = items if items is not None else iter_sources(sources, fetcher, limits or Limits(), stdin=stdin)
        for raw in read:
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
            yield doc

    ready: list[AnnotatedArticle] = []
    ready_prepared: list[list[Any] | IngestError] = []  # with workers: each article's store-free part, made there
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
        batch, prepared = ready.copy(), (ready_prepared.copy() if ready_prepared else None)
        ready.clear()
        ready_prepared.clear()
        writing = batch, writer.submit(store_articles, store, batch, enrichers, prepared)

    def write_all(results: Iterable[AnnotatedArticle | Prepared | IngestError]) -> None:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsgraph-writer") as writer:
            for result in results:
                if isinstance(result, IngestError):
                    fail(result)
                    continue
                if isinstance(result, Prepared):
                    ready_prepared.append(result.prepared)
                    result = result.article
                ready.append(result)
                if len(ready) >= batch_articles:
                    flush(writer)
            if ready:
                flush(writer)
            collect()

    if workers <= 1:
        write_all(annotated(nlp, extracted(), batch_size))
    else:
        # Workers parse, annotate and prepare whole articles; this process only decides and writes, in input order.
        with WorkerPool(nlp, enrichers, workers, batch_size=batch_size) as pool:
            write_all(pool.run(extracted()))
    return report
