"""One test per newsgraph fix to spaCy, on short sentences, plus the multiprocessing contract of load_pipeline."""
from __future__ import annotations

import pytest

from newsgraph.nlp import load_pipeline

# `nlp` is the session-wide pipeline from conftest.py (loading is slow).


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def sents(doc):
    return [s.text.strip() for s in doc.sents]


# ---- sentence boundaries ---------------------------------------------------------


def test_blank_line_starts_a_sentence(nlp):
    doc = nlp("Xiaomi in talks with carriers to launch flagship smartphones in the US\n\n\nIn years past, it was fine.")
    assert sents(doc) == [
        "Xiaomi in talks with carriers to launch flagship smartphones in the US",
        "In years past, it was fine.",
    ]


def test_single_newline_is_not_a_break_in_text_with_blank_lines(nlp):
    doc = nlp("Markets fell.\n\nThe same is true for the \nCAC 40 index, which fell.")
    assert sents(doc)[-1] == "The same is true for the \nCAC 40 index, which fell."


def test_single_newline_is_a_break_in_text_without_blank_lines(nlp):
    # trafilatura's output: one paragraph per line, the headline first
    doc = nlp("Xiaomi in talks with carriers\nIn years past, it has been insulated from competition.")
    assert sents(doc) == ["Xiaomi in talks with carriers", "In years past, it has been insulated from competition."]


def test_bullet_line_starts_a_sentence(nlp):
    doc = nlp("Ryanair employs 2,300 staff\n- easyJet employs 3,600 staff")
    assert sents(doc)[-1] == "- easyJet employs 3,600 staff"


def test_split_after_corporate_suffix_when_a_clause_follows(nlp):
    text = "The U.S. phone market is dominated by Apple and Samsung Electronics Co. Verizon sells Google Pixel phones."
    doc = nlp(text)
    assert sents(doc) == [
        "The U.S. phone market is dominated by Apple and Samsung Electronics Co.",
        "Verizon sells Google Pixel phones.",
    ]


def test_no_split_after_corporate_suffix_before_a_title(nlp):
    assert len(list(nlp("Apple Inc. CEO Tim Cook said the phone sold well.").sents)) == 1
    assert len(list(nlp("Reuters reported that Apple Inc. CEO Tim Cook said so.").sents)) == 1


def test_a_names_exclamation_mark_ends_no_sentence(nlp):
    # from the demo corpus (Wikinews, "Verizon to acquire Yahoo!"), which the parser cut after each "Yahoo!"
    text = ("On Monday, US telecom giant Verizon announced acquisition of Yahoo! for a reported amount of US$4.83 "
            "billion (4.36 billion). Going public in 1996, Yahoo! provided service a year later. Tumblr was "
            "purchased by Yahoo! under ex-Google employee and Yahoo! CEO Marissa Mayer in 2013.")
    assert sents(nlp(text)) == [
        "On Monday, US telecom giant Verizon announced acquisition of Yahoo! for a reported amount of US$4.83 "
        "billion (4.36 billion).",
        "Going public in 1996, Yahoo! provided service a year later.",
        "Tumblr was purchased by Yahoo! under ex-Google employee and Yahoo! CEO Marissa Mayer in 2013.",
    ]
    assert sents(nlp("Stop! Police said so.")) == ["Stop!", "Police said so."]


def test_closing_quote_stays_with_its_sentence(nlp):
    doc = nlp('He said: "I am for the hotel."\n\nDespite the cold, 45 people came.')
    assert sents(doc) == ['He said: "I am for the hotel."', "Despite the cold, 45 people came."]


# ---- entities ------------------------------------------------------------------------


def test_gazetteer_company_overrides_wrong_label(nlp):
    assert ("Xiaomi", "ORG") in ents(nlp("Xiaomi says it hasn't rushed into the USA."))
    assert ("Bloomberg", "ORG") in ents(nlp("It is sold in the US though Bloomberg reports that talks failed."))


def test_brand_and_product_are_two_entities(nlp):
    found = ents(nlp("Verizon sells Google Pixel phones."))
    assert ("Google", "ORG") in found and ("Pixel", "PRODUCT") in found
    found = ents(nlp("The Huawei Mate 9, a rival to the iPhone."))
    assert ("Huawei", "ORG") in found and ("Mate 9", "PRODUCT") in found


@pytest.mark.parametrize(
    "text, product",
    [
        ("Huawei plans to sell the Mate 10 device online.", "Mate 10"),
        ("The Mi7 could be sold in the US.", "Mi7"),
        ("The Mi 7 could be sold in the US.", "Mi 7"),
        ("Samsung launched the Galaxy S8+ today.", "Galaxy S8+"),
        ("Samsung launched the Galaxy Note 8 today.", "Galaxy Note 8"),
        ("Apple unveiled the iPhone X in September.", "iPhone X"),
        ("Google unveiled the Pixel 2 XL in October.", "Pixel 2 XL"),
        ("Carriers used to subsidize its expensive iPhones.", "iPhones"),
    ],
)
def test_product_models(nlp, text, product):
    assert (product, "PRODUCT") in ents(nlp(text))


