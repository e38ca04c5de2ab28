"""Parses, annotates and prepares articles in forked worker processes, so the ingesting process only decides and
writes."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..errors import NewsgraphError
from ..model import AnnotatedArticle, ExtractedDoc, IngestError
from ..nlp import annotate
from ..nlp.chunking import join_docs, split_for_nlp
from .prepare import Enricher, prepare_or_error

BATCH_CHARS = 40_000  # characters per nlp.pipe call (two of split_for_nlp's largest pieces): bounds its peak memory
CHUNK_ARTICLES = 16  # articles per task: large enough to amortise the hand-off, small enough to keep both busy
CHUNK_TIMEOUT = 600.0  # seconds a chunk may take in a worker before ingest gives up on it (a hung worker)
# Warms the model's lazy parts (events, embeddings, gazetteer) before the fork, so the workers share those pages.
WARM_TEXT = "Apple Inc. said on Monday that it would buy Beats Electronics for $3 billion, its chief executive said."


@dataclass(frozen=True)
class Prepared:
    """An annotated article and each enricher's store-free part (`prepare_article`), or why that failed."""

    article: AnnotatedArticle
    prepared: list[Any] | IngestError


class WorkerError(NewsgraphError):
    """A worker process hung past the timeout or died; ingest stops rather than wait forever."""


def annotated(nlp, docs: Iterable[ExtractedDoc], batch_size: int = 32) -> Iterator[AnnotatedArticle | IngestError]:
    """Each document parsed (long ones in pieces, joined back) and annotated, in order; a document whose annotation
    fails gives its one-line IngestError in its place."""
    held: dict[int, ExtractedDoc] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, doc in enumerate(docs):
            held[number] = doc  # only numbers cross to nlp.pipe's worker processes; the document stays here
            parts = split_for_nlp(doc.text)
            for part in parts:
                yield part, (number, len(parts))

    parsed: list = []
    for spacy_doc, (number, n_pieces) in _parse(nlp, pieces(), batch_size):
        parsed.append(spacy_doc)  # pieces of one article arrive together and in order
        if len(parsed) < n_pieces:
            continue
        parts, parsed = parsed, []
        doc = held.pop(number)
        try:
            yield annotate(join_docs(parts), doc)
        except (ValueError, IndexError, KeyError) as exc:  # a bad document fails alone
            yield IngestError(doc.item, "nlp", f"annotation failed: {exc}")


def _parse(nlp, pieces: Iterator[tuple[str, Any]], batch_size: int) -> Iterator[tuple[Any, Any]]:
    """`nlp.pipe` over `pieces` in input order, each call at most `batch_size` pieces and about BATCH_CHARS
    characters: the parse's working memory follows the characters of one batch, so a 100,000-character article
    (six pieces) in one batch would raise the process's peak by 400 MB where two pieces at a time cost 150."""
    group: list[tuple[str, Any]] = []
    size = 0
    for piece in pieces:
        if group and (len(group) >= batch_size or size + len(piece[0]) > BATCH_CHARS):
            yield from nlp.pipe(group, as_tuples=True, batch_size=len(group))
            group, size = [], 0
        group.append(piece)
        size += len(piece[0])
    if group:
        yield from nlp.pipe(group, as_tuples=True, batch_size=len(group))


# What a worker process works with: set by the pool's initializer. Under fork the arguments are inherited, not
# pickled, so the loaded model and the enrichers reach the workers as they are.
_worker: tuple[Any, tuple[Enricher, ...], int] | None = None


def _adopt(nlp, enrichers: tuple[Enricher, ...], batch_size: int, parent: int) -> None:
    global _worker
    _die_with(parent)
    _worker = nlp, enrichers, batch_size


def _die_with(parent: int) -> None:
    """End this worker when the ingest process dies: after a kill -9 it would otherwise live on, holding a model."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    else:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="newsgraph-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def work_chunk(docs: list[ExtractedDoc]) -> list[Prepared | IngestError]:
    """In a worker: parse, annotate and prepare `docs`; plain picklable records, in input order."""
    if _worker is None:
        raise RuntimeError("work_chunk runs in an ingest worker process only")
    nlp, enrichers, batch_size = _worker
    return [result if isinstance(result, IngestError) else Prepared(result, prepare_or_error(result, enrichers))
            for result in annotated(nlp, docs, batch_size)]


def warm(nlp, enrichers: Sequence[Enricher]) -> None:
    """Run one short text through everything a worker runs, so lazily loaded resources exist before the fork."""
    doc = ExtractedDoc(item="warm-up", text=WARM_TEXT, url=None, canonical_url=None, content_hash="warm-up")
    for result in annotated(nlp, [doc]):
        if not isinstance(result, IngestError):
            prepare_or_error(result, enrichers)


class WorkerPool:
    """`workers` forked processes that turn chunks of extracted documents into `Prepared` records, results in
    input order; at most two chunks per worker are in flight, so memory stays bounded."""

    def __init__(self, nlp, enrichers: Sequence[Enricher], workers: int, *, batch_size: int = 32,
                 chunk: int = CHUNK_ARTICLES, timeout: float | None = None):
        warm(nlp, enrichers)
        self.chunk, self.depth = chunk, 2 * workers
        self.timeout = CHUNK_TIMEOUT if timeout is None else timeout
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_adopt,
                                         initargs=(nlp, tuple(enrichers), batch_size, os.getpid()))
        # The first task forks every worker now: before the caller starts any thread of its own (a fork copies
        # no threads, and a lock one of them held would stay locked in the child).
        self._pool.submit(int).result(timeout=self.timeout)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is not None:
            self.stop()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Kill the workers (one may hang): shutting the pool down would wait for it."""
        for process in list(getattr(self._pool, "_processes", {}).values()):  # no public way before Python 3.14
            process.kill()

    def run(self, docs: Iterable[ExtractedDoc]) -> Iterator[Prepared | IngestError]:
        """What the workers make of `docs`, in order; WorkerError if a worker hangs past the timeout or dies."""
        flight: deque[tuple[list[ExtractedDoc], Future]] = deque()
        for chunk in _chunks(docs, self.chunk):
            flight.append((chunk, self._pool.submit(work_chunk, chunk)))
            if len(flight) >= self.depth:
                yield from self._take(*flight.popleft())
        while flight:
            yield from self._take(*flight.popleft())

    def _take(self, chunk: list[ExtractedDoc], future: Future) -> list[Prepared | IngestError]:
        span = f"{chunk[0].item} .. {chunk[-1].item}" if len(chunk) > 1 else chunk[0].item
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            self.stop()
            raise WorkerError(f"an ingest worker spent over {self.timeout:.0f} s on {len(chunk)} articles "
                              f"({span}) and was stopped; the articles written before them are stored") from None
        except BrokenProcessPool as exc:
            raise WorkerError(f"an ingest worker died while parsing {len(chunk)} articles ({span}): {exc}; "
                              "the articles written before them are stored") from None


def _chunks(docs: Iterable[ExtractedDoc], size: int) -> Iterator[list[ExtractedDoc]]:
    chunk: list[ExtractedDoc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
