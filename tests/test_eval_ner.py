"""evaluate_ner(): CoNLL-2003 reading and scoring, and newsgraph's fixes never scoring below bare spaCy."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.errors import InputError
from newsgraph.eval.ner import evaluate_ner, read_conll, score

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CONLL_DEV = SHARED / "conll2003" / "dev.txt"
needs_conll = pytest.mark.skipif(not CONLL_DEV.is_file(), reason="shared CoNLL-2003 data is not available")

SAMPLE = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
in IN B-PP O
New NNP B-NP B-LOC
York NNP I-NP I-LOC

-DOCSTART- -X- -X- O

Reuters NNP B-NP I-ORG
"""


def test_read_conll_builds_gold_spans(tmp_path):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE)
    sentences = read_conll(path)
    assert [s.words[0] for s in sentences] == ["EU", "Peter", "Reuters"]
    assert sentences[0].gold == {(0, 1, "ORG")}  # MISC is not scored
    assert sentences[1].gold == {(0, 2, "PER"), (3, 5, "LOC")}
    assert sentences[2].gold == {(0, 1, "ORG")}  # a stray I- opens a span
    assert len(read_conll(path, max_docs=1)) == 2


def test_read_conll_errors(tmp_path):
    with pytest.raises(InputError):
        read_conll(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("EU NNP B-ORG\n")
    with pytest.raises(InputError, match="bad.txt:1"):
        read_conll(bad)


def test_score_is_exact_span_match():
    gold = [{(0, 1, "ORG"), (2, 4, "PER")}]
    pred = [{(0, 1, "ORG"), (2, 3, "PER"), (5, 6, "LOC")}]
    result = score(gold, pred)
    assert result["ORG"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert result["PER"] == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert result["micro"]["p"] == round(1 / 3, 4) and result["micro"]["r"] == 0.5


def assert_not_worse(result):
    for label in ("ORG", "PER", "LOC", "micro"):
        assert result["newsgraph"][label]["f1"] >= result["spacy"][label]["f1"], label


@needs_conll
def test_fixes_not_worse_on_first_documents():
    result = evaluate_ner(str(CONLL_DEV), max_docs=30)
    assert set(result) == {"newsgraph", "spacy"}
    assert set(result["spacy"]) == {"ORG", "PER", "LOC", "micro"}
    assert_not_worse(result)


# Pinned just under the figures recorded in eval/RESULTS.md; CI fails if newsgraph drops below them.
FLOORS = {"ORG": 0.41, "PER": 0.70, "LOC": 0.78, "micro": 0.66}


@needs_conll
def test_fixes_not_worse_on_dev_and_above_floors():
    # about 25 s on one core: both pipelines over 3,250 sentences
    result = evaluate_ner(str(CONLL_DEV))
    assert_not_worse(result)
    for label, floor in FLOORS.items():
        assert result["newsgraph"][label]["f1"] >= floor, (label, result["newsgraph"][label])
