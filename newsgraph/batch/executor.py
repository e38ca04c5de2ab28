"""What one Spark task runs: read its split, extract, parse with spaCy and store, in the executor's own process.

No pyspark here: a partition is a plain iterator of splits, so this runs (and is tested) without Spark too. The
spaCy pipeline, the store connection and the enrichers are made once per executor process and kept for every
later task it runs (Spark reuses its Python workers), never once per record.
"""
from __future__ import annotations

import io
import os
import resource
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any, BinaryIO

from ..ingest import Fetcher, Limits
from ..ingest.enrichers import default_enrichers
from ..ingest.jsonl import iter_jsonl
from ..ingest.localfile import stream_file
from ..ingest.pipeline import run_ingest
from ..ingest.sources import iter_source
from ..model import IngestError, RawDoc
from ..store import open_store
from .splits import Split

ERRORS_SHOWN = 20  # error lines a task sends back to the driver; all of them are stored
WRITE_BATCH = 16  # articles per write transaction (one turn of the store's ingest lock): a kill loses at most these

_process: dict[str, Any] = {}  # this executor process's spaCy pipeline, and a store with its enrichers per URL


@dataclass
class TaskReport:
    """What a task sends back to the driver: counts, never records."""

    read: int = 0  # records read (stored + skipped + failed)
    added: int = 0
    skipped: int = 0  # already stored, or a duplicate within the batch
    failed: int = 0
    words: int = 0
    errors: list[str] = field(default_factory=list)  # the first ERRORS_SHOWN, as one-line messages
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this task's CPU time in the executor (user + system)
    locked_seconds: float = 0.0  # holding the store's ingest lock: enrichment and writes, serial across executors
    locked_cpu_seconds: float = 0.0  # this process's CPU time while holding it (the store server's is not counted)
    lock_wait_seconds: float = 0.0  # waiting for it while another executor held it
    pid: int = 0
    peak_rss_mb: float = 0.0  # this executor process's peak so far

    def to_dict(self) -> dict:
        return asdict(self)


def read_split(split: Split, limits: Limits, fetcher=None) -> Iterator[RawDoc | IngestError]:
    """The split's items, streamed, named as `ingest` names them."""
    if split.start == 0 and split.end is None:
        yield from iter_source(split.path, fetcher or Fetcher(), limits)
        return

    def read(f: BinaryIO) -> Iterator[RawDoc | IngestError]:
        f.seek(split.start)
        yield from iter_jsonl(split.path, _Bounded(f, (split.end or 2**62) - split.start), limits, split.first_line)

    yield from stream_file(split.path, read)


class _Bounded(io.RawIOBase):
    """A file seen only up to `remaining` more bytes (readline only: what iter_jsonl uses)."""

    def __init__(self, f: BinaryIO, remaining: int):
        self._f, self._left = f, remaining

    def readline(self, size: int = -1) -> bytes:
        cap = self._left if size is None or size < 0 else min(size, self._left)
        line = self._f.readline(cap) if cap > 0 else b""
        self._left -= len(line)
        return line


def pipeline():
    """The spaCy pipeline of this process, loaded on first use."""
    if "nlp" not in _process:
        from ..nlp import load_pipeline

        _process["nlp"] = load_pipeline()
    return _process["nlp"]


def store_for(db: str, provenance: str = "lookup"):
    """(store, enrichers) of this process for `db`, opened on first use and kept. With `provenance` "join" the
    provenance enricher only computes keys: the matches are found later by a join over the whole batch (joins.py)."""
    key = f"enrichers:{db}:{provenance}"
    if key not in _process:
        if f"store:{db}" not in _process:
            _process[f"store:{db}"] = TimedStore(open_store(db))
        store = _process[f"store:{db}"]
        enrichers = default_enrichers(provenance_lookups=provenance != "join")
        _process[key] = (store, enrichers)
    return _process[key]


class TimedStore:
    """A store that counts time spent waiting for and holding its ingest lock: the part of the job that does not
    scale out (docs/scale.md), measured where it runs."""

    def __init__(self, store):
        self._store = store
        self.locked = self.waited = self.locked_cpu = 0.0

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    @contextmanager
    def ingest_lock(self):
        asked = time.monotonic()
        with self._store.ingest_lock():
            got, cpu = time.monotonic(), _cpu()
            self.waited += got - asked
            try:
                yield
            finally:
                self.locked += time.monotonic() - got
                self.locked_cpu += _cpu() - cpu


def run_task(splits: Iterable[Split], db: str, max_bytes: int | None = None, provenance: str = "lookup") -> TaskReport:
    """Ingest the splits of one partition into `db`; bad records are stored as errors and never fail the task."""
    started, cpu = time.monotonic(), _cpu()
    store, enrichers = store_for(db, provenance)
    locked, waited, locked_cpu = store.locked, store.waited, store.locked_cpu
    limits = Limits(max_bytes=max_bytes) if max_bytes else Limits()
    task = TaskReport(pid=os.getpid())
    nlp = pipeline()
    for split in splits:
        # spaCy keeps the string and lexeme of every new word it meets, for good: an executor that parsed for days
        # would hold them all. A memory zone frees this split's when it ends (nothing spaCy made outlives run_ingest).
        with nlp.memory_zone():
            report = run_ingest([], items=read_split(split, limits), store=store, nlp=nlp, fetcher=Fetcher(),
                                limits=limits, workers=1, enrichers=enrichers, batch_articles=WRITE_BATCH)
        task.added += report.added
        task.skipped += report.skipped
        task.failed += len(report.errors)
        task.words += report.words
        room = ERRORS_SHOWN - len(task.errors)
        task.errors += [str(e) for e in report.errors[:max(room, 0)]]
    task.read = task.added + task.skipped + task.failed
    task.seconds = round(time.monotonic() - started, 3)
    task.cpu_seconds = round(_cpu() - cpu, 3)
    task.locked_seconds = round(store.locked - locked, 3)
    task.lock_wait_seconds = round(store.waited - waited, 3)
    task.locked_cpu_seconds = round(store.locked_cpu - locked_cpu, 3)
    task.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return task


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
