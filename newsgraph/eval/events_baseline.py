"""The TF-IDF + logistic-regression baseline for `newsgraph eval events --baseline`, scored like the real model.

Trained on train.jsonl beside the scored file; thresholds tuned on the scored file, as ours are on dev.
It reads words only (no parse), so it has no arguments figure.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from newsgraph.eval.events import TriggerScore, prf, score_binary, score_sentence_types
from newsgraph.events.sentivent import read_sentences
from newsgraph.events.typology import TYPES


def _best_threshold(probs: np.ndarray, gold: np.ndarray) -> float:
    scores = []
    for th in np.arange(0.05, 0.96, 0.05):
        pred = probs >= th
        scores.append((prf(int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum()))[2], th))
    return float(max(scores)[1])


def _words(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for w in text.split(" "):
        if w:
            out.append((pos, pos + len(w), w.lower()))
        pos += len(w) + 1
    return out


def _word_features(words, i) -> str:
    prev = words[i - 1][2] if i else "<s>"
    nxt = words[i + 1][2] if i + 1 < len(words) else "</s>"
    return f"w_{words[i][2]} p_{prev} n_{nxt}"


def evaluate_baseline(data: str) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train = list(read_sentences(Path(data).with_name("train.jsonl")))
    test = list(read_sentences(data))
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    xtr, xte = vec.fit_transform([s.text for s in train]), vec.transform([s.text for s in test])
    pred_types: list[list[str]] = [[] for _ in test]
    for t in TYPES:
        y = np.array([t in s.types for s in train])
        clf = LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced").fit(xtr, y)
        probs = clf.predict_proba(xte)[:, 1]
        th = _best_threshold(probs, np.array([t in s.types for s in test]))
        for i in np.flatnonzero(probs >= th):
            pred_types[i].append(t)
    out = {"sentence_type": score_sentence_types([s.types for s in test], pred_types)}

    # Triggers: each word typed by a TF-IDF LR over the word and its neighbours.
    def rows(sentences):
        feats, labels = [], []
        for s in sentences:
            words = _words(s.text)
            for i, (a, b, _) in enumerate(words):
                label = next((e.type for e in s.events if a < e.end and e.start < b), "O")
                feats.append(_word_features(words, i))
                labels.append(label)
        return feats, labels

    ftr, ltr = rows(train)
    tvec = TfidfVectorizer(token_pattern=r"\S+", min_df=2)
    tclf = LogisticRegression(C=10.0, max_iter=1000).fit(tvec.fit_transform(ftr), ltr)
    score = TriggerScore()
    for s in test:
        words = _words(s.text)
        labels = tclf.predict(tvec.transform([_word_features(words, i) for i in range(len(words))])) if words else []
        pred = [(a, b, lab) for (a, b, _), lab in zip(words, labels) if lab != "O"]
        score.add([(e.start, e.end, e.type) for e in s.events], pred, [[] for _ in s.events], [[] for _ in pred])
    r = score.result()
    out["trigger"] = {"identification_f1": r["identification_f1"], "classification_f1": r["classification_f1"]}
    out["arguments"] = {"f1": None}

    # Modality and polarity of gold events: TF-IDF of the sentence plus the trigger words.
    def event_rows(sentences):
        return [(f"{s.text} TRIGGER_{s.text[e.start:e.end].lower().replace(' ', '_')}", e)
                for s in sentences for e in s.events]

    etr, ete = event_rows(train), event_rows(test)
    evec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    xetr, xete = evec.fit_transform([t for t, _ in etr]), evec.transform([t for t, _ in ete])
    for attr, positive, prefix in (("modality", "other", "other"), ("polarity", "negative", "negative")):
        y = np.array([getattr(e, attr) == positive for _, e in etr])
        clf = LogisticRegression(C=10.0, max_iter=1000, class_weight="balanced").fit(xetr, y)
        probs = clf.predict_proba(xete)[:, 1]
        gold = np.array([getattr(e, attr) == positive for _, e in ete])
        th = _best_threshold(probs, gold)
        pred = [positive if p >= th else "x" for p in probs]
        out[attr] = score_binary([getattr(e, attr) for _, e in ete], pred, positive, prefix)
    return out
