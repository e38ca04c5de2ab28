"""Fourth modality/negation pass, kept as a reproducible experiment: a *learned* cue-scope model.

For every gold SENTiVENT event, every cue candidate in its sentence (a hedge, plan, forecast, condition,
"reportedly", a question mark; for negation a negator or negating word) becomes a pair (cue, trigger) described
by the cue word and kind, the dependency path between them (relations up from the trigger and down to the cue,
its length, the first clause edge it crosses), linear distance and side, whether a verb of saying governs the
trigger, and whether the hand rules pick that cue. Only the event is labelled, so the pairs are fitted as a
multiple-instance problem: every pair takes its event's label, then (`--mil` rounds) only the best-scoring pair
of an "other" event stays positive. The event is "other" (negated) when its best pair reaches a threshold.
Everything is scored by document-grouped 5-fold CV on train; the thresholds are the CV-best ones.

    python eval/modality_scope.py --data ../shared/data/sentivent          # about 3 min on 2 cores

Result (eval/RESULTS.md, "fourth pass"): no variant beats the shipped rules plus type veto, so nothing here ships.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsgraph.events import modality as M
from newsgraph.events.modality_model import VETOED, ModalityModel, _fit, features
from newsgraph.events.parse import climb

CLAUSE = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "acl", "csubj"})
NEGATION_CUES = M.NEGATORS | M.NEGATING_VERBS | {"rather", "instead", "without", "nothing", "none", "unable"}


def _lexicon() -> dict[str, str]:
    lex: dict[str, str] = {}
    for kind, words in (("planned", M.PLANNED | M.PLANNED_NOUNS), ("possible", M.POSSIBLE),
                        ("forecast", M.FORECAST), ("fnoun", M.FORECAST_NOUNS), ("fmod", M.FORECAST_MODIFIERS),
                        ("reported", M.REPORTED), ("cond", M.CONDITIONS), ("future", {"will", "wo", "'ll", "going"}),
                        ("attempt", {"try", "attempt", "effort", "look", "push", "target", "goal"})):
        for w in words:
            lex.setdefault(w, kind)  # first kind wins: "plan" is a plan, not a forecast noun
    return lex


LEXICON = _lexicon()


def cue_kind(tok) -> str | None:
    if tok.text == "?":
        return "question"
    return LEXICON.get(tok.lower_) or LEXICON.get(M._lemma(tok))


def _ancestors(tok) -> list:
    out = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def dep_path(trigger, cue) -> tuple[list[str], list[str]] | None:
    """(relations up from the trigger to the lowest common ancestor, relations down from there to the cue)."""
    a, b = _ancestors(trigger), _ancestors(cue)
    where = {t.i: k for k, t in enumerate(b)}
    for k, t in enumerate(a):
        if t.i in where:
            return [x.dep_ for x in a[:k]], [x.dep_ for x in b[:where[t.i]]][::-1]
    return None


def _path_features(trigger, cue, word: str, kind: str) -> list[str]:
    if cue.i == trigger.i:
        return ["self", f"self={word}"]
    p = dep_path(trigger, cue)
    if p is None:
        return ["nopath"]
    up, down = p
    n = len(up) + len(down)
    f = [f"len={min(n, 6)}", f"up={min(len(up), 4)}", f"down={min(len(down), 3)}", f"k={kind}|len={min(n, 6)}",
         f"c={word}|up={min(len(up), 4)}|down={min(len(down), 3)}", f"cuedep={cue.dep_}", f"c={word}|cuedep={cue.dep_}"]
    if n <= 4:
        s = "^" + "^".join(up) + "|v" + "v".join(down)
        f += [f"p={s}", f"k={kind}|p={s}", f"c={word}|p={s}"]
    cu = [d for d in up if d in CLAUSE]
    cd = [d for d in down if d in CLAUSE]
    f += [f"clu={cu[0] if cu else '-'}", f"cld={cd[0] if cd else '-'}", f"k={kind}|clu={bool(cu)}|cld={bool(cd)}"]
    return f


def _said(trigger) -> bool:
    """Whether a verb of saying governs the trigger's clause ("Amazon said it would buy")."""
    return any(dep == "ccomp" and head.lemma_.lower() in M.REPORTING for head, dep in climb(trigger, limit=6))


