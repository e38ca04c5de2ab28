"""The seed article (a content-farm page on Xiaomi, Huawei and US carriers) through the full pipeline.

The text is quoted here for testing only; it is not shipped as data (its copyright stays with its publisher).
"""
from __future__ import annotations

import pytest
from seed import SEED

from newsgraph.model import ExtractedDoc
from newsgraph.nlp import annotate

# "Xiaomi in talks with carriers to launch flagship smartphones in the US", gamesworlditalia.com, 2017-12-18.


@pytest.fixture(scope="module")
def article(nlp):  # `nlp`: the session-wide pipeline from conftest.py
    extracted = ExtractedDoc(item="seed", text=SEED, url=None, canonical_url=None, content_hash="seed")
    return annotate(nlp(SEED), extracted)


def names(article, label):
    return {m.name for m in article.mentions if m.label == label}


def test_sentences(article):
    texts = [s.text for s in article.sentences]
    assert len(texts) == 18
    # the headline is its own sentence, not merged into the first paragraph
    assert texts[0] == "Xiaomi in talks with carriers to launch flagship smartphones in the US"
    assert texts[1].startswith("In years past,")
    co = texts.index("The U.S. phone market is dominated by Apple and Samsung Electronics Co.")
    assert texts[co + 1].startswith("If the conditions are met")
    for s in article.sentences:
        assert SEED[s.start : s.end] == s.text == s.text.strip()


def test_orgs(article):
    assert {"Xiaomi", "Huawei", "Apple", "Samsung", "AT&T", "Verizon", "Sprint", "Google", "Bloomberg"} <= names(
        article, "ORG"
    )
    # Xiaomi, Verizon and Bloomberg are never anything but ORG
    wrong = {(m.text, m.label) for m in article.mentions if m.text in {"Xiaomi", "Verizon", "Bloomberg"}}
    assert {label for _, label in wrong} == {"ORG"}


def test_products(article):
    assert {"Mate 10", "Mate 9", "Pixel", "iPhone", "Mi7"} <= names(article, "PRODUCT")
    texts = {m.text for m in article.mentions if m.label == "PRODUCT"}
    assert {"Mi7", "iPhones", "iPhone", "Mate 9", "Mate 10", "Pixel"} <= texts
    # "Google Pixel" is a brand and a product, "Huawei Mate 9" too
    assert not any(m.text in {"Google Pixel", "Huawei Mate 9"} for m in article.mentions)


def test_people(article):
    assert {"Tim Cook", "Andy Rubin"} <= names(article, "PERSON")
    assert all(not m.text.endswith("'s") for m in article.mentions if m.label == "PERSON")


def test_money(article):
    assert [m.text for m in article.mentions if m.label == "MONEY"] == ["$500"]


def test_mention_offsets_and_sentences(article):
    for m in article.mentions:
        assert SEED[m.start : m.end] == m.text
        s = article.sentences[m.sentence]
        assert s.start <= m.start and m.end <= s.end
