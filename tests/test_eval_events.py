"""Quality floors for event extraction on SENTiVENT dev, pinned just under the measured figures (eval/RESULTS.md)."""
from __future__ import annotations

import pytest

# Measured on 2026-11-25 with the shipped model; floors sit just under them so a regression fails.
FLOORS = {
    ("sentence_type", "macro_f1"): 0.51,  # 0.525, thresholds from train CV (0.575 if they were tuned on dev)
    ("sentence_type", "micro_f1"): 0.46,  # 0.472
    ("trigger", "identification_f1"): 0.44,  # 0.451
    ("trigger", "classification_f1"): 0.32,  # 0.335
    ("arguments", "f1"): 0.185,  # 0.195 (0.189 before noun triggers took their "of"/"by" phrases)
    ("modality", "other_f1"): 0.44,  # 0.456
    ("polarity", "negative_f1"): 0.50,  # 0.522
}


@pytest.fixture(scope="module")
def scores(shared_data, nlp):
    from newsgraph.eval.events import evaluate_events

    return evaluate_events(str(shared_data / "sentivent" / "dev.jsonl"), nlp=nlp)


@pytest.mark.parametrize("part, figure", list(FLOORS))
def test_event_figures_stay_above_floors(scores, part, figure):
    assert scores[part][figure] >= FLOORS[part, figure], f"{part}.{figure} = {scores[part][figure]:.3f}"


def test_eval_json_shape(scores):
    assert set(scores) == {"sentence_type", "trigger", "arguments", "modality", "polarity"}
    assert set(scores["sentence_type"]) == {"macro_f1", "micro_f1", "per_type"}
    assert len(scores["sentence_type"]["per_type"]) == 18
    assert set(scores["trigger"]) == {"identification_f1", "classification_f1"}
    assert set(scores["modality"]) == {"other_p", "other_r", "other_f1"}
    assert set(scores["polarity"]) == {"negative_p", "negative_r", "negative_f1"}


def test_shipped_model_is_small_and_labelled():
    from newsgraph.events.classifier import MODEL_DIR, load_model

    size = sum(f.stat().st_size for f in MODEL_DIR.iterdir())
    assert size <= 50 * 2**20
    assert "CC BY-NC 4.0" in (MODEL_DIR / "NOTICE").read_text(encoding="utf-8")
    model = load_model()
    assert set(model.sentences.labels) == set(model.tokens.labels) - {"O"}


@pytest.mark.slow
def test_training_reproduces_the_shipped_figures(shared_data, nlp, tmp_path):
    from newsgraph.events.train import train

    scores = train(shared_data / "sentivent", tmp_path, nlp=nlp, log=lambda m: None)
    assert scores["seconds"] < 30 * 60
    assert scores["sentence_type"]["macro_f1"] >= FLOORS["sentence_type", "macro_f1"]
    assert scores["trigger"]["classification_f1"] >= FLOORS["trigger", "classification_f1"]
    # the train-CV choices are not worse on dev than they promised on train, give or take dev's noise
    assert scores["sentence_type"]["macro_f1"] >= scores["sentence_type"]["train_cv_macro_f1"] - 0.05
