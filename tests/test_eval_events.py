"""Quality floors for event extraction on SENTiVENT dev, pinned just under the measured figures (eval/RESULTS.md)."""
from __future__ import annotations

import pytest

# Measured on 2026-11-25 with the shipped model; floors sit just under them so a regression fails.
FLOORS = {
    ("sentence_type", "macro_f1"): 0.51,  # 0.525, thresholds from train CV (0.575 if they were tuned on dev)
    ("sentence_type", "micro_f1"): 0.46,  # 0.472
    ("trigger", "identification_f1"): 0.44,  # 0.451
    ("trigger", "classification_f1"): 0.32,  # 0.335
    ("arguments", "f1"): 0.205,  # 0.217 (0.195 before the participant fallback and roles by entity kind, #18;
    # 0.216 before a commenter stopped counting as the party of a definite event noun, 0.213 before the owner inside
    # a subject and a country party of a Deal)
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


def test_confidence_is_calibrated_on_dev(scores):
    """Issue #18: the calibrated confidence on dev (fitted on train folds): Brier 0.198 against 0.283 for the raw
    trigger probability, and each bin of 30+ events with a real share within 0.2 of its mean confidence (the
    worst today: 0.5-0.6, 0.547 against 0.386)."""
    cal = scores["calibration"]
    assert cal["brier"] <= 0.21, cal["brier"]
    for b in cal["bins"]:
        if b["events"] >= 30:
            assert abs(b["real"] - b["mean_confidence"]) <= 0.2, b


def test_eval_json_shape(scores):
    assert set(scores) == {"sentence_type", "trigger", "arguments", "modality", "polarity", "calibration"}
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


# Issue #18, on the held-out (test) half of the hand-judged Wikinews events (eval/events_real), at the default cut.
# Measured 2026-12-03 19:06 UTC on the test half (205 sampled events, 71 real; 58 listed at the cut 0.4): precision
# 0.690, retention 0.563, modality 0.841 (0.795 before a definite takeover noun stopped being made certain),
# polarity 1.000, participant named 0.845 (one listed event moves precision by about 0.015, modality by 0.023).
REAL_FLOORS = {"precision": 0.64, "retention": 0.52, "modality_accuracy": 0.80, "polarity_accuracy": 0.95,
               "participant_named": 0.80}


@pytest.fixture(scope="module")
def real(shared_data, tmp_path_factory, nlp):
    import newsgraph
    from newsgraph.eval.events_real import article_file, evaluate_real

    tmp = tmp_path_factory.mktemp("evreal")
    with newsgraph.open(tmp / "e.db", nlp=nlp) as g:
        g.ingest([article_file(wikinews=shared_data / "wikinews" / "articles.jsonl", out=tmp / "a.jsonl")])
        return evaluate_real(graph=g)


@pytest.mark.parametrize("figure", list(REAL_FLOORS))
def test_listed_events_on_real_news_stay_above_floors(real, figure):
    assert real[figure] >= REAL_FLOORS[figure], f"{figure} = {real[figure]}"
    assert real["listed_unjudged"] <= real["listed"] * 0.1  # the judged sample still covers what is listed
