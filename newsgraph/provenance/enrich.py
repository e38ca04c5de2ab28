"""The ingest enricher: finds each new sentence's matches in the store and the article's near-duplicates.

Split in two so concurrent ingesters hold the store's ingest lock only for the lookups: `prepare` computes what the
article alone determines (normalised sentences, MinHash band keys, word n-gram seeds, the article's signature) and
runs before the lock; `decide` does the store lookups and alignment under it. `enrich` is the two in a row.
"""
from __future__ import annotations

import dataclasses

from ..model import (
    AnnotatedArticle,
    CandidateSentence,
    ProvenanceData,
    SeedCandidate,
    SentenceMatch,
    SentenceSpan,
)
from ..store.base import Store
from .classify import classify
from .lifts import CONTAINED_IS_PARTIAL, MAX_POSTINGS, SEED_CANDIDATES, corroborate, find_partials
from .minhash_index import (
    ARTICLE_BANDS,
    ARTICLE_PERM,
    ARTICLE_ROWS,
    DUPLICATE_JACCARD,
    band_keys,
    jaccard,
    sentence_keys,
    signature,
)
from .ngrams import seed_keys, tokens
from .normalise import normalise
from .shingles import article_shingles, shingles_of

CANDIDATES_PER_SENTENCE = 100  # the best-sharing candidates aligned per sentence; bounds the cost of boilerplate


@dataclasses.dataclass(frozen=True)
class PreparedSentence:
    index: int
    text: str
    seeds: list[int]  # word n-gram seed keys
    keys: list[int]  # exact and LSH band keys; empty when too short or generic to say it was copied whole


@dataclasses.dataclass(frozen=True)
class PreparedProvenance:
    """Everything of the article's provenance data that needs no store."""

    sentences: list[PreparedSentence]
    signature: object  # the article's MinHash hash values (numpy array)
    article_keys: list[int]


def prepare(article: AnnotatedArticle) -> PreparedProvenance:
    """The store-free part of an article's provenance, computed before the ingest lock."""
    return prepare_sentences(article.sentences, article.doc.text)


def prepare_sentences(sentences: list[SentenceSpan], text: str) -> PreparedProvenance:
    """Keys and seeds of each sentence, and the article's signature and band keys."""
    prepared = []
    normalised = [normalise(s.text) for s in sentences]
    shingles = [shingles_of(n) for n in normalised]
    for at, sentence in enumerate(sentences):
        keys = sentence_keys(normalised[at], shingles[at]) if shingles[at] else []
        seeds = sentence_seeds(sentences, at)
        if seeds:
            tokens(sentence.text)  # warms the alignment's token cache (lru) for `decide`, outside the lock
        prepared.append(PreparedSentence(sentence.index, sentence.text, seeds, keys))
    sig = signature(article_shingles(text), ARTICLE_PERM)
    return PreparedProvenance(prepared, sig, band_keys(sig, ARTICLE_BANDS, ARTICLE_ROWS))


def sentence_seeds(sentences: list[SentenceSpan], at: int) -> list[int]:
    """The seed keys of the article's sentence `at`: its own n-grams and those across the join with the next one."""
    following = sentences[at + 1] if at + 1 < len(sentences) else None
    adjacent = following is not None and following.index == sentences[at].index + 1
    return seed_keys(sentences[at].text, following.text if adjacent else None)


def decide(store: Store, article: AnnotatedArticle, prepared: PreparedProvenance) -> AnnotatedArticle:
    """Attach `ProvenanceData` to the article from the store's candidates; `store.add_article` writes it in the
    article's transaction."""
    return dataclasses.replace(article, provenance=provenance_of(Prefetched(store, prepared), article.sentences,
                                                                 prepared))


class Prefetched:
    """The store as `provenance_of` sees it for one article: every sentence's candidates looked up at once (a few
    statements on a database server, not two per sentence, each a round trip); any other call goes to the store."""

    def __init__(self, store: Store, prepared: PreparedProvenance):
        self._store = store
        whole = [(s.keys, s.keys[0]) for s in prepared.sentences if s.keys]
        seeded = [s.seeds for s in prepared.sentences if s.seeds]
        found = store.sentence_candidates_many(whole, CANDIDATES_PER_SENTENCE) if whole else []
        self._whole = {(tuple(keys), exact): c for (keys, exact), c in zip(whole, found, strict=True)}
        found = store.seed_candidates_many(seeded, MAX_POSTINGS, SEED_CANDIDATES) if seeded else []
        self._seeded = {tuple(keys): c for keys, c in zip(seeded, found, strict=True)}

    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        found = self._whole.get((tuple(keys), exact)) if limit == CANDIDATES_PER_SENTENCE else None
        return self._store.sentence_candidates(keys, exact, limit) if found is None else found

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        found = self._seeded.get(tuple(keys)) if (max_postings, limit) == (MAX_POSTINGS, SEED_CANDIDATES) else None
        return self._store.seed_candidates(keys, max_postings, limit) if found is None else found

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def enrich(store: Store, article: AnnotatedArticle) -> AnnotatedArticle:
    """`prepare` and `decide` in a row: the whole enricher, for callers that do not split it."""
    return decide(store, article, prepare(article))


def provenance_of(store: Store, sentences: list[SentenceSpan], prepared: PreparedProvenance) -> ProvenanceData:
    """An article's keys, its sentences' matches against the store's and its near-duplicates there (the store may be
    a view answering from a corpus join's rows: `corpus.py`)."""
    keys: list[tuple[int, int]] = []
    ngram_keys: list[tuple[int, int]] = []
    matches: list[SentenceMatch] = []
    weak: list[SentenceMatch] = []  # partial matches of common words, kept only when corroborated
    for sentence in prepared.sentences:
        ngram_keys += [(sentence.index, k) for k in sentence.seeds]
        whole: dict[int, str] = {}  # candidate sentence id -> whole-sentence kind
        if sentence.keys:
            own = sentence.keys
            keys += [(sentence.index, k) for k in own]
            for cand in store.sentence_candidates(own, own[0], limit=CANDIDATES_PER_SENTENCE):
                found = classify(sentence.text, cand.text)
                if found is not None:
                    whole[cand.sentence_id] = found[0]
                    matches.append(SentenceMatch(sentence.index, cand.sentence_id, cand.article_id, *found))
        if sentence.seeds:
            partials = find_partials(store, sentence.index, sentence.text, sentence.seeds, whole, sentences)
            replaced = {m.other_sentence_id for m, _ in partials
                        if whole.get(m.other_sentence_id) in CONTAINED_IS_PARTIAL}
            matches = [m for m in matches if not (m.sentence == sentence.index and m.other_sentence_id in replaced)]
            matches += [m for m, strong in partials if strong]
            weak += [m for m, strong in partials if not strong]
    matches += corroborate(matches, weak)
    sig = prepared.signature
    duplicates = [(other, round(j, 4)) for other, other_sig in store.article_candidates(prepared.article_keys)
                  if (j := jaccard(sig, other_sig)) >= DUPLICATE_JACCARD]
    return ProvenanceData(sentence_keys=keys, matches=matches, article_keys=prepared.article_keys,
                          signature=sig.tobytes(), duplicates=duplicates, ngram_keys=ngram_keys)
