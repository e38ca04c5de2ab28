"""Turn a RawDoc into an ExtractedDoc: main text, metadata, canonical URL and content hash."""
from __future__ import annotations

from newsgraph.errors import InputError
from newsgraph.extract.html import extract_html
from newsgraph.extract.text import clean_line, clean_text, content_hash, normalise_date
from newsgraph.extract.urls import canonical_url, site_of
from newsgraph.model import ExtractedDoc, RawDoc


def extract(raw: RawDoc) -> ExtractedDoc:
    """Extract one item; raises InputError(stage="extract") when there is no usable text.

    Metadata given in the RawDoc (title, date, url, and author/site/language in meta) wins over
    what is found in the page.
    """
    meta = dict(raw.meta)
    found_title = found_date = found_author = found_site = found_language = found_url = None
    if raw.text is not None:
        text = clean_text(raw.text)
    elif raw.html is not None:
        page = extract_html(raw.item, raw.html, raw.url)
        text = clean_text(page.text)
        found_title, found_date, found_author = page.title, page.date, page.author
        found_site, found_language, found_url = page.sitename, page.language, page.url
    else:
        raise InputError(raw.item, "item has neither text nor HTML", stage="extract")
    if not text:
        raise InputError(raw.item, "empty article text", stage="extract")

    url = clean_line(raw.url) or clean_line(found_url)
    canonical = canonical_url(url) if url else None
    date = normalise_date(raw.date) or normalise_date(found_date) or normalise_date(meta.get("crawl_date"))
    if raw.date and not normalise_date(raw.date):
        meta.setdefault("date_raw", raw.date)  # keep what we couldn't read rather than store junk as a date
    return ExtractedDoc(
        item=raw.item,
        text=text,
        url=url,
        canonical_url=canonical,
        content_hash=content_hash(text),
        title=clean_line(raw.title) or clean_line(found_title),
        date=date,
        author=clean_line(meta.get("author")) or clean_line(found_author),
        site=clean_line(meta.get("site")) or clean_line(found_site) or site_of(url),
        language=_language(meta.get("language")) or _language(found_language),
        meta=meta,
    )


def _language(value: object) -> str | None:
    line = clean_line(value)
    return line.lower() if line else None
