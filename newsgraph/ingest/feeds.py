"""RSS/Atom feeds: refuse hostile XML, parse with feedparser, fetch each entry's linked page."""
from __future__ import annotations

import codecs
import io
import re
import time
from typing import Any, Iterator

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as defused_fromstring

from newsgraph.errors import InputError
from newsgraph.ingest.fetch import FetcherLike
from newsgraph.ingest.limits import Limits
from newsgraph.ingest.localfile import read_capped
from newsgraph.ingest.sniff import check_text_bytes
from newsgraph.ingest.web import fetch_page, media_type
from newsgraph.model import IngestError, RawDoc

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>/]")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
ENTITIES_REFUSED = "feed declares XML entities (XXE/entity expansion refused)"


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """True for feed content types, or XML whose root element near the start is rss/feed/rdf:RDF."""
    media = media_type(content_type)
    if media in FEED_TYPES:
        return True
    if media in ("text/html", "application/xhtml+xml"):
        return False
    return bool(_FEED_ROOT.search(body[:4096]))


def check_feed_xml(item: str, data: bytes) -> None:
    """Raise InputError if the XML declares entities (XXE, billion laughs), before any parser expands them."""
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(item, ENTITIES_REFUSED) from None
    except (ParseError, ValueError):
        # Malformed XML is common in feeds and feedparser copes; just make sure no entity is declared.
        text = data
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16", "replace").encode("utf-8")
        if _ENTITY_DECL.search(text):
            raise InputError(item, ENTITIES_REFUSED) from None


def read_feed_file(path: str, fetcher: FetcherLike, limits: Limits) -> Iterator[RawDoc | IngestError]:
    """A local `.rss`/`.atom`/`.xml` feed file."""
    try:
        data = read_capped(path, limits)
        check_text_bytes(path, data)
    except InputError as e:
        yield IngestError(e.item, e.stage, e.message)
        return
    yield from read_feed_bytes(path, data, fetcher)


def read_feed_bytes(item: str, data: bytes, fetcher: FetcherLike, base_url: str | None = None,
                    content_type: str = "") -> Iterator[RawDoc | IngestError]:
    """Expand a feed into its entries' pages; a failed entry is an error naming its URL, the rest go on."""
    try:
        entries = parse_feed(item, data, base_url, content_type)
    except InputError as e:
        yield IngestError(e.item, e.stage, e.message)
        return
    seen: set[str] = set()
    for entry in entries:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip() or link in seen:
            continue  # entries without a link have no page to fetch
        seen.add(link)
        title = entry.get("title")
        yield fetch_page(fetcher, link.strip(), title=title if isinstance(title, str) else None,
                         date=entry_date(entry), meta={"feed": item})


def parse_feed(item: str, data: bytes, base_url: str | None = None, content_type: str = "") -> list[Any]:
    """feedparser's entries after the entity check; InputError if it isn't a feed at all."""
    check_feed_xml(item, data)
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url  # lets feedparser resolve relative links
    # A stream, never bytes: feedparser tries to open() bytes as a local file name first.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers or None)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = type(parsed.get("bozo_exception")).__name__ if parsed.bozo else "no rss/feed root element"
        raise InputError(item, f"not a valid RSS/Atom feed ({reason})")
    return list(parsed.entries)


def entry_date(entry: Any) -> str | None:
    """Published (else updated) date as YYYY-MM-DD; the raw string if feedparser couldn't parse it."""
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    raw = entry.get("published") or entry.get("updated")
    return raw if isinstance(raw, str) and raw.strip() else None
