"""Local readers: HTML, text, JSONL, stdin and directories; bad items become one error, the rest go on."""
from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
from pathlib import Path
from typing import Iterable

import pytest

from newsgraph.errors import FetchError
from newsgraph.ingest import Fetcher, Limits, iter_sources
from newsgraph.ingest.fetch import FetchResult
from newsgraph.model import IngestError, RawDoc

MB = 1024 * 1024


class NoFetch:
    """Local-only tests must never fetch."""

    def fetch(self, url: str) -> FetchResult:
        raise FetchError(url, "fetching disabled in this test")


def run(sources: Iterable[str | Path], limits: Limits = Limits(), stdin: io.BytesIO | None = None
        ) -> tuple[list[RawDoc], list[IngestError]]:
    items = list(iter_sources([str(s) for s in sources], NoFetch(), limits, stdin=stdin))
    docs = [i for i in items if isinstance(i, RawDoc)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(docs) + len(errors) == len(items)
    for e in errors:
        assert "\n" not in str(e) and str(e).startswith(e.item + ": ")
    return docs, errors


def one_error(sources: Iterable[str | Path], limits: Limits = Limits()) -> IngestError:
    docs, errors = run(sources, limits)
    assert docs == [] and len(errors) == 1, errors
    return errors[0]


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


PAGE = "<html><head><title>T</title></head><body><article><p>Some news text.</p></article></body></html>"


# ---- HTML and text files ---------------------------------------------------------------


def test_html_file_gives_one_rawdoc(tmp_path: Path) -> None:
    path = write(tmp_path / "a.html", PAGE)
    docs, errors = run([path])
    assert errors == [] and docs == [RawDoc(item=str(path), html=PAGE)]


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    html = b"<html><head><meta charset='windows-1252'></head><body><p>Caf\xe9 \x93quoted\x94</p></body></html>"
    docs, _ = run([write(tmp_path / "a.htm", html)])
    assert "Café “quoted”" in (docs[0].html or "")
    latin = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>na\xefve \x80</p>'
    docs, _ = run([write(tmp_path / "b.html", latin)])
    assert "naïve €" in (docs[0].html or "")  # WHATWG: latin-1 means windows-1252


def test_html_undeclared_bad_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.html", b"<p>ok \xff\xfe</p>")
    err = one_error([path])
    assert str(err) == f"{path}: invalid UTF-8 at byte 6"


def test_truncated_html_is_passed_on(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.html", PAGE[:60])
    docs, errors = run([path])
    assert errors == [] and docs[0].html == PAGE[:60]


def test_text_file_kept_whole(tmp_path: Path) -> None:
    text = "First line is not a title\n\nBody paragraph one.\nBody two.\n"
    path = write(tmp_path / "a.txt", "\ufeff" + text)
    docs, _ = run([path])
    assert docs == [RawDoc(item=str(path), text=text)]


def test_text_bad_utf8(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", b"hello \xc3\x28 world")
    assert str(one_error([path])) == f"{path}: invalid UTF-8 at byte 6"


@pytest.mark.parametrize("name, data, kind", [
    ("doc.txt", b"%PDF-1.7\n...", "PDF"),
    ("doc.html", b"\x89PNG\r\n\x1a\n\0\0\0", "PNG"),
    ("doc.htm", b"PK\x03\x04rest", "ZIP"),
    ("doc.txt", b"\xff\xd8\xff\xe0JFIF", "JPEG"),
    ("doc.html", b"GIF89a....", "GIF"),
    ("doc.html", b"\x1f\x8b\x08\x00", "gzip"),
    ("doc.txt", b"looks like text\x00\x00 but isn't", "NUL bytes"),
    ("doc.jsonl", b"\x1f\x8b\x08\x00", "gzip"),
])
def test_binary_files(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    path = write(tmp_path / name, data)
    assert str(one_error([path])) == f"{path}: binary file ({kind}), not text"


@pytest.mark.parametrize("name", ["e.txt", "e.html", "e.jsonl", "e.warc", "e.rss"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"")
    assert str(one_error([path])) == f"{path}: empty file"


def test_50mb_file_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(50 * MB)  # sparse: instant to create
    started = time.monotonic()
    err = one_error([path])
    assert time.monotonic() - started < 1
    assert str(err) == f"{path}: file too large (50.0 MB > 10.0 MB limit)"


def test_small_limit_applies_per_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.html", PAGE)
    assert one_error([path], Limits(max_bytes=50)).message == "file too large (96 bytes > 50 bytes limit)"


def test_missing_path_and_unsupported_type(tmp_path: Path) -> None:
    assert str(one_error([tmp_path / "nope.txt"])) == f"{tmp_path / 'nope.txt'}: no such file or directory"
    pdf = write(tmp_path / "paper.pdf", b"%PDF-1.4")
    assert one_error([pdf]).message.startswith("unsupported file type ('.pdf'); expected one of .warc.gz")
    bare = write(tmp_path / "README", b"x")
    assert one_error([bare]).message.startswith("unsupported file type (no extension)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", "x")
    path.chmod(0)
    assert one_error([path]).message == "permission denied"


# ---- JSONL --------------------------------------------------------------------------------


def test_jsonl_fields_meta_and_errors_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "https://e.com/1", "title": "One", "date": "2024-01-01", "text": "Body one.",
                    "id": 7, "tags": ["a"], "author": "X"}),
        "",
        '{"url": "https://e.com/2", "title": "Two" "text": "missing comma"}',
        json.dumps({"html": "<p>Two</p>", "title": "Html one"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no body"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "   ", "html": ""}),
        '{"text": NaN}',
        json.dumps({"text": "both given", "html": "<p>html</p>"}),
        "   ",
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    docs, errors = run([path])
    assert docs == [
        RawDoc(item=f"{path}:1", url="https://e.com/1", title="One", date="2024-01-01", text="Body one.",
               meta={"id": 7, "tags": ["a"], "author": "X"}),
        RawDoc(item=f"{path}:4", title="Html one", html="<p>Two</p>"),
        RawDoc(item=f"{path}:10", text="both given"),
    ]
    assert [str(e) for e in errors] == [
        f"{path}:3: invalid JSON (Expecting ',' delimiter at column 43)",
        f"{path}:5: expected a JSON object, got array",
        f"{path}:6: missing both 'text' and 'html'",
        f"{path}:7: 'text' must be a string, got number",
        f"{path}:8: empty 'text' and 'html'",
        f"{path}:9: invalid JSON (NaN is not valid JSON)",
    ]


def test_jsonl_bad_utf8_long_line_and_deep_nesting(tmp_path: Path) -> None:
    good = json.dumps({"text": "fine"}).encode()
    data = b"\n".join([good, b'{"text": "caf\xe9"}', b'{"text": "' + b"x" * 5000 + b'"}', b"[" * 100_000, good])
    path = write(tmp_path / "n.ndjson", data)
    docs, errors = run([path], Limits(max_bytes=1000))
    assert [d.item for d in docs] == [f"{path}:1", f"{path}:5"]
    assert [str(e) for e in errors] == [
        f"{path}:2: invalid UTF-8 at byte 13",
        f"{path}:3: line too large (4.9 KB > 1000 bytes limit)",
        f"{path}:4: line too large (97.7 KB > 1000 bytes limit)",
    ]
    docs, errors = run([path])  # under the default limit the nesting is parsed, and refused
    assert str(errors[-1]) == f"{path}:4: invalid JSON (nested too deeply)"
    huge_int = write(tmp_path / "int.jsonl", b'{"n": ' + b"1" * 5000 + b', "text": "x"}')
    assert one_error([huge_int]).message == "invalid JSON (Exceeds the limit (4300 digits) for integer string conversion)"


def test_jsonl_streams_3000_articles_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    body = "Lorem ipsum dolor sit amet. " * 150  # ~4 KB per article, ~12 MB in all
    with open(path, "w") as f:
        for i in range(3000):
            f.write(json.dumps({"id": i, "title": f"Article {i}", "text": body}) + "\n")
    stream = iter_sources([str(path)], NoFetch())
    tracemalloc.start()
    try:
        count = 0
        for item in stream:
            assert isinstance(item, RawDoc)
            count += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 3000
    assert peak < 2 * MB, f"peak {peak} bytes: the file was not streamed"


def test_iter_sources_is_lazy(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", '{"text": "one"}\n{"text": "two"}\n')
    stream = iter_sources([str(path), str(tmp_path / "missing.txt")], NoFetch())
    first = next(stream)
    assert isinstance(first, RawDoc) and first.text == "one"
    path.unlink()  # already open: the reader carries on
    assert [type(i).__name__ for i in stream] == ["RawDoc", "IngestError"]


# ---- stdin ----------------------------------------------------------------------------------


class PipeLike(io.RawIOBase):
    """A non-seekable stream that returns short reads, like a pipe."""

    def __init__(self, data: bytes):
        self._data = data

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = 7 if n < 0 else min(n, 7)
        chunk, self._data = self._data[:n], self._data[n:]
        return chunk


@pytest.mark.parametrize("wrap", [io.BytesIO, PipeLike])
def test_stdin_jsonl(wrap: type) -> None:
    data = b'\n  {"text": "one", "src": "s"}\n{bad\n{"html": "<p>x</p>"}\n'
    docs, errors = run(["-"], stdin=wrap(data))
    assert docs == [RawDoc(item="<stdin>:2", text="one", meta={"src": "s"}),
                    RawDoc(item="<stdin>:4", html="<p>x</p>")]
    assert [str(e) for e in errors] == ["<stdin>:3: invalid JSON (Expecting property name enclosed in "
                                        "double quotes at column 2)"]


@pytest.mark.parametrize("wrap", [io.BytesIO, PipeLike])
def test_stdin_html_and_text(wrap: type) -> None:
    docs, _ = run(["-"], stdin=wrap(b"  <html><p>page</p></html>"))
    assert docs == [RawDoc(item="<stdin>", html="  <html><p>page</p></html>")]
    docs, _ = run(["-"], stdin=wrap(b"Plain words.\nMore."))
    assert docs == [RawDoc(item="<stdin>", text="Plain words.\nMore.")]


def test_stdin_bad_inputs() -> None:
    assert [str(e) for e in run(["-"], stdin=io.BytesIO(b""))[1]] == ["<stdin>: empty input"]
    assert [str(e) for e in run(["-"], stdin=io.BytesIO(b" \n "))[1]] == ["<stdin>: empty input"]
    assert [str(e) for e in run(["-"], stdin=io.BytesIO(b"%PDF-1.5"))[1]] == ["<stdin>: binary file (PDF), not text"]
    assert [str(e) for e in run(["-"], stdin=io.BytesIO(b"ab\xff"))[1]] == ["<stdin>: invalid UTF-8 at byte 2"]
    errors = run(["-"], Limits(max_bytes=10), stdin=io.BytesIO(b"x" * 100))[1]
    assert [str(e) for e in errors] == ["<stdin>: input too large (over 10 bytes limit)"]


# ---- directories and whole batches ---------------------------------------------------------------


def test_directory_recursive_sorted_known_types_only(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / "b.txt", "bee")
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "sub" / "c.jsonl", '{"text": "sea"}\n')
    write(tmp_path / "sub" / "deeper" / "d.TXT", "dee")
    write(tmp_path / ".hidden" / "e.txt", "hidden")
    write(tmp_path / ".f.txt", "hidden")
    write(tmp_path / "notes.md", "skipped")
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n")
    docs, errors = run([tmp_path])
    assert errors == []
    assert [d.item for d in docs] == [str(tmp_path / "a.html"), str(tmp_path / "b.txt"),
                                      f"{tmp_path / 'sub' / 'c.jsonl'}:1", str(tmp_path / "sub" / "deeper" / "d.TXT")]


def test_batch_of_bad_inputs_one_error_each_and_good_items_survive(tmp_path: Path) -> None:
    good_html = write(tmp_path / "good.html", PAGE)
    good_txt = write(tmp_path / "good.txt", "Good text.")
    jsonl = write(tmp_path / "mixed.jsonl", '{"text": "ok 1"}\n{oops}\n{"text": "ok 3"}\n')
    bad = {
        "binary": write(tmp_path / "scan.txt", b"%PDF-1.4 binary"),
        "empty": write(tmp_path / "empty.html", b""),
        "utf8": write(tmp_path / "latin.txt", b"caf\xe9"),
        "missing": tmp_path / "gone.html",
        "unsupported": write(tmp_path / "x.docx", b"PK\x03\x04"),
    }
    big = tmp_path / "big.html"
    with open(big, "wb") as f:
        f.truncate(50 * MB)
    truncated = write(tmp_path / "truncated.html", "<html><body><article><p>Cut off mid")
    sources = [good_html, *bad.values(), good_txt, big, jsonl, truncated]
    docs, errors = run(sources)
    assert {d.item for d in docs} == {str(good_html), str(good_txt), f"{jsonl}:1", f"{jsonl}:3", str(truncated)}
    assert [e.item for e in errors] == [*map(str, bad.values()), str(big), f"{jsonl}:2"]


def test_real_fetcher_and_path_objects_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "x")
    assert [type(i) for i in iter_sources([path], Fetcher())] == [RawDoc]  # type: ignore[list-item]
