"""Scores event extraction on SENTiVENT: sentence types, triggers, arguments, modality and polarity."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsgraph.events.typology import TYPES, sentivent_modality


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_sentence_types(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Multi-label sentence typing: macro F1 over the 18 types, micro F1, and F1 per type."""
    counts = {t: Counter() for t in TYPES}
    for g, p in zip(gold, pred, strict=True):
        g, p = set(g), set(p)
        for t in TYPES:
            counts[t]["tp"] += t in g and t in p
            counts[t]["fp"] += t in p and t not in g
            counts[t]["fn"] += t in g and t not in p
    per = {t: prf(c["tp"], c["fp"], c["fn"])[2] for t, c in counts.items()}
    total = sum(counts.values(), Counter())
    return {"macro_f1": sum(per.values()) / len(per), "micro_f1": prf(total["tp"], total["fp"], total["fn"])[2],
            "per_type": per}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]], typed: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of spans that overlap (and share a type when `typed`): (gold i, pred j)."""
    used, pairs = set(), []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if j not in used and _overlap(g[:2], p[:2]) and (not typed or g[2] == p[2]):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


class TriggerScore:
    """Trigger identification (span overlap) and classification (overlap and type), plus arguments."""

    def __init__(self) -> None:
        self.c = Counter()

    def add(self, gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]],
            gold_args: list[list[tuple[int, int]]], pred_args: list[list[tuple[int, int]]]) -> None:
        ident = match(gold, pred, typed=False)
        classed = match(gold, pred, typed=True)
        self.c["gold"] += len(gold)
        self.c["pred"] += len(pred)
        self.c["ident"] += len(ident)
        self.c["class"] += len(classed)
        # An argument counts when its event was found with the right type and its span overlaps a gold one.
        self.c["gold_args"] += sum(len(a) for a in gold_args)
        self.c["pred_args"] += sum(len(a) for a in pred_args)
        for i, j in classed:
            g = [(s, e, "") for s, e in gold_args[i]]
            p = [(s, e, "") for s, e in pred_args[j]]
            self.c["args"] += len(match(g, p, typed=False))

    def result(self) -> dict:
        c = self.c
        return {"identification_f1": prf(c["ident"], c["pred"] - c["ident"], c["gold"] - c["ident"])[2],
                "classification_f1": prf(c["class"], c["pred"] - c["class"], c["gold"] - c["class"])[2],
                "arguments_f1": prf(c["args"], c["pred_args"] - c["args"], c["gold_args"] - c["args"])[2]}


def score_binary(gold: Sequence[str], pred: Sequence[str], positive: str, prefix: str) -> dict:
    tp = sum(g == positive and p == positive for g, p in zip(gold, pred, strict=True))
    fp = sum(g != positive and p == positive for g, p in zip(gold, pred, strict=True))
    fn = sum(g == positive and p != positive for g, p in zip(gold, pred, strict=True))
    p, r, f = prf(tp, fp, fn)
    return {f"{prefix}_p": p, f"{prefix}_r": r, f"{prefix}_f1": f}


def modality_for_scoring(modality: str) -> str:
    return sentivent_modality(modality)


def evaluate_parsed(sentences, docs, model, parts=("sentence_type", "trigger", "modality", "polarity")) -> dict:
    """Figures for parsed SENTiVENT sentences with an EventModel (None: patterns only)."""
    from newsgraph.events.arguments import arguments
    from newsgraph.events.component import EventExtractor
    from newsgraph.events.modality import decide
    from newsgraph.events.sentivent import gold_triggers

    out: dict = {}
    if "sentence_type" in parts:
        pred = [model.predict_sentence(d[:]) if model is not None else [] for d in docs]
        out["sentence_type"] = score_sentence_types([s.types for s in sentences], pred)
    if "trigger" in parts:
        extractor = EventExtractor(model)
        score = TriggerScore()
        for s, d in zip(sentences, docs, strict=True):
            # SENTiVENT's conventions: its annotators mark generic mentions and states too, so the product's removal
            # of those false kinds (EventExtractor.sentence_events) is not scored here (it costs 0.011 F1 on dev).
            found = extractor.sentence_triggers(d[:])
            pred, pargs = [], []
            for t in found:
                span = t.span
                pred.append((span.start_char, span.end_char, t.type))
                pargs.append([(a["start"], a["end"]) for a in arguments(span.root, t.type)])
            score.add([(e.start, e.end, e.type) for e in s.events], pred,
                      [[(a, b) for a, b, _ in e.arguments] for e in s.events], pargs)
        r = score.result()
        out["trigger"] = {"identification_f1": r["identification_f1"], "classification_f1": r["classification_f1"]}
        out["arguments"] = {"f1": r["arguments_f1"]}
    gold_m, pred_m, gold_p, pred_p = [], [], [], []
    if "modality" in parts or "polarity" in parts:
        for _, e, root in gold_triggers(sentences, docs):
            mod, pol = decide(root, e.type)  # given the gold event: its trigger and type
            gold_m.append(e.modality)
            pred_m.append(modality_for_scoring(mod))
            gold_p.append(e.polarity)
            pred_p.append("negative" if pol == "negated" else "positive")
        out["modality"] = score_binary(gold_m, pred_m, "other", "other")
        out["polarity"] = score_binary(gold_p, pred_p, "negative", "negative")
    if "calibration" in parts and model is not None:
        out["calibration"] = score_calibration(sentences, docs, model)
    return out


def score_calibration(sentences, docs, model) -> dict:
    """Reliability and Brier score of the shipped confidence: is an event of that confidence a gold event of its type?"""
    import numpy as np

    from newsgraph.events.calibration_train import reliability
    from newsgraph.events.component import EventExtractor
    from newsgraph.events.confidence import load_calibrator

    extractor = EventExtractor(model, load_calibrator())
    p, y = [], []
    for s, d in zip(sentences, docs, strict=True):
        for _, rec in extractor.sentence_events(d[:]):
            p.append(rec["score"])
            y.append(any(e.type == rec["type"] and e.start < rec["end"] and rec["start"] < e.end for e in s.events))
    return reliability(np.array(p), np.array(y, dtype=float))


def evaluate_events(data: str, nlp=None,
                    parts=("sentence_type", "trigger", "modality", "polarity", "calibration")) -> dict:
    """`newsgraph eval events`: the shipped model on a SENTiVENT file (read in place).

    `parts=("modality", "polarity")` scores only those, on the gold events, without the trigger model.
    """
    from newsgraph.events.classifier import load_model
    from newsgraph.events.sentivent import parse, read_sentences
    from newsgraph.nlp import load_pipeline

    nlp = nlp or load_pipeline(events=False)
    sentences = list(read_sentences(data))
    needs_model = bool({"sentence_type", "trigger", "calibration"} & set(parts))
    return evaluate_parsed(sentences, parse(nlp, sentences), load_model() if needs_model else None, parts)
