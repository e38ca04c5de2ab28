"""MinHash signatures (datasketch) and the LSH band keys stored in the store's index tables."""
from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash

# Sentences: 21 bands of 3 rows, so pairs at Jaccard 0.5 collide with p≈0.94 and at 0.1 with p≈0.02.
SENTENCE_PERM, SENTENCE_BANDS, SENTENCE_ROWS = 63, 21, 3
# Articles: 32 bands of 4 rows; a near-duplicate needs an estimated Jaccard ≥ DUPLICATE_JACCARD too.
ARTICLE_PERM, ARTICLE_BANDS, ARTICLE_ROWS = 128, 32, 4
DUPLICATE_JACCARD = 0.7
EXACT_BAND = 255  # a band number no LSH band uses: the key of the whole normalised text


@lru_cache(maxsize=4)
def _template(num_perm: int) -> MinHash:
    # Permutations are drawn once per size and shared; drawing them per MinHash dominates the cost.
    return MinHash(num_perm=num_perm, seed=1)


def signature(shingles: set[str], num_perm: int) -> np.ndarray:
    """MinHash hash values of a shingle set (empty set: all-max values)."""
    template = _template(num_perm)
    m = MinHash(num_perm=num_perm, seed=1, permutations=template.permutations, scheme=template.scheme)
    if shingles:
        m.update_batch([s.encode("utf-8") for s in shingles])
    return m.hashvalues


_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, as datasketch's "affine32" scheme applies it before permuting."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def _permuted(template: MinHash, shingles: list[str]) -> np.ndarray:
    """Every permutation of each shingle's hash (shingles x num_perm): the rows a MinHash takes the minimum of."""
    a, b = template.permutations
    hv = np.array([template.hashfunc(s.encode("utf-8")) for s in shingles], dtype=np.uint32).reshape(-1, 1)
    return _fmix32(hv) * a + b


@lru_cache(maxsize=4)
def _batchable(num_perm: int) -> bool:
    """Whether `signatures` can permute in one numpy pass: datasketch's scheme is the one it reimplements, checked
    once against datasketch itself (if a datasketch release changes it, `signatures` falls back to `signature`)."""
    template = _template(num_perm)
    if template.scheme != "affine32" or template.hashvalues.dtype != np.uint32:
        return False
    probe = {"copy", "detection", "minhash", "x", "über"}
    return bool(np.array_equal(_permuted(template, sorted(probe)).min(axis=0), signature(probe, num_perm)))


def signatures(shingle_sets: list[set[str]], num_perm: int) -> list[np.ndarray]:
    """`signature` of each set, equal to it value for value: each distinct shingle is hashed once and all are
    permuted in one numpy pass (an article's sentences share words, and one MinHash per sentence costs more in
    set-up than in hashing)."""
    if not _batchable(num_perm):
        return [signature(s, num_perm) for s in shingle_sets]
    template = _template(num_perm)
    distinct = sorted(set().union(*shingle_sets))
    row = {s: i for i, s in enumerate(distinct)}
    rows = _permuted(template, distinct) if distinct else None
    empty = template.hashvalues  # an empty set's values: all max
    return [rows[[row[s] for s in shingles]].min(axis=0) if shingles else empty.copy() for shingles in shingle_sets]


def _key(band: int, payload: bytes) -> int:
    digest = hashlib.blake2b(payload, digest_size=8, person=bytes([band]) * 8).digest()
    return int.from_bytes(digest, "big", signed=True)


def band_keys(hashvalues: np.ndarray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per band: equal keys mean the band's rows all agree."""
    values = np.asarray(hashvalues, dtype=np.uint32)
    return [_key(b, values[b * rows:(b + 1) * rows].tobytes()) for b in range(bands)]


def exact_key(normalised: str) -> int:
    """The key of a whole normalised sentence, so verbatim copies always meet."""
    return _key(EXACT_BAND, normalised.encode("utf-8"))


def sentence_keys(normalised_text: str, shingles: set[str], sig: np.ndarray | None = None) -> list[int]:
    """The exact key and the LSH band keys; `sig`: the shingles' signature, when the caller computed it already."""
    keys = [exact_key(normalised_text)]
    if shingles:
        sig = signature(shingles, SENTENCE_PERM) if sig is None else sig
        keys += band_keys(sig, SENTENCE_BANDS, SENTENCE_ROWS)
    return keys


def jaccard(a: bytes | np.ndarray, b: bytes | np.ndarray) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    va = np.frombuffer(a, dtype=np.uint32) if isinstance(a, bytes) else np.asarray(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32) if isinstance(b, bytes) else np.asarray(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / len(va)
