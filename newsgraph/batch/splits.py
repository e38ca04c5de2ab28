"""Cut batch inputs into splits: whole files, or line-aligned byte ranges of JSONL, read later in the executors.

Only paths and offsets are planned here; records are never read on the driver. A JSONL range knows the number of
its first line, so its items are named `path:LINE` as `ingest` names them.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..ingest.sources import walk_directory

JSONL = (".jsonl", ".ndjson")
_SCAN_CHUNK = 1024 * 1024
MIN_SPLIT_BYTES = 64 * 1024  # smaller ranges cost more in task overhead than they gain in balance


@dataclass(frozen=True)
class Split:
    """One unit of work for one partition: a whole source (`end` None) or bytes [start, end) of a JSONL file."""

    path: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


def expand(inputs: Iterable[str]) -> Iterator[str]:
    """Files named by the inputs: a directory gives its known file types (recursive, sorted, hidden ones skipped),
    a glob its sorted matches; anything else is passed on as it is, so the reader reports it as `ingest` would."""
    for source in inputs:
        source = os.fspath(source)
        if os.path.isdir(source):
            yield from _walk(source)
        elif not os.path.lexists(source) and glob.has_magic(source):
            matches = sorted(glob.glob(source, recursive=True))
            yield from (m for p in matches for m in (_walk(p) if os.path.isdir(p) else [p]))
            if not matches:
                yield source  # read as a path: "no such file or directory"
        else:
            yield source


def _walk(path: str) -> Iterator[str]:
    # a directory that cannot be listed is passed on as it is: the reader names the OS error
    return (full for full, _ in walk_directory(path))


def plan(inputs: Iterable[str], pieces: int) -> list[Split]:
    """Splits for the inputs, JSONL files cut into ranges so that there are about `pieces` in all. Other files
    (WARC among them) stay whole: a CC-NEWS crawl is hundreds of WARC files, each one task."""
    paths = list(expand(inputs))
    sizes = {p: _size(p) for p in paths if p.lower().endswith(JSONL)}
    target = max(MIN_SPLIT_BYTES, sum(sizes.values()) // max(1, pieces))
    out: list[Split] = []
    for path in paths:
        if sizes.get(path, 0) > target:
            out.extend(jsonl_ranges(path, target))
        else:
            out.append(Split(path))
    return out


def jsonl_ranges(path: str, target: int) -> list[Split]:
    """Ranges of about `target` bytes that begin at line starts, with the number of each range's first line."""
    ranges: list[Split] = []
    start, line, pos, lines_before = 0, 1, 0, 0
    with open(path, "rb") as f:
        while chunk := f.read(_SCAN_CHUNK):
            offset = 0
            while True:
                cut = start + target
                if cut >= pos + len(chunk):
                    break
                nl = chunk.find(b"\n", max(offset, cut - pos))
                if nl < 0:
                    break
                lines_before += chunk.count(b"\n", offset, nl + 1)
                ranges.append(Split(path, start, pos + nl + 1, line))
                start, line, offset = pos + nl + 1, lines_before + 1, nl + 1
            lines_before += chunk.count(b"\n", offset)
            pos += len(chunk)
    if start < pos or not ranges:
        ranges.append(Split(path, start, None, line))
    return ranges


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
