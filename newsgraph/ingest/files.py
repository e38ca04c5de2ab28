"""Readers for local HTML, plain-text and JSONL files and for stdin; each yields RawDoc or IngestError."""
from __future__ import annotations

import io
from typing import BinaryIO, Callable, Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.jsonl import iter_jsonl
from newsgraph.ingest.limits import Limits, format_size
from newsgraph.ingest.localfile import read_capped, stream_file
from newsgraph.ingest.sniff import (
    SNIFF_BYTES,
    binary_kind,
    check_text_bytes,
    decode_html,
    decode_utf8,
)
from newsgraph.model import IngestError, RawDoc

STDIN = "<stdin>"


def read_html_file(path: str, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """One RawDoc with the decoded HTML; broken markup is passed on for extraction to salvage."""
    yield from _read_whole(path, limits, lambda data: RawDoc(item=path, html=decode_html(path, data)))


def read_text_file(path: str, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """One RawDoc with the whole file as text (no line is taken to be a title)."""
    yield from _read_whole(path, limits, lambda data: RawDoc(item=path, text=decode_utf8(path, data)))


def _read_whole(path: str, limits: Limits, make: Callable[[bytes], RawDoc]) -> Iterator[RawDoc | IngestError]:
    try:
        data = read_capped(path, limits)
        check_text_bytes(path, data)
        doc = make(data)
    except InputError as e:
        yield IngestError(e.item, e.stage, e.message)
        return
    yield doc


def read_jsonl_file(path: str, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """Stream a JSONL file; the file is never loaded whole."""

    def read(f: BinaryIO) -> Iterator[RawDoc | IngestError]:
        head = f.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        kind = binary_kind(head)
        if not head.strip():
            yield IngestError(path, "read", "empty file")
        elif kind:
            yield IngestError(path, "read", f"binary file ({kind}), not text")
        else:
            yield from iter_jsonl(path, f, limits)

    return stream_file(path, read)


def read_stdin(stream: BinaryIO, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """Sniff stdin: JSONL if it starts with `{`, HTML if with `<`, else plain text."""
    prefix = b""
    while not prefix.lstrip(b"\xef\xbb\xbf \t\r\n") and len(prefix) <= limits.max_bytes:
        chunk = stream.read(SNIFF_BYTES)
        if not chunk:
            break
        prefix += chunk
    first = prefix.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"{":
        yield from iter_jsonl(STDIN, io.BufferedReader(_Prefixed(prefix, stream)), limits)
        return
    data = prefix + _read_up_to(stream, limits.max_bytes + 1 - len(prefix))
    try:
        if len(data) > limits.max_bytes:
            raise InputError(STDIN, f"input too large (over {format_size(limits.max_bytes)} limit)")
        check_text_bytes(STDIN, data, empty="empty input")
        if first == b"<":
            doc = RawDoc(item=STDIN, html=decode_html(STDIN, data))
        else:
            doc = RawDoc(item=STDIN, text=decode_utf8(STDIN, data))
    except InputError as e:
        yield IngestError(e.item, e.stage, e.message)
        return
    yield doc


def _read_up_to(stream: BinaryIO, n: int) -> bytes:
    """Read until `n` bytes or EOF; pipes and raw streams may return short reads."""
    chunks: list[bytes] = []
    while n > 0:
        chunk = stream.read(min(n, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


class _Prefixed(io.RawIOBase):
    """`prefix` (already read while sniffing) followed by the rest of `stream`; never closes `stream`."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        super().__init__()
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._prefix[: len(buffer)] if self._prefix else self._stream.read(len(buffer))
        self._prefix = self._prefix[len(data):]
        buffer[: len(data)] = data
        return len(data)
