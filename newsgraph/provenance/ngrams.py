"""Word n-gram seeds (passim-style) of a sentence: tokens with character offsets, seed keys, stock phrases."""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from sys import intern

from .shingles import STOPWORDS

# Sentences whose tokens stay cached: 16,384 entries of about 1.5 KB (Wikinews). At 65,536 the cache of the
# ingesting process held about 150 MB by 3,000 articles (benchmarks/README.md, memory, 2026-12-04).
TOKEN_CACHE = 16_384
SEED_N = 4  # words per seed n-gram; chosen by measurement (eval/RESULTS.md, "partial")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019\u2018.&][^\W_]+)*", re.UNICODE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_SEED_PERSON = b"ngram-seed-v1..."  # 16 bytes: keeps seed keys apart from band keys


@dataclass(frozen=True)
class Tokens:
    """A sentence's lower-cased words, each word's [start, end) in the original text and whether it was capitalised
    there (a name, or the first word of a sentence)."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    capitalised: tuple[bool, ...] = ()


@lru_cache(maxsize=TOKEN_CACHE)
def tokens(text: str) -> Tokens:
    found = list(_TOKEN.finditer(text))
    # interned: one string per distinct word across the cache, not one per occurrence
    words = tuple(intern(unicodedata.normalize("NFKC", m.group()).translate(_APOSTROPHES).lower()) for m in found)
    return Tokens(words, tuple(m.start() for m in found), tuple(m.end() for m in found),
                  tuple(m.group()[0].isupper() for m in found))


def copied_share(text: str, spans: list[tuple[int, int]]) -> float:
    """Share of the text's words lying inside the union of copied character spans."""
    t = tokens(text)
    inside = sum(1 for a, b in zip(t.starts, t.ends, strict=True) if any(x <= a and b <= y for x, y in spans))
    return inside / len(t.words) if t.words else 0.0


def seed_key(gram: tuple[str, ...]) -> int:
    digest = hashlib.blake2b(" ".join(gram).encode("utf-8"), digest_size=8, person=_SEED_PERSON).digest()
    return int.from_bytes(digest, "big", signed=True)


@lru_cache(maxsize=1)
def stop_grams() -> frozenset[int]:
    """Seed keys of stock phrases learned from a news corpus (scripts/learn_stop_phrases.py)."""
    text = (resources.files("newsgraph.provenance") / "stop_phrases.txt").read_text(encoding="utf-8")
    grams = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            grams.update(seed_key(g) for g in word_grams(tuple(line.split())))
    return frozenset(grams)


@lru_cache(maxsize=1)
def word_df() -> tuple[dict[str, int], int]:
    """Article counts of common words in a news corpus, and its size (scripts/learn_stop_phrases.py)."""
    lines = (resources.files("newsgraph.provenance") / "word_df.txt").read_text(encoding="utf-8").splitlines()
    total = int(lines[0].split("articles=")[1].split(";")[0])
    return {w: int(n) for w, n in (line.split() for line in lines[1:] if line)}, total


def idf(word: str) -> float:
    """ln(N / (df + 1)): near 0 for "the", about 8 for a word the corpus never saw (a name, a number)."""
    df, total = word_df()
    return math.log(total / (df.get(word, 0) + 1))


def word_grams(words: tuple[str, ...], n: int = SEED_N) -> list[tuple[str, ...]]:
    """Every run of n consecutive words, in order."""
    return [words[i:i + n] for i in range(len(words) - n + 1)]


def function_words_only(gram: tuple[str, ...]) -> bool:
    """No evidence of copying: every word a function word or a single character."""
    return all(w in STOPWORDS or len(w) < 2 for w in gram)


def grams(toks: Tokens, n: int = SEED_N) -> list[tuple[int, int]]:
    """(position, key) of every n-gram that can seed a match: not all function words, not a stock phrase."""
    stops = stop_grams()
    out = []
    for i, gram in enumerate(word_grams(toks.words, n)):
        if function_words_only(gram):
            continue
        key = seed_key(gram)
        if key not in stops:
            out.append((i, key))
    return out


def seed_keys(text: str, following: str | None = None) -> list[int]:
    """The distinct seed keys of a sentence, as stored in the index and looked up by a new sentence; with the
    article's next sentence, also the n-grams that run across the join of the two (`join_keys`)."""
    own = {k for _, k in grams(tokens(text))}
    return sorted(own | set(join_keys(text, following)) if following else own)


def join_keys(text: str, following: str, n: int = SEED_N) -> list[int]:
    """Seed keys of the n-grams with words on both sides of the join of a sentence and the next one (n - 1 at
    most): a passage lifted across two sentences with each half shorter than a seed has no other seed. Kept with
    the first sentence, so a passage found through them starts there and its alignment runs into the next."""
    a, b = tokens(text).words[-(n - 1):], tokens(following).words[:n - 1]
    if not a or not b:
        return []
    joined = Tokens(a + b, (0,) * (len(a) + len(b)), (0,) * (len(a) + len(b)))
    return [k for i, k in grams(joined, n) if i < len(a) and i + n > len(a)]
