"""Scores provenance on the synthetic Wikinews copy set (source P/R per kind, originality error) and on MSRP."""
from __future__ import annotations

import hashlib
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from ..errors import InputError
from ..model import AnnotatedArticle, ExtractedDoc, SentenceSpan
from ..provenance.classify import COPY_KINDS, KINDS, classify
from ..provenance.enrich import enrich
from .provenance_synth import SynthArticle, build, separator
from ..provenance.ngrams import copied_share, tokens
from ..provenance.trace import STITCHED_SOURCES, build_trace
from ..store.sqlite import SQLiteStore

TARGETS = {"verbatim": (0.99, 0.99), "near": (0.97, 0.95), "spun": (0.95, 0.80),
           "partial": (0.97, 0.95)}  # (precision, recall)
# What CI pins: the targets, all met on dev (eval/RESULTS.md); partial recall, the closest, measures 0.951.
FLOORS = dict(TARGETS)
RESTRUCTURED_TARGET = (0.95, 0.80)  # spun on the restructured rewrites: precision, recall
SPAN_TOKENS, SPAN_TARGET = 2, 0.90  # a lifted span's ends within this many words of gold, for this share
HARD_NEGATIVES_CREDITED = 0.01  # the most of the stock-phrase and independent-report sentences given a source


def to_article(a: SynthArticle) -> AnnotatedArticle:
    """The synthetic article as the ingest pipeline would hand it to the enricher (sentences given, no NLP)."""
    text, spans = "", []
    for i, s in enumerate(a.sentences):
        text += separator(i)
        spans.append(SentenceSpan(i, len(text), len(text) + len(s), s))
        text += s
    doc = ExtractedDoc(item=a.key, text=text, url=a.url, canonical_url=a.url,
                       content_hash=hashlib.sha1(text.encode()).hexdigest(), title=a.title, date=a.date,
                       site="synth.example")
    return AnnotatedArticle(doc=doc, sentences=spans, mentions=[], words=len(text.split()))


def _pr(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 1.0


def evaluate_synthetic(wikinews: str, seed: int = 13, base: int = 300, per_kind: int = 40,
                       lifts: bool = True) -> dict:
    if not Path(wikinews).is_file():
        raise InputError(wikinews, "Wikinews articles not found (expected ../shared/data/wikinews/articles.jsonl)")
    articles = build(wikinews, seed=seed, base=base, per_kind=per_kind, lifts=lifts)
    order = list(articles)
    random.Random(seed + 1).shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "provenance-eval.db")
        try:
            started, ids = time.perf_counter(), {}
            for a in order:
                ids[a.key] = store.add_article(enrich(store, to_article(a)))
            ingest_s = time.perf_counter() - started
            keys = {v: k for k, v in ids.items()}
            traces = {a.key: build_trace(store.article(ids[a.key]), store.sentence_matches(ids[a.key]))
                      for a in articles if a.generator != "base"}
            dups = {a.key: {keys[i] for i, _ in store.near_duplicates(ids[a.key])}
                    for a in articles if a.generator in ("verbatim", "negative")}
        finally:
            store.close()
    result = _score(articles, traces, keys, ingest_s)
    copies = [a for a in articles if a.generator == "verbatim"]
    result["near_duplicates"] = {
        "verbatim_copy_recall": _pr(sum(bool(a.sources & dups[a.key]) for a in copies), len(copies)),
        "negatives_flagged": sum(bool(dups[a.key]) for a in articles if a.generator == "negative")}
    return result


def _token_at(text: str, offset: int) -> int:
    return sum(1 for start in tokens(text).starts if start < offset)


def _span_ok(text: str, got: tuple[int, int], gold: tuple[int, int]) -> bool:
    return (abs(_token_at(text, got[0]) - _token_at(text, gold[0])) <= SPAN_TOKENS
            and abs(_token_at(text, got[1]) - _token_at(text, gold[1])) <= SPAN_TOKENS)


