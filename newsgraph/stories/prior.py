"""Document-frequency priors for story terms and entities, counted on English Wikinews, so a new store's idf is not cold.

A store that has seen few articles weighs every term as rare; a prior of general-news document frequencies gives
common words (and common entities: "United States", "Reuters") their low weight from the first article. The priors
only add to idf and are never written to a store. Rebuild them with
`python -m newsgraph.stories.prior ../shared/data/wikinews/articles.jsonl [--entities]` (entities run the
newsgraph spaCy pipeline over the articles: minutes, not seconds).
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
from typing import TYPE_CHECKING

from ..errors import ConfigError
from .features import STORY_LABELS, term_counts

if TYPE_CHECKING:
    from ..model import AnnotatedArticle

PRIOR_FILE = Path(__file__).with_name("data") / "wikinews-df.json.gz"
ENTITY_PRIOR_FILE = Path(__file__).with_name("data") / "wikinews-entity-df.json.gz"
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


def count_entity_prior(articles: Iterable[AnnotatedArticle], min_df: int = 2) -> TermPrior:
    """Document frequencies of the story entities ("PERSON:barack obama", as the story index names them)."""
    df: Counter = Counter()
    docs = 0
    for a in articles:
        df.update({f"{m.label}:{m.key}" for m in a.mentions if m.label in STORY_LABELS and m.key})
        docs += 1
    return TermPrior(docs=docs, df={t: n for t, n in sorted(df.items()) if n >= min_df})


def write_prior(prior: TermPrior, path: Path = PRIOR_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"licence": LICENCE, "docs": prior.docs, "df": prior.df}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))


def _read_prior(path: Path, what: str) -> TermPrior:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        return TermPrior(docs=int(data["docs"]), df=data["df"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the story {what} prior {path} is missing or unreadable: {exc}") from exc


@lru_cache(maxsize=1)
def term_prior(path: Path = PRIOR_FILE) -> TermPrior:
    return _read_prior(path, "term")


@lru_cache(maxsize=1)
def entity_prior(path: Path = ENTITY_PRIOR_FILE) -> TermPrior:
    return _read_prior(path, "entity")


def _records_text(path: str) -> Iterable[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield f"{r['title']}\n{r['text']}" if r.get("title") else r["text"]


def _annotated(path: str) -> Iterable[AnnotatedArticle]:
    from ..eval.stories import (  # lazy: the pipeline is only needed for entities
        annotate_records,
        read_jsonl,
    )
    from ..nlp import load_pipeline

    return annotate_records(read_jsonl(path), load_pipeline())


if __name__ == "__main__":
    if "--entities" in sys.argv[2:]:
        prior, out = count_entity_prior(_annotated(sys.argv[1])), ENTITY_PRIOR_FILE
    else:
        prior, out = count_prior(_records_text(sys.argv[1])), PRIOR_FILE
    write_prior(prior, out)
    print(f"{out}: {prior.docs} documents, {len(prior.df)} terms")
