"""The event modules one by one: modality, polarity, attribution, coreference, arguments; and store/export round trips."""
from __future__ import annotations

import json

import pytest

from newsgraph.events.attribution import attribution
from newsgraph.events.component import EXTENSION, EventExtractor
from newsgraph.events.modality import modality, polarity


def _token(nlp, text: str, word: str):
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize("text, word, expected", [
    ("Apple sold two million phones last year.", "sold", "certain"),
    ("Apple plans to sell the phone in China.", "sell", "planned"),
    ("Apple is in talks to buy the startup.", "buy", "planned"),
    ("Apple may sell the phone in China.", "sell", "possible"),
    ("If regulators agree, Apple could buy the startup.", "buy", "possible"),
    ("Apple reportedly sold its stake.", "sold", "reported"),
    ("Apple is said to have sold its stake.", "sold", "reported"),
    ("Analysts expect the company to earn $3 a share.", "earn", "possible"),
    ("Sales could rise next year.", "Sales", "possible"),  # a nominal trigger under its verb's modal
    ("Apple unveiled a plan to cut 500 jobs.", "cut", "planned"),
    ("Will Apple buy the startup?", "buy", "possible"),  # SENTiVENT: events in questions are not certain
    ("Apple will open a store in Paris.", "open", "certain"),  # a plain future is certain in SENTiVENT
    ("Apple said it had sold its stake, and it may buy another.", "sold", "certain"),  # the cue is in another clause
    ("Amazon said on Friday it would buy Whole Foods.", "buy", "certain"),  # a future in the past, reported
    ("The deal would make Amazon a grocery heavyweight.", "make", "possible"),  # "would" hedges outside reports
    ("The Arizona plant is expected to cost $700 million.", "plant", "possible"),  # a passive forecast
    ("Samsung hopes to redeem itself with the Note 8.", "redeem", "planned"),  # the tagger's lemma is "hop"
])
def test_modality_cues(nlp, text, word, expected):
    assert modality(_token(nlp, text, word)) == expected


@pytest.mark.parametrize("text, word, expected", [
    ("Apple won't sell the phone in China.", "sell", "negated"),
    ("No agreements were signed.", "agreements", "negated"),
    ("Apple did not buy the startup.", "buy", "negated"),
    ("Apple sold the unit.", "sold", "positive"),
    ("Apple failed to sell the unit.", "sell", "negated"),
    ("Apple has never made a profit.", "profit", "negated"),  # the object of a negated light verb
    ("Analysts don't think any rival will launch a drug.", "launch", "negated"),
    ("Apple is not interested in a deal.", "deal", "negated"),
    ("Apple did not disclose details of the pact.", "pact", "positive"),  # not the object of a light verb
    ("Apple not only sold the unit but also bought another.", "sold", "positive"),
    ("The iPhone 8 will not ship until the first quarter.", "ship", "positive"),  # a delay, not a negation
    ("That doesn't mean Disney is selling the division.", "selling", "negated"),
    ("Apple has no plans to sell the unit.", "sell", "negated"),
    ("The new office building won't be finished until 2019.", "building", "positive"),  # "until": a delay
    ("The new office building won't be finished this year.", "building", "negated"),  # a negated passive subject
    ("AMD made no mention of a deal.", "deal", "negated"),
])
def test_polarity_cues(nlp, text, word, expected):
    assert polarity(_token(nlp, text, word)) == expected


@pytest.mark.parametrize("text, word, kind, source", [
    ("Apple will buy the startup, the people said.", "buy", "anonymous", "the people"),
    ("According to Reuters, Apple will buy the startup.", "buy", "named", "Reuters"),
    ("Bloomberg reports that Apple will buy the startup.", "buy", "named", "Bloomberg"),
    ("Wang Xiang said Xiaomi would open stores in Europe.", "open", "named", "Wang Xiang"),
    ("People close to the matter said Apple would buy the startup.", "buy", "anonymous", None),
    ("Apple bought the startup.", "bought", "none", None),
    ("The company said it would buy the startup.", "buy", "named", "The company"),  # on the record, not anonymous
    ("Microsoft agreed to acquire LinkedIn, the companies announced on Monday.", "acquire", "named", "the companies"),
    ("Apple will buy the startup, The Information reported.", "buy", "named", "The Information"),
    ("\"We will buy the startup,\" said John Smith, a spokesman.", "buy", "named", "John Smith, a spokesman"),
])
def test_attribution(nlp, text, word, kind, source):
    found = attribution(_token(nlp, text, word))
    assert found.kind == kind
    if source:
        assert found.source == source


