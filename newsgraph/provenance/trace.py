"""Provenance queries: a sentence-by-sentence trace, copy families and originality rankings."""
from __future__ import annotations

import re

from ..model import (
    ArticleDetail,
    ArticleSummary,
    ArticleTrace,
    MatchRow,
    SentenceTrace,
    SourceRef,
    TraceMatch,
)
from ..store.base import Store
from .classify import COPY_KINDS
from .ngrams import copied_share

STITCHED_SOURCES = 3  # copied sentences from this many earlier articles make a page stitched
_KIND_RANK = {"verbatim": 0, "near": 1, "spun": 2, "partial": 3, "paraphrase": 4}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_DOMAIN_TAIL = re.compile(r"\.(com|net|org|co|io|news|info|biz|tv|[a-z]{2})(\.[a-z]{2})?$")


def outlet_key(site: str | None) -> str | None:
    """"www.phonearena.com" and "PhoneArena" both give "phonearena"."""
    if not site:
        return None
    key = _DOMAIN_TAIL.sub("", site.lower().removeprefix("www."))
    key = _NOT_ALNUM.sub("", key)
    return key if len(key) >= 3 else None


def _best_per_article(rows: list[MatchRow]) -> list[MatchRow]:
    best: dict[int, MatchRow] = {}
    for r in rows:
        cur = best.get(r.article.id)
        if cur is None or (_KIND_RANK[r.kind], -r.similarity) < (_KIND_RANK[cur.kind], -cur.similarity):
            best[r.article.id] = r
    return sorted(best.values(), key=lambda r: r.precedence)


def _spans(r: MatchRow, sentence: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """The copied spans of a match in the sentence and the source sentence; whole sentences unless partial."""
    return r.span or (0, len(sentence)), r.source_span or (0, len(r.other_sentence))


def build_trace(detail: ArticleDetail, rows: list[MatchRow]) -> ArticleTrace:
    """Each sentence's earliest source (copy kinds first), every match, originality and the stitched flag.

    Which article is earlier is the store's verdict (`MatchRow.earlier`, `precedence`): date, content hash, identity.

    Originality = 1 - (sum over sentences of the share of their words copied from earlier articles) / sentences:
    a whole-sentence copy counts 1, a partial copy the words inside the union of its lifted spans.
    """
    by_sentence: dict[int, list[MatchRow]] = {}
    for r in rows:
        by_sentence.setdefault(r.sentence, []).append(r)
    traces, sources, credited, copied = [], {}, [], 0.0
    lowered = [_NOT_ALNUM.sub("", s.text.lower()) for s in detail.sentences]
    for s in detail.sentences:
        mine = by_sentence.get(s.index, [])
        found = _best_per_article(mine)
        earlier = [r for r in found if r.earlier]
        copies = [r for r in earlier if r.kind in COPY_KINDS]
        source = copies[0] if copies else (earlier[0] if earlier else None)
        share, spans = 0.0, []
        if copies:
            if any(r.kind != "partial" for r in copies):
                share = 1.0
            else:
                spans = sorted({r.span for r in mine if r.kind == "partial" and r.earlier})
                share = copied_share(s.text, spans)
            copied += share
            sources.setdefault(source.article.id, source)
            outlet = outlet_key(source.article.site)
            nearby = "".join(lowered[max(s.index - 1, 0):s.index + 2])
            if outlet and outlet in nearby:
                credited.append(s.index)
        ref = None
        if source:
            span, source_span = _spans(source, s.text)
            ref = SourceRef(source.article.id, source.article.url, source.article.date, source.similarity,
                            sentence=source.other_index, span=span, source_span=source_span,
                            source_offset=source.other_start)
        traces.append(SentenceTrace(
            sentence=s.text, start=s.start, end=s.end, kind=source.kind if source else "original", source=ref,
            matches=[TraceMatch(r.article.id, r.article.url, r.article.date, r.kind, r.similarity, *_spans(r, s.text))
                     for r in found],
            copied=round(share, 4), spans=spans))
    n = len(detail.sentences)
    return ArticleTrace(article=detail.article, originality=round(1 - copied / n, 4) if n else 1.0,
                        stitched=len(sources) >= STITCHED_SOURCES,
                        sources=[r.article for r in sorted(sources.values(), key=lambda r: r.precedence)],
                        credited=credited, sentences=traces)


def trace(store: Store, detail: ArticleDetail) -> ArticleTrace:
    return build_trace(detail, store.sentence_matches(detail.article.id))


def trace_json(t: ArticleTrace) -> dict:
    """The `newsgraph trace --json` shape: per sentence exactly the issue's keys, article facts beside them."""
    def summary(a: ArticleSummary) -> dict:
        return {"article_id": a.id, "url": a.url, "title": a.title, "date": a.date, "site": a.site}

    return {
        "article": summary(t.article),
        "originality": t.originality,
        "stitched": t.stitched,
        "sources": [summary(a) for a in t.sources],
        "credited": t.credited,
        "sentences": [{
            "sentence": s.sentence, "start": s.start, "end": s.end, "kind": s.kind, "copied": s.copied,
            "source": None if s.source is None else {
                "article_id": s.source.article_id, "url": s.source.url, "date": s.source.date,
                "similarity": s.source.similarity, "sentence": s.source.sentence, "span": list(s.source.span),
                "source_span": list(s.source.source_span)},
            "matches": [{"article_id": m.article_id, "url": m.url, "date": m.date, "kind": m.kind,
                         "similarity": m.similarity, "span": list(m.span), "source_span": list(m.source_span)}
                        for m in s.matches],
        } for s in t.sentences],
    }
