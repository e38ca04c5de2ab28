"""Character-level alignment (rapidfuzz) of two normalised sentences: light edits and containment."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

NEAR_RATIO = 0.90  # whole-sentence similarity of a light edit (tag dropped, word swapped)
CONTAINED_RATIO = 0.95  # the shorter sentence is almost exactly inside the longer one
CONTAINED_SHARE = 0.35  # ... and is at least this share of it (a merge of two, a headline + site suffix)
CONTAINED_MIN_CHARS = 20  # too short to tell a copy from a stock phrase
REORDERED_RATIO = 0.95  # the same words with a few moved (token-sorted similarity)


@dataclass(frozen=True)
class Alignment:
    ratio: float  # Indel similarity of the whole strings, 0..1
    reordered: float  # similarity once each string's words are sorted, 0..1
    contained: float  # best partial alignment of the shorter inside the longer, 0..1
    share: float  # length of the shorter over the longer


def align(a: str, b: str) -> Alignment:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    ratio = fuzz.ratio(a, b) / 100
    share = len(short) / max(len(long_), 1)
    contained = fuzz.partial_ratio(short, long_) / 100 if share >= CONTAINED_SHARE else 0.0
    return Alignment(ratio=ratio, reordered=fuzz.token_sort_ratio(a, b) / 100, contained=contained, share=share)


def near_similarity(a: str, b: str, al: Alignment | None = None) -> float | None:
    """Similarity when `a` is a light edit of `b` (or holds it whole, or sits whole inside it), else None."""
    al = al or align(a, b)
    if al.ratio >= NEAR_RATIO:
        return al.ratio
    if al.reordered >= REORDERED_RATIO:
        return al.reordered
    if al.contained >= CONTAINED_RATIO and min(len(a), len(b)) >= CONTAINED_MIN_CHARS:
        return al.contained
    return None
