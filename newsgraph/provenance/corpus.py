"""Whole-corpus provenance (`newsgraph batch --provenance join`): articles are stored with their keys only, a join
on the keys finds every sentence's candidates at once, and then each article's matches are found by the very
enricher `ingest` runs (enrich.py), answered from the join instead of one store lookup per sentence.

"Earlier" is the store's article order (lower id), as when `ingest` stores articles one after another: a sentence's
candidates come from articles with lower ids only, ranked and cut as the store's lookups rank and cut them.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ..model import AnnotatedArticle, ArticleDetail, CandidateSentence, ProvenanceData, SeedCandidate
from ..records import ArticleSignature
from ..store.base import Store
from .enrich import PreparedProvenance, prepare, prepare_sentences, provenance_of, sentence_seeds
from .minhash_index import exact_key
from .normalise import normalise


def keys_only(store: Store, article: AnnotatedArticle) -> AnnotatedArticle:
    """The enricher of the first pass: the article's keys and signature, no lookups; the article is stored as
    pending, to be matched in bulk."""
    return pending_keys(store, article, prepare(article))


def pending_keys(store: Store, article: AnnotatedArticle, prepared: PreparedProvenance) -> AnnotatedArticle:
    """`keys_only`'s step under the ingest lock (it needs no store: the split keeps the lock as short as ingest's)."""
    data = ProvenanceData(sentence_keys=[(s.index, k) for s in prepared.sentences for k in s.keys], matches=[],
                          article_keys=prepared.article_keys, signature=prepared.signature.tobytes(), duplicates=[],
                          ngram_keys=[(s.index, k) for s in prepared.sentences for k in s.seeds], pending=True)
    return dataclasses.replace(article, provenance=data)


class JoinedCandidates:
    """The store as the enricher sees it for one article, with each sentence's candidates found by the join.

    `whole` and `seeded` map a sentence id of the article to its candidates in the store's order; a lookup is
    answered by the sentence whose keys it asks for (sentences of one text and one next sentence ask, and get, the
    same)."""

    def __init__(self, store: Store, detail: ArticleDetail, sentence_ids: list[int],
                 whole: dict[int, list[CandidateSentence]], seeded: dict[int, list[SeedCandidate]]):
        self._store, self._article = store, detail.article.id
        self._whole: dict[int, list[CandidateSentence]] = {}
        self._seeded: dict[tuple[int, ...], list[SeedCandidate]] = {}
        for at, (sentence, sid) in enumerate(zip(detail.sentences, sentence_ids, strict=True)):
            self._whole.setdefault(exact_key(normalise(sentence.text)), whole.get(sid, []))
            self._seeded.setdefault(tuple(sentence_seeds(detail.sentences, at)), seeded.get(sid, []))

    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        return self._whole.get(exact, [])[:limit]

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        return self._seeded.get(tuple(keys), [])[:limit]

    def sentences_at(self, article_id: int, indices: list[int]) -> list[SeedCandidate]:
        return self._store.sentences_at(article_id, indices)

    def article_candidates(self, keys: list[int]) -> list[ArticleSignature]:
        # One lookup per article (not per sentence): the earlier articles among those sharing a band key.
        return [c for c in self._store.article_candidates(keys) if c.article_id < self._article]


def match_article(store: Store, detail: ArticleDetail, sentence_ids: list[int],
                  whole: dict[int, list[CandidateSentence]],
                  seeded: dict[int, list[SeedCandidate]]) -> ProvenanceData:
    """The matches and near-duplicates `ingest` would have found for the article (its keys are stored already)."""
    view = JoinedCandidates(store, detail, sentence_ids, whole, seeded)
    prepared = prepare_sentences(detail.sentences, detail.text)
    data = provenance_of(view, detail.sentences, prepared)  # type: ignore[arg-type]
    return dataclasses.replace(data, sentence_keys=[], ngram_keys=[])


def candidates_by_sentence(rows: Iterable[tuple], texts: dict[int, SeedCandidate]
                           ) -> tuple[dict[int, list[CandidateSentence]], dict[int, list[SeedCandidate]]]:
    """Group the join's rows, ("whole", sentence, candidate, hits, rank) and ("seed", sentence, candidate, seeds,
    rank), into each sentence's ranked candidates, with the candidates' texts."""
    whole: dict[int, list[tuple[int, CandidateSentence]]] = {}
    seeded: dict[int, list[tuple[int, SeedCandidate]]] = {}
    for kind, sid, cid, extra, rank in rows:
        c = texts[cid]
        if kind == "whole":
            whole.setdefault(sid, []).append((rank, CandidateSentence(cid, c.article_id, c.text, extra)))
        else:
            seeded.setdefault(sid, []).append((rank, dataclasses.replace(c, seeds=frozenset(extra))))
    return ({s: [c for _, c in sorted(v, key=lambda x: x[0])] for s, v in whole.items()},
            {s: [c for _, c in sorted(v, key=lambda x: x[0])] for s, v in seeded.items()})
