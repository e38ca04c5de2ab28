"""Finds a new sentence's partial copies: clauses lifted from stored sentences, or from two adjacent ones."""
from __future__ import annotations

import dataclasses

from ..model import SeedCandidate, SentenceMatch, SentenceSpan
from ..store.base import Store
from .ngrams import copied_share, seed_key, tokens, word_grams
from .partial import Passage, align, best_passage, reach

SEED_CANDIDATES = 20  # stored sentences aligned per new sentence, those sharing the most seeds
MAX_POSTINGS = 100  # a seed held by more sentences than this is a stock phrase, never evidence
CONTAINED_IS_PARTIAL = ("near",)  # a whole-sentence kind a partial passage replaces when the copy is only part
PARTIAL_BESIDE = (*CONTAINED_IS_PARTIAL, "paraphrase")  # whole kinds that still let a lifted passage be looked for
WHOLE_SHARE = 0.75  # ... namely when the passage covers less than this share of either sentence's words
# A passage whose distinct content words weigh less than this (summed IDF), or whose rarest word is commoner than
# STRONG_RAREST, is made of common words as stock phrases are ("did not immediately respond to a request for
# comment"): it counts only when another sentence of the article copies from the same source article (corroborate
# below). Chosen by measurement on the tuning seed (eval/RESULTS.md). A passage of names only (partial.Passage.names)
# is weak whatever its words weigh: independent reports of one event name the same agencies, people and places.
STRONG_INFORMATION = 16.0
STRONG_RAREST = 5.0  # IDF 5: a word in fewer than about 1 in 150 news articles
STRONG_ALONE = 20.0  # ... or this much information whatever its rarest word (above every stock phrase measured)


def find_partials(store: Store, index: int, text: str, seeds: list[int], whole: dict[int, str],
                  article: list[SentenceSpan] | None = None) -> list[tuple[SentenceMatch, bool]]:
    """`partial` matches of sentence `index` and whether each is strong alone; `whole` maps candidates already
    matched whole to their kind; `article` (the new article's sentences) lets a passage run into a neighbour."""
    q = tokens(text)
    out: list[tuple[SentenceMatch, bool]] = []
    seen: set[tuple[int, int, tuple[int, int]]] = set()
    query_seeds = frozenset(seeds)
    for cand in store.seed_candidates(seeds, max_postings=MAX_POSTINGS, limit=SEED_CANDIDATES):
        kind = whole.get(cand.sentence_id)
        if kind is not None and kind not in PARTIAL_BESIDE:
            continue
        passage, edges = align(q, tokens(cand.text), cand.seeds)
        if passage is not None and kind in CONTAINED_IS_PARTIAL \
                and min(passage.share, passage.source_share) >= WHOLE_SHARE:
            continue  # the whole-sentence match stands
        if passage is None and kind in CONTAINED_IS_PARTIAL:
            continue
        found = _across(store, text, cand, passage, query_seeds, edges)
        at = index
        if found is None:  # too short in one sentence: it may go on into a neighbour of the new sentence
            if not article:
                continue
            at, passage = _query_across(article, index, None, cand.text)
            if passage is None:
                continue
            other, source_share = cand, passage.source_share
        else:
            other, passage, source_share = found
            if article:
                at, passage = _query_across(article, index, passage, other.text)
        if (at, other.sentence_id, passage.span) in seen:
            continue
        seen.add((at, other.sentence_id, passage.span))
        out.append((SentenceMatch(at, other.sentence_id, other.article_id, "partial", passage.similarity,
                                  span=passage.span, source_span=passage.source_span, share=round(passage.share, 4),
                                  source_share=round(source_share, 4)), strong(passage)))
    return out


def strong(passage: Passage) -> bool:
    """Whether a passage is evidence of copying alone, without another sentence copied from the same article."""
    return not passage.names and (passage.information >= STRONG_INFORMATION and passage.rarest >= STRONG_RAREST
                                  or passage.information >= STRONG_ALONE)


def corroborate(matches: list[SentenceMatch], weak: list[SentenceMatch]) -> list[SentenceMatch]:
    """The weak partial matches whose source article also gives another sentence of the article a strong match
    (whole, or a partial passage strong alone): two weak ones may be two stock phrases two articles share."""
    by_article: dict[int, set[int]] = {}
    for m in matches:
        by_article.setdefault(m.other_article_id, set()).add(m.sentence)
    return [m for m in weak if by_article.get(m.other_article_id, set()) - {m.sentence}]


