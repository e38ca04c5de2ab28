"""Finds a new sentence's partial copies: clauses lifted from stored sentences, or from two adjacent ones."""
from __future__ import annotations

from ..model import SeedCandidate, SentenceMatch
from ..store.base import Store
from .ngrams import tokens
from .partial import Passage, best_passage

SEED_CANDIDATES = 20  # stored sentences aligned per new sentence, those sharing the most seeds
MAX_POSTINGS = 100  # a seed held by more sentences than this is a stock phrase, never evidence
CONTAINED_IS_PARTIAL = ("near",)  # a whole-sentence kind a partial passage replaces when the copy is only part
WHOLE_SHARE = 0.75  # ... namely when the passage covers less than this share of either sentence's words
# A passage whose distinct content words weigh less than this (summed IDF), or whose rarest word is commoner than
# STRONG_RAREST, is made of common words as stock phrases are ("did not immediately respond to a request for
# comment"): it counts only when another sentence of the article copies from the same source article (corroborate
# below). Chosen by measurement on the tuning seed (eval/RESULTS.md).
STRONG_INFORMATION = 16.0
STRONG_RAREST = 5.0  # IDF 5: a word in fewer than about 1 in 150 news articles


def find_partials(store: Store, index: int, text: str, seeds: list[int],
                  whole: dict[int, str]) -> list[tuple[SentenceMatch, bool]]:
    """`partial` matches of sentence `index` and whether each is strong alone; `whole` maps candidates already
    matched whole to their kind."""
    q = tokens(text)
    out: list[tuple[SentenceMatch, bool]] = []
    seen: set[tuple[int, tuple[int, int]]] = set()
    for cand in store.seed_candidates(seeds, max_postings=MAX_POSTINGS, limit=SEED_CANDIDATES):
        kind = whole.get(cand.sentence_id)
        if kind is not None and kind not in CONTAINED_IS_PARTIAL:
            continue
        passage = best_passage(q, tokens(cand.text), cand.seeds)
        if passage is None:
            continue
        if kind is not None and min(passage.share, passage.source_share) >= WHOLE_SHARE:
            continue  # the whole-sentence match stands
        other, passage, source_share = _across(store, text, cand, passage)
        if (other.sentence_id, passage.span) in seen:
            continue
        seen.add((other.sentence_id, passage.span))
        out.append((SentenceMatch(index, other.sentence_id, other.article_id, "partial", passage.similarity,
                                  span=passage.span, source_span=passage.source_span, share=round(passage.share, 4),
                                  source_share=round(source_share, 4)), passage.information >= STRONG_INFORMATION
                    and passage.rarest >= STRONG_RAREST))
    return out


def corroborate(matches: list[SentenceMatch], weak: list[SentenceMatch]) -> list[SentenceMatch]:
    """The weak partial matches whose source article also gives another sentence of the article a match."""
    by_article: dict[int, set[int]] = {}
    for m in [*matches, *weak]:
        by_article.setdefault(m.other_article_id, set()).add(m.sentence)
    return [m for m in weak if len(by_article[m.other_article_id]) > 1]


def _across(store: Store, text: str, cand: SeedCandidate,
            passage: Passage) -> tuple[SeedCandidate, Passage, float]:
    """Extend a passage that runs to an edge of its source sentence into the neighbouring sentence.

    Returns the sentence the copied span starts in, the passage with its source span relative to that sentence's
    start (the end may lie in the next sentence), and the share of that sentence's words inside the span.
    """
    q, s = tokens(text), tokens(cand.text)
    before = passage.first == 0 and passage.span[0] > q.starts[0]
    after = passage.last == len(s.words) - 1 and passage.span[1] < q.ends[-1]
    wanted = [i for i, want in ((cand.index - 1, before), (cand.index + 1, after)) if want and i >= 0]
    parts = sorted([cand, *store.sentences_at(cand.article_id, wanted)], key=lambda c: c.index) if wanted else [cand]
    if len(parts) > 1:
        joined, offsets = "", []
        for i, part in enumerate(parts):
            if i:
                joined += " " * max(part.start - parts[i - 1].end, 1)
            offsets.append(len(joined))
            joined += part.text
        longer = best_passage(q, tokens(joined), cand.seeds)
        if longer is not None and longer.words > passage.words:
            at = max(i for i, off in enumerate(offsets) if off <= longer.source_span[0])
            off = offsets[at]
            moved = Passage(longer.span, (longer.source_span[0] - off, longer.source_span[1] - off), longer.words,
                            longer.share, longer.source_share, longer.similarity, longer.first, longer.last,
                            max(longer.information, passage.information), max(longer.rarest, passage.rarest))
            return parts[at], moved, _share_inside(parts[at].text, moved.source_span)
    return cand, passage, passage.source_share


def _share_inside(text: str, span: tuple[int, int]) -> float:
    t = tokens(text)
    inside = sum(1 for a, b in zip(t.starts, t.ends, strict=True) if a >= span[0] and b <= span[1])
    return inside / max(len(t.words), 1)
