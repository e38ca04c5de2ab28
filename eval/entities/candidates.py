"""Lists candidate names for the hand-checked entity set from a baseline store, with label counts and contexts.

Usage: python eval/entities/candidates.py BASELINE.db [--contexts N]  (read-only; prints TSV-ish text)
"""
from __future__ import annotations

import random
import sqlite3
import sys
from collections import Counter, defaultdict

VALUES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"}


def label_counts(con: sqlite3.Connection) -> dict[str, Counter]:
    """Mention text -> its mentions per entity label, values (dates, sums) left out."""
    by_text: dict[str, Counter] = defaultdict(Counter)
    for text, label, n in con.execute("SELECT m.text, e.label, COUNT(*) FROM mentions m JOIN entities e"
                                      " ON e.id = m.entity_id GROUP BY m.text, e.label"):
        if label not in VALUES:
            by_text[text][label] += n
    return by_text


def main(path: str, contexts: int = 0, names: list[str] | None = None) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    by_text = label_counts(con)
    rng = random.Random(7)
    chosen = names or [t for t, c in sorted(by_text.items(), key=lambda kv: -sum(kv[1].values()))
                       if sum(c.values()) >= 8]
    for text in chosen:
        c = by_text.get(text, Counter())
        print(f"{text}\t{sum(c.values())}\t{dict(c.most_common())}")
        if contexts:
            rows = con.execute("SELECT s.text, m.start - s.start, m.\"end\" - s.start FROM mentions m JOIN sentences s"
                               " ON s.id = m.sentence_id WHERE m.text = ?", (text,)).fetchall()
            for sent, a, b in rng.sample(rows, min(contexts, len(rows))):
                print("    ", sent[max(0, a - 70):a].replace("\n", " "), "[[", sent[a:b], "]]",
                      sent[b:b + 50].replace("\n", " "))


if __name__ == "__main__":
    args = sys.argv[1:]
    n = int(args[args.index("--contexts") + 1]) if "--contexts" in args else 0
    picked = args[args.index("--names") + 1].split("|") if "--names" in args else None
    main(args[0], n, picked)