def test_coreference_uses_nationality(nlp):
    doc = nlp("Xiaomi opened a store in Paris. Apple sells phones too. The Chinese company plans to open more stores.")
    events = [e for e in doc._.get(EXTENSION) if e["type"] == "Facility" and e["trigger"] == "open"]
    participant = [a for a in events[0]["arguments"] if a["kind"] == "participant" and a["via"]][0]
    assert doc.text[participant["entity_start"]:participant["entity_end"]] == "Xiaomi"


def test_coreference_across_paragraphs_with_product_maker(nlp):
    doc = nlp("Apple sells phones.\n\nSamsung opened a plant in Texas.\n\nThe iPhone maker plans to open a factory in India.")
    ev = [e for e in doc._.get(EXTENSION) if e["type"] == "Facility" and "India" in doc.text[e["start"]:]][-1]
    participant = [a for a in ev["arguments"] if a["via"]][0]
    assert doc.text[participant["entity_start"]:participant["entity_end"]] == "Apple"


def test_rules_only_extractor_runs_without_model(nlp):
    doc = nlp("Verizon sells Google Pixel phones.")
    found = EventExtractor(None).triggers(doc)
    assert [(t.token.text, t.type) for t in found] == [("sells", "Product/Service")]


def test_events_stored_with_article_and_exported(graph, tmp_path):
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps({"url": "https://example.com/a", "date": "2024-01-02",
                               "text": "Huawei plans to open a factory in Hungary. Verizon sells the Essential Phone."})
                   + "\n", encoding="utf-8")
    assert graph.ingest([src]).added == 1
    events = graph.events(min_confidence=0.0)  # every event stored; the default cut is tested below and elsewhere
    assert {e.type for e in events} >= {"Facility", "Product/Service"}
    fac = graph.events(type="Facility", entity="Huawei", min_confidence=0.0)
    assert fac and fac[0].modality == "planned" and fac[0].article.date == "2024-01-02"
    assert graph.events(type="Facility", entity="Verizon", min_confidence=0.0) == []
    assert [e.type for e in graph.entity_events("Verizon", min_confidence=0.0)] == ["Product/Service"]
    from io import StringIO

    out = StringIO()
    counts = graph.export("jsonl", out)
    assert counts["events"] == len(graph.events()) and counts["event_arguments"] > 0  # the default cut
    assert graph.export("jsonl", StringIO(), min_confidence=0.0)["events"] == len(events)
    kinds = {json.loads(line)["type"] for line in out.getvalue().splitlines()}
    assert {"event", "event_argument"} <= kinds
    from newsgraph.export import build_graph

    g = build_graph(graph.store)
    assert any(d.get("kind") == "argument" for *_, d in g.edges(data=True))
    # re-ingesting the same article adds no duplicate events
    assert graph.ingest([src]).skipped == 1 and len(graph.events(min_confidence=0.0)) == len(events)


def test_bad_filters_raise(graph):
    from newsgraph.errors import NotFound, QueryError

    with pytest.raises(QueryError):
        graph.events(modality="sure")
    with pytest.raises(NotFound):
        graph.events(entity="Nobody Inc")


def test_modality_model_vetoes_hedges_by_event_type():
    from newsgraph.events.modality import Cue
    from newsgraph.events.modality_model import load_modality_model
    from newsgraph.events.typology import TYPES

    model = load_modality_model()
    assert model is not None, "newsgraph/events/model/modality.json ships with the package"
    would = Cue("possible", "would", "aux@0")
    # SENTiVENT train: "would" before a revenue figure is a forecast, before a brand event mostly certain.
    assert model.probability(would, "Revenue") > model.probability(would, "CSR/Brand")
    assert model.keeps(would, "Revenue")
    could = Cue("possible", "could", "aux@1")
    assert model.keeps(could, "Revenue") and not all(model.keeps(could, t) for t in TYPES)  # some type vetoes it
    # Plans are never vetoed: the product reports them whatever the corpus convention.
    assert model.keeps(Cue("planned", "plan", "gov:xcomp"), "CSR/Brand")


