"""The Spark job behind `newsgraph batch`: splits are distributed, each partition reads, parses and stores its own.

The driver sends paths and byte offsets, and gets back one small `TaskReport` per partition; records never pass
through it. pyspark is imported here only, so nothing else in newsgraph pays for it.
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NewsgraphError
from .executor import ERRORS_SHOWN, TaskReport, run_task
from .joins import match_pending
from .splits import Split, plan

DEFAULT_MASTER = "local[2]"
PROVENANCE_MODES = ("lookup", "join")
DRIVER_MEMORY = "1g"  # the driver holds splits and task reports only
POLL_SECONDS = 0.5


class BatchError(NewsgraphError):
    """Spark could not be started, or the job failed as a whole (a bad record never does this)."""


@dataclass
class BatchReport:
    read: int = 0
    added: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    errors: list[str] = field(default_factory=list)  # a sample; every error is stored (`newsgraph errors`)
    partitions: int = 0
    partitions_done: int = 0
    master: str = ""
    startup_seconds: float = 0.0  # starting Spark (JVM and context), before any record is read
    seconds: float = 0.0  # the job itself
    cpu_seconds: float = 0.0  # CPU time spent in the executors' tasks (model loading included)
    locked_seconds: float = 0.0  # executors holding the store's ingest lock (serial: enrichment and writes)
    lock_wait_seconds: float = 0.0  # executors waiting for it
    locked_cpu_seconds: float = 0.0  # executor CPU time spent holding it
    executor_peak_rss_mb: float = 0.0
    driver_peak_rss_mb: float = 0.0
    provenance: str = "lookup"  # "join": matches found by a join over the whole batch after the articles are stored
    stage: str = "storing"  # then "matching" (join only)
    pending: int = 0  # join: articles whose matches were to find (this job's and any a killed job left)
    matched: int = 0  # join: ... found and written
    match_seconds: float = 0.0  # join: the second pass (joins, alignment, writes), part of `seconds`
    candidate_seconds: float = 0.0  # join: the candidate joins alone (reading the index rows not counted)
    index_seconds: float = 0.0  # join: reading the sentence band keys and seeds from the store into Spark

    @property
    def docs_per_second(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


def run_batch(inputs: Iterable[str], db: str, *, master: str | None = None, partitions: int | None = None,
              max_bytes: int | None = None, progress: Callable[[BatchReport], None] | None = None,
              provenance: str = "lookup") -> BatchReport:
    """Ingest `inputs` (WARC/WARC.gz, JSONL, other files, directories, globs) into the store at `db` with Spark.

    `master` defaults to spark-submit's, else local[2]. `partitions` is about how many pieces the inputs are cut into
    (JSONL files are cut at line starts; other files stay whole). Articles already stored are skipped, so a killed
    job re-run adds nothing twice.

    `provenance` "lookup" finds each sentence's matches with store lookups as it is stored (what `ingest` does);
    "join" stores articles with their keys only, then finds every stored-but-unmatched article's candidates with
    one Spark join on band keys and n-gram seeds, and its matches with provenance's own alignment (joins.py)."""
    if provenance not in PROVENANCE_MODES:
        raise BatchError(f"unknown provenance mode {provenance!r}: one of {', '.join(PROVENANCE_MODES)}")
    report = BatchReport(provenance=provenance)
    started = time.monotonic()
    local_dir = tempfile.mkdtemp(prefix="newsgraph-spark-")
    try:
        sc = _context(master, local_dir)
    except Exception as exc:  # noqa: BLE001 - py4j and the launcher raise many kinds; all mean Spark did not start
        shutil.rmtree(local_dir, ignore_errors=True)
        raise BatchError(f"cannot start Spark ({master or DEFAULT_MASTER}): {str(exc).splitlines()[0]}") from None
    try:
        report.master = sc.master
        report.startup_seconds = round(time.monotonic() - started, 2)
        splits = plan(list(inputs), partitions or 4 * sc.defaultParallelism)
        report.partitions = min(partitions, len(splits)) if partitions else len(splits)
        if progress is not None:
            progress(report)
        _run(sc, splits, db, max_bytes, report, progress, provenance)
        if provenance == "join":
            report.stage = "matching"
            if progress is not None:
                progress(report)
            joined = match_pending(sc, db, report.partitions or sc.defaultParallelism)
            report.pending, report.matched = joined.pending, joined.matched
            report.match_seconds, report.candidate_seconds = joined.seconds, joined.candidate_seconds
            report.index_seconds = joined.read_seconds
            if progress is not None:
                progress(report)
    finally:
        sc.stop()
        shutil.rmtree(local_dir, ignore_errors=True)
    report.seconds = round(time.monotonic() - started - report.startup_seconds, 2)
    report.driver_peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def _context(master: str | None, local_dir: str):
    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("newsgraph batch")
    if master:
        conf.setMaster(master)
    elif not conf.contains("spark.master"):  # spark-submit sets it
        conf.setMaster(DEFAULT_MASTER)
    local = conf.get("spark.master", "").startswith("local")
    conf.set("spark.ui.enabled", "false")
    conf.set("spark.local.dir", local_dir)
    conf.set("spark.python.worker.reuse", "true")  # keeps each worker's spaCy model between tasks
    conf.setIfMissing("spark.driver.memory", DRIVER_MEMORY)
    conf.set("spark.ui.showConsoleProgress", "false")  # newsgraph draws its own progress line
    log4j = Path(__file__).with_name("log4j2.properties")
    conf.setIfMissing("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
    if local:
        # A laptop job listens on loopback only.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1")
        conf.setIfMissing("spark.driver.host", "127.0.0.1")
        # Executors run this very Python and import this very newsgraph (a cluster ships them with spark-submit).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        package_root = str(Path(__file__).resolve().parents[2])
        conf.set("spark.executorEnv.PYTHONPATH", os.pathsep.join(
            p for p in (package_root, os.environ.get("PYTHONPATH")) if p))
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("ERROR")
    return sc


def _run(sc, splits: list[Split], db: str, max_bytes: int | None, report: BatchReport,
         progress: Callable[[BatchReport], None] | None, provenance: str = "lookup") -> None:
    counters = {name: sc.accumulator(0) for name in ("read", "added", "skipped", "failed", "words", "tasks")}

    def task(part: Iterator[Split]) -> Iterator[dict]:
        done = run_task(part, db, max_bytes, provenance)
        for name in ("read", "added", "skipped", "failed", "words"):
            counters[name].add(getattr(done, name))
        counters["tasks"].add(1)
        yield done.to_dict()

    rdd = sc.parallelize(splits, report.partitions or 1).mapPartitions(task)
    outcome: dict = {}

    def collect() -> None:
        try:
            outcome["tasks"] = rdd.collect()  # one small report per partition
        except Exception as exc:  # noqa: BLE001 - a Py4JJavaError carrying the executor's traceback
            outcome["error"] = exc

    job = threading.Thread(target=collect, name="newsgraph-batch", daemon=True)
    job.start()
    while job.is_alive():
        job.join(POLL_SECONDS)
        for name in ("read", "added", "skipped", "failed", "words"):
            setattr(report, name, counters[name].value)
        report.partitions_done = counters["tasks"].value
        if progress is not None:
            progress(report)
    if "error" in outcome:
        raise BatchError(f"the Spark job failed: {_first_cause(outcome['error'])}")
    tasks = [TaskReport(**t) for t in outcome["tasks"]]
    for name in ("read", "added", "skipped", "failed", "words"):
        setattr(report, name, sum(getattr(t, name) for t in tasks))
    report.partitions_done = len(tasks)
    report.errors = [e for t in tasks for e in t.errors][:ERRORS_SHOWN * 5]
    report.cpu_seconds = round(sum(t.cpu_seconds for t in tasks), 2)
    report.locked_seconds = round(sum(t.locked_seconds for t in tasks), 2)
    report.lock_wait_seconds = round(sum(t.lock_wait_seconds for t in tasks), 2)
    report.locked_cpu_seconds = round(sum(t.locked_cpu_seconds for t in tasks), 2)
    report.executor_peak_rss_mb = max((t.peak_rss_mb for t in tasks), default=0.0)
    if progress is not None:
        progress(report)


def _first_cause(exc: Exception) -> str:
    """The Python error an executor raised, from the Java exception that carries it."""
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("newsgraph.") or "Error:" in line:
            return line
    return lines[0] if lines else type(exc).__name__
