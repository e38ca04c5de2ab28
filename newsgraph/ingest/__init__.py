"""Ingestion: read news items from files, directories, stdin, WARC archives, feeds and URLs."""
from newsgraph.ingest.fetch import Fetcher, FetcherLike, FetchResult
from newsgraph.ingest.limits import Limits
from newsgraph.ingest.sources import iter_sources

__all__ = ["iter_sources", "Fetcher", "FetcherLike", "FetchResult", "Limits"]
