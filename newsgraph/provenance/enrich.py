"""The ingest enricher: finds each new sentence's matches in the store and the article's near-duplicates."""
from __future__ import annotations

import dataclasses

from ..model import AnnotatedArticle, ProvenanceData, SentenceMatch, SentenceSpan
from ..store.base import Store
from .classify import classify
from .lifts import CONTAINED_IS_PARTIAL, corroborate, find_partials
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
from .ngrams import seed_keys
from .normalise import normalise
from .shingles import article_shingles, sentence_shingles

CANDIDATES_PER_SENTENCE = 100  # the best-sharing candidates aligned per sentence; bounds the cost of boilerplate


def enrich(store: Store, article: AnnotatedArticle) -> AnnotatedArticle:
    """Attach `ProvenanceData` to the article; `store.add_article` writes it in the article's transaction."""
    return dataclasses.replace(article, provenance=provenance_of(store, article.sentences, article.doc.text))


def provenance_of(store: Store, sentences: list[SentenceSpan], text: str) -> ProvenanceData:
    """An article's keys, its sentences' matches against the store's and its near-duplicates there."""
    keys: list[tuple[int, int]] = []
    ngram_keys: list[tuple[int, int]] = []
    matches: list[SentenceMatch] = []
    weak: list[SentenceMatch] = []  # partial matches of common words, kept only when corroborated
    for sentence in sentences:
        seeds = seed_keys(sentence.text)
        ngram_keys += [(sentence.index, k) for k in seeds]
        shingles = sentence_shingles(sentence.text)
        whole: dict[int, str] = {}  # candidate sentence id -> whole-sentence kind
        if shingles:  # else too short or generic to say it was copied whole
            norm = normalise(sentence.text)
            own = sentence_keys(norm, shingles)
            keys += [(sentence.index, k) for k in own]
            for cand in store.sentence_candidates(own, own[0], limit=CANDIDATES_PER_SENTENCE):
                found = classify(sentence.text, cand.text)
                if found is not None:
                    whole[cand.sentence_id] = found[0]
                    matches.append(SentenceMatch(sentence.index, cand.sentence_id, cand.article_id, *found))
        if seeds:
            partials = find_partials(store, sentence.index, sentence.text, seeds, whole, sentences)
            replaced = {m.other_sentence_id for m, _ in partials
                        if whole.get(m.other_sentence_id) in CONTAINED_IS_PARTIAL}
            matches = [m for m in matches if not (m.sentence == sentence.index and m.other_sentence_id in replaced)]
            matches += [m for m, strong in partials if strong]
            weak += [m for m, strong in partials if not strong]
    matches += corroborate(matches, weak)
    sig = signature(article_shingles(text), ARTICLE_PERM)
    article_keys = band_keys(sig, ARTICLE_BANDS, ARTICLE_ROWS)
    duplicates = [(other, round(j, 4)) for other, other_sig in store.article_candidates(article_keys)
                  if (j := jaccard(sig, other_sig)) >= DUPLICATE_JACCARD]
    return ProvenanceData(sentence_keys=keys, matches=matches, article_keys=article_keys,
                          signature=sig.tobytes(), duplicates=duplicates, ngram_keys=ngram_keys)