def modality_pairs(trigger, event_type: str, rule_at: int | None, rules: bool, context: bool) -> list[list[str]]:
    """Features of every modality cue candidate of the trigger's sentence, paired with the trigger."""
    out = []
    said = ["said_over_trigger"] if _said(trigger) else []
    for cue in trigger.sent:
        kind = cue_kind(cue)
        if kind is None:
            continue
        word = "?" if cue.text == "?" else M._lemma(cue)
        dist = cue.i - trigger.i
        side = "b" if dist < 0 else "a"
        f = ["bias", f"k={kind}", f"c={word}", f"T={event_type}|k={kind}", f"T={event_type}|c={word}",
             f"tag={word}|{cue.tag_}", f"dir={side}", f"dist={min(abs(dist) // 3, 5)}", f"k={kind}|dir={side}"]
        f += _path_features(trigger, cue, word, kind) + said
        if rules and rule_at == cue.i:
            f += ["rule", f"rule|k={kind}"]
        if context:  # idea 2: the words between cue and trigger, and the trigger's governors
            lo, hi = sorted((cue.i, trigger.i))
            f += [f"btw={t.lemma_.lower()}" for t in trigger.doc[lo + 1:hi]][:8]
            f += [f"anc={a.lemma_.lower()}" for a in _ancestors(trigger)[1:4]]
        out.append(f)
    return out


def negation_pairs(trigger, event_type: str, rule: bool) -> list[list[str]]:
    out = []
    for cue in trigger.sent:
        word = cue.lower_ if cue.lower_ in NEGATION_CUES else cue.lemma_.lower()
        if word not in NEGATION_CUES:
            continue
        f = ["bias", f"c={word}", f"T={event_type}", f"cd={cue.dep_}", f"rule={rule}", f"neg={M._negator(cue)}",
             f"tp={trigger.pos_}", f"dir={'b' if cue.i < trigger.i else 'a'}"]
        f += _path_features(trigger, cue, word, "neg")
        out.append(f)
    return out


def _matrix(rows: list[list[str]], vocab: dict[str, int], grow: bool) -> csr_matrix:
    data, cols, ptr = [], [], [0]
    for r in rows:
        idx = set()
        for f in r:
            if f not in vocab and grow:
                vocab[f] = len(vocab)
            if f in vocab:
                idx.add(vocab[f])
        cols.extend(sorted(idx))
        data.extend([1.0] * len(idx))
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), max(len(vocab), 1)))


def fit_mil(bags: list[list[list[str]]], labels: list[bool], c: float, rounds: int):
    """Pairwise LR; after each round only the best pair of a positive event keeps its positive label."""
    pairs = [f for bag in bags for f in bag]
    owner = [n for n, bag in enumerate(bags) for _ in bag]
    y = np.array([labels[o] for o in owner])
    vocab: dict[str, int] = {}
    x = _matrix(pairs, vocab, True)
    clf = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    for _ in range(rounds):
        p = clf.predict_proba(x)[:, 1]
        best: dict[int, int] = {}
        for i, o in enumerate(owner):
            if y[i] and (o not in best or p[i] > p[best[o]]):
                best[o] = i
        keep = np.array([not y[i] or best.get(owner[i]) == i for i in range(len(y))])
        clf = LogisticRegression(C=c, max_iter=3000).fit(x[keep], y[keep])
    return clf, vocab


def bag_scores(clf, vocab, bags) -> list[float]:
    return [float(clf.predict_proba(_matrix(b, vocab, False))[:, 1].max()) if b else 0.0 for b in bags]


def f1(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), (tp / (tp + fp) if tp + fp else 0.0), \
        (tp / (tp + fn) if tp + fn else 0.0)


def _folds(docs: list[str], k: int = 5) -> dict[str, int]:
    return {d: n % k for n, d in enumerate(sorted(set(docs)))}  # the split modality_model.cross_validate uses


