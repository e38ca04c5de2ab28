"""`newsgraph train events`: fits the trigger and sentence-type models on SENTiVENT train, tunes them on dev."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsgraph.events.classifier import MODEL_DIR, EventModel, Linear, save_model
from newsgraph.events.features import (
    is_candidate,
    sentence_features,
    token_features,
    token_vectors,
)
from newsgraph.events.modality_model import MODEL_FILE as MODALITY_FILE
from newsgraph.events.modality_model import train_modality_model
from newsgraph.events.triggers import NONTRIGGER_FILE, nontrigger_lemmas, save_nontriggers
from newsgraph.events.sentivent import parse, read_sentences
from newsgraph.events.typology import TYPES


def _vocab(rows: list[list[str]], min_count: int) -> dict[str, int]:
    counts = Counter(f for r in rows for f in set(r))
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


def _matrix(rows: list[list[str]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for r in rows:
        cols = sorted({vocab[f] for f in r if f in vocab})
        indices.extend(cols)
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), len(vocab)))


# Dense inputs are scaled up before fitting so that the shared L2 penalty does not drown them against the many
# sparse indicator features; the scale is folded into the saved weights. Chosen on dev (token 2, sentence 3).
TOKEN_DENSE_SCALE = 2.0
SENTENCE_DENSE_SCALE = 3.0


def token_rows(sentences, docs, sent_vecs: np.ndarray):
    """Sparse features, gold label ("O" or a type) and dense vectors of every candidate token."""
    rows, labels, vecs = [], [], []
    for s, doc, sv in zip(sentences, docs, sent_vecs, strict=True):
        toks = [t for t in doc if is_candidate(t)]
        for tok in toks:
            label = "O"
            for e in s.events:
                if tok.idx < e.end and e.start < tok.idx + len(tok.text):
                    label = e.type
                    break
            rows.append(token_features(tok, 0, len(doc)))
            labels.append(label)
        if toks:
            vecs.append(token_vectors(toks, sv))
    return rows, labels, np.vstack(vecs)


def _with_dense(x, vecs: np.ndarray | None, scale: float):
    from scipy.sparse import csr_matrix, hstack

    return x if vecs is None else hstack([x, csr_matrix(vecs * scale)]).tocsr()


def fit_tokens(rows, labels, c: float, vecs: np.ndarray | None = None) -> Linear:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(rows, 2)
    clf = LogisticRegression(C=c, max_iter=300)
    clf.fit(_with_dense(_matrix(rows, vocab), vecs, TOKEN_DENSE_SCALE), labels)
    coef = clf.coef_.T.astype(np.float32)
    n = len(vocab)
    return Linear(vocab, coef[:n].copy(), clf.intercept_.astype(np.float32), [str(x) for x in clf.classes_],
                  softmax=True, dense=None if vecs is None else coef[n:] * TOKEN_DENSE_SCALE)


def fit_sentences(rows, types: list[list[str]], c: float, vecs: np.ndarray | None = None) -> Linear:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(rows, 2)
    x = _with_dense(_matrix(rows, vocab), vecs, SENTENCE_DENSE_SCALE)
    n = len(vocab)
    w = np.zeros((x.shape[1], len(TYPES)), dtype=np.float32)
    b = np.zeros(len(TYPES), dtype=np.float32)
    for k, t in enumerate(TYPES):
        y = np.array([t in ts for ts in types])
        if y.all() or not y.any():  # a type absent from the data is never predicted
            b[k] = -10.0
            continue
        clf = LogisticRegression(C=c, max_iter=1000, class_weight="balanced", solver="liblinear")
        clf.fit(x, y)
        w[:, k], b[k] = clf.coef_[0], clf.intercept_[0]
    return Linear(vocab, w[:n].copy(), b, list(TYPES), softmax=False,
                  dense=None if vecs is None else w[n:] * SENTENCE_DENSE_SCALE)


def tune_sentence_thresholds(model: Linear, docs, gold_types, tokens: Linear, mix: float = 1.0) -> tuple[dict[str, float], float]:
    """Per-type thresholds on dev, and the resulting macro F1."""
    from newsgraph.eval.events import prf

    helper = EventModel(tokens, model, 0.5, 0.0, {}, sentence_mix=mix)
    probs = np.array([[helper.type_scores(d[:])[t] for t in TYPES] for d in docs])
    best = {}
    macro = 0.0
    for k, t in enumerate(TYPES):
        gold = np.array([t in g for g in gold_types])
        scores = []
        for th in np.arange(0.05, 0.95, 0.05):
            pred = probs[:, k] >= th
            scores.append((prf(int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum()))[2],
                           float(th)))
        best[t] = round(max(scores)[1], 2)
        macro += max(scores)[0] / len(TYPES)
    return best, macro


def fit_models(train_s, train_d, log=print) -> tuple[Linear, Linear]:
    """The trigger (token) and sentence-type models, fitted on parsed gold sentences."""
    from newsgraph.nlp.embeddings import embed

    t0 = time.perf_counter()
    sent_vecs = embed([d.text for d in train_d])
    rows, labels, vecs = token_rows(train_s, train_d, sent_vecs)
    tokens = fit_tokens(rows, labels, c=1.0, vecs=vecs)
    log(f"trigger model: {len(rows)} tokens, {len(tokens.vocab)} features ({time.perf_counter() - t0:.0f}s)")
    sents = fit_sentences([sentence_features(d[:]) for d in train_d], [s.types for s in train_s], c=1.0,
                          vecs=sent_vecs)
    log(f"sentence model: {len(sents.vocab)} features ({time.perf_counter() - t0:.0f}s)")
    return tokens, sents


def tune_decisions(tokens: Linear, sents: Linear, tune_s, tune_d, log=print) -> EventModel:
    """Sentence-model weight, per-type thresholds and trigger threshold that score best on `tune_s`."""
    from newsgraph.eval.events import evaluate_parsed

    best_sent = None
    for mix in (0.0, 0.25, 0.35, 0.5, 1.0):
        thresholds, macro = tune_sentence_thresholds(sents, tune_d, [s.types for s in tune_s], tokens, mix)
        log(f"sentence types, sentence-model weight {mix}: tuning macro-F1 {macro:.3f}")
        if best_sent is None or macro > best_sent[0]:
            best_sent = (macro, thresholds, mix)
    _, thresholds, mix = best_sent
    best = None
    for th in (0.1, 0.15, 0.2, 0.3):
        # no sentence-model gate (gate 0): it cost ~25% of the component's time for +0.003 F1
        model = EventModel(tokens, sents, th, 0.0, thresholds, sentence_mix=mix)
        f1 = evaluate_parsed(tune_s, tune_d, model, parts=("trigger",))["trigger"]["classification_f1"]
        if best is None or f1 > best[0]:
            best = (f1, model)
    log(f"trigger threshold {best[1].trigger_threshold}: tuning classification F1 {best[0]:.3f}")
    return best[1]


def _parsed(data: Path, nlp, log) -> tuple[list, list, list, list]:
    from newsgraph.nlp import load_pipeline

    t0 = time.perf_counter()
    nlp = nlp or load_pipeline(events=False)
    train_s = list(read_sentences(data / "train.jsonl"))
    dev_s = list(read_sentences(data / "dev.jsonl"))
    train_d, dev_d = parse(nlp, train_s), parse(nlp, dev_s)
    log(f"parsed {len(train_s)} train and {len(dev_s)} dev sentences in {time.perf_counter() - t0:.0f}s")
    return train_s, train_d, dev_s, dev_d


def train(data: str | Path, out: Path = MODEL_DIR, nlp=None, log=print) -> dict:
    """Train on `data`/train.jsonl, tune on `data`/dev.jsonl, write the model into `out`; returns dev figures."""
    from newsgraph.eval.events import evaluate_parsed

    t0 = time.perf_counter()
    train_s, train_d, dev_s, dev_d = _parsed(Path(data), nlp, log)
    tokens, sents = fit_models(train_s, train_d, log)
    model = tune_decisions(tokens, sents, dev_s, dev_d, log)
    train_modality_model(train_s, train_d, out / MODALITY_FILE.name, log)  # polarity: cue rules alone
    save_nontriggers(nontrigger_lemmas(train_s, train_d), out / NONTRIGGER_FILE.name)  # junk-trigger stop-list
    save_model(model, out)
    scores = evaluate_parsed(dev_s, dev_d, model)
    scores["seconds"] = round(time.perf_counter() - t0, 1)
    return scores


def holdout_check(data: str | Path, nlp=None, log=print, share: float = 0.2, seed: int = 7) -> dict:
    """How optimistic the dev-tuned figures are: tune on a hold-out of train documents instead of dev.

    Fits on the other train documents, picks the weight and thresholds on the hold-out, then scores the shipped
    model (fitted on all of train) on dev with those choices. Nothing is written.
    """
    import random

    from newsgraph.eval.events import evaluate_parsed
    from newsgraph.events.classifier import load_model

    train_s, train_d, dev_s, dev_d = _parsed(Path(data), nlp, log)
    ids = sorted({s.doc_id for s in train_s})
    random.Random(seed).shuffle(ids)
    held = set(ids[:int(len(ids) * share)])
    fit = [k for k, s in enumerate(train_s) if s.doc_id not in held]
    out = [k for k, s in enumerate(train_s) if s.doc_id in held]
    tokens, sents = fit_models([train_s[k] for k in fit], [train_d[k] for k in fit], log)
    tuned = tune_decisions(tokens, sents, [train_s[k] for k in out], [train_d[k] for k in out], log)
    model = replace(load_model(), sentence_thresholds=tuned.sentence_thresholds, sentence_mix=tuned.sentence_mix,
                    trigger_threshold=tuned.trigger_threshold)
    return evaluate_parsed(dev_s, dev_d, model, parts=("sentence_type", "trigger"))
