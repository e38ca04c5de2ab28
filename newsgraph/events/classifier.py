"""The learned trigger and sentence-type models: linear weights over parse features, applied with numpy only."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Span

from newsgraph.errors import NewsgraphError
from newsgraph.events.features import (
    candidates,
    sentence_features,
    sentence_vector,
    token_features,
    token_vectors,
    word_vectors,
)
from newsgraph.events.triggers import Trigger
from newsgraph.nlp.embeddings import embed

MODEL_DIR = Path(__file__).with_name("model")


def model_path() -> Path:
    return MODEL_DIR / "events.json"


@dataclass
class Linear:
    """Weights (features x classes) and biases; `softmax` for one-of-n, else one sigmoid per class.

    `dense`, when set, weighs a dense vector given with each row (dims x classes), next to the sparse features.
    """

    vocab: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray
    labels: list[str]
    softmax: bool
    dense: np.ndarray | None = None

    def _squash(self, z: np.ndarray) -> np.ndarray:
        if self.softmax:
            z = np.exp(z - z.max(axis=-1, keepdims=True))
            return z / z.sum(axis=-1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))

    def scores(self, features: list[str], vec: np.ndarray | None = None) -> np.ndarray:
        idx = [self.vocab[f] for f in features if f in self.vocab]
        z = self.weights[idx].sum(axis=0, dtype=np.float32) + self.bias if idx else self.bias.copy()
        if self.dense is not None:
            z = z + self._need(vec) @ self.dense
        return self._squash(z)

    def scores_many(self, rows: list[list[str]], vecs: np.ndarray | None = None) -> np.ndarray:
        """`scores` for many rows in one numpy pass (every row has the always-known "bias" feature)."""
        if not rows:
            return np.zeros((0, len(self.labels)))
        get = self.vocab.get
        idx, starts = [], []
        for r in rows:
            starts.append(len(idx))
            idx += [i for i in map(get, r) if i is not None]  # in the row's order: float32 sums depend on it
        if len(idx) == starts[-1] or any(a == b for a, b in zip(starts, starts[1:])):
            # an empty row: reduceat would misread it
            return np.vstack([self.scores(r, None if vecs is None else vecs[k]) for k, r in enumerate(rows)])
        # fancy indexing copies already: copy=False keeps astype from copying float32 weights again
        z = np.add.reduceat(self.weights[idx].astype(np.float32, copy=False), starts, axis=0) + self.bias
        if self.dense is not None:
            z = z + self._need(vecs) @ self.dense
        return self._squash(z)

    def _need(self, vec: np.ndarray | None) -> np.ndarray:
        if vec is None:
            raise NewsgraphError("this model weighs dense vectors too; call it with them")
        return vec


@dataclass
class EventModel:
    """Token-level trigger typing, gated by the sentence-type model."""

    tokens: Linear  # labels: "O" and the 18 types
    sentences: Linear  # labels: the 18 types
    trigger_threshold: float
    gate: float  # the sentence must give the type at least this probability
    sentence_thresholds: dict[str, float]
    sentence_mix: float = 1.0  # weight of the sentence model against the best token's probability of a type

    def _vector(self, sent: Span) -> np.ndarray | None:
        """The sentence's wordllama vector, when either model weighs it."""
        if self.sentences.dense is None and self.tokens.dense is None:
            return None
        return sentence_vector(sent)

    def token_scores(self, sent: Span, cands: list, vec: np.ndarray | None) -> np.ndarray:
        dense = token_vectors(cands, vec) if self.tokens.dense is not None and cands else None
        return self.tokens.scores_many([token_features(t, sent.start, sent.end) for t in cands], dense)

    def sentence_types(self, sent: Span, vec: np.ndarray | None = None) -> dict[str, float]:
        if vec is None and self.sentences.dense is not None:
            vec = sentence_vector(sent)
        probs = self.sentences.scores(sentence_features(sent), vec)
        return dict(zip(self.sentences.labels, probs.tolist()))

    def type_parts(self, sent: Span, tokens: bool = True) -> tuple[dict[str, float], dict[str, float]]:
        """Per type: the sentence model's probability, and the most confident candidate token's (0 without)."""
        vec = self._vector(sent)
        scores = self.sentence_types(sent, vec)
        if not tokens:
            return scores, dict.fromkeys(scores, 0.0)
        cands = candidates(sent)
        probs = self.token_scores(sent, cands, vec)
        col = {label: k for k, label in enumerate(self.tokens.labels)}
        return scores, {t: float(probs[:, col[t]].max()) if len(cands) and t in col else 0.0 for t in scores}

    def type_scores(self, sent: Span) -> dict[str, float]:
        """Per type: the sentence model mixed with the most confident token of that type."""
        scores, best = self.type_parts(sent, tokens=self.sentence_mix < 1.0)
        return {t: self.sentence_mix * p + (1 - self.sentence_mix) * best[t] for t, p in scores.items()}

    def predict_sentence(self, sent: Span) -> list[str]:
        return [t for t, p in self.type_scores(sent).items() if p >= self.sentence_thresholds.get(t, 0.5)]

    @staticmethod
    def candidates(sent: Span) -> list:
        """The sentence's tokens the trigger model scores (features.candidates; the events component reaches it
        through the model, as importing features there would close an import cycle through newsgraph.nlp)."""
        return candidates(sent)

    def sentence_vectors(self, sents: list[Span], cands: list[list] | None = None) -> list[np.ndarray] | None:
        """The sentences' wordllama vectors in one call, when either model weighs them (the same values as
        `_vector` of each: wordllama pools each text alone); the trigger model's word vectors for all their
        candidate tokens are fetched in one call too (word_vectors caches them). Two calls per Doc, not one or two per
        sentence: each call is a round trip into the tokenizers, and in a loaded machine's profile the waits for
        them were most of the embedding's wall time. `cands`: each sentence's `candidates`, when the caller has them."""
        if self.tokens.dense is not None:
            flat = [t for found in (cands if cands is not None else map(candidates, sents)) for t in found]
            word_vectors([t.lemma_.lower() for t in flat] + [t.head.lemma_.lower() for t in flat])
        if self.sentences.dense is None and self.tokens.dense is None:
            return None
        return list(embed([s.text for s in sents]))

    def scored(self, sent: Span, vec: np.ndarray | None = None, cands: list | None = None) -> tuple[list, np.ndarray]:
        """The sentence's candidate tokens and the trigger model's probabilities for them (tokens x labels);
        `vec`: the sentence's vector from `sentence_vectors`, `cands` its `candidates`, when the caller has them."""
        cands = candidates(sent) if cands is None else cands
        if not cands:
            return [], np.zeros((0, len(self.tokens.labels)))
        return cands, self.token_scores(sent, cands, vec if vec is not None else self._vector(sent))

    def triggers(self, sent: Span, scored: tuple[list, np.ndarray] | None = None) -> list[Trigger]:
        cands, probs = scored if scored is not None else self.scored(sent)
        if not cands:
            return []
        gate = self.sentence_types(sent) if self.gate > 0 else {}
        none = self.tokens.labels.index("O") if "O" in self.tokens.labels else None
        found: list[Trigger] = []
        for tok, row in zip(cands, probs):
            p_none = None if none is None else float(row[none])
            best = int(row.argmax())
            label = self.tokens.labels[best]
            if label == "O":
                row = row.copy()
                row[best] = 0
                best = int(row.argmax())
                label = self.tokens.labels[best]
            p = float(row[best])
            if p < self.trigger_threshold or (self.gate > 0 and gate.get(label, 0.0) < self.gate):
                continue
            if found and found[-1].type == label and found[-1].last == tok.i - 1:
                prev = found[-1]  # adjacent tokens of one type are one phrasal trigger
                p_none = min(prev.p_none, p_none) if prev.p_none is not None and p_none is not None else p_none
                found[-1] = Trigger(prev.token, label, None, max(prev.score, p), last=tok.i, p_none=p_none,
                                    learned=True)
            else:
                found.append(Trigger(tok, label, None, p, last=tok.i, p_none=p_none, learned=True))
        return found


