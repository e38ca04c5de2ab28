"""The linear scorer behind the trigger and sentence-type models, with its dense (wordllama) inputs."""
from __future__ import annotations

import numpy as np
import pytest

from newsgraph.errors import NewsgraphError
from newsgraph.events.classifier import Linear


def _linear(dense: bool) -> Linear:
    rng = np.random.default_rng(0)
    return Linear({"bias": 0, "a": 1, "b": 2}, rng.normal(size=(3, 4)).astype(np.float32),
                  rng.normal(size=4).astype(np.float32), ["O", "x", "y", "z"], softmax=True,
                  dense=rng.normal(size=(5, 4)).astype(np.float32) if dense else None)


def test_dense_part_adds_to_the_sparse_logits():
    lin = _linear(dense=True)
    vecs = np.arange(10, dtype=np.float32).reshape(2, 5) / 10
    rows = [["bias", "a"], ["bias", "b", "unknown"]]
    z = np.stack([lin.weights[[0, 1]].sum(0), lin.weights[[0, 2]].sum(0)]) + lin.bias + vecs @ lin.dense
    want = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    assert np.allclose(lin.scores_many(rows, vecs), want, atol=1e-5)
    assert np.allclose(lin.scores(rows[1], vecs[1]), want[1], atol=1e-5)


def test_a_dense_model_called_without_vectors_is_an_error():
    with pytest.raises(NewsgraphError):
        _linear(dense=True).scores_many([["bias"]])


def test_word_vectors_of_an_empty_lemma_are_zero_not_nan():
    from newsgraph.events.features import word_vectors

    v = word_vectors(["", "revenue"])
    assert np.isfinite(v).all() and not v[0].any() and v[1].any()


def test_shipped_models_weigh_wordllama_vectors():
    from newsgraph.events.classifier import load_model
    from newsgraph.nlp.embeddings import DIM

    model = load_model()
    assert model.tokens.dense.shape == (3 * DIM, len(model.tokens.labels))
    assert model.sentences.dense.shape == (DIM, len(model.sentences.labels))
