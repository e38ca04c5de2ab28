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


def sentence_keys(normalised_text: str, shingles: set[str]) -> list[int]:
    keys = [exact_key(normalised_text)]
    if shingles:
        keys += band_keys(signature(shingles, SENTENCE_PERM), SENTENCE_BANDS, SENTENCE_ROWS)
    return keys


def jaccard(a: bytes | np.ndarray, b: bytes | np.ndarray) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    va = np.frombuffer(a, dtype=np.uint32) if isinstance(a, bytes) else np.asarray(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32) if isinstance(b, bytes) else np.asarray(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / len(va)
