"""Shingle sets for MinHash: content words of a sentence, word trigrams of an article."""
from __future__ import annotations

from .normalise import normalise, words

# Function words carry no evidence of copying; dropping them keeps unrelated sentences' sets apart.
STOPWORDS = frozenset("""
a an the and or but if then than that this these those there here of in on at to for from by with without as
is are was were be been being am has have had do does did will would shall should can could may might must
it its it's he she they them their his her him we our us you your i me my not no nor so also too very
which who whom whose what when where why how all any both each few more most other some such only own same
just into over under about after before again further once up down out off above below between through during
said says say""".split())
MIN_SENTENCE_WORDS = 3  # fewer content words than this and a sentence is too generic to trace


def sentence_shingles(text: str) -> set[str]:
    """Lower-cased content words; empty when the sentence is too short to trace."""
    return shingles_of(normalise(text))


def shingles_of(normalised: str) -> set[str]:
    """`sentence_shingles` of a text normalised already (the caller needs the normalised form too)."""
    found = {w for w in words(normalised) if w not in STOPWORDS and len(w) > 1}
    return found if len(found) >= MIN_SENTENCE_WORDS else set()


def article_shingles(text: str, n: int = 3) -> set[str]:
    """Word n-grams over the whole article, for near-duplicate article detection."""
    toks = words(normalise(text))
    return {" ".join(toks[i:i + n]) for i in range(max(len(toks) - n + 1, 0))}