def _linear(raw: dict, arrays, name: str) -> Linear:
    dense = arrays[f"{name}_d"].astype(np.float32) if f"{name}_d" in arrays.files else None
    return Linear(vocab={f: i for i, f in enumerate(raw["features"])},
                  weights=arrays[f"{name}_w"].astype(np.float32), bias=arrays[f"{name}_b"].astype(np.float32),
                  labels=raw["labels"], softmax=raw["softmax"], dense=dense)


def save_model(model: EventModel, directory: Path = MODEL_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    meta = {"trigger_threshold": model.trigger_threshold, "gate": model.gate,
            "sentence_thresholds": model.sentence_thresholds, "sentence_mix": model.sentence_mix,
            "licence": "CC BY-NC 4.0: trained on SENTiVENT (Jacobs & Hoste 2022); non-commercial use only"}
    arrays = {}
    for name in ("tokens", "sentences"):
        lin = getattr(model, name)
        features = sorted(lin.vocab, key=lin.vocab.get)
        meta[name] = {"features": features, "labels": lin.labels, "softmax": lin.softmax}
        arrays[f"{name}_w"] = lin.weights.astype(np.float16)
        arrays[f"{name}_b"] = lin.bias
        if lin.dense is not None:
            arrays[f"{name}_d"] = lin.dense.astype(np.float16)
    np.savez_compressed(directory / "events.npz", **arrays)
    (directory / "events.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


@lru_cache(maxsize=2)
def load_model(directory: Path = MODEL_DIR) -> EventModel:
    """The trained model shipped in the package (CC BY-NC 4.0, trained on SENTiVENT)."""
    try:
        meta = json.loads((directory / "events.json").read_text(encoding="utf-8"))
        arrays = np.load(directory / "events.npz")
    except (OSError, ValueError) as exc:
        raise NewsgraphError(f"cannot load the events model from {directory}: {exc};"
                             " run `newsgraph train events --data ../shared/data/sentivent`") from exc
    return EventModel(tokens=_linear(meta["tokens"], arrays, "tokens"),
                      sentences=_linear(meta["sentences"], arrays, "sentences"),
                      trigger_threshold=meta["trigger_threshold"], gate=meta["gate"],
                      sentence_thresholds=meta["sentence_thresholds"],
                      sentence_mix=meta.get("sentence_mix", 1.0))
