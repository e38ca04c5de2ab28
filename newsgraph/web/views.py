"""View models for the pages: sentences cut into plain and entity-mention pieces, marked snippets, safe links.

Everything here returns plain text pieces; the templates escape them, so no article text becomes markup.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ..model import MARK_CLOSE, MARK_OPEN, ArticleDetail, ArticleTrace, Attribution, StoredMention


@dataclass(frozen=True)
class Piece:
    text: str
    mention: StoredMention | None = None  # set when this piece is an entity mention


@dataclass
class SentenceView:
    index: int
    pieces: list[Piece]
    paragraph_start: bool  # first sentence after a blank line in the source text
    extras: dict = field(default_factory=dict)  # per-sentence data other features attach (e.g. provenance)


def cut(text: str, base: int, mentions: list[StoredMention]) -> list[Piece]:
    """Split `text` (which starts at offset `base` of the article) into plain and mention pieces.

    Mentions are sorted by start; one overlapping an earlier mention is left as plain text.
    """
    pieces: list[Piece] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        start, end = m.start - base, m.end - base
        if start < pos or start < 0 or end > len(text) or end <= start:
            continue
        if start > pos:
            pieces.append(Piece(text[pos:start]))
        pieces.append(Piece(text[start:end], m))
        pos = end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return pieces


def article_sentences(detail: ArticleDetail) -> list[SentenceView]:
    """The article's sentences with their mentions cut out, and where paragraphs begin."""
    by_sentence: dict[int, list[StoredMention]] = {}
    for m in detail.mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    views = []
    previous_end = 0
    for s in detail.sentences:
        gap = detail.text[previous_end:s.start]
        views.append(SentenceView(index=s.index, pieces=cut(detail.text[s.start:s.end], s.start,
                                                             by_sentence.get(s.index, [])),
                                  paragraph_start=s.index == 0 or "\n\n" in gap))
        previous_end = s.end
    return views


def attach_provenance(views: list[SentenceView], trace: ArticleTrace | None) -> list[SentenceView]:
    """Put each sentence's trace (kind, earliest source, matches) in its view's extras under "provenance"."""
    if trace is not None:
        for view, sentence in zip(views, trace.sentences, strict=False):
            view.extras["provenance"] = sentence
    return views


def attribution_label(attribution: Attribution) -> str | None:
    """"according to: the people" for an attributed claim, None when the article states it itself."""
    if attribution.kind == "none":
        return None
    return f"according to: {attribution.source or 'unnamed sources'}"


def context_pieces(sentence: str, start: int, end: int, label: str) -> list[tuple[str, str | None]]:
    """A sentence as (text, label-or-None) pieces with one mention at [start, end) marked."""
    if not (0 <= start < end <= len(sentence)):
        return [(sentence, None)]
    return [(sentence[:start], None), (sentence[start:end], label), (sentence[end:], None)]


def marked_snippet(snippet: str) -> Markup:
    """Escape a search snippet, then turn the store's private-use match marks into <mark> tags."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def safe_href(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None: a `javascript:` source must never become a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
