"""Scores newsgraph's NER against bare spaCy on CoNLL-2003 (ORG, PER, LOC; exact span match)."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.errors import InputError
from newsgraph.nlp.pipeline import load_pipeline

LABELS = ("ORG", "PER", "LOC")
# spaCy's OntoNotes labels -> CoNLL; anything else (NORP, PRODUCT, ...) is ignored.
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}

Span3 = tuple[int, int, str]  # token start, token end (exclusive), CoNLL label


@dataclass
class Sentence:
    words: list[str]
    gold: set[Span3] = field(default_factory=set)


def _gold_spans(tags: list[str]) -> set[Span3]:
    """IOB2 tags -> spans of ORG/PER/LOC; an I- tag that follows O or another type opens a span too."""
    spans: set[Span3] = set()
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, kind = tag.partition("-")
        if prefix == "I" and kind == label:
            continue
        if label is not None and label in LABELS:
            spans.add((start, i, label))
        start, label = (i, kind) if prefix in ("B", "I") else (None, None)
    return spans


def read_conll(path: str | Path, max_docs: int | None = None) -> list[Sentence]:
    """The sentences of a CoNLL-2003 file (`token POS chunk NER` per line), from the first `max_docs` documents."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read CoNLL file: {exc.strerror or exc}") from exc
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    docs = 0

    def flush() -> None:
        if words:
            sentences.append(Sentence(list(words), _gold_spans(list(tags))))
            words.clear()
            tags.clear()

    for number, line in enumerate(lines, 1):
        cols = line.split()
        if not cols:
            flush()
            continue
        if cols[0] == "-DOCSTART-":
            flush()
            docs += 1
            if max_docs is not None and docs > max_docs:
                break
            continue
        if len(cols) != 4:
            raise InputError(f"{path}:{number}", f"expected 4 columns, got {len(cols)}")
        words.append(cols[0])
        tags.append(cols[3])
    flush()
    return sentences


def _predicted_spans(doc: Doc) -> set[Span3]:
    return {(e.start, e.end, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


def score(gold: list[set[Span3]], predicted: list[set[Span3]]) -> dict[str, dict[str, float]]:
    """Per-label and micro (over ORG/PER/LOC) precision, recall and F1 with exact span match."""
    counts = {label: [0, 0, 0] for label in LABELS}  # tp, fp, fn
    for g, p in zip(gold, predicted, strict=True):
        for label in LABELS:
            gl = {s for s in g if s[2] == label}
            pl = {s for s in p if s[2] == label}
            counts[label][0] += len(gl & pl)
            counts[label][1] += len(pl - gl)
            counts[label][2] += len(gl - pl)
    result = {label: _prf(*c) for label, c in counts.items()}
    result["micro"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return result


def _docs(nlp: Language, sentences: list[Sentence]) -> Iterator[Doc]:
    for s in sentences:
        yield Doc(nlp.vocab, words=s.words, spaces=[True] * (len(s.words) - 1) + [False])


def predict(nlp: Language, sentences: list[Sentence], n_process: int = 1, batch_size: int = 256) -> list[set[Span3]]:
    """Run `nlp` over pre-tokenised sentences (one Doc per sentence) and collect its ORG/PER/LOC spans."""
    return [_predicted_spans(d) for d in nlp.pipe(_docs(nlp, sentences), n_process=n_process, batch_size=batch_size)]


def evaluate_ner(
    path: str,
    nlp_factory: Callable[..., Language] = load_pipeline,
    *,
    max_docs: int | None = None,
    n_process: int = 1,
) -> dict[str, dict[str, dict[str, float]]]:
    """Score `nlp_factory(fixes=True)` ("newsgraph") and `nlp_factory(fixes=False)` ("spacy") on a CoNLL file.

    Each CoNLL sentence becomes one Doc built from its gold tokens, so spans compare token for token.
    """
    sentences = read_conll(path, max_docs=max_docs)
    gold = [s.gold for s in sentences]
    results = {}
    for system, fixes in (("newsgraph", True), ("spacy", False)):
        nlp = nlp_factory(fixes=fixes)
        results[system] = score(gold, predict(nlp, sentences, n_process=n_process))
    return results


def main(argv: list[str] | None = None) -> int:
    """`python -m newsgraph.eval.ner PATH [MAX_DOCS]`: print the scores as JSON."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m newsgraph.eval.ner CONLL_FILE [MAX_DOCS]", file=sys.stderr)
        return 2
    max_docs = int(args[1]) if len(args) > 1 else None
    print(json.dumps(evaluate_ner(args[0], max_docs=max_docs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
