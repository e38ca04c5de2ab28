"""A small learned check on the modality cues: is a cue found in the trigger's scope a SENTiVENT "other"?

SENTiVENT's annotators read the same cue differently by event type: "could" before a revenue figure is a
forecast ("other"), "could" before a brand or investment event is mostly left "certain". A logistic regression
over the cue (kind, word, relation) crossed with the event type learns that from train; its threshold is chosen
by document-grouped cross-validation on train, never on dev. It only vetoes hedging cues: without a cue an event
stays certain, and plans, talks and "reportedly" keep their value (the product wants them, whatever the corpus
convention).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

from newsgraph.errors import NewsgraphError
from newsgraph.events.modality import Cue, find_cue

MODEL_FILE = Path(__file__).with_name("model") / "modality.json"
VETOED = frozenset({"possible"})  # the cue kinds the model may overrule


def features(cue: Cue | None, event_type: str | None) -> list[str]:
    """The cue and the event type, alone and crossed."""
    t = event_type or "?"
    if cue is None:
        return ["bias", f"T={t}", "nocue", f"T={t}|nocue"]
    return ["bias", f"T={t}", f"k={cue.kind}", f"w={cue.word}", f"r={cue.relation}", f"w={cue.word}|{cue.relation}",
            f"T={t}|k={cue.kind}", f"T={t}|w={cue.word}"]


@dataclass
class ModalityModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, cue: Cue | None, event_type: str | None) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features(cue, event_type))
        return 1.0 / (1.0 + math.exp(-z))

    def keeps(self, cue: Cue, event_type: str | None) -> bool:
        """Whether the cue still makes the event not-certain for this event type."""
        return cue.kind not in VETOED or self.probability(cue, event_type) >= self.threshold

    def to_json(self) -> dict:
        return {"licence": "CC BY-NC 4.0 (trained on SENTiVENT train; see NOTICE)", "bias": self.bias,
                "threshold": self.threshold, "weights": self.weights}


@lru_cache(maxsize=1)
def load_modality_model(path: Path = MODEL_FILE) -> ModalityModel | None:
    """The shipped model, or None when it has not been trained (the cue rules then decide alone)."""
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ModalityModel({k: float(v) for k, v in raw["weights"].items()}, float(raw["bias"]),
                             float(raw["threshold"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NewsgraphError(f"cannot read the modality model {path}: {exc}") from exc


def modality_with_model(trigger: Token, event_type: str | None, model: ModalityModel | None) -> str:
    """The cue rules' modality, with hedging cues the model does not believe for this event type vetoed."""
    cue = find_cue(trigger)
    if cue is None:
        return "certain"
    if model is not None and not model.keeps(cue, event_type):
        return "certain"
    return cue.kind


def _fit(rows: list[list[str]], y: list[bool], c: float):
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    vocab: dict[str, int] = {}
    for r in rows:
        for f in r:
            vocab.setdefault(f, len(vocab))
    data, cols, ptr = [], [], [0]
    for r in rows:
        idx = sorted({vocab[f] for f in r})
        cols.extend(idx)
        data.extend([1.0] * len(idx))
        ptr.append(len(cols))
    x = csr_matrix((data, cols, ptr), shape=(len(rows), len(vocab)))
    clf = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    weights = {f: round(float(clf.coef_[0][i]), 5) for f, i in vocab.items() if abs(clf.coef_[0][i]) > 1e-6}
    return weights, float(clf.intercept_[0])


def _f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def cross_validate(examples, c: float = 0.1, folds: int = 5) -> tuple[float, float]:
    """(best train-CV F1 of "other", its threshold), folds grouped by document so no article is split.

    `examples`: (cue, event type, gold is-other, document id).
    """
    docs = sorted({d for *_, d in examples})
    fold_of = {d: k % folds for k, d in enumerate(docs)}
    probs = [0.0] * len(examples)
    for k in range(folds):
        train = [e for e in examples if fold_of[e[3]] != k]
        weights, bias = _fit([features(cue, t) for cue, t, _, _ in train], [g for _, _, g, _ in train], c)
        model = ModalityModel(weights, bias, 0.5)
        for i, (cue, t, _, d) in enumerate(examples):
            if fold_of[d] == k:
                probs[i] = model.probability(cue, t)
    gold = [g for _, _, g, _ in examples]
    best = (0.0, 0.5)
    for step in range(4, 80):
        th = step / 100
        pred = [cue is not None and (cue.kind not in VETOED or p >= th) for (cue, *_), p in zip(examples, probs)]
        best = max(best, (_f1(gold, pred), th))
    return best


def train_modality_model(sentences, docs, out: Path = MODEL_FILE, log=print) -> ModalityModel:
    """Fit on parsed SENTiVENT train (gold events), threshold by grouped CV on train; write `out`."""
    from newsgraph.events.sentivent import gold_triggers

    examples = [(find_cue(root), e.type, e.modality == "other", s.doc_id)
                for s, e, root in gold_triggers(sentences, docs)]
    gold = [g for _, _, g, _ in examples]
    rules = _f1(gold, [cue is not None for cue, *_ in examples])
    best = None
    for c in (0.1, 0.3, 1.0):
        f1, th = cross_validate(examples, c)
        log(f"modality model C={c}: train-CV other F1 {f1:.3f} at threshold {th:.2f} (cue rules alone {rules:.3f})")
        if best is None or f1 > best[0]:
            best = (f1, th, c)
    weights, bias = _fit([features(cue, t) for cue, t, _, _ in examples], gold, best[2])
    model = ModalityModel(weights, bias, best[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), indent=0, sort_keys=True), encoding="utf-8")
    load_modality_model.cache_clear()
    return model


def train_from_data(data: str | Path, out: Path = MODEL_FILE, nlp=None, log=print) -> dict:
    """`newsgraph train modality`: parse `data`/train.jsonl and fit the model alone (the type model is untouched)."""
    from newsgraph.events.sentivent import parse, read_sentences
    from newsgraph.nlp import load_pipeline

    nlp = nlp or load_pipeline(events=False)
    sentences = list(read_sentences(Path(data) / "train.jsonl"))
    model = train_modality_model(sentences, parse(nlp, sentences), out, log)
    return {"model": str(out), "threshold": model.threshold, "features": len(model.weights)}
