"""The packaged gazetteer and the entity-ruler patterns built from it."""
from __future__ import annotations

import pytest
import spacy

from newsgraph.errors import NewsgraphError
from newsgraph.nlp.canonical import fold
from newsgraph.nlp.gazetteer import load_gazetteer, parse_gazetteer
from newsgraph.nlp.patterns import build_patterns


def test_gazetteer_has_a_few_hundred_companies_and_the_product_lines():
    gaz = load_gazetteer()
    assert len(gaz.companies) >= 250
    lines = {p.name for p in gaz.products}
    assert {"iPhone", "iPad", "Galaxy", "Pixel", "Mate", "Mi", "Surface", "Xbox", "PlayStation", "Kindle",
            "Windows", "Android"} <= lines
    samsung = gaz.company("Samsung")
    assert samsung is not None and "Samsung Electronics Co." in samsung.aliases


def test_no_alias_names_two_companies():
    seen: dict[str, str] = {}
    for company in load_gazetteer().companies:
        for form in (company.name, *company.aliases):
            assert seen.setdefault(fold(form), company.name) == company.name, form


def test_patterns_are_phrases_and_build_with_the_tokenizer():
    nlp = spacy.blank("en")
    patterns = build_patterns(load_gazetteer(), lambda s: [t.text for t in nlp.make_doc(s)])
    assert all(isinstance(p["pattern"], str) for p in patterns)  # token patterns would cost time per token
    assert {"pattern": "Xiaomi", "label": "ORG", "id": "newsgraph:company:Xiaomi"} in patterns
    forms = {p["pattern"] for p in patterns}
    assert {"Google Pixel", "Mi7", "iPhones", "Xiaomi Mi7"} <= forms
    assert "Amazon" in forms and "Visa" not in forms  # "alone": false keeps ambiguous bare names out


def test_malformed_gazetteer_is_an_error():
    with pytest.raises(NewsgraphError):
        parse_gazetteer({"companies": []})