def _across(store: Store, text: str, cand: SeedCandidate, passage: Passage | None, query_seeds: frozenset[int],
            edges: tuple[bool, bool]) -> tuple[SeedCandidate, Passage, float] | None:
    """Extend a passage that runs to an edge of its source sentence into the neighbouring sentence; with no passage
    (too short in `cand` alone), look for one across `cand` and its neighbour, which may only then be long enough
    (`edges`: the alignment's `reach`, already computed).

    Returns the sentence the copied span starts in, the passage with its source span relative to that sentence's
    start (the end may lie in the next sentence), and the share of that sentence's words inside the span; None when
    there was no passage and the neighbour gives none. A seed across the two sentences counts as a stored one.
    """
    q, s = tokens(text), tokens(cand.text)
    if passage is None:
        before, after = edges
    else:
        before = passage.first == 0 and passage.span[0] > q.starts[0]
        after = passage.last == len(s.words) - 1 and passage.span[1] < q.ends[-1]
    wanted = [i for i, want in ((cand.index - 1, before), (cand.index + 1, after)) if want and i >= 0]
    parts = sorted([cand, *store.sentences_at(cand.article_id, wanted)], key=lambda c: c.index) if wanted else [cand]
    if len(parts) > 1:
        joined, offsets = _joined(parts)
        jt = tokens(joined)
        seeds = cand.seeds | (query_seeds & {seed_key(g) for g in word_grams(jt.words)})
        longer = best_passage(q, jt, seeds)
        if longer is not None and (passage is None or longer.words > passage.words):
            at = max(i for i, off in enumerate(offsets) if off <= longer.source_span[0])
            off = offsets[at]
            moved = _extended(longer, passage, source_span=(longer.source_span[0] - off, longer.source_span[1] - off))
            return parts[at], moved, copied_share(parts[at].text, [moved.source_span])
    return None if passage is None else (cand, passage, passage.source_share)


def _query_across(article: list[SentenceSpan], index: int, passage: Passage | None,
                  source: str) -> tuple[int, Passage | None]:
    """The mirror of _across: a passage running to an edge of the new sentence may go on into its neighbour in
    the new article (the stored sentence is then the copy, and holds both halves). Returns the index of the new
    sentence the span starts in and the passage relative to it (None when there was none and the join gives none)."""
    q, s = tokens(article[index].text), tokens(source)
    if passage is None:
        before, after = reach(s, q)
        before, after = before and index > 0, after and index + 1 < len(article)
    else:
        before = passage.span[0] == q.starts[0] and passage.source_span[0] > s.starts[0] and index > 0
        after = passage.span[1] == q.ends[-1] and passage.source_span[1] < s.ends[-1] and index + 1 < len(article)
    if not (before or after):
        return index, passage
    parts = article[index - 1 if before else index:index + 2 if after else index + 1]
    joined, offsets = _joined(parts)
    seeds = frozenset(seed_key(g) for g in word_grams(s.words))
    longer = best_passage(tokens(joined), s, seeds)
    if longer is None or passage is not None and longer.words <= passage.words:
        return index, passage
    at = max(i for i, off in enumerate(offsets) if off <= longer.span[0])
    off = offsets[at]
    span = (longer.span[0] - off, longer.span[1] - off)
    return parts[at].index, _extended(longer, passage, span=span, share=copied_share(parts[at].text, [span]))


def _extended(longer: Passage, passage: Passage | None, **moved) -> Passage:
    """`longer` (found across two joined sentences) with `moved` fields made relative to the sentence its span
    starts in, and the stronger evidence of it and of the one-sentence `passage` it extends."""
    return dataclasses.replace(longer, **moved,
                               information=max(longer.information, passage.information if passage else 0.0),
                               rarest=max(longer.rarest, passage.rarest if passage else 0.0))


def _joined(parts) -> tuple[str, list[int]]:
    """Adjacent sentences as one text (the gap between them kept, at least a space) and each one's offset in it."""
    joined, offsets = "", []
    for i, part in enumerate(parts):
        if i:
            joined += " " * max(part.start - parts[i - 1].end, 1)
        offsets.append(len(joined))
        joined += part.text
    return joined, offsets
