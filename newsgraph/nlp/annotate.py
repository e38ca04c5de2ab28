"""Turns a processed spaCy Doc into an AnnotatedArticle: trimmed sentences and canonical entity mentions."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from newsgraph.events.link import article_events
from newsgraph.model import ENTITY_LABELS as MENTION_LABELS
from newsgraph.model import AnnotatedArticle, ExtractedDoc, MentionSpan, SentenceSpan
from newsgraph.nlp.canonical import fold
from newsgraph.nlp.resolve import cluster_key, curated, link_acronyms, prior_type

NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})  # not surnames
# Labels of a lone word tied to the article's full name. Only PERSON: tying ORG, PRODUCT or NORP words too
# ("Scaramucci" tagged PRODUCT) lowered the ECB+ story slice B3 F1 0.937 -> 0.900; places are often real places.
FOLLOWER_LABELS = frozenset({"PERSON"})


def _sentences(doc: Doc, text: str) -> list[SentenceSpan]:
    """Non-blank sentences with surrounding whitespace trimmed from their offsets (`text`: the Doc's)."""
    # A Doc without sentence boundaries (no parser or senter) is one sentence.
    spans = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    kept: list[SentenceSpan] = []
    for sent in spans:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            kept.append(SentenceSpan(index=len(kept), start=start, end=end, text=text[start:end]))
    return kept


def _surname(name: str) -> str | None:
    words = [w for w in name.split() if fold(w) not in NAME_SUFFIXES]
    return fold(words[-1]) if len(words) > 1 else None


def link_surnames(mentions: list[MentionSpan]) -> list[MentionSpan]:
    """Give a one-word mention ("Cook") the identity of the article's full PERSON name with that surname.

    With several candidates, the nearest full name before the mention wins, else the first one after it. Only
    words spaCy calls PERSON follow, and gazetteer companies with a type prior ("Dell" beside "Michael Dell")
    do not; an ambiguous bare gazetteer name ("Ford") does. A lone word of another label votes PERSON through
    the link instead (entities.enrich.link_type_votes).
    """
    by_surname: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        surname = _surname(m.name) if m.label == "PERSON" else None
        if surname:
            by_surname.setdefault(surname, []).append(i)
    if not by_surname:
        return mentions
    linked = list(mentions)
    for i, m in enumerate(mentions):
        if m.label not in FOLLOWER_LABELS or len(m.name.split()) != 1:
            continue
        candidates = by_surname.get(m.key)
        # a gazetteer company with a type prior ("Dell" beside "Michael Dell") stays the company
        if candidates and not (curated(m.key) and prior_type(m.key)):
            before = [j for j in candidates if j < i]
            full = mentions[before[-1] if before else candidates[0]]
            linked[i] = replace(m, key=full.key, name=full.name)
    return linked


def _word_count(doc: Doc) -> int:
    if len(doc) == 0:
        return 0
    flags = doc.to_array([IS_SPACE, IS_PUNCT])
    return int(((flags[:, 0] == 0) & (flags[:, 1] == 0)).sum())


def annotate(doc: Doc, extracted: ExtractedDoc) -> AnnotatedArticle:
    """Sentences and mentions of `extracted`, which `doc` must be the processed text of."""
    text = doc.text  # spaCy joins it from the tokens on every access
    if text != extracted.text:
        raise ValueError(f"{extracted.item}: the Doc's text is not the extracted article's text")
    sentences = _sentences(doc, text)
    starts = [s.start for s in sentences]
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in MENTION_LABELS:
            continue
        key, name = cluster_key(ent.text, ent.label_)
        sentence = max(bisect_right(starts, ent.start_char) - 1, 0)
        mentions.append(
            MentionSpan(
                sentence=sentence,
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                label=ent.label_,
                key=key,
                name=name,
            )
        )
    mentions = link_acronyms(link_surnames(mentions), text)
    return AnnotatedArticle(
        doc=extracted, sentences=sentences, mentions=mentions, words=_word_count(doc),
        events=article_events(doc, sentences, mentions),
    )
