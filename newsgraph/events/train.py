"""`newsgraph train events`: fits the trigger and sentence-type models on SENTiVENT train, tunes them on dev."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsgraph.events.classifier import MODEL_DIR, EventModel, Linear, save_model
from newsgraph.events.confidence import CALIBRATION_FILE
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


MIXES = (0.0, 0.25, 0.35, 0.5, 1.0)  # sentence-model weights tried against the best token's probability
THRESHOLDS = np.round(np.arange(0.02, 0.96, 0.01), 2)
FOLDS = 5


def choose_thresholds(scores: np.ndarray, gold_types: list[list[str]]) -> tuple[dict[str, float], float]:
    """Per type, the threshold on `scores` (sentences x TYPES) with the best F1 against the gold; and the macro F1."""
    from newsgraph.eval.events import prf

    best, macro = {}, 0.0
    for k, t in enumerate(TYPES):
        gold = np.array([t in g for g in gold_types])
        f1s = []
        for th in THRESHOLDS:
            pred = scores[:, k] >= th
            f1s.append(prf(int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum()))[2])
        i = int(np.argmax(f1s))  # ties: the lowest threshold
        best[t] = float(THRESHOLDS[i])
        macro += f1s[i] / len(TYPES)
    return best, macro


def type_parts(tokens: Linear, sents: Linear, docs) -> tuple[np.ndarray, np.ndarray]:
    """Sentence-model and best-token probabilities (sentences x TYPES) of parsed sentences."""
    helper = EventModel(tokens, sents, 0.5, 0.0, {}, sentence_mix=0.0)
    parts = [helper.type_parts(d[:]) for d in docs]
    return (np.array([[s[t] for t in TYPES] for s, _ in parts]), np.array([[b[t] for t in TYPES] for _, b in parts]))


def choose_sentence_decisions(sent_p: np.ndarray, tok_p: np.ndarray, gold_types, log=print,
                              label: str = "") -> tuple[float, dict[str, float], float]:
    """The sentence-model weight and per-type thresholds with the best macro F1 on these scores."""
    best = None
    for mix in MIXES:
        thresholds, macro = choose_thresholds(mix * sent_p + (1 - mix) * tok_p, gold_types)
        log(f"sentence types, sentence-model weight {mix}: {label} macro-F1 {macro:.3f}")
        if best is None or macro > best[2]:
            best = (mix, thresholds, macro)
    return best


def doc_folds(sentences, k: int = FOLDS, seed: int = 13) -> np.ndarray:
    """A fold number per sentence; all sentences of a document share one (SENTiVENT docs are single-company)."""
    ids = sorted({s.doc_id for s in sentences})
    np.random.RandomState(seed).shuffle(ids)
    fold = {d: i % k for i, d in enumerate(ids)}
    return np.array([fold[s.doc_id] for s in sentences])


def out_of_fold(train_s, train_d, k: int = FOLDS, log=print, keep: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sentence-model and best-token probabilities of every train sentence from models fitted without its document.

    Thresholds chosen on these pooled out-of-fold scores transfer to the full-train model far better than ones
    chosen on one small hold-out (every train sentence votes, and each score comes from an 80% model).
    """
    folds = doc_folds(train_s, k)
    sent_p = np.zeros((len(train_s), len(TYPES)))
    tok_p = np.zeros_like(sent_p)
    for f in range(k):
        fit = np.flatnonzero(folds != f)
        out = np.flatnonzero(folds == f)
        tokens, sents = fit_models([train_s[i] for i in fit], [train_d[i] for i in fit], log=lambda m: None)
        sent_p[out], tok_p[out] = type_parts(tokens, sents, [train_d[i] for i in out])
        if keep is not None:
            keep.append(tokens)  # the fold's trigger model, for the calibrator
        log(f"fold {f + 1}/{k}: {len(out)} train sentences scored out of fold")
    return sent_p, tok_p


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