def test_ambiguous_product_line_needs_a_model_or_brand(nlp):
    assert not any(label == "PRODUCT" for _, label in ents(nlp("The Galaxy won 2-1 in Los Angeles.")))
    assert not any(label == "PRODUCT" for _, label in ents(nlp("Mate, he said, the surface is wet.")))


def test_longer_ner_name_around_a_gazetteer_name_wins(nlp):
    found = ents(nlp("Michael Dell spoke to Bloomberg Business News on Friday."))
    assert ("Michael Dell", "PERSON") in found
    assert ("Bloomberg Business News", "ORG") in found


def test_company_takes_its_legal_suffix(nlp):
    assert ("Microsoft Corp", "ORG") in ents(nlp("Shares of Microsoft Corp rose 2 percent on Monday."))


def test_money_includes_currency_symbol(nlp):
    assert ("$500", "MONEY") in ents(nlp("The Huawei Mate 9, a $500 rival to the iPhone."))
    assert ("US$500", "MONEY") in ents(nlp("It costs US$500 in China."))


def test_time_zone_is_part_of_a_time_not_an_organisation(nlp):
    found = ents(nlp("The Nasdaq index has fallen by 3.16% as of 16:08 UTC."))
    assert ("16:08 UTC", "TIME") in found and ("UTC", "ORG") not in found  # spaCy alone: "UTC" ORG
    assert ("Nasdaq", "ORG") in found
    assert ("UTC", "TIME") in ents(nlp("The meeting starts at 10:00 (UTC)."))


def test_person_excludes_possessive(nlp):
    found = ents(nlp("Sprint offers Andy Rubin's Essential handset exclusively."))
    assert ("Andy Rubin", "PERSON") in found


def test_possessive_that_belongs_to_the_name_is_kept(nlp):
    assert ("Moody's", "ORG") in ents(nlp("The rating was cut by Moody's on Monday."))


def test_leading_article_is_not_part_of_a_name(nlp):
    found = ents(nlp("In addition, the Labour Department said wages rose."))
    assert ("Labour Department", "ORG") in found


# ---- the pipeline itself -----------------------------------------------------------------


def test_bare_pipeline_has_no_fixes():
    bare = load_pipeline(fixes=False)
    assert not any(name.startswith("newsgraph") for name in bare.pipe_names)
    assert "entity_ruler" not in bare.pipe_names


def test_fixes_run_between_tagger_and_parser_and_after_ner(nlp):
    names = nlp.pipe_names
    assert names.index("tagger") < names.index("newsgraph_sentence_fix") < names.index("parser")
    assert names.index("ner") < names.index("entity_ruler") < names.index("newsgraph_entity_fix")


def test_multiprocessing_pipe_matches_single_process(nlp):
    texts = [
        ("The Huawei Mate 9, a $500 rival to the iPhone.", 0),
        ("Verizon sells Google Pixel phones, and Sprint offers Andy Rubin's Essential handset.", 1),
        ("Apple and Samsung Electronics Co. Verizon sells phones.\n\nXiaomi says so.", 2),
    ]
    out = list(nlp.pipe(texts, n_process=2, as_tuples=True, batch_size=1))
    assert [ctx for _, ctx in out] == [0, 1, 2]
    for (doc, _), (text, _) in zip(out, texts):
        single = nlp(text)
        assert ents(doc) == ents(single)
        assert sents(doc) == sents(single)
    assert "newsgraph_ner" not in out[0][0].spans  # the internal snapshot is not shipped


def test_airlines_and_stores_from_the_demo_corpus(nlp):
    # bare spaCy tags Ryanair PERSON and the App Store as an ORG or nothing in the demo corpus
    doc = nlp("Ryanair cut fares. Apple opened the App Store to developers, and easyJet followed.")
    assert {(e.text, e.label_) for e in doc.ents} >= {("Ryanair", "ORG"), ("App Store", "PRODUCT"), ("easyJet", "ORG")}


def test_the_tensor_is_dropped_after_the_last_component(nlp):
    # nothing after the pipeline reads Doc.tensor; workers would otherwise send it back with every Doc
    assert nlp.pipe_names[-1] == "newsgraph_drop_tensor"
    doc = nlp("Apple bought Beats Electronics for $3 billion on Monday.")
    assert doc.tensor.size == 0 and [e.text for e in doc.ents][:1] == ["Apple"]
    assert len(doc.to_bytes()) < 4000
