"""canonical(): keys and display names for entity mentions."""
from __future__ import annotations

import pytest

from newsgraph.nlp.canonical import canonical


@pytest.mark.parametrize(
    "text, label, expected",
    [
        ("Samsung Electronics Co.", "ORG", ("samsung", "Samsung")),
        ("Samsung Electronics", "ORG", ("samsung", "Samsung")),
        ("Apple Inc.", "ORG", ("apple", "Apple")),
        ("Apple's", "ORG", ("apple", "Apple")),
        ("Apple’s", "ORG", ("apple", "Apple")),
        ("Huawei Technologies", "ORG", ("huawei", "Huawei")),
        ("Huawei Technologies Co., Ltd.", "ORG", ("huawei", "Huawei")),
        ("Sears, Roebuck & Co.", "ORG", ("sears", "Sears")),
        ("Sony Group Corp.", "ORG", ("sony", "Sony")),
        ("SAMSUNG", "ORG", ("samsung", "Samsung")),
        ("Verizon Wireless", "ORG", ("verizon", "Verizon")),
        ("The Wall Street Journal", "ORG", ("wall street journal", "Wall Street Journal")),
        ("The Verge", "ORG", ("the verge", "The Verge")),
        ("Moody's", "ORG", ("moody's", "Moody's")),
    ],
)
def test_gazetteer_aliases_and_suffixes(text, label, expected):
    assert canonical(text, label) == expected


def test_unknown_org_loses_legal_suffix_but_keeps_descriptor():
    assert canonical("Acme Corp.", "ORG") == ("acme", "Acme")
    assert canonical("Acme, Inc.", "ORG") == ("acme", "Acme")
    # "Technologies" is only dropped when what is left is a known company
    assert canonical("Acme Technologies", "ORG") == ("acme technologies", "Acme Technologies")


def test_leading_the_and_whitespace():
    assert canonical("the  Labour\nParty", "ORG") == ("labour party", "Labour Party")
    assert canonical("The Godfather", "WORK_OF_ART") == ("the godfather", "The Godfather")


def test_person_possessive_and_honorific():
    assert canonical("Andy Rubin's", "PERSON") == ("andy rubin", "Andy Rubin")
    assert canonical("Andy Rubin’s", "PERSON") == ("andy rubin", "Andy Rubin")
    assert canonical("Mr. Cook", "PERSON") == ("cook", "Cook")


def test_places():
    for text in ("US", "U.S.", "USA", "the United States"):
        assert canonical(text, "GPE") == ("united states", "United States")
    assert canonical("Britain", "GPE") == ("united kingdom", "United Kingdom")


def test_products():
    assert canonical("iPhones", "PRODUCT") == ("iphone", "iPhone")
    assert canonical("Mi7", "PRODUCT") == ("mi 7", "Mi7")
    assert canonical("Mi 7", "PRODUCT") == ("mi 7", "Mi 7")  # same key: one product
    assert canonical("Mate 10", "PRODUCT") == ("mate 10", "Mate 10")


def test_values_keep_their_text():
    assert canonical("$500", "MONEY") == ("$500", "$500")
    assert canonical("this  month", "DATE") == ("this month", "this month")
    assert canonical("The 1990s", "DATE") == ("the 1990s", "The 1990s")
