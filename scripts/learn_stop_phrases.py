"""Learns the provenance stop phrases: word n-grams that many unrelated news articles share (stock phrases).

    python scripts/learn_stop_phrases.py --data ../shared/data/wikinews/articles.jsonl --min-articles 8

Writes newsgraph/provenance/stop_phrases.txt, which ngrams.py reads; such an n-gram never seeds a partial match.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.provenance.ngrams import SEED_N, tokens  # noqa: E402
from newsgraph.provenance.shingles import STOPWORDS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl")
    parser.add_argument("--min-articles", type=int, default=8, help="articles an n-gram must occur in")
    parser.add_argument("--out", type=Path, default=ROOT / "newsgraph" / "provenance" / "stop_phrases.txt")
    args = parser.parse_args()
    df: Counter[tuple[str, ...]] = Counter()
    n_articles = 0
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            words = tokens(f"{a['title']}\n{a['text']}").words
            grams = {words[i:i + SEED_N] for i in range(len(words) - SEED_N + 1)}
            df.update(g for g in grams if not all(w in STOPWORDS or len(w) < 2 for w in g))
            n_articles += 1
    kept = sorted(" ".join(g) for g, n in df.items() if n >= args.min_articles)
    header = (f"# Stock phrases: word {SEED_N}-grams found in >= {args.min_articles} of {n_articles} articles of"
              f" {args.data.name}; written by scripts/learn_stop_phrases.py.\n")
    args.out.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} stop phrases -> {args.out}")


if __name__ == "__main__":
    main()
