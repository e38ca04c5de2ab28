"""An event's confidence: the probability that it is a real event of its type, by logistic calibration.

The raw trigger probability of the softmax model says little about that (on real news 0.5-0.9 was no better than
below 0.5). The calibrator is a logistic regression over a few signals of each found event — the trigger model's
probability of its type and of "no event", how often the trigger's lemma is a trigger in SENTiVENT train, its part
of speech, whether a pattern found it, whether it names a participant, and signs of a generic mention — fitted on
events found in held-out folds of SENTiVENT train (`newsgraph train events`; see calibration_train.py).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Token

from newsgraph.errors import NewsgraphError
from newsgraph.events.arguments import FALLBACK_VIAS
from newsgraph.events.false_kinds import DETERMINERS, in_condition
from newsgraph.events.typology import PARTICIPANT_ROLE, TYPES

CALIBRATION_FILE = Path(__file__).with_name("model") / "calibration.json"

POS = ("VERB", "NOUN", "ADJ", "PROPN")
NAMES = ("learned_logit", "rule", "none_logit", "lemma_logit", *(f"pos_{p}" for p in POS), "participant",
         "participant_org", "org_in_sentence", "question", "condition", "bare_noun", "no_verb", "phrase", "degree",
         "copula", *(f"type_{t}" for t in TYPES))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def lemma_logit(rates: dict[str, list[int]], lemma: str) -> float:
    """Smoothed log-odds that a candidate word with this lemma is inside a gold trigger in train."""
    seen, inside = rates.get(lemma, (0, 0))
    return _logit((inside + 0.1) / (seen + 1.0))


def _question(tok: Token) -> bool:
    sent = tok.sent
    return sent.text.rstrip().rstrip('"\'”’').endswith("?")


def _bare_noun(tok: Token) -> bool:
    """A noun trigger with no determiner, owner or modifier: "trade", "investment" as a kind, not an occurrence."""
    return tok.pos_ == "NOUN" and not any(c.dep_ in DETERMINERS for c in tok.children)


def features(span, record: dict, rule: bool, p_type: float, p_none: float | None,
             rates: dict[str, list[int]]) -> list[float]:
    """The calibrator's inputs for one event (span: the trigger's tokens; record: its event dict)."""
    tok = span.root
    role = PARTICIPANT_ROLE.get(record["type"])
    # a participant the parse gave, not one filled in from the sentence or article (arguments.fallback_participant)
    main = [a for a in record["arguments"] if a["role"] == role and a["via"] not in FALLBACK_VIAS]
    sent = tok.sent
    x = [0.0 if rule else _logit(p_type), float(rule), 0.0 if p_none is None else _logit(p_none),
         lemma_logit(rates, tok.lemma_.lower()), *(float(tok.pos_ == p) for p in POS), float(bool(main)),
         float(any(a.get("entity_label") == "ORG" for a in main)),
         float(any(t.ent_type_ == "ORG" for t in sent)), float(_question(tok)), float(in_condition(tok)),
         float(_bare_noun(tok) and not main), float(not any(t.pos_ in ("VERB", "AUX") for t in sent)),
         float(len(span) > 1), float(any(t.tag_ in ("JJS", "JJR", "RBS", "RBR") for t in span)),
         float(tok.dep_ in ("acomp", "attr") and tok.head.lemma_.lower() == "be")]
    return x + [float(record["type"] == t) for t in TYPES]


@dataclass
class Calibrator:
    weights: np.ndarray
    bias: float
    rates: dict[str, list[int]]

    def confidence(self, x: list[float]) -> float:
        return float(1.0 / (1.0 + math.exp(-(float(np.dot(self.weights, x)) + self.bias))))


def save_calibrator(cal: Calibrator, path: Path = CALIBRATION_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "licence": "CC BY-NC 4.0 (fitted on SENTiVENT train; see NOTICE)", "features": list(NAMES),
        "weights": [round(float(w), 5) for w in cal.weights], "bias": round(cal.bias, 5),
        "rates": cal.rates}, separators=(",", ":")), encoding="utf-8")
    load_calibrator.cache_clear()


@lru_cache(maxsize=2)
def load_calibrator(path: Path = CALIBRATION_FILE) -> Calibrator | None:
    """The shipped calibrator, or None before `newsgraph train events` has built one (events keep raw scores)."""
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["features"] != list(NAMES):
            raise ValueError("its features are not this version's; retrain")
        return Calibrator(np.array(raw["weights"], dtype=np.float64), float(raw["bias"]), raw["rates"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NewsgraphError(f"cannot read the event calibrator {path}: {exc}") from exc