def _score(articles: list[SynthArticle], traces: dict, keys: dict, ingest_s: float) -> dict:
    gold_n, recall_hit, pred_n, prec_hit = Counter(), Counter(), Counter(), Counter()
    by_generator, confusion, spans = Counter(), Counter(), Counter()
    stitched, orig_err, graded = Counter(), [], 0
    by_key = {a.key: a for a in articles}
    for a in articles:
        if a.generator == "base":
            continue
        t = traces[a.key]
        gold_copied = 0.0
        for j, (gold, s) in enumerate(zip(a.gold, t.sentences, strict=True)):
            graded += 1
            pred_src = keys[s.source.article_id] if s.source is not None and s.kind in COPY_KINDS else None
            gold_src = gold[1] if gold else None
            gold_kind = gold[0] if gold else "original"
            confusion[gold_kind, s.kind] += 1
            by_generator[a.generator, "sentences"] += 1
            by_generator[a.generator, "credited"] += pred_src is not None
            by_generator[a.generator, "right"] += pred_src is not None and pred_src == gold_src
            if j in a.spans:
                span, i, source_span = a.spans[j]
                gold_copied += copied_share(s.sentence, [span])
                if pred_src == gold_src:
                    src = by_key[gold_src].sentences
                    source_text = src[i] + (separator(i + 1) + src[i + 1] if i + 1 < len(src) else "")
                    spans["found"] += 1
                    spans["sentence"] += _span_ok(s.sentence, s.source.span, span)
                    spans["source"] += s.source.sentence == i and _span_ok(source_text, s.source.source_span,
                                                                            source_span)
            elif gold:
                gold_copied += 1
            if gold:
                gold_n[gold_kind] += 1
                recall_hit[gold_kind] += pred_src == gold_src
                by_generator[a.generator, "gold"] += 1
                by_generator[a.generator, "found"] += pred_src == gold_src
            if pred_src is not None:
                pred_n[s.kind] += 1
                prec_hit[s.kind] += pred_src == gold_src
        orig_err.append(abs(t.originality - (1 - gold_copied / len(a.gold))))
        gold_st = len(a.sources) >= STITCHED_SOURCES
        stitched["tp" if gold_st and t.stitched else "fp" if t.stitched else "fn" if gold_st else "tn"] += 1
    per_kind = {k: {"precision": _pr(prec_hit[k], pred_n[k]), "recall": _pr(recall_hit[k], gold_n[k]),
                    "gold": gold_n[k], "predicted": pred_n[k]} for k in COPY_KINDS}
    return {
        "articles": len(articles), "graded_articles": len(traces), "graded_sentences": graded,
        "per_kind": per_kind,
        "source_recall_by_generator": {g: _pr(by_generator[g, "found"], by_generator[g, "gold"])
                                       for g in sorted({g for g, what in by_generator if what == "gold"})},
        "source_precision_by_generator": {g: _pr(by_generator[g, "right"], by_generator[g, "credited"])
                                          for g in sorted({g for g, _ in by_generator})},
        "hard_negatives_credited": {g: _pr(by_generator[g, "credited"], by_generator[g, "sentences"])
                                    for g in ("negative", "stock", "independent") if by_generator[g, "sentences"]},
        "restructured": {"precision": _pr(by_generator["restructured", "right"],
                                          by_generator["restructured", "credited"]),
                         "recall": _pr(by_generator["restructured", "found"], by_generator["restructured", "gold"]),
                         "gold": by_generator["restructured", "gold"]},
        "lift_spans": {"found": spans["found"], "sentence_within_2": _pr(spans["sentence"], spans["found"]),
                       "source_within_2": _pr(spans["source"], spans["found"])},
        "originality_mae": round(sum(orig_err) / len(orig_err), 4),
        "originality_max_error": round(max(orig_err), 4),
        "stitched": {"precision": _pr(stitched["tp"], stitched["tp"] + stitched["fp"]),
                     "recall": _pr(stitched["tp"], stitched["tp"] + stitched["fn"])},
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
        "ingest_seconds": round(ingest_s, 2),
    }


def evaluate_msrp(path: str, limit: int | None = None) -> dict:
    """P/R/F1 of the "same sentence, rewritten" decision (a copy kind) on MSRP, and with paraphrase counted too."""
    if not Path(path).is_file():
        raise InputError(path, "MSRP file not found (expected ../shared/data/msrp/train.jsonl)")
    counts = {"copy": Counter(), "copy_or_paraphrase": Counter()}
    kinds = Counter()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            pair = json.loads(line)
            found = classify(pair["text1"], pair["text2"])
            kind = found[0] if found else "none"
            kinds[kind, pair["label"]] += 1
            for name, accepted in (("copy", COPY_KINDS), ("copy_or_paraphrase", KINDS)):
                predicted = kind in accepted
                counts[name]["tp" if predicted and pair["label"] else "fp" if predicted else
                             "fn" if pair["label"] else "tn"] += 1
    out = {}
    for name, c in counts.items():
        p, r = _pr(c["tp"], c["tp"] + c["fp"]), _pr(c["tp"], c["tp"] + c["fn"])
        out[name] = {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                     "pairs": sum(c.values())}
    out["kinds"] = {f"{k} (label {label})": v for (k, label), v in sorted(kinds.items())}
    return out


def evaluate_provenance(wikinews: str, msrp: str | None, seed: int = 13, base: int = 300, per_kind: int = 40) -> dict:
    result = {"synthetic": evaluate_synthetic(wikinews, seed=seed, base=base, per_kind=per_kind),
              "targets": {k: {"precision": p, "recall": r} for k, (p, r) in TARGETS.items()}, "seed": seed}
    if msrp:
        result["msrp"] = evaluate_msrp(msrp)
    return result
