"""View models for the pages: sentences cut into plain and entity-mention pieces, marked snippets, safe links.

Everything here returns plain text pieces; the templates escape them, so no article text becomes markup.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup, escape

try:  # markupsafe's own (C) escaping, returning a str: 5x the replace chain; that chain if the private name moves
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - depends on the markupsafe release
    _escape_inner = None

from ..model import MARK_CLOSE, MARK_OPEN, ArticleDetail, ArticleTrace, Attribution, StoredMention


@dataclass(frozen=True)
class Piece:
    text: str
    mention: StoredMention | None = None  # set when this piece is an entity mention
    mark: str | None = None  # a highlight class: "lifted" (copied from a source) or "source-span" (linked to)


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
    """Put each sentence's trace (kind, earliest source, matches) in its view's extras under "provenance", and
    highlight the lifted spans of a partially copied sentence."""
    if trace is not None:
        for view, sentence in zip(views, trace.sentences, strict=False):
            view.extras["provenance"] = sentence
            if sentence.kind == "partial":
                for start, end in sentence.spans:
                    view.pieces = mark(view.pieces, start, end, "lifted")
    return views


def mark(pieces: list[Piece], start: int, end: int, css: str) -> list[Piece]:
    """The pieces with [start, end) (characters of the sentence) split out and marked with `css`."""
    out, pos = [], 0
    for p in pieces:
        a, b = pos, pos + len(p.text)
        pos = b
        cuts = sorted({a, b, *(x for x in (start, end) if a < x < b)})
        for x, y in zip(cuts, cuts[1:]):
            inside = start <= x and y <= end
            out.append(Piece(p.text[x - a:y - a], p.mention, css if inside else p.mark))
    return out


def parse_mark(value: str | None) -> tuple[int, int] | None:
    """"120-180" (article characters, from a provenance link) as a range; anything else is ignored."""
    if not value or len(value) > 24:
        return None
    start, _, end = value.partition("-")
    if not (start.isdigit() and end.isdigit()) or int(start) >= int(end):
        return None
    return int(start), int(end)


def mark_article_range(views: list[SentenceView], detail: ArticleDetail, marked: tuple[int, int] | None) -> None:
    """Mark an article character range (the span a copy took) across the sentences it covers."""
    if marked is None:
        return
    for view, s in zip(views, detail.sentences, strict=False):
        a, b = max(marked[0], s.start) - s.start, min(marked[1], s.end) - s.start
        if a < b:
            view.pieces = mark(view.pieces, a, b, "source-span")


def source_link(p) -> str:
    """Where a sentence's provenance links: the source article, its copied span marked for a partial copy."""
    src = p.source
    if p.kind != "partial":
        return f"/articles/{src.article_id}#s{src.sentence}"
    a, b = src.source_offset + src.source_span[0], src.source_offset + src.source_span[1]
    return f"/articles/{src.article_id}?mark={a}-{b}#s{src.sentence}"


def attribution_label(attribution: Attribution) -> str | None:
    """"according to: the people" for an attributed claim, None when the article states it itself."""
    if attribution.kind == "none":
        return None
    return f"according to: {attribution.source or 'unnamed sources'}"


def html_text(value: object) -> str:
    """`markupsafe.escape(value)` as a plain str, for the page fragments built in Python (web/fragments.py,
    graphsvg.py): the same five replacements, without a Markup object per call (a third of those builders' time).
    Only for plain values (str, int, None), never for Markup, which it would escape twice."""
    text = value if type(value) is str else str(value)
    if _escape_inner is not None:
        return _escape_inner(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


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
