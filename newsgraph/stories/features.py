"""Story features of an article: TF-IDF terms over an incrementally kept vocabulary, key entities, time expressions."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..model import AnnotatedArticle
from .labels import reported_types

if TYPE_CHECKING:
    from .prior import TermPrior

# Labels that say who/what/where a story is about; DATE, MONEY etc. are not story identity.
STORY_LABELS = frozenset({"ORG", "PRODUCT", "PERSON", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW"})
TOKEN = re.compile(r"[a-z][a-z'\-]+[a-z]|[a-z]{2,}")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?!\d|[.,]\d)")  # counts, ages, scores; not ids
MONTH_NUMBER = {m[:3]: i for i, m in enumerate(MONTHS, 1)}
LEAD_SENTENCES = 3
URL_LINE = re.compile(r"^[ \t]*(?:https?[ \t]*:[ \t]*/[ \t]*/|www[ \t]*\.)[^\n]*", re.IGNORECASE | re.MULTILINE)
MONTH = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s+(\d{1,2})?", re.IGNORECASE)
_MONTH_NAME = r"\b(" + "|".join(sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept"}, key=len, reverse=True)) + r")\b\.?"
MONTH_DAY = re.compile(_MONTH_NAME + r"\s+(\d{1,2})(?!\d)", re.IGNORECASE)  # "Nov. 27", "AUGUST 2 , 2013"
DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_NAME + r"(?![a-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import (
        STOP_WORDS,  # lazy: no spaCy import when a Graph is built
    )

    return frozenset(STOP_WORDS) | {"said", "says", "according", "told", "reported", "year", "new", "http", "www",
                                    "com", "html", "htm", "news"}


def tokens(text: str) -> list[str]:
    stop = stop_words()
    return [t for t in TOKEN.findall(text.lower()) if t not in stop]


@dataclass
class Vocabulary:
    """Document frequencies, updated one article at a time; idf is smoothed so unseen terms stay finite."""

    df: dict[str, int] = field(default_factory=dict)
    docs: int = 0
    prior: TermPrior | None = None  # background counts added to idf's (stories/prior.py); never stored

    def idf(self, term: str) -> float:
        docs, df = self.docs, self.df.get(term, 0)
        if self.prior is not None:
            docs, df = docs + self.prior.docs, df + self.prior.df.get(term, 0)
        return math.log((1 + docs) / (1 + df)) + 1.0

    def idfs(self, terms) -> list[float]:
        """`idf` of each term (the same values), for the hot loops that ask for thousands at once."""
        df, docs, log = self.df.get, self.docs, math.log
        if self.prior is None:
            return [log((1 + docs) / (1 + df(t, 0))) + 1.0 for t in terms]
        pdf, docs = self.prior.df.get, docs + self.prior.docs
        return [log((1 + docs) / (1 + df(t, 0) + pdf(t, 0))) + 1.0 for t in terms]

    def add(self, terms) -> None:
        for t in terms:
            self.df[t] = self.df.get(t, 0) + 1
        self.docs += 1


@dataclass(frozen=True)
class ArticleFeatures:
    tf: dict[str, float]  # sublinear term frequencies (before idf)
    entities: dict[tuple[str, str], str]  # (label, key) -> display name
    times: frozenset[str]  # years ("2013") and month-years ("2013-08") the text speaks of
    date: str | None
    sentence_terms: list[set[str]]  # terms per sentence, to pick the key sentence
    embedding: np.ndarray | None = None  # unit wordllama vector of the title and lead (what happened, to whom)
    events: frozenset[str] = frozenset()  # event types the article reports with confidence (labels.py)
    # mentions of the entities named more than once (the rest once): how much the article is about each, which ranks
    # a story's key entities for its label; only the repeated ones, as most are named once (memory, at scale)
    repeated: dict[tuple[str, str], int] = field(default_factory=dict)


def time_expressions(text: str, date_mentions: list[str]) -> frozenset[str]:
    """Years found anywhere in the text, plus month-years ("2013-08") from DATE mentions that name both and
    calendar days ("--08-27", ISO 8601 without a year) from DATE mentions that name a month and a day."""
    found = set(YEAR.findall(text))
    for m in date_mentions:
        years = YEAR.findall(m)
        month = MONTH.search(m)
        if years and month:
            found.add(f"{years[0]}-{MONTH_NUMBER[month.group(1).lower()]:02d}")
        days = [(md.group(1), md.group(2)) for md in MONTH_DAY.finditer(m)]
        days += [(dm.group(2), dm.group(1)) for dm in DAY_MONTH.finditer(m)]
        found.update(f"--{MONTH_NUMBER[mon[:3].lower()]:02d}-{int(day):02d}" for mon, day in days if 1 <= int(day) <= 31)
    return frozenset(found)


def lead_text(article: AnnotatedArticle, sentences: int = LEAD_SENTENCES) -> str:
    """Title and first sentences: where a news article says which event it reports; the body drifts to background.

    Lines that are a bare URL are skipped: their "http : / / www" tokens say which site or crawl an article came
    from, not what happened (on ECB+ they alone tell its two halves apart, which would be a corpus artefact)."""
    urls = [m.span() for m in URL_LINE.finditer(article.doc.text)]
    prose = [s.text for s in article.sentences if not any(a <= s.start < b for a, b in urls)]
    lead = prose[:sentences] or [article.doc.text[:1000]]
    return "\n".join([article.doc.title, *lead] if article.doc.title else lead)


def year_agreement(times, other_times) -> float:
    """+1 when two sets of time expressions share a year, -1 when both name years and none is shared, else 0."""
    years = {t for t in times if len(t) == 4}
    other_years = {t for t in other_times if len(t) == 4}
    if not years or not other_years:
        return 0.0
    return 1.0 if years & other_years else -1.0


def date_agreement(times, other_times) -> float:
    """1 when two sets of time expressions name the same calendar day ("--11-27"), else 0: a shared date is evidence
    of one event; different dates are not evidence against (articles cite background dates)."""
    return 1.0 if any(t.startswith("--") and t in other_times for t in times) else 0.0


def agreement_matrices(times_list) -> tuple[np.ndarray, np.ndarray]:
    """`year_agreement` and `date_agreement` of every pair of time-expression sets, as two matrices (for repair)."""
    def shared(keep) -> tuple[np.ndarray, np.ndarray]:
        sets = [{t for t in times if keep(t)} for times in times_list]
        col = {t: i for i, t in enumerate(sorted(set().union(*sets)))}
        m = np.zeros((len(sets), len(col)))
        for row, found in enumerate(sets):
            m[row, [col[t] for t in found]] = 1.0
        has = m.any(axis=1)
        return (m @ m.T) > 0, has[:, None] & has[None, :]

    year_shared, both = shared(lambda t: len(t) == 4)
    day_shared, _ = shared(lambda t: t.startswith("--"))
    return np.where(year_shared, 1.0, np.where(both, -1.0, 0.0)), day_shared.astype(float)


def term_counts(text: str, numbers: bool = True) -> Counter:
    """The story terms of a text and their counts: words, and with `numbers` its small numbers as "#23"."""
    counts = Counter(tokens(text))
    if numbers:
        counts.update("#" + n for n in NUMBER.findall(text))
    return counts


@dataclass(frozen=True)
class TextFeatures:
    """The features an article's text alone determines (no entity resolution, no store): computed before the
    store's ingest lock, and the costliest part (the embedding, the tokenising)."""

    tf: dict[str, float]
    sentence_terms: list[set[str]]
    embedding: np.ndarray | None