def tune_trigger_threshold(tokens: Linear, sents: Linear, mix: float, thresholds: dict[str, float],
                           tune_s, tune_d, log=print) -> EventModel:
    """The trigger threshold that scores best on `tune_s` (dev: the issue allows tuning there)."""
    from newsgraph.eval.events import evaluate_parsed

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


def calibrate(fold_tokens: list, model: EventModel, train_s, train_d, dev_s, dev_d, path: Path,
              folds: int = FOLDS, log=print) -> dict:
    """Fit the confidence calibrator on the events the fold models find in their held-out train documents, save it,
    and return its reliability on those and on dev (scored with the full-train model)."""
    from newsgraph.events.calibration_train import event_rows, fit_calibrator, fold_rows, lemma_rates, reliability
    from newsgraph.events.component import EventExtractor
    from newsgraph.events.confidence import save_calibrator

    fold = doc_folds(train_s, folds)
    xs, ys = [], []
    for f, tokens in enumerate(fold_tokens):
        fit, out = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        x, y = fold_rows(tokens, model.trigger_threshold, [train_s[i] for i in fit], [train_d[i] for i in fit],
                         [train_s[i] for i in out], [train_d[i] for i in out])
        xs += x
        ys += y
    rates = lemma_rates(train_s, train_d)
    cal = fit_calibrator(xs, ys, rates)
    save_calibrator(cal, path)
    dx, dy = event_rows(EventExtractor(model), dev_s, dev_d, rates)
    found = {"train_out_of_fold": reliability(np.array([cal.confidence(x) for x in xs]), np.array(ys)),
             "dev": reliability(np.array([cal.confidence(x) for x in dx]), np.array(dy))}
    log(f"calibrator: {len(ys)} out-of-fold events, Brier {found['train_out_of_fold']['brier']}; dev {found['dev']['brier']}")
    return found


def train(data: str | Path, out: Path = MODEL_DIR, nlp=None, log=print, folds: int = FOLDS) -> dict:
    """Train on `data`/train.jsonl, write the model into `out`; returns dev figures.

    The sentence-model weight and the per-type thresholds come from document-grouped k-fold CV on train; only the
    trigger threshold is tuned on dev. For comparison the figures also give the sentence-type macro F1 that
    thresholds tuned on dev itself would reach (`sentence_type.dev_tuned_macro_f1`, optimistic by construction).
    """
    from newsgraph.eval.events import evaluate_parsed

    t0 = time.perf_counter()
    train_s, train_d, dev_s, dev_d = _parsed(Path(data), nlp, log)
    fold_tokens: list = []
    sent_p, tok_p = out_of_fold(train_s, train_d, folds, log, keep=fold_tokens)
    mix, thresholds, macro = choose_sentence_decisions(sent_p, tok_p, [s.types for s in train_s], log, "train CV")
    tokens, sents = fit_models(train_s, train_d, log)
    model = tune_trigger_threshold(tokens, sents, mix, thresholds, dev_s, dev_d, log)
    train_modality_model(train_s, train_d, out / MODALITY_FILE.name, log)  # polarity: cue rules alone
    save_nontriggers(nontrigger_lemmas(train_s, train_d), out / NONTRIGGER_FILE.name)  # junk-trigger stop-list
    save_model(model, out)
    scores = evaluate_parsed(dev_s, dev_d, model)
    scores["calibration"] = calibrate(fold_tokens, model, train_s, train_d, dev_s, dev_d, out / CALIBRATION_FILE.name,
                                      folds, log)
    dev_sent, dev_tok = type_parts(tokens, sents, dev_d)
    scores["sentence_type"]["train_cv_macro_f1"] = macro
    scores["sentence_type"]["dev_tuned_macro_f1"] = choose_sentence_decisions(
        dev_sent, dev_tok, [s.types for s in dev_s], lambda m: None)[2]
    scores["seconds"] = round(time.perf_counter() - t0, 1)
    return scores