def test_modality_model_cross_validation_learns_a_type_split():
    from newsgraph.events.modality import Cue
    from newsgraph.events.modality_model import cross_validate

    could = Cue("possible", "could", "aux@1")
    # "could" is "other" for Revenue events and "certain" for Investment ones, across 10 documents.
    examples = [(could, t, t == "Revenue", f"doc{k % 10}") for k in range(200) for t in ("Revenue", "Investment")]
    examples += [(None, "Revenue", False, f"doc{k % 10}") for k in range(100)]
    f1, threshold = cross_validate(examples, c=1.0)
    assert f1 == 1.0 and 0.04 <= threshold < 0.8


def test_junk_trigger_filters(nlp):
    from newsgraph.events.triggers import Trigger, load_nontriggers, non_eventive, object_of_event

    doc = nlp("There is a possibility that no agreements take place across the country.")
    tok = {t.text: t for t in doc}
    deal, place = Trigger(tok["agreements"], "Deal"), Trigger(tok["place"], "Macroeconomics")
    assert object_of_event(place, [deal, place])  # the subject carries the event
    assert not object_of_event(deal, [deal, place]) and not object_of_event(place, [place])
    country = Trigger(tok["country"], "Macroeconomics", last=tok["country"].i)
    assert non_eventive(country, lambda lemma: True, frozenset({"country"}))
    assert non_eventive(country, lambda lemma: False, frozenset())  # a lemma the model has no weight for
    assert not non_eventive(country, lambda lemma: True, frozenset())
    assert "country" in load_nontriggers() and "acquisition" not in load_nontriggers()  # shipped, from train


def test_a_verb_over_another_event_is_no_event(nlp):
    from newsgraph.events.triggers import Trigger, verb_over_event

    doc = nlp("Verizon announced the acquisition of Yahoo on Monday.")
    tok = {t.text: t for t in doc}
    announced, deal = Trigger(tok["announced"], "Product/Service"), Trigger(tok["acquisition"], "Merger/Acquisition")
    assert verb_over_event(announced, [announced, deal])
    assert not verb_over_event(announced, [announced])  # no event below it
    assert not verb_over_event(announced, [announced, Trigger(tok["acquisition"], "Product/Service")])  # one event
    assert not verb_over_event(deal, [announced, deal])


def test_one_embedding_call_per_doc_gives_the_per_sentence_events(nlp, monkeypatch):
    """The component embeds a Doc's sentences (and its candidates' lemmas) in one call each; the events must be
    those of the per-sentence path, which embeds each sentence alone."""
    from newsgraph.events import classifier, features
    from newsgraph.events.component import make_events

    extractor = make_events(nlp, "newsgraph_events", learned=True)
    if extractor.model is None or extractor.model.tokens.dense is None:
        pytest.skip("the shipped trigger model weighs no vectors")
    text = ("Apple sold two million phones last year. Google plans to buy the startup for $2 billion. "
            "Shares of Tesla rose 5% after the company reported record revenue. Nothing happened here.")
    with nlp.select_pipes(disable=["newsgraph_events"]):
        doc = nlp(text)
    extractor(doc)  # its candidates' word vectors are cached from here on
    calls = []
    real = classifier.embed
    for module in (classifier, features):
        monkeypatch.setattr(module, "embed", lambda texts: calls.append(len(texts)) or real(texts))
    batched = extractor(doc)._.get(EXTENSION)
    assert calls == [len(list(doc.sents))]  # one call for all sentences
    one_by_one = [rec for sent in doc.sents for _, rec in extractor.sentence_events(sent)]
    assert batched == one_by_one and batched
    assert len(calls) == 1 + len(list(doc.sents))  # ... where the per-sentence path makes one per sentence
