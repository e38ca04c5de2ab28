"""Fitting the event calibrator (confidence.py) on events found in held-out folds of SENTiVENT train."""
from __future__ import annotations

from collections import Counter

import numpy as np

from newsgraph.events.classifier import EventModel, Linear
from newsgraph.events.component import EventExtractor
from newsgraph.events.confidence import Calibrator, features
from newsgraph.events.features import is_candidate
from newsgraph.events.typology import TYPES

RATE_MIN_COUNT = 2  # lemmas seen fewer times as a candidate fall back to the prior


def lemma_rates(sentences, docs) -> dict[str, list[int]]:
    """Per lemma: how often it is a candidate word and how often inside a gold trigger ([seen, inside])."""
    seen: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s, d in zip(sentences, docs, strict=True):
        for t in d:
            if is_candidate(t):
                lemma = t.lemma_.lower()
                seen[lemma] += 1
                inside[lemma] += any(t.idx < e.end and e.start < t.idx + len(t.text) for e in s.events)
    return {w: [n, inside[w]] for w, n in sorted(seen.items()) if n >= RATE_MIN_COUNT}


def _no_sentences() -> Linear:
    """A sentence model that weighs nothing: extraction does not use it (gate 0)."""
    return Linear({}, np.zeros((0, len(TYPES)), dtype=np.float32), np.zeros(len(TYPES), dtype=np.float32),
                  list(TYPES), softmax=False)


def event_rows(extractor: EventExtractor, sentences, docs, rates) -> tuple[list[list[float]], list[int]]:
    """Calibrator inputs of every event the extractor stores (false kinds removed), and whether a gold event of its
    type overlaps it."""
    xs, ys = [], []
    for s, d in zip(sentences, docs, strict=True):
        for t, rec in extractor.sentence_events(d[:]):
            xs.append(features(t.span, rec, not t.learned, t.score, t.p_none, rates))
            ys.append(int(any(e.type == t.type and e.start < rec["end"] and rec["start"] < e.end for e in s.events)))
    return xs, ys


def fold_rows(tokens: Linear, threshold: float, fit_s, fit_d, out_s, out_d) -> tuple[list, list]:
    """Event rows of the held-out sentences, from a trigger model and lemma rates fitted without them."""
    model = EventModel(tokens, _no_sentences(), threshold, 0.0, {})
    return event_rows(EventExtractor(model), out_s, out_d, lemma_rates(fit_s, fit_d))


def fit_calibrator(xs: list[list[float]], ys: list[int], rates: dict[str, list[int]], c: float = 1.0) -> Calibrator:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(np.array(xs), np.array(ys))
    return Calibrator(clf.coef_[0].astype(np.float64), float(clf.intercept_[0]), rates)


def reliability(p: np.ndarray, y: np.ndarray, edges=(0, .1, .2, .3, .4, .5, .6, .7, .8, .9, 1.0001)) -> dict:
    """Brier score and, per confidence bin, how many events, their mean confidence and the share that are real."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        m = (p >= lo) & (p < hi)
        if m.any():
            rows.append({"bin": f"{lo:.1f}-{min(hi, 1):.1f}", "events": int(m.sum()),
                         "mean_confidence": round(float(p[m].mean()), 3), "real": round(float(y[m].mean()), 3)})
    return {"events": int(len(p)), "brier": round(float(((p - y) ** 2).mean()), 4) if len(p) else None,
            "base_rate": round(float(y.mean()), 4) if len(p) else None, "bins": rows}
