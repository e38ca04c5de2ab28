"""Turn SOURCE strings (paths, directories, URLs, `-`) into a lazy stream of RawDoc and IngestError items."""
from __future__ import annotations

import os
import sys
from typing import BinaryIO, Callable, Iterable, Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.feeds import looks_like_feed, read_feed_bytes, read_feed_file
from newsgraph.ingest.fetch import FetcherLike
from newsgraph.ingest.files import (
    read_html_file,
    read_jsonl_file,
    read_stdin,
    read_text_file,
)
from newsgraph.ingest.limits import Limits
from newsgraph.ingest.localfile import os_error_message
from newsgraph.ingest.warc import read_warc
from newsgraph.ingest.web import page_doc
from newsgraph.model import IngestError, RawDoc

Item = RawDoc | IngestError
Reader = Callable[[str], Iterator[Item]]

# Longest suffix first, so `.warc.gz` wins over anything shorter.
EXTENSIONS = (".warc.gz", ".warc", ".jsonl", ".ndjson", ".html", ".htm", ".txt", ".rss", ".atom", ".xml")


def iter_sources(sources: Iterable[str], fetcher: FetcherLike, limits: Limits = Limits(),
                 stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Read every source in order, lazily; a bad item becomes one IngestError and the batch goes on.

    `stdin` is read for the source `-` (default: the process's binary stdin).
    """
    for source in sources:
        yield from iter_source(os.fspath(source), fetcher, limits, stdin)  # Path objects are fine too


def iter_source(source: str, fetcher: FetcherLike, limits: Limits = Limits(),
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    if source == "-":
        yield from read_stdin(stdin if stdin is not None else sys.stdin.buffer, limits)
    elif "://" in source:
        yield from _read_url(source, fetcher)
    elif os.path.isdir(source):
        yield from _read_directory(source, fetcher, limits)
    elif not os.path.lexists(source):
        yield IngestError(source, "read", "no such file or directory")
    else:
        reader = _reader_for(source, fetcher, limits)
        if reader is None:
            yield IngestError(source, "read", f"unsupported file type ({_describe_suffix(source)}); "
                                              f"expected one of {', '.join(EXTENSIONS)}")
        else:
            yield from reader(source)


def _read_url(url: str, fetcher: FetcherLike) -> Iterator[Item]:
    """A page URL gives one RawDoc; a feed URL is expanded into its entries' pages."""
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        yield IngestError(url, "read", f"unsupported URL scheme '{scheme}' (only http and https)")
        return
    try:
        result = fetcher.fetch(url)
        if looks_like_feed(result.content_type, result.body):
            yield from read_feed_bytes(url, result.body, fetcher, base_url=result.final_url,
                                       content_type=result.content_type)
            return
        doc: Item = page_doc(result)
    except InputError as e:
        doc = IngestError(e.item, e.stage, e.message)
    yield doc


def walk_directory(path: str) -> Iterator[tuple[str, OSError | None]]:
    """(file, None) for the known file types below `path`, recursively, in sorted order, hidden files and
    directories skipped; (directory, its error) for a directory that cannot be listed. `ingest` and `batch` share it."""
    try:
        names = sorted(os.listdir(path))
    except OSError as e:
        yield path, e
        return
    for name in names:
        if name.startswith("."):
            continue
        full = os.path.join(path, name)
        if os.path.isdir(full):
            if not os.path.islink(full):  # symlinked directories could loop
                yield from walk_directory(full)
        elif full.lower().endswith(EXTENSIONS):
            yield full, None


def _read_directory(path: str, fetcher: FetcherLike, limits: Limits) -> Iterator[Item]:
    for full, error in walk_directory(path):
        if error is not None:
            yield IngestError(full, "read", os_error_message(error))
            continue
        reader = _reader_for(full, fetcher, limits)
        if reader is not None:
            yield from reader(full)


def _reader_for(path: str, fetcher: FetcherLike, limits: Limits) -> Reader | None:
    suffix = next((ext for ext in EXTENSIONS if path.lower().endswith(ext)), None)
    if suffix in (".warc.gz", ".warc"):
        return lambda p: read_warc(p, limits)
    if suffix in (".jsonl", ".ndjson"):
        return lambda p: read_jsonl_file(p, limits)
    if suffix in (".html", ".htm"):
        return lambda p: read_html_file(p, limits)
    if suffix == ".txt":
        return lambda p: read_text_file(p, limits)
    if suffix in (".rss", ".atom", ".xml"):
        return lambda p: read_feed_file(p, fetcher, limits)
    return None


def _describe_suffix(path: str) -> str:
    suffix = os.path.splitext(path)[1]
    return f"'{suffix}'" if suffix else "no extension"
