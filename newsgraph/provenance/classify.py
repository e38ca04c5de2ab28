"""Classifies a pair of sentences as verbatim, near, spun, paraphrase or unrelated."""
from __future__ import annotations

from rapidfuzz import fuzz

from .align import align, near_similarity
from .normalise import normalise, words
from .spin import anchors, spun_similarity

COPY_KINDS = ("verbatim", "near", "spun")  # a match of these kinds makes a source; paraphrase never does
KINDS = (*COPY_KINDS, "paraphrase")
PARAPHRASE_TOKEN_SET = 0.80  # same words in a different order/wording, sharing the entities and numbers


def classify(a: str, b: str, na: str | None = None, nb: str | None = None) -> tuple[str, float] | None:
    """(kind, similarity) of sentence `a` against sentence `b`, or None when they are not the same sentence."""
    na = normalise(a) if na is None else na
    nb = normalise(b) if nb is None else nb
    if na == nb:
        return "verbatim", 1.0
    spun = spun_similarity(a, b, strict=True)
    if spun is not None:
        return "spun", round(spun, 4)
    al = align(na, nb)
    near = near_similarity(na, nb, al)
    if near is not None:
        return "near", round(near, 4)
    spun = spun_similarity(a, b)
    if spun is not None:
        return "spun", round(spun, 4)
    return _paraphrase(a, b, na, nb)


def _paraphrase(a: str, b: str, na: str, nb: str) -> tuple[str, float] | None:
    anchors_a, anchors_b = anchors(a), anchors(b)
    if not anchors_a or anchors_a != anchors_b or min(len(words(na)), len(words(nb))) < 6:
        return None
    score = fuzz.token_set_ratio(na, nb) / 100
    return ("paraphrase", round(score, 4)) if score >= PARAPHRASE_TOKEN_SET else None
