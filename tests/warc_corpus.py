"""Wikinews articles written as WARC files of HTML responses, for the batch tests and benchmarks/batch.py."""
from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


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
