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


def test_thresholds_are_chosen_per_type_for_f1():
    from newsgraph.events.train import choose_thresholds
    from newsgraph.events.typology import TYPES

    # Type 0 is separable at 0.6 only; every other type never occurs (F1 0 whatever the threshold).
    scores = np.zeros((6, len(TYPES)))
    scores[:, 0] = [0.9, 0.7, 0.65, 0.5, 0.4, 0.1]
    gold = [[TYPES[0]], [TYPES[0]], [TYPES[0]], [], [], []]
    thresholds, macro = choose_thresholds(scores, gold)
    assert 0.5 < thresholds[TYPES[0]] <= 0.65
    assert macro == pytest.approx(1 / len(TYPES))


def test_folds_keep_each_document_whole_and_use_every_fold():
    from types import SimpleNamespace

    from newsgraph.events.train import doc_folds

    sents = [SimpleNamespace(doc_id=f"d{k // 3}") for k in range(30)]  # 10 documents of 3 sentences
    folds = doc_folds(sents, k=5)
    assert set(folds) == set(range(5))
    for d in range(10):
        assert len(set(folds[3 * d:3 * d + 3])) == 1
    assert (doc_folds(sents, k=5) == folds).all()  # reproducible


def test_type_scores_mix_the_sentence_model_with_the_best_token(nlp):
    from newsgraph.events.classifier import EventModel, load_model

    shipped = load_model()
    doc = nlp("Apple's quarterly revenue rose 5% to $90 billion, the company said.")
    sent_p, best = shipped.type_parts(doc[:])
    for mix in (0.0, 0.35, 1.0):
        model = EventModel(shipped.tokens, shipped.sentences, 0.2, 0.0, {}, sentence_mix=mix)
        scores = model.type_scores(doc[:])
        assert scores["Revenue"] == pytest.approx(mix * sent_p["Revenue"] + (1 - mix) * best["Revenue"])
    assert best["Revenue"] > 0.5 and max(best, key=best.get) == "Revenue"


def test_candidates_given_by_the_caller_score_as_found_alone(nlp):
    """The component finds each sentence's candidate tokens once and passes them to the word-vector fetch and the
    trigger model; both must give what they give when they find the candidates themselves."""
    from newsgraph.events.classifier import load_model
    from newsgraph.events.features import is_candidate

    model = load_model()
    doc = nlp("Verizon agreed on Monday to buy Yahoo's core business for $4.8 billion. Shares of Yahoo rose 3%.\n"
              "The deal still needs the approval of shareholders.")
    sents = list(doc.sents)
    cands = [model.candidates(s) for s in sents]
    assert [[t.i for t in c] for c in cands] == [[t.i for t in s if is_candidate(t)] for s in sents]
    vecs, vecs_given = model.sentence_vectors(sents), model.sentence_vectors(sents, cands)
    for sent, found, vec, vec_given in zip(sents, cands, vecs, vecs_given, strict=True):
        assert np.array_equal(vec, vec_given)
        alone, given = model.scored(sent, vec), model.scored(sent, vec, found)
        assert [t.i for t in alone[0]] == [t.i for t in given[0]] and np.array_equal(alone[1], given[1])
