"""Story clustering quality on ECB+ (read in place from ../shared/data): a fast slice, and the dev floor (slow)."""
from __future__ import annotations

import json
from itertools import islice

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.eval.stories import ecb_features, evaluate_features, evaluate_stories

# Pinned just under the measured dev figures in eval/RESULTS.md.
DEV_FLOOR_F1 = 0.935  # measured 0.943 in file order and in each of 5 shuffled orders (repair with lone-article
# attachment, Wikinews term and entity priors, calendar-day agreement; 0.925 before the sixth pass)
ORDER_SPREAD = 0.02  # the order-independence target: ±0.02 over 5 shuffled orders
SLICE_FLOOR_F1 = 0.9  # measured 0.937 (0.873 before lone-article attachment)


def test_eval_on_a_dev_slice(shared_data, nlp, tmp_path):
    # topics 2 and 5 of dev (44 documents, 4 gold stories), through the real pipeline
    part = tmp_path / "slice.jsonl"
    with open(shared_data / "ecbplus" / "dev.jsonl", encoding="utf-8") as f:
        part.write_text("".join(islice(f, 44)), encoding="utf-8")
    features, gold = ecb_features(part, nlp)
    result = evaluate_features(features, gold, orders=2)
    assert result["online"]["gold_clusters"] == 4
    assert result["online"]["b3"]["f1"] >= SLICE_FLOOR_F1
    assert set(result["baseline_agglomerative"]) == {"b3", "ari", "nmi", "clusters", "gold_clusters"}
    assert len(result["shuffled"]["b3_f1"]) == 2


def test_eval_cli_json(shared_data, tmp_path):
    part = tmp_path / "tiny.jsonl"
    with open(shared_data / "ecbplus" / "dev.jsonl", encoding="utf-8") as f:
        part.write_text("".join(islice(f, 12)), encoding="utf-8")
    out = CliRunner().invoke(app, ["eval", "stories", "--data", str(part), "--orders", "1", "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert set(result["online"]) == {"b3", "ari", "nmi", "clusters", "gold_clusters"}
    assert set(result["online"]["b3"]) == {"p", "r", "f1"}


@pytest.mark.slow
def test_dev_floor(shared_data):
    result = evaluate_stories(str(shared_data / "ecbplus" / "dev.jsonl"))
    assert result["online"]["b3"]["f1"] >= DEV_FLOOR_F1
    assert result["shuffled"]["mean"] >= DEV_FLOOR_F1
    assert result["shuffled"]["spread"] <= ORDER_SPREAD


def test_tune_searches_the_repair_cut(monkeypatch):
    """The grid includes the repair cut, and the best setting's cut is the one that scored best."""
    from newsgraph.eval import stories as ev
    from newsgraph.stories.features import ArticleFeatures

    def feats(words: str) -> ArticleFeatures:
        return ArticleFeatures(tf={w: 1.0 for w in words.split()}, entities={}, times=frozenset(), date=None,
                               sentence_terms=[])

    docs = [feats(w) for w in ("storm flood river rain town", "storm flood river rain bridge",
                               "storm wind coast power rain", "storm wind coast power trees",
                               "storm flood wind coast rain")]
    seen = []
    real = ev.online

    def spy(features, params=ev.Params(), background=()):
        seen.append(params.repair)
        return real(features, params, background)

    monkeypatch.setattr(ev, "online", spy)
    cuts = dict(ev.TUNE_STEPS)["repair"]
    result = ev.tune(docs, [0, 0, 1, 1, 1], orders=1)
    assert set(cuts) <= set(seen)
    assert result["online"]["repair"] in cuts and 0 < result["online"]["b3_f1"] <= 1
    assert result["online"]["settings_tried"] <= sum(len(v) for _, v in ev.TUNE_STEPS)
