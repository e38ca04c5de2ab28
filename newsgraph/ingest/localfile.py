"""Read a local file's bytes under the size limit, with OS errors turned into one-line messages."""
from __future__ import annotations

import os
from typing import BinaryIO, Callable, Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.limits import Limits, format_size, too_large
from newsgraph.model import IngestError


def os_error_message(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "no such file or directory"
    if isinstance(e, PermissionError):
        return "permission denied"
    if isinstance(e, IsADirectoryError):
        return "is a directory"
    return f"cannot read file ({e.strerror or e})"


def read_capped(path: str, limits: Limits) -> bytes:
    """The whole file, or InputError if it is larger than `limits.max_bytes` (checked before reading)."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limits.max_bytes:
                raise InputError(path, f"file {too_large(size, limits.max_bytes)}")
            data = f.read(limits.max_bytes + 1)
    except OSError as e:
        raise InputError(path, os_error_message(e)) from None
    if len(data) > limits.max_bytes:  # special files report size 0, and files can grow
        raise InputError(path, f"file too large (over {format_size(limits.max_bytes)} limit)")
    return data


def stream_file(path: str, read: Callable[[BinaryIO], Iterator]) -> Iterator:
    """Yield from `read(f)` on the opened file; a file that cannot be opened or is empty is one IngestError."""
    try:
        f = open(path, "rb")
    except OSError as e:
        yield IngestError(path, "read", os_error_message(e))
        return
    with f:
        if os.fstat(f.fileno()).st_size == 0 and not f.peek(1):  # special files report size 0
            yield IngestError(path, "read", "empty file")
            return
        yield from read(f)
