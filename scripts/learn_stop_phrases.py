"""Learns the provenance stop phrases: word n-grams that many unrelated news articles share (stock phrases).

    python scripts/learn_stop_phrases.py     # the 3,000 Wikinews articles (CC BY 2.5)

Writes newsgraph/provenance/stop_phrases.txt, which ngrams.py reads; such an n-gram never seeds a partial match.
Also writes newsgraph/provenance/word_df.txt: lower-case words found in >= --min-word-df articles with their
article counts, from which partial.py weighs how informative a lifted passage is (stock phrases are not).

Both files ship in the package, so they are learned from Wikinews alone: SENTiVENT and ECB+ are research
corpora whose licences do not let derived lists ship (NOTICE credits Wikinews).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsgraph.provenance.ngrams import SEED_N, function_words_only, tokens, word_grams  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = ROOT.parent / "shared" / "data"
    parser.add_argument("--data", type=Path, nargs="+", default=[data / "wikinews" / "articles.jsonl"])
    parser.add_argument("--min-articles", type=int, default=5, help="articles an n-gram must occur in")
    parser.add_argument("--out", type=Path, default=ROOT / "newsgraph" / "provenance" / "stop_phrases.txt")
    parser.add_argument("--min-word-df", type=int, default=5)
    parser.add_argument("--words-out", type=Path, default=ROOT / "newsgraph" / "provenance" / "word_df.txt")
    args = parser.parse_args()
    df: Counter[tuple[str, ...]] = Counter()
    word_df: Counter[str] = Counter()
    n_articles = 0
    for line in (line for path in args.data for line in open(path, encoding="utf-8")):
        a = json.loads(line)
        words = tokens(f"{a.get('title') or ''}\n{a['text']}").words
        df.update(g for g in set(word_grams(words)) if not function_words_only(g))
        word_df.update(set(words))
        n_articles += 1
    kept = sorted(" ".join(g) for g, n in df.items() if n >= args.min_articles)
    header = (f"# Stock phrases: word {SEED_N}-grams found in >= {args.min_articles} of {n_articles} articles of"
              f" {', '.join(p.name for p in args.data)}; written by scripts/learn_stop_phrases.py.\n")
    args.out.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} stop phrases -> {args.out}")
    common = sorted((w, n) for w, n in word_df.items() if n >= args.min_word_df)
    args.words_out.write_text(f"# articles={n_articles}; words in >= {args.min_word_df} of them"
                              " (scripts/learn_stop_phrases.py)\n" + "".join(f"{w} {n}\n" for w, n in common),
                              encoding="utf-8")
    print(f"{len(common)} words -> {args.words_out}")


if __name__ == "__main__":
    main()
