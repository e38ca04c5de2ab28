"""The real-news stage of an event's confidence: is this an event a business reader accepts?

The calibrator (confidence.py) gives the probability that SENTiVENT's annotators would mark the event, and they mark
generic mentions and other-typed uses that a reader of a list of events does not want; SENTiVENT's texts are all
company news, so it never learned that a sentence naming no company or person is seldom a business event. This
second stage is a logistic regression over the calibrated probability and a few signals of the sentence — a
participant the parse gave (an ORG one), a money or percent figure, an ORG or a PERSON in the sentence, the type
groups whose mentions are mostly not events (Macroeconomics, CSR/Brand, Product/Service) — fitted on the tune half
of the hand-judged Wikinews events (eval/events_real; label: judged a real event of that type), never on the test
half. `python -m newsgraph.eval.events_real_fit` refits it.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from newsgraph.errors import NewsgraphError
from newsgraph.events.typology import PARTICIPANT_ROLE

STAGE_FILE = Path(__file__).with_name("model") / "realnews.json"
NAMES = ("calibrated_logit", "participant_org", "participant", "money_or_percent", "org_in_sentence",
         "no_org_or_person", "type_Macroeconomics", "type_CSR/Brand", "type_Product/Service")

# Set to a list by eval.events_real_fit to collect each event's inputs (ingest runs the extractor in this process).
TRACE: list | None = None


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def stage_features(record: dict, sent, calibrated: float) -> list[float]:
    """The stage's inputs for one event (record: its event dict, calibrated: the calibrator's probability)."""
    from newsgraph.events.arguments import FALLBACK_VIAS  # here: arguments imports the nlp package, which imports us

    role = PARTICIPANT_ROLE.get(record["type"])
    own = [a for a in record["arguments"] if a["role"] == role and a["via"] not in FALLBACK_VIAS]
    labels = {e.label_ for e in sent.ents}
    return [_logit(calibrated), float(any(a.get("entity_label") == "ORG" for a in own)), float(bool(own)),
            float(bool(labels & {"MONEY", "PERCENT"})), float("ORG" in labels),
            float(not labels & {"ORG", "PERSON"}),
            *(float(record["type"] == t) for t in ("Macroeconomics", "CSR/Brand", "Product/Service"))]


class Stage:
    def __init__(self, weights: list[float], bias: float):
        self.weights, self.bias = weights, bias

    def confidence(self, x: list[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, x, strict=True)) + self.bias
        return 1.0 / (1.0 + math.exp(-z))


def save_stage(stage: Stage, meta: dict, path: Path = STAGE_FILE) -> None:
    path.write_text(json.dumps({"features": list(NAMES), "weights": [round(w, 5) for w in stage.weights],
                                "bias": round(stage.bias, 5), **meta}, indent=1), encoding="utf-8")
    load_stage.cache_clear()


@lru_cache(maxsize=2)
def load_stage(path: Path = STAGE_FILE) -> Stage | None:
    """The shipped stage, or None (events keep the calibrated confidence)."""
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw["features"] != list(NAMES):
            raise ValueError("its features are not this version's; refit")
        return Stage([float(w) for w in raw["weights"]], float(raw["bias"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NewsgraphError(f"cannot read the real-news event stage {path}: {exc}") from exc
