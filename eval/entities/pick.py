"""Picks the candidate names of the hand-checked entity set from a baseline store (the four pools of RUBRIC.md).

Usage: python eval/entities/pick.py BASELINE.db > picked.txt   (read-only, deterministic)
"""
from __future__ import annotations

import json
import sqlite3
import sys
from importlib import resources

from candidates import label_counts  # this folder: run as a script
TOP = {"ORG": 14, "PERSON": 12, "GPE": 10, "PRODUCT": 14, "LOC": 5, "NORP": 5, "FAC": 3}
ISSUE_NAMES = ("Blu-Ray", "Blu-ray", "Mac", "Linux", "iTunes", "Windows", "Dell", "Southwest", "Delta", "Trump")
SPLIT, TECH = 65, 35  # pool sizes: about 150 names in all
AIRLINE_WORDS = ("Airlines", "Air Lines", "Airways", "Southwest", "Delta", "Qantas", "Ryanair", "easyJet", "Jet")


def pick(path: str) -> list[tuple[str, str, int, dict]]:
    by_text = label_counts(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    total = {t: sum(c.values()) for t, c in by_text.items()}
    ranked = sorted(by_text, key=lambda t: (-total[t], t))
    picked: dict[str, str] = {}
    for label, n in TOP.items():  # pool 1: most mentioned per majority label
        for t in [t for t in ranked if by_text[t].most_common(1)[0][0] == label][:n]:
            picked.setdefault(t, "top-" + label)
    split = [t for t in ranked if total[t] >= 8 and len(by_text[t]) > 1
             and 1 - by_text[t].most_common(1)[0][1] / total[t] >= 0.10]
    for t in split[:SPLIT]:  # pool 2: split across labels, the minority at least 10%
        picked.setdefault(t, "split")
    gaz = json.loads(resources.files("newsgraph.nlp").joinpath("gazetteer.json").read_text())
    tech = {c["name"] for c in gaz["companies"]} | {p["name"] for p in gaz["products"]} | set(gaz["whole_products"])
    techs = [t for t in ranked if total[t] >= 5 and t in tech and t not in picked]
    airlines = [t for t in ranked if total[t] >= 5 and any(w in t for w in AIRLINE_WORDS)]
    for t in techs[:TECH] + airlines:  # pool 3: gazetteer tech names, and every airline
        picked.setdefault(t, "tech-airline")
    for t in ISSUE_NAMES:  # pool 5: the names the issue quotes
        if total.get(t, 0) >= 5:
            picked.setdefault(t, "issue")
    fulls = {t.split()[-1] for t in ranked if len(t.split()) > 1 and by_text[t].most_common(1)[0][0] == "PERSON"}
    singles = [t for t in ranked if " " not in t and t in fulls and by_text[t].most_common(1)[0][0] == "PERSON"]
    for t in singles[:15]:  # pool 4: surnames alone
        picked.setdefault(t, "surname")
    return [(t, pool, total[t], dict(by_text[t].most_common())) for t, pool in picked.items()]


if __name__ == "__main__":
    for t, pool, n, labels in pick(sys.argv[1]):
        print(f"{t}\t{pool}\t{n}\t{json.dumps(labels)}")
