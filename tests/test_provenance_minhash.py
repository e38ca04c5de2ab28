"""An article's sentence signatures computed in one numpy pass equal datasketch's, one MinHash per sentence."""
from __future__ import annotations

import random

import numpy as np

from newsgraph.provenance.minhash_index import SENTENCE_PERM, _batchable, signature, signatures
from newsgraph.provenance.shingles import sentence_shingles


def test_batched_signatures_equal_one_minhash_per_set():
    rnd = random.Random(11)
    words = [f"w{i}" for i in range(400)] + ["über", "日本", "at&t", "u.s."]
    sets = [set(rnd.sample(words, rnd.randint(0, 40))) for _ in range(300)] + [set(), {"only"}]
    assert _batchable(SENTENCE_PERM)  # else `signatures` falls back to `signature` and this compares nothing new
    for num_perm in (SENTENCE_PERM, 128):
        batched = signatures(sets, num_perm)
        alone = [signature(s, num_perm) for s in sets]
        assert len(batched) == len(alone)
        for b, a in zip(batched, alone):
            assert b.dtype == a.dtype and np.array_equal(b, a)


def test_batched_signatures_of_real_sentences():
    sentences = ["Verizon agreed to buy Yahoo's core business for $4.8 billion on Monday.",
                 "The deal, announced on Monday, values Yahoo's core business at $4.8 billion.",
                 "Short one.", "Yahoo shareholders must still approve the Verizon deal."]
    sets = [sentence_shingles(s) for s in sentences]
    assert [list(v) for v in signatures(sets, SENTENCE_PERM)] == [list(signature(s, SENTENCE_PERM)) for s in sets]
