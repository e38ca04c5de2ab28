"""Spin detection: the same sentence with words swapped for synonyms, structure, entities and numbers kept."""
from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from .normalise import words

SPUN_KEPT = 0.5  # at least this share of the words must stay in place
SPUN_MAX_INDELS = 2  # word insertions + deletions allowed: spinning substitutes, it does not restructure
_NUMBER = re.compile(r"\d")


def anchors(original: str) -> set[str]:
    """Numbers and capitalised words after the first: what a spinner must leave alone."""
    toks = words(original)
    return {t.lower() for i, t in enumerate(toks) if _NUMBER.search(t) or (i > 0 and t[:1].isupper())}


def spun_similarity(a_original: str, b_original: str, strict: bool = False) -> float | None:
    """Share of words kept in place when `a` is `b` spun with synonyms, else None.

    `strict` asks for pure substitution of two or more words, which outranks a light edit.
    """
    ta, tb = [t.lower() for t in words(a_original)], [t.lower() for t in words(b_original)]
    if min(len(ta), len(tb)) < 5 or anchors(a_original) != anchors(b_original):
        return None
    kept = replaced = indels = 0
    removed, added = [], []
    for op in Levenshtein.opcodes(ta, tb):
        if op.tag == "equal":
            kept += op.src_end - op.src_start
        elif op.tag == "replace":
            n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
            replaced += min(n, m)
            indels += abs(n - m)
            removed += ta[op.src_start:op.src_end]
            added += tb[op.dest_start:op.dest_end]
        else:
            indels += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
    share = kept / max(len(ta), len(tb))
    if replaced == 0 or indels > SPUN_MAX_INDELS or share < SPUN_KEPT:
        return None
    if strict and (replaced < 2 or indels or sorted(removed) == sorted(added)):  # a transposition is no spin
        return None
    return share
