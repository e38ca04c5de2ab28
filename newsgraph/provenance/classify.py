"""Classifies a pair of whole sentences as verbatim, near, spun, paraphrase or unrelated."""
from __future__ import annotations

from rapidfuzz import fuzz

from .align import align, near_similarity
from .shingles import STOPWORDS
from .spin import Profile, profile, spun_similarity

# A match of these kinds makes a source; paraphrase never does. `partial` (part of a sentence lifted) comes from
# lifts.py, never from the pair classifier here.
COPY_KINDS = ("verbatim", "near", "spun", "partial")
KINDS = (*COPY_KINDS, "paraphrase")
RESTRUCTURED_JACCARD = 0.6  # content words (not names) shared by a restructured rewrite: clauses moved, voice changed
RESTRUCTURED_MIN_WORDS = 2
PARAPHRASE_TOKEN_SET = 0.80  # same words in a different order/wording, sharing the entities and numbers
MIN_SHARED_WORDS = 0.5  # below this share of the smaller vocabulary in common, no kind can apply


def classify(a: str, b: str) -> tuple[str, float] | None:
    """(kind, similarity) of sentence `a` against sentence `b`, or None when they are not the same sentence.

    The answer does not depend on the order of the pair: an edit-script alignment breaks ties by direction, and a
    match's kind must not depend on which of two articles arrived first (batch and sequential ingest must agree)."""
    if b < a:
        a, b = b, a
    pa, pb = profile(a), profile(b)
    if pa.norm == pb.norm:
        return "verbatim", 1.0
    shared = len(pa.vocabulary & pb.vocabulary) / max(min(len(pa.vocabulary), len(pb.vocabulary)), 1)
    if shared < MIN_SHARED_WORDS:  # a cheap exit for most LSH candidates
        return None
    spun = spun_similarity(pa, pb, strict=True)
    if spun is not None:
        return "spun", round(spun, 4)
    near = near_similarity(pa.norm, pb.norm, align(pa.norm, pb.norm))
    if near is not None:
        return "near", round(near, 4)
    spun = spun_similarity(pa, pb)
    if spun is not None:
        return "spun", round(spun, 4)
    restructured = restructured_similarity(pa, pb)
    if restructured is not None:
        return "spun", round(restructured, 4)
    return _paraphrase(pa, pb)


def restructured_similarity(pa: Profile, pb: Profile) -> float | None:
    """Jaccard of the words other than names and numbers, when `a` rewrites `b` in another order or voice with the
    same names and numbers.

    Two reports of one event share the names and numbers but not the rest of the content words, so the names
    never count towards the similarity. The first word of either sentence is left out of the name test: a passive
    puts a name or a noun first."""
    first = {pa.tokens[0], pb.tokens[0]}
    if pa.anchors - first != pb.anchors - first:
        return None
    names = pa.anchors | pb.anchors | first
    ca = {w for w in pa.vocabulary if w not in STOPWORDS and len(w) > 1 and w not in names}
    cb = {w for w in pb.vocabulary if w not in STOPWORDS and len(w) > 1 and w not in names}
    if min(len(ca), len(cb)) < RESTRUCTURED_MIN_WORDS or len(pa.vocabulary) < 6:
        return None
    jaccard = len(ca & cb) / len(ca | cb)
    return jaccard if jaccard >= RESTRUCTURED_JACCARD else None


def _paraphrase(pa: Profile, pb: Profile) -> tuple[str, float] | None:
    if not pa.anchors or pa.anchors != pb.anchors or min(len(pa.tokens), len(pb.tokens)) < 6:
        return None
    score = fuzz.token_set_ratio(pa.norm, pb.norm) / 100
    return ("paraphrase", round(score, 4)) if score >= PARAPHRASE_TOKEN_SET else None