def text_features(article: AnnotatedArticle, numbers: bool = True, embedding: bool = True) -> TextFeatures:
    doc = article.doc
    text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
    tf = {t: 1.0 + math.log(n) for t, n in term_counts(text, numbers).items()}
    sentence_terms = [set(tokens(s.text)) for s in article.sentences]
    vector = None
    if embedding:
        from ..nlp.embeddings import embed  # lazy: newsgraph.nlp pulls in spaCy

        vector = embed([lead_text(article)])[0]
    return TextFeatures(tf=tf, sentence_terms=sentence_terms, embedding=vector)


def article_features(article: AnnotatedArticle, numbers: bool = True, embedding: bool = True,
                     text: TextFeatures | None = None) -> ArticleFeatures:
    """`numbers` adds the text's small numbers as terms ("#23"): 23 pirates and 26 pirates are two stories.
    `embedding` adds the lead's sentence embedding (a few ms; off for callers that never compare articles).
    `text`: `text_features` of the article with the same options, computed earlier (the rest reads its mentions,
    which entity resolution may have re-keyed meanwhile)."""
    doc = article.doc
    text = text or text_features(article, numbers, embedding)
    story_mentions = [m for m in article.mentions if m.label in STORY_LABELS and m.key]
    entities = {(m.label, m.key): m.name for m in story_mentions}
    times = time_expressions(doc.text, [m.text for m in article.mentions if m.label == "DATE"])
    return ArticleFeatures(tf=text.tf, entities=entities, times=times, date=(doc.date or None) and doc.date[:10],
                           sentence_terms=text.sentence_terms, embedding=text.embedding,
                           events=reported_types(article.events),
                           repeated={k: n for k, n in Counter((m.label, m.key) for m in story_mentions).items() if n > 1})


def tfidf(tf: dict[str, float], vocab: Vocabulary) -> dict[str, float]:
    """Unit-length TF-IDF vector."""
    vec = {t: w * vocab.idf(t) for t, w in tf.items()}
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {t: w / norm for t, w in vec.items()}


def cosine(a: dict, b: dict) -> float:
    if len(a) > len(b):
        a, b = b, a
    # fsum: exactly rounded, so the result does not depend on the dicts' order (a story read back from the store)
    dot = math.fsum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(math.fsum(w * w for w in a.values()))
    nb = math.sqrt(math.fsum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def key_sentence(features: ArticleFeatures, centroid: dict[str, float]) -> int | None:
    """The sentence (among the first ten) that best covers the story's centroid terms."""
    best, best_score = None, 0.0
    for i, terms in enumerate(features.sentence_terms[:10]):
        score = sum(centroid.get(t, 0.0) for t in terms) / math.sqrt(len(terms) + 1)
        if score > best_score:
            best, best_score = i, score
    return best if best is not None else (0 if features.sentence_terms else None)