def cv_scores(docs, bags, labels, c, rounds) -> list[float]:
    fold = _folds(docs)
    out = [0.0] * len(bags)
    for k in range(5):
        tr = [i for i, d in enumerate(docs) if fold[d] != k]
        te = [i for i, d in enumerate(docs) if fold[d] == k]
        clf, vocab = fit_mil([bags[i] for i in tr], [labels[i] for i in tr], c, rounds)
        for i, s in zip(te, bag_scores(clf, vocab, [bags[i] for i in te])):
            out[i] = s
    return out


def veto_cv(docs, cues, types, labels, c: float = 0.1) -> list[float]:
    """CV probabilities of the shipped veto model (cue x event type), same folds."""
    fold = _folds(docs)
    out = [0.0] * len(docs)
    for k in range(5):
        tr = [i for i, d in enumerate(docs) if fold[d] != k]
        w, b = _fit([features(cues[i], types[i]) for i in tr], [labels[i] for i in tr], c)
        model = ModalityModel(w, b, 0.5)
        for i, d in enumerate(docs):
            if fold[d] == k:
                out[i] = model.probability(cues[i], types[i])
    return out


def best(gold, decide, probs) -> dict:
    """The CV-best threshold of `decide(i, p, t)` and its F1 / P / R."""
    top = max((f1(gold, [decide(i, p, t) for i, p in enumerate(probs)]), round(float(t), 2))
              for t in np.arange(0.05, 0.9, 0.01))
    (f, p, r), t = top
    return {"f1": round(float(f), 3), "p": round(float(p), 3), "r": round(float(r), 3), "threshold": t}


def run(data: Path) -> dict:
    from newsgraph.events.sentivent import gold_triggers, parse, read_sentences
    from newsgraph.nlp import load_pipeline

    sentences = list(read_sentences(data / "train.jsonl"))
    gold = list(gold_triggers(sentences, parse(load_pipeline(events=False), sentences)))
    docs = [s.doc_id for s, _, _ in gold]
    types = [e.type for _, e, _ in gold]
    other = [e.modality == "other" for _, e, _ in gold]
    negative = [e.polarity == "negative" for _, e, _ in gold]
    cues = [M.find_cue(r) for _, _, r in gold]
    out: dict = {"events": len(gold), "other": sum(other), "negative": sum(negative)}

    vp = veto_cv(docs, cues, types, other)
    out["modality_rules"] = dict(zip(("f1", "p", "r"), (round(v, 3) for v in f1(other, [c is not None for c in cues]))))
    out["modality_rules_veto_cv"] = best(other, lambda i, p, t: cues[i] is not None and
                                         (cues[i].kind not in VETOED or p >= t), vp)
    for name, rules, context in (("pure", False, False), ("with_rule_flag", True, False), ("with_context", True, True)):
        bags = [modality_pairs(r, e.type, c.at if c else None, rules, context) for (_, e, r), c in zip(gold, cues)]
        for c, rounds in ((0.03, 2), (0.1, 0), (0.1, 2), (0.3, 2)):
            probs = cv_scores(docs, bags, other, c, rounds)
            key = f"modality_pairs_{name}_C{c}_mil{rounds}"
            out[key + "_alone"] = best(other, lambda i, p, t: p >= t, probs)
            out[key + "_as_veto"] = best(other, lambda i, p, t: cues[i] is not None and
                                         (cues[i].kind not in VETOED or p >= t), probs)
            print(key, out[key + "_alone"], out[key + "_as_veto"], file=sys.stderr, flush=True)

    rule_neg = [M.polarity(r) == "negated" for _, _, r in gold]
    out["negation_rules"] = dict(zip(("f1", "p", "r"), (round(v, 3) for v in f1(negative, rule_neg))))
    bags = [negation_pairs(r, e.type, rn) for (_, e, r), rn in zip(gold, rule_neg)]
    for c in (0.03, 0.1, 0.3, 1.0):
        probs = cv_scores(docs, bags, negative, c, 0)
        out[f"negation_pairs_C{c}_alone"] = best(negative, lambda i, p, t: p >= t, probs)
        out[f"negation_pairs_C{c}_or_rules"] = best(negative, lambda i, p, t: rule_neg[i] or p >= t, probs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/sentivent"))
    print(json.dumps(run(ap.parse_args().data), indent=1))


if __name__ == "__main__":
    main()
