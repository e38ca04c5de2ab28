"""Provenance quality floors (pinned in CI): source P/R per copy kind, originality error, MSRP."""
from __future__ import annotations

import pytest

from newsgraph.eval.provenance import (
    FLOORS,
    HARD_NEGATIVES_CREDITED,
    RESTRUCTURED_TARGET,
    SPAN_TARGET,
    evaluate_msrp,
    evaluate_synthetic,
)

# The targets (FLOORS: partial recall 0.95, just under dev's 0.951); eval/RESULTS.md records what the full
# set measures.
ORIGINALITY_MAE = 0.04  # 0.02 before part 2's generators; missed restructured sentences now count (RESULTS)
MSRP_COPY_PRECISION, MSRP_COPY_F1 = 0.85, 0.20


def check(result: dict) -> None:
    for kind, (precision, recall) in FLOORS.items():
        got = result["per_kind"][kind]
        assert got["gold"] > 0 and got["predicted"] > 0, kind
        assert got["precision"] >= precision, (kind, got)
        assert got["recall"] >= recall, (kind, got)
    assert result["originality_mae"] <= ORIGINALITY_MAE
    assert result["stitched"]["precision"] >= 0.95 and result["stitched"]["recall"] >= 0.95
    restructured = result["restructured"]
    assert restructured["gold"] > 0
    assert restructured["precision"] >= RESTRUCTURED_TARGET[0] and restructured["recall"] >= RESTRUCTURED_TARGET[1]
    spans = result["lift_spans"]
    assert spans["found"] > 0 and spans["sentence_within_2"] >= SPAN_TARGET and spans["source_within_2"] >= SPAN_TARGET
    for generator, credited in result["hard_negatives_credited"].items():
        assert credited <= HARD_NEGATIVES_CREDITED, (generator, credited)
    assert {"stock", "independent"} <= set(result["hard_negatives_credited"])
    dups = result["near_duplicates"]
    assert dups["verbatim_copy_recall"] >= 0.9 and dups["negatives_flagged"] == 0


def test_small_synthetic_set_meets_targets(shared_data):
    check(evaluate_synthetic(str(shared_data / "wikinews" / "articles.jsonl"), seed=5, base=80, per_kind=10))


def test_msrp_floor(shared_data):
    result = evaluate_msrp(str(shared_data / "msrp" / "train.jsonl"))
    assert result["copy"]["pairs"] == 4076
    assert result["copy"]["precision"] >= MSRP_COPY_PRECISION and result["copy"]["f1"] >= MSRP_COPY_F1


@pytest.mark.slow
def test_full_synthetic_set_meets_targets(shared_data):
    check(evaluate_synthetic(str(shared_data / "wikinews" / "articles.jsonl")))
