"""Spin detection: the same sentence with words swapped for synonyms, structure, entities and numbers kept."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from sys import intern

from rapidfuzz.distance import Levenshtein

from .normalise import fold, words

SPUN_KEPT = 0.5  # at least this share of the words must stay in place
SPUN_MAX_INDELS = 2  # word insertions + deletions allowed: spinning substitutes, it does not restructure
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class Profile:
    """What pair classification needs of one sentence, computed once per sentence."""

    norm: str
    tokens: tuple[str, ...]  # lower-cased words
    vocabulary: frozenset[str]
    anchors: frozenset[str]  # numbers and capitalised words after the first: what a spinner leaves alone


# A query sentence meets up to 100 candidates, and a stored one many queries. 16,384 entries of about 2.5 KB: at
# 65,536 this cache grew with the store to a few hundred MB (benchmarks/README.md, memory, 2026-12-04).
@lru_cache(maxsize=16_384)
def profile(text: str) -> Profile:
    folded = fold(text)
    raw = words(folded)
    tokens = tuple(intern(t.lower()) for t in raw)  # one string per distinct word across the cache
    anchors = frozenset(t.lower() for i, t in enumerate(raw) if _NUMBER.search(t) or (i > 0 and t[:1].isupper()))
    return Profile(norm=folded.lower(), tokens=tokens, vocabulary=frozenset(tokens), anchors=anchors)


def spun_similarity(a: Profile, b: Profile, strict: bool = False) -> float | None:
    """Share of words kept in place when `a` is `b` spun with synonyms, else None.

    `strict` asks for pure substitution of two or more words, which outranks a light edit.
    """
    ta, tb = a.tokens, b.tokens
    if min(len(ta), len(tb)) < 5 or abs(len(ta) - len(tb)) > SPUN_MAX_INDELS or a.anchors != b.anchors:
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
