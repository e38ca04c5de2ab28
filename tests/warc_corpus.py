"""Wikinews articles written as WARC files of HTML responses, for the batch tests and benchmarks/batch.py."""
from __future__ import annotations

import html
import io
import json
import random
import uuid
from collections.abc import Iterable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

MB = 1024 * 1024


def read_articles(path: Path, limit: int | None = None) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def article_html(a: dict) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><title>{html.escape(a['title'])}</title>"
            f'<meta property="article:published_time" content="{a["date"]}"></head>'
            f"<body><article><h1>{html.escape(a['title'])}</h1>{paragraphs}</article></body></html>").encode("utf-8")


def response(writer: WARCWriter, uri: str, body: bytes, date: str, content_type: str = "text/html; charset=utf-8"):
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": f"{date}T12:00:00Z"})


def write_warcs(articles: Iterable[dict], out_dir: Path, files: int, *, extra: Iterable[tuple] = ()) -> list[Path]:
    """The articles dealt round-robin into `files` .warc.gz files; `extra` (uri, body, date) records go into the
    first file after them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"part-{i:03d}.warc.gz" for i in range(files)]
    streams = [open(p, "wb") for p in paths]
    writers = [WARCWriter(s, gzip=True) for s in streams]
    try:
        for i, a in enumerate(articles):
            w = writers[i % files]
            w.write_record(response(w, a["url"], article_html(a), a["date"]))
        for uri, body, date in extra:
            writers[0].write_record(response(writers[0], uri, body, date))
    finally:
        for s in streams:
            s.close()
    return paths


def write_truncated_warc(path: Path, article: dict) -> Path:
    """One good record, then a record cut off half-way: the good one is stored, the cut one is an error."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(response(writer, article["url"], article_html(article), article["date"]))
    good = buf.tell()
    writer.write_record(response(writer, article["url"] + "-cut", article_html(article) * 3, article["date"]))
    path.write_bytes(buf.getvalue()[:good + (buf.tell() - good) // 2])
    return path


def _raw_record(out, uri: str, content_type: str, size: int, chunk: bytes, date: str = "2024-01-01") -> None:
    """One response record whose `size`-byte body is `chunk` repeated, written piece by piece (never held whole).
    No digests: warcio does not check them when reading."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {size}\r\n\r\n".encode()
    out.write((f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
               f"WARC-Date: {date}T12:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
               f"Content-Type: application/http; msgtype=response\r\n"
               f"Content-Length: {len(http) + size}\r\n\r\n").encode())
    out.write(http)
    left = size
    while left > 0:
        piece = chunk[:left]
        out.write(piece)
        left -= len(piece)
    out.write(b"\r\n\r\n")


def write_bulky_warc(path: Path, articles: list[dict], total_bytes: int, *, binary_bytes: int = 24 * MB,
                     html_bytes: int = 12 * MB, giant_bytes: int = 0) -> dict:
    """An uncompressed WARC of at least `total_bytes`, streamed to disk: the articles, each followed by either a large
    non-HTML response (an image, skipped unread) or an HTML page over the default 10 MB limit (an error, of which
    only the limit is read), in turn, until the size is reached; `giant_bytes` adds one binary record and one
    over-limit page of that size first. Returns what a reader must find: the articles and the over-limit pages."""
    noise = random.Random(7).randbytes(MB)  # incompressible, like images
    filler = (b"<p>" + b"All work and no play makes a dull page. " * 24 + b"</p>\n") * 1024
    filler = filler[:MB]
    html_head = b"<!DOCTYPE html><html><head><title>Huge</title></head><body>"
    pages = 0
    with open(path, "wb") as out:
        if giant_bytes:
            _raw_record(out, "https://bulk.example/giant.bin", "application/octet-stream", giant_bytes, noise)
            _raw_record(out, "https://bulk.example/giant.html", "text/html", giant_bytes, html_head + filler)
            pages += 1
        turn = 0
        while out.tell() < total_bytes or turn < len(articles):
            if turn < len(articles):
                a = articles[turn]
                body = article_html(a)
                _raw_record(out, a["url"], "text/html; charset=utf-8", len(body), body, a["date"])
            if turn % 2 == 0:
                _raw_record(out, f"https://bulk.example/{turn}.jpg", "image/jpeg", binary_bytes, noise)
            else:
                _raw_record(out, f"https://bulk.example/{turn}.html", "text/html", html_bytes, html_head + filler)
                pages += 1
            turn += 1
        size = out.tell()
    records = min(turn, len(articles)) + turn + (2 if giant_bytes else 0)
    return {"bytes": size, "articles": len(articles), "too_large": pages, "records": records}
