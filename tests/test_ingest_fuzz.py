"""Hypothesis: whatever bytes a file holds, iter_sources only ever yields RawDoc or IngestError."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_ingest_files import NoFetch

from newsgraph.ingest import Limits, iter_sources
from newsgraph.model import IngestError, RawDoc

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

WARC_HEAD = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x/\r\n"
             b"Content-Type: application/http; msgtype=response\r\nContent-Length: ")

# Bytes that look a little like each format, so the fuzzer gets past the first check more often.
_SEEDS = {
    ".txt": [b"", b"plain text\n"],
    ".html": [b"<html><body><p>", b"<meta charset='koi8-r'>", b"\xef\xbb\xbf<p>"],
    ".jsonl": [b'{"text": "x"}\n', b'{"html": "<p>', b"[", b"{"],
    ".warc": [WARC_HEAD, b"WARC/1.0\r\n"],
    ".warc.gz": [b"\x1f\x8b\x08\x00"],
    ".rss": [b"<rss><channel><item><link>", b"<?xml version='1.0'?><!DOCTYPE x [", b"<feed>"],
}


def _assert_items(items: list) -> None:  # type: ignore[type-arg]
    for item in items:
        assert isinstance(item, (RawDoc, IngestError))
        if isinstance(item, IngestError):
            assert "\n" not in item.message and item.item
        else:
            assert (item.text is None) != (item.html is None)


@pytest.mark.parametrize("suffix", list(_SEEDS))
def test_arbitrary_bytes_never_raise(folder: Path, suffix: str) -> None:
    @FUZZ
    @given(prefix=st.sampled_from(_SEEDS[suffix]), data=st.binary(max_size=2000))
    def check(prefix: bytes, data: bytes) -> None:
        path = folder / f"input{suffix}"
        path.write_bytes(prefix + data)
        _assert_items(list(iter_sources([str(path)], NoFetch(), Limits(max_bytes=1500))))

    check()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One directory for the module's hypothesis tests (function-scoped tmp_path can't be shared)."""
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_gzipped_warc_payloads_never_raise(folder: Path, data: bytes) -> None:
    path = folder / "payload.warc.gz"
    record = WARC_HEAD + str(len(data)).encode() + b"\r\n\r\n" + data + b"\r\n\r\n"
    path.write_bytes(gzip.compress(record))
    _assert_items(list(iter_sources([str(path)], NoFetch())))


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_stdin_never_raises(data: bytes) -> None:
    _assert_items(list(iter_sources(["-"], NoFetch(), Limits(max_bytes=1500), stdin=io.BytesIO(data))))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)
_articles = st.dictionaries(
    st.sampled_from(["url", "title", "date", "text", "html", "id", "tags", "author"]) | st.text(max_size=8),
    _json_values | st.text(min_size=1), max_size=8,
)


@FUZZ
@given(lines=st.lists(_articles | _json_values, min_size=1, max_size=5))
def test_json_lines_round_trip(folder: Path, lines: list) -> None:  # type: ignore[type-arg]
    path = folder / "round.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    items = list(iter_sources([str(path)], NoFetch()))
    _assert_items(items)
    assert len(items) == len(lines)
    for lineno, (obj, item) in enumerate(zip(lines, items), start=1):
        assert item.item == f"{path}:{lineno}"
        if isinstance(item, IngestError):
            continue
        assert isinstance(obj, dict)
        for key in ("url", "title", "date"):
            assert getattr(item, key) == obj.get(key)
        body = item.text if item.text is not None else item.html
        assert body == obj.get("text" if item.text is not None else "html") and body.strip()
        assert item.meta == {k: v for k, v in obj.items() if k not in ("url", "title", "date", "text", "html")}
