"""`newsgraph train events`: fits the trigger and sentence-type models on SENTiVENT train, tunes them on dev."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgraph.events.classifier import MODEL_DIR, EventModel, Linear, save_model
from newsgraph.events.features import (
    is_candidate,
    sentence_features,
    token_features,
)
from newsgraph.events.modality_model import MODEL_FILE as MODALITY_FILE
from newsgraph.events.modality_model import train_modality_model
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


def token_rows(sentences, docs):
    rows, labels = [], []
    for s, doc in zip(sentences, docs):
        for tok in doc:
            if not is_candidate(tok):
                continue
            label = "O"
            for e in s.events:
                if tok.idx < e.end and e.start < tok.idx + len(tok.text):
                    label = e.type
                    break
            rows.append(token_features(tok, 0, len(doc)))
            labels.append(label)
    return rows, labels


def fit_tokens(rows, labels, c: float) -> Linear:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(rows, 2)
    clf = LogisticRegression(C=c, max_iter=300)
    clf.fit(_matrix(rows, vocab), labels)
    return Linear(vocab, clf.coef_.T.astype(np.float32).copy(), clf.intercept_.astype(np.float32),
                  [str(x) for x in clf.classes_], softmax=True)


def fit_sentences(rows, types: list[list[str]], c: float) -> Linear:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(rows, 2)
    x = _matrix(rows, vocab)
    w = np.zeros((len(vocab), len(TYPES)), dtype=np.float32)
    b = np.zeros(len(TYPES), dtype=np.float32)
    for k, t in enumerate(TYPES):
        y = np.array([t in ts for ts in types])
        if y.all() or not y.any():  # a type absent from the data is never predicted
            b[k] = -10.0
            continue
        clf = LogisticRegression(C=c, max_iter=300, class_weight="balanced", solver="liblinear")
        clf.fit(x, y)
        w[:, k], b[k] = clf.coef_[0], clf.intercept_[0]
    return Linear(vocab, w, b, list(TYPES), softmax=False)


def tune_sentence_thresholds(model: Linear, docs, gold_types, tokens: Linear | None = None,
                             mix: float = 1.0) -> tuple[dict[str, float], float]:
    """Per-type thresholds on dev, and the resulting macro F1."""
    from newsgraph.eval.events import prf

    if tokens is None or mix >= 1.0:
        probs = model.scores_many([sentence_features(d[:]) for d in docs])
    else:
        helper = EventModel(tokens, model, 0.5, 0.0, {}, sentence_mix=mix)
        probs = np.array([[helper.type_scores(d[:])[t] for t in TYPES] for d in docs])
    best = {}
    macro = 0.0
    for k, t in enumerate(TYPES):
        gold = np.array([t in g for g in gold_types])
        scores = []
        for th in np.arange(0.1, 0.95, 0.05):
            pred = probs[:, k] >= th
            scores.append((prf(int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum()))[2],
                           float(th)))
        best[t] = round(max(scores)[1], 2)
        macro += max(scores)[0] / len(TYPES)
    return best, macro


def train(data: str | Path, out: Path = MODEL_DIR, nlp=None, log=print) -> dict:
    """Train on `data`/train.jsonl, tune on `data`/dev.jsonl, write the model into `out`; returns dev figures."""
    from newsgraph.eval.events import evaluate_parsed
    from newsgraph.nlp import load_pipeline

    t0 = time.perf_counter()
    data = Path(data)
    nlp = nlp or load_pipeline(events=False)
    train_s = list(read_sentences(data / "train.jsonl"))
    dev_s = list(read_sentences(data / "dev.jsonl"))
    train_d, dev_d = parse(nlp, train_s), parse(nlp, dev_s)
    log(f"parsed {len(train_s)} train and {len(dev_s)} dev sentences in {time.perf_counter() - t0:.0f}s")
    rows, labels = token_rows(train_s, train_d)
    tokens = fit_tokens(rows, labels, c=1.0)
    log(f"trigger model: {len(rows)} tokens, {len(tokens.vocab)} features ({time.perf_counter() - t0:.0f}s)")
    sents = fit_sentences([sentence_features(d[:]) for d in train_d], [s.types for s in train_s], c=1.0)
    best_sent = None
    for mix in (0.0, 0.25, 0.5, 1.0):
        thresholds, macro = tune_sentence_thresholds(sents, dev_d, [s.types for s in dev_s], tokens, mix)
        log(f"sentence types, sentence-model weight {mix}: dev macro-F1 {macro:.3f}")
        if best_sent is None or macro > best_sent[0]:
            best_sent = (macro, thresholds, mix)
    _, thresholds, mix = best_sent
    best = None
    for th in (0.1, 0.15, 0.2, 0.3):
        for gate in (0.0,):  # a sentence-model gate cost ~25% of the component's time for +0.003 F1
            model = EventModel(tokens, sents, th, gate, thresholds, sentence_mix=mix)
            f1 = evaluate_parsed(dev_s, dev_d, model, parts=("trigger",))["trigger"]["classification_f1"]
            if best is None or f1 > best[0]:
                best = (f1, th, gate)
    train_modality_model(train_s, train_d, out / MODALITY_FILE.name, log)  # polarity: cue rules alone
    model = EventModel(tokens, sents, best[1], best[2], thresholds, sentence_mix=mix)
    log(f"trigger threshold {best[1]}, gate {best[2]}: dev classification F1 {best[0]:.3f}")
    save_model(model, out)
    scores = evaluate_parsed(dev_s, dev_d, model)
    scores["seconds"] = round(time.perf_counter() - t0, 1)
    return scores
