"""annotate(): trimmed sentences, canonical mentions and surname linking within an article."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from newsgraph.model import ExtractedDoc, MentionSpan
from newsgraph.nlp import annotate
from newsgraph.nlp.annotate import link_surnames


def extracted(text: str) -> ExtractedDoc:
    return ExtractedDoc(item="test", text=text, url=None, canonical_url=None, content_hash="h")


# `nlp` is the session-wide pipeline from conftest.py (loading is slow).


def test_surname_links_to_full_name(nlp):
    text = "Tim Cook, Apple's chief executive, spoke on Monday. Cook said Apple Inc. would grow."
    art = annotate(nlp(text), extracted(text))
    cook = [m for m in art.mentions if m.text == "Cook"]
    assert len(cook) == 1
    assert (cook[0].label, cook[0].key, cook[0].name) == ("PERSON", "tim cook", "Tim Cook")
    assert cook[0].sentence == 1
    assert {m.name for m in art.mentions if m.label == "ORG"} == {"Apple"}
    assert [m.label for m in art.mentions].count("DATE") == 1


def test_surname_before_and_between_full_names():
    def person(text, name, i):
        key = name.casefold()
        return MentionSpan(sentence=0, start=i, end=i + 1, text=text, label="PERSON", key=key, name=name)

    mentions = [
        person("Smith", "Smith", 0),
        person("John Smith", "John Smith", 1),
        person("Jane Smith", "Jane Smith", 2),
        person("Smith", "Smith", 3),
        person("Jones", "Jones", 4),
    ]
    linked = link_surnames(mentions)
    assert [m.name for m in linked] == ["John Smith", "John Smith", "Jane Smith", "Jane Smith", "Jones"]


def make_doc(words, spaces, sent_starts, ents):
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


def test_sentences_are_trimmed_and_blank_ones_dropped():
    words = ["\n", "Huawei", "sells", "phones", ".", "\n\n", "\n", "It", "costs", "$", "500", "!", " "]
    spaces = [False, True, True, False, False, False, False, True, True, False, False, False, False]
    sent_starts = [True, False, False, False, False, True, True, False, False, False, False, False, False]
    doc = make_doc(words, spaces, sent_starts, [(1, 2, "ORG"), (9, 11, "MONEY")])
    art = annotate(doc, extracted(doc.text))
    assert [s.text for s in art.sentences] == ["Huawei sells phones.", "It costs $500!"]
    assert [s.index for s in art.sentences] == [0, 1]
    for s in art.sentences:
        assert doc.text[s.start : s.end] == s.text
    assert [(m.text, m.label, m.sentence) for m in art.mentions] == [("Huawei", "ORG", 0), ("$500", "MONEY", 1)]
    assert art.words == 7  # all but ".", "!" and whitespace ("$" is a symbol, not punctuation, to spaCy)
    assert art.doc.item == "test"


def test_skipped_labels():
    doc = make_doc(
        ["Three", "people", "came", "at", "noon", "."],
        [True, True, True, True, False, False],
        [True, False, False, False, False, False],
        [(0, 1, "CARDINAL"), (4, 5, "TIME")],
    )
    assert annotate(doc, extracted(doc.text)).mentions == []


def test_text_mismatch_is_an_error(nlp):
    with pytest.raises(ValueError):
        annotate(nlp("Some text."), extracted("Other text."))
