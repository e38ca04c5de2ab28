"""Main text and metadata from an HTML page via trafilatura, tuned for precision on news articles."""
from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import etree
from trafilatura.settings import Document

from newsgraph.errors import InputError

_HTML_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*""", re.I)


@dataclass(frozen=True)
class HtmlArticle:
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    sitename: str | None = None
    language: str | None = None
    url: str | None = None  # the page's own canonical/og:url, if declared


def extract_html(item: str, html: str, url: str | None = None) -> HtmlArticle:
    """Run trafilatura on one page; InputError if it finds no main text."""
    # News pages: rather lose a paragraph than keep nav, teasers and comments. Only if that finds
    # nothing at all is a recall-oriented pass worth a try (odd layouts, very short items).
    doc = _trafilatura(item, html, url, favor_precision=True)
    if doc is None:
        doc = _trafilatura(item, html, url, favor_recall=True)
    if doc is None:
        raise InputError(item, "no article text found in HTML", stage="extract")
    return HtmlArticle(
        text=doc.text or "",
        title=doc.title,
        date=doc.date,
        author=doc.author,
        sitename=doc.sitename,
        language=doc.language or page_language(html),
        url=doc.url,
    )


def _trafilatura(item: str, html: str, url: str | None, **options: bool) -> Document | None:
    """trafilatura's document if it found non-blank main text, else None."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,  # trafilatura's dedup cache is process-wide state
            **options,
        )
    except (etree.LxmlError, ValueError, TypeError, AttributeError, RecursionError) as e:
        # trafilatura catches most parser trouble itself; these are what slips through on odd markup.
        raise InputError(item, f"HTML could not be parsed ({type(e).__name__})", stage="extract") from None
    text = getattr(doc, "text", None)
    return doc if isinstance(doc, Document) and isinstance(text, str) and text.strip() else None


def page_language(html: str) -> str | None:
    """The primary language subtag from `<html lang="en-GB">`; trafilatura only detects it with py3langid."""
    m = _HTML_LANG.search(html[:8192])
    return m.group(1).lower() if m else None
