"""Partial copies: a passage of a sentence aligned, word by word, with a passage of an earlier sentence.

Seeds (shared word n-grams, see ngrams.py) say which stored sentences to align; the alignment (rapidfuzz's
longest common subsequence over words) gives blocks of identical words, and blocks separated by at most GAP
unmatched words on each side chain into one passage, as passim extends its seeds. A chain then runs on over the
identical words on either side of it, which the subsequence may have matched elsewhere.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .ngrams import SEED_N, Tokens, idf, seed_key
from .shingles import STOPWORDS

GAP = 2  # unmatched words allowed between two aligned blocks of one passage; chosen by measurement
MIN_WORDS = 6  # aligned words a passage needs; the shortest lift
REACH_WORDS = 3  # a chain this long at an edge of a source sentence is worth joining with its neighbour
MIN_SEEDED = 5  # ... of which this many are covered by rare shared seeds (stock phrases never seed)


@dataclass(frozen=True)
class Passage:
    span: tuple[int, int]  # characters of the query sentence
    source_span: tuple[int, int]  # characters of the source text
    words: int  # aligned words
    share: float  # share of the query's words inside the span
    source_share: float  # share of the source's words inside its span
    similarity: float  # aligned words over the longer of the two spans, in words
    first: int  # the source span's first and last word positions
    last: int
    information: float = 0.0  # summed IDF of its distinct content words
    rarest: float = 0.0  # the highest IDF among them
    names: bool = False  # every content word capitalised in both sentences: names and dates only


def _blocks(q: Tokens, s: Tokens) -> list[tuple[int, int, int]]:
    """(query start, source start, length) of each run of identical words in the alignment."""
    return [(op.src_start, op.dest_start, op.src_end - op.src_start)
            for op in Indel.opcodes(q.words, s.words) if op.tag == "equal"]


def _chains(blocks: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    chains: list[list[tuple[int, int, int]]] = []
    for b in blocks:
        if chains:
            qa, sa, n = chains[-1][-1]
            if b[0] - (qa + n) <= GAP and b[1] - (sa + n) <= GAP:
                chains[-1].append(b)
                continue
        chains.append([b])
    return chains


def _extend(chain: list[tuple[int, int, int]], q: Tokens, s: Tokens) -> list[tuple[int, int, int]]:
    """The chain run on over identical words before and after it. One longest common subsequence is picked among
    many: it may match a word of the copied run to an earlier occurrence ("in a courthouse ... in a class action
    lawsuit"), which cuts the run short."""
    qa, sa, n = chain[0]
    k = 0
    while k < min(qa, sa) and q.words[qa - k - 1] == s.words[sa - k - 1]:
        k += 1
    chain = [(qa - k, sa - k, n + k), *chain[1:]]
    qz, sz, nz = chain[-1]
    k = 0
    while qz + nz + k < len(q.words) and sz + nz + k < len(s.words) and q.words[qz + nz + k] == s.words[sz + nz + k]:
        k += 1
    return [*chain[:-1], (qz, sz, nz + k)]


def _trim(chain: list[tuple[int, int, int]], q: Tokens) -> list[tuple[int, int, int]]:
    """Drop a lone function word aligned at either end: chance, not copying."""
    while len(chain) > 1 and chain[0][2] == 1 and q.words[chain[0][0]] in STOPWORDS:
        chain = chain[1:]
    while len(chain) > 1 and chain[-1][2] == 1 and q.words[chain[-1][0]] in STOPWORDS:
        chain = chain[:-1]
    return chain


def _seeded(chain: list[tuple[int, int, int]], q: Tokens, seeds: frozenset[int]) -> int:
    """Query words covered by a shared rare seed lying wholly inside one aligned block."""
    covered: set[int] = set()
    for qa, _, n in chain:
        for i in range(qa, qa + n - SEED_N + 1):
            if seed_key(q.words[i:i + SEED_N]) in seeds:
                covered.update(range(i, i + SEED_N))
    return len(covered)


def _content_idfs(chain: list[tuple[int, int, int]], q: Tokens) -> list[float]:
    """The IDF of each distinct content word aligned in a passage: a name, a number or an unusual word scores high.
    Their sum is the passage's information, their maximum its rarest word."""
    found = {q.words[i] for qa, _, n in chain for i in range(qa, qa + n)}
    return [idf(w) for w in found if w not in STOPWORDS and len(w) > 1]


def _names_only(chain: list[tuple[int, int, int]], q: Tokens, s: Tokens) -> bool:
    """Every content word aligned is capitalised in both sentences ("the Federal Emergency Management Agency (FEMA)",
    "in Texas on Wednesday"): names and dates, which two independent reports of one event share too."""
    return all(q.capitalised[qa + k] and s.capitalised[sa + k] for qa, sa, n in chain for k in range(n)
               if q.words[qa + k] not in STOPWORDS and len(q.words[qa + k]) > 1)


def _longest(q: Tokens, s: Tokens) -> tuple[int, list[tuple[int, int, int]]] | None:
    """The alignment's chain with the most aligned words, once run on over identical words beside it and trimmed,
    and that number."""
    best = None
    for chain in _chains(_blocks(q, s)):
        chain = _trim(_extend(chain, q, s), q)
        words = sum(n for _, _, n in chain)
        if best is None or words > best[0]:
            best = (words, chain)
    return best


def reach(q: Tokens, s: Tokens) -> tuple[bool, bool]:
    """Whether the longest aligned chain (REACH_WORDS or more) runs to the first or the last word of `s` while `q`
    goes on beyond it: a passage that may continue in the sentence before or after `s`, though too short alone."""
    return _reach(_longest(q, s), q, s)


def _reach(best: tuple[int, list[tuple[int, int, int]]] | None, q: Tokens, s: Tokens) -> tuple[bool, bool]:
    if best is None or best[0] < REACH_WORDS:
        return False, False
    (qa, sa, _), (qz, sz, nz) = best[1][0], best[1][-1]
    return sa == 0 and qa > 0, sz + nz == len(s.words) and qz + nz < len(q.words)


def align(q: Tokens, s: Tokens, seeds: frozenset[int]) -> tuple[Passage | None, tuple[bool, bool]]:
    """`best_passage` and `reach` from one alignment: most candidates give no passage and are then asked for reach."""
    best = _longest(q, s)
    return _passage(best, q, s, seeds), _reach(best, q, s)


def best_passage(q: Tokens, s: Tokens, seeds: frozenset[int]) -> Passage | None:
    """The longest aligned passage of `q` and `s` that is long enough and seeded by rare n-grams, else None."""
    return _passage(_longest(q, s), q, s, seeds)


def _passage(best: tuple[int, list[tuple[int, int, int]]] | None, q: Tokens, s: Tokens,
             seeds: frozenset[int]) -> Passage | None:
    if best is None or best[0] < MIN_WORDS:
        return None
    words, chain = best
    if _seeded(chain, q, seeds) < MIN_SEEDED:
        return None
    (qa, sa, _), (qz, sz, nz) = chain[0], chain[-1]
    idfs = _content_idfs(chain, q)
    q_last, s_last = qz + nz - 1, sz + nz - 1
    q_words, s_words = q_last - qa + 1, s_last - sa + 1
    return Passage(span=(q.starts[qa], q.ends[q_last]), source_span=(s.starts[sa], s.ends[s_last]), words=words,
                   share=q_words / len(q.words), source_share=s_words / len(s.words),
                   similarity=round(words / max(q_words, s_words), 4), first=sa, last=s_last,
                   information=round(sum(idfs), 2), rarest=round(max(idfs, default=0.0), 2),
                   names=_names_only(chain, q, s))
