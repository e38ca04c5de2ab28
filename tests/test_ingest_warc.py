"""WARC reader: HTML response records become RawDocs; corrupt or truncated records give one error each."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_ingest_files import NoFetch
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.extract import extract
from newsgraph.ingest import Limits, iter_sources
from newsgraph.model import IngestError, RawDoc

HTML = [f"<html><body><article><p>Story number {i} about the harbour strike.</p></article></body></html>"
        for i in range(3)]


def _response(writer: WARCWriter, uri: str, body: bytes, content_type: str, status: str = "200 OK"):  # type: ignore[no-untyped-def]
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": "2024-03-05T10:15:00Z"})


def make_warc(path: Path, gzip: bool) -> list[int]:
    """warcinfo, 3 HTML responses, and records that must be skipped; returns each record's start offset."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    records = [
        writer.create_warcinfo_record(path.name, {"software": "newsgraph-tests"}),
        _response(writer, "https://news.example/a0", HTML[0].encode(), "text/html; charset=utf-8"),
        _response(writer, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
        writer.create_warc_record("https://news.example/a1", "request", payload=io.BytesIO(b"GET /a1 HTTP/1.1\r\n\r\n")),
        _response(writer, "https://news.example/a1", HTML[1].encode("latin-1"), "text/html; charset=ISO-8859-1"),
        _response(writer, "https://news.example/gone", b"<html>404</html>", "text/html", status="404 Not Found"),
        _response(writer, "https://news.example/a2", HTML[2].encode(), "application/xhtml+xml"),
    ]
    offsets = []
    for record in records:
        offsets.append(buf.tell())
        writer.write_record(record)
    path.write_bytes(buf.getvalue())
    return offsets


def read(path: Path, limits: Limits = Limits()) -> tuple[list[RawDoc], list[IngestError]]:
    items = list(iter_sources([str(path)], NoFetch(), limits))
    assert all(isinstance(i, (RawDoc, IngestError)) for i in items)
    return ([i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, IngestError)])


@pytest.mark.parametrize("name, gzip", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_html_responses_become_rawdocs(tmp_path: Path, name: str, gzip: bool) -> None:
    path = tmp_path / name
    offsets = make_warc(path, gzip)
    docs, errors = read(path)
    assert errors == []
    assert [d.item for d in docs] == [f"{path}#{offsets[1]}", f"{path}#{offsets[4]}", f"{path}#{offsets[6]}"]
    assert [d.url for d in docs] == ["https://news.example/a0", "https://news.example/a1", "https://news.example/a2"]
    assert all(d.date is None for d in docs)  # the page's own date wins at extraction; crawl date is a fallback
    assert all(d.meta == {"warc_date": "2024-03-05T10:15:00Z", "crawl_date": "2024-03-05"} for d in docs)
    assert [d.html for d in docs] == HTML
    assert "Story number 1" in extract(docs[1]).text


def test_truncated_archive_keeps_earlier_records(tmp_path: Path) -> None:
    good = tmp_path / "good.warc"
    offsets = make_warc(good, gzip=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(good.read_bytes()[: offsets[4] + 400])  # inside record 4's payload
    docs, errors = read(cut)
    assert [d.url for d in docs] == ["https://news.example/a0"]
    assert len(errors) == 1 and errors[0].item == f"{cut}#{offsets[4]}"
    assert errors[0].message.startswith("truncated record (")


def test_truncated_gzip_archive(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    offsets = make_warc(good, gzip=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(good.read_bytes()[: offsets[4] + 50])  # inside record 4's gzip member
    docs, errors = read(cut)
    assert [d.url for d in docs] == ["https://news.example/a0"]
    assert [e.item for e in errors] == [f"{cut}#{offsets[4]}"]


def test_garbage_between_records(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    offsets = make_warc(good, gzip=True)
    data = good.read_bytes()
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(data[: offsets[3]] + b"this is not a gzip member at all\r\n\r\n" + data[offsets[3]:])
    docs, errors = read(bad)
    assert [d.url for d in docs] == ["https://news.example/a0"]
    assert [str(e) for e in errors] == [f"{bad}#{offsets[3]}: not a valid WARC record"]


def test_corrupt_record_header(tmp_path: Path) -> None:
    good = tmp_path / "good.warc"
    offsets = make_warc(good, gzip=False)
    data = bytearray(good.read_bytes())
    data[offsets[4]: offsets[4] + 8] = b"GARBAGE!"  # clobber the "WARC/1.1" line
    bad = tmp_path / "bad.warc"
    bad.write_bytes(bytes(data))
    docs, errors = read(bad)
    assert [d.url for d in docs] == ["https://news.example/a0"]
    assert len(errors) == 1 and errors[0].item.startswith(f"{bad}#")


@pytest.mark.parametrize("data", [b"not a warc at all\n", b"\x00\x01\x02" * 50, b"WARC/1.0\r\n\r\n"])
def test_not_a_warc(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(data)
    docs, errors = read(path)
    assert docs == [] and len(errors) == 1 and errors[0].item.startswith(f"{path}#0")


def test_record_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    offsets = make_warc(path, gzip=False)
    docs, errors = read(path, Limits(max_bytes=50))
    assert docs == []
    assert [str(e) for e in errors] == [f"{path}#{offsets[i]}: record too large (over 50 bytes limit)"
                                        for i in (1, 4, 6)]
