"""A document-frequency prior for story terms, counted on English Wikinews, so a new store's idf is not cold.

A store that has seen few articles weighs every term as rare; a prior of general-news document frequencies gives
common words their low weight from the first article. The prior only adds to idf and is never written to a store.
Rebuild it with `python -m newsgraph.stories.prior ../shared/data/wikinews/articles.jsonl`.
"""
from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from .features import term_counts

PRIOR_FILE = Path(__file__).with_name("data") / "wikinews-df.json.gz"
LICENCE = ("Document frequencies counted on English Wikinews (https://en.wikinews.org), © Wikinews contributors, "
           "CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/)")


@dataclass(frozen=True)
class TermPrior:
    docs: int
    df: dict[str, int]


def count_prior(texts: Iterable[str], min_df: int = 2) -> TermPrior:
    """Document frequencies of story terms over `texts`; terms in fewer than `min_df` texts are left out (size)."""
    df: Counter = Counter()
    docs = 0
    for text in texts:
        df.update(term_counts(text).keys())
        docs += 1
    return TermPrior(docs=docs, df={t: n for t, n in sorted(df.items()) if n >= min_df})


def write_prior(prior: TermPrior, path: Path = PRIOR_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"licence": LICENCE, "docs": prior.docs, "df": prior.df}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def term_prior(path: Path = PRIOR_FILE) -> TermPrior:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the story term prior {path} is missing or unreadable: {exc}") from exc
    return TermPrior(docs=int(data["docs"]), df=data["df"])


def _records_text(path: str) -> Iterable[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield f"{r['title']}\n{r['text']}" if r.get("title") else r["text"]


if __name__ == "__main__":
    prior = count_prior(_records_text(sys.argv[1]))
    write_prior(prior)
    print(f"{PRIOR_FILE}: {prior.docs} documents, {len(prior.df)} terms")
