"""Fetch one article page through a fetcher and turn the response into a RawDoc."""
from __future__ import annotations

from typing import Any

from newsgraph.errors import InputError
from newsgraph.ingest.fetch import FetcherLike, FetchResult
from newsgraph.ingest.sniff import binary_kind, decode_html, header_charset
from newsgraph.model import IngestError, RawDoc

HTML_TYPES = ("text/html", "application/xhtml+xml")


def media_type(content_type: str) -> str:
    """`text/html; charset=utf-8` -> `text/html`."""
    return content_type.split(";")[0].strip().lower()


def fetch_page(fetcher: FetcherLike, url: str, title: str | None = None, date: str | None = None,
               meta: dict[str, Any] | None = None) -> RawDoc | IngestError:
    """Fetch `url`; a failure is an IngestError naming `url`, never an exception."""
    try:
        return page_doc(fetcher.fetch(url), title=title, date=date, meta=meta)
    except InputError as e:
        return IngestError(e.item, e.stage, e.message)


def page_doc(result: FetchResult, title: str | None = None, date: str | None = None,
             meta: dict[str, Any] | None = None) -> RawDoc:
    """An HTML (or plain-text) response as a RawDoc named by the requested URL; InputError otherwise."""
    item, body = result.url, result.body
    media = media_type(result.content_type)
    kind = binary_kind(body)
    if not body.strip():
        raise InputError(item, "empty response", stage="fetch")
    if kind or (media and media not in HTML_TYPES and media != "text/plain"):
        raise InputError(item, f"not an HTML page ({media or kind})", stage="fetch")
    common: dict[str, Any] = {"item": item, "url": result.final_url, "title": title, "date": date,
                              "meta": dict(meta or {})}
    if media == "text/plain":
        return RawDoc(text=decode_html(item, body, header_charset(result.content_type) or "utf-8",
                                       lenient=True), **common)
    return RawDoc(html=decode_html(item, body, header_charset(result.content_type), lenient=True), **common)
