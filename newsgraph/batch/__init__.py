"""`newsgraph batch`: the ingest pipeline as an Apache Spark job, for corpora one process would take days over.

pyspark is imported only when a job starts (`spark.py`); planning (`splits.py`) and the per-partition work
(`executor.py`) are plain Python.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spark import BatchError, BatchReport

__all__ = ["run_batch", "BatchReport", "BatchError"]


def run_batch(*args, **kwargs) -> BatchReport:
    from .spark import run_batch as run

    return run(*args, **kwargs)


def __getattr__(name: str):
    if name in ("BatchReport", "BatchError"):
        from . import spark

        return getattr(spark, name)
    raise AttributeError(name)
