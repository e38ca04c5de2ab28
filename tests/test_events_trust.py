"""Issue #18: the product's hedges, the false kinds, participant fallback, confidence and the default cut."""
from __future__ import annotations

import json

import pytest

from newsgraph.events.hedges import product_modality, product_polarity
from newsgraph.events.modality import modality, polarity


def _token(nlp, text: str, word: str):
    return next(t for t in nlp(text) if t.text == word)


@pytest.mark.parametrize("text, word, expected", [
    ("Apple will open a store in Paris.", "open", "planned"),  # certain in SENTiVENT, planned for the product
    ("Mr Walsh is to replace the current CEO in September.", "replace", "planned"),
    ("Sony said 7% of its workforce will be laid off by March.", "laid", "planned"),
    ("Amazon said on Friday it would buy Whole Foods.", "buy", "planned"),  # a stated plan
    ("Apple seems to have acquired Shazam.", "acquired", "possible"),
    ("Apple bought Shazam in 2017.", "bought", "certain"),
    ("Apple said it had bought Shazam.", "bought", "certain"),
    ("These are the new products we are planning to release.", "release", "planned"),
    ("FL Group has shown an interest in buying more shares.", "buying", "possible"),
    ("Toyota has two weeks in which it can appeal the fine.", "fine", "certain"),  # the fine exists
    ("Toyota could face fines of $16 million.", "fines", "possible"),  # no such fine yet
])
def test_product_modality(nlp, text, word, expected):
    tok = _token(nlp, text, word)
    kind = "Legal" if word.startswith("fine") else None
    assert product_modality(tok, modality(tok), kind) == expected


def test_a_definite_merger_noun_is_not_made_certain(nlp):
    """"the fine" presupposes a fine; "the merger" may name a takeover still pending, so it is left to the cues."""
    from newsgraph.events.hedges import _definite_noun

    tok = _token(nlp, "Shareholders must approve the merger.", "merger")
    assert not _definite_noun(tok, "Merger/Acquisition") and _definite_noun(tok, "Deal")


@pytest.mark.parametrize("text, word, expected", [
    ("The deal with Yahoo fell through last year.", "deal", "negated"),
    ("Microsoft called off the merger with Yahoo.", "merger", "negated"),
    ("The talks collapsed in March.", "talks", "negated"),
    ("The talks haven't led to a deal.", "deal", "negated"),
    ("The deal fell 5% short of the target.", "deal", "positive"),  # "fell" without "through"
    ("Apple signed the deal in March.", "deal", "positive"),
])
def test_product_polarity(nlp, text, word, expected):
    tok = _token(nlp, text, word)
    assert product_polarity(tok, polarity(tok)) == expected


def _events(nlp, text):
    return nlp(text)._.newsgraph_events


def test_no_events_in_credit_lines_or_headings(nlp):
    assert _events(nlp, "By arrangement with the Guardian, the deal was signed.") == []
    assert _events(nlp, "Acquisitions and deals") == []


def test_generic_mention_without_participant_is_dropped(nlp):
    found = [(e["trigger"], e["type"]) for e in _events(nlp, "If a deal happens, who wins?")]
    assert ("deal", "Deal") not in found


def test_a_kind_needs_a_specifier_but_a_figure_does_not(nlp):
    """"commercial negotiations" (an adjective alone) names a kind; "net profit" is a figure, bare or not."""
    from newsgraph.events.false_kinds import generic_mention
    from newsgraph.events.triggers import Trigger

    def generic(text, word, type):
        tok = next(t for t in nlp(text) if t.lower_ == word)
        return generic_mention(Trigger(tok, type, None, 0.5, learned=True), False)

    assert generic("There need to be commercial negotiations soon.", "negotiations", "Deal")
    assert not generic("There need to be the negotiations soon.", "negotiations", "Deal")
    assert not generic("Net profit for the quarter is $6.66bn.", "profit", "Profit/Loss")
    assert generic("Net profit for the quarter is $6.66bn.", "profit", "Deal")  # as an occurrence type: a kind


def test_holding_verbs_are_states(nlp):
    from newsgraph.events.false_kinds import static_state
    from newsgraph.events.triggers import Trigger

    doc = nlp("The group already owned 20% of Illum.")
    tok = next(t for t in doc if t.lower_ == "owned")
    assert static_state(Trigger(tok, "Merger/Acquisition", None, 0.5, learned=True))
    doc = nlp("The group bought 20% of Illum.")
    tok = next(t for t in doc if t.lower_ == "bought")
    assert not static_state(Trigger(tok, "Merger/Acquisition", None, 0.5, learned=True))


def test_static_rank_is_no_event(nlp):
    types = {e["trigger"]: e["type"] for e in _events(nlp, "Huawei is the third-largest smartphone vendor.")}
    assert "largest" not in types and "third-largest" not in types


def test_collapsed_deal_is_a_negated_deal(nlp):
    found = [e for e in _events(nlp, "Verizon's deal with Yahoo fell through in March.") if e["type"] == "Deal"]
    assert found and found[0]["polarity"] == "negated"


def test_participant_roles_by_entity_kind(nlp):
    doc = nlp("Verizon will sell the Google Pixel from Friday.")
    sell = next(e for e in doc._.newsgraph_events if e["trigger"] == "sell")
    roles = {a["role"]: a["text"] for a in sell["arguments"]}
    assert roles.get("Seller") == "Verizon" and roles.get("Producer") != "Verizon"
    doc = nlp("The Justice Department charges that American Airlines cut the pilots' benefits.")
    charge = next(e for e in doc._.newsgraph_events if e["type"] == "Legal")
    roles = {a["role"]: a["text"] for a in charge["arguments"]}
    assert roles.get("Defendant") == "American Airlines" and roles.get("Complainant") == "Justice Department"


def test_a_commenter_is_no_party(nlp):
    """The subject of a verb that only talks about a definite event noun is not its participant."""
    from newsgraph.events.arguments import participant_tokens

    doc = nlp("Opposition spokesman Kevin Rudd supports the deal.")
    assert participant_tokens(next(t for t in doc if t.lower_ == "deal")) == []
    doc = nlp("Apple signed the deal on Monday.")
    assert [t.text for t in participant_tokens(next(t for t in doc if t.lower_ == "deal"))] == ["Apple"]


def test_participant_falls_back_to_the_sentence_company(nlp):
    doc = nlp("Sizzler Australia said on Monday that Sizzler Australia had found rat poison in a sauce. "
              "The store in Sydney was closed on Friday.")
    close = [e for e in doc._.newsgraph_events if e["type"] == "Facility"]
    assert close and any(a["role"] == "Company_Facility" and "Sizzler" in a["text"] for a in close[0]["arguments"])


def test_participant_inside_the_subject(nlp):
    """"Shares of X rose": X is the security even when the NER calls it a person; such a participant is marked, so
    it does not raise the confidence."""
    from newsgraph.events.arguments import OWNER, _participant

    doc = nlp("Shares of GlaxoSmithKline rose 32 cents to close at $47.82.")
    found = _participant(next(t for t in doc if t.text == "Shares"), "Security_SecurityValue")
    assert found["text"] == "GlaxoSmithKline" and found["via"] == OWNER
    doc = nlp("Microsoft's online division reported a drop of 4.6%.")
    assert _participant(next(t for t in doc if t.text == "division"), "Company_Revenue")["text"] == "Microsoft"


def test_countries_are_the_parties_of_a_treaty(nlp):
    from newsgraph.events.arguments import MAIN_COUNTRY, fallback_participant

    doc = nlp("The agreement was signed by Australia's Foreign Minister Alexander Downer and his Chinese counterpart.")
    found = fallback_participant(next(t for t in doc if t.text == "agreement"), "Deal", "Partner", set())
    assert found["text"] == "Australia"
    doc = nlp("The regulators in Ontario will review the agreement.")  # a place is no party
    assert fallback_participant(next(t for t in doc if t.text == "agreement"), "Deal", "Partner", set()) is None
    doc = nlp("Colombia signed a trade pact with Peru. Colombia hopes for lower tariffs. The agreement takes effect "
              "in May.")
    found = fallback_participant(next(t for t in doc if t.text == "agreement"), "Deal", "Partner", set())
    assert found["text"] == "Colombia" and found["via"] == MAIN_COUNTRY
    assert fallback_participant(next(t for t in doc if t.text == "agreement"), "Legal", "Defendant", set()) is None


def test_confidence_is_a_probability(nlp):
    for e in _events(nlp, "Apple bought Shazam for $400 million. Apple's shares rose 2% on Monday."):
        assert 0.0 <= e["score"] <= 1.0


def test_default_cut_and_all(graph, tmp_path):
    """`events` lists confident events by default; min_confidence=0 lists all; the cut is validated."""
    from newsgraph.errors import QueryError
    from newsgraph.events.typology import DEFAULT_MIN_CONFIDENCE

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"url": "https://example.com/a", "title": "Apple buys Shazam", "date": "2017-12-11",
                               "text": "Apple bought Shazam for $400 million on Monday. The market is popular, "
                                       "and competition in trade may grow."}) + "\n")
    graph.ingest([src])
    every = graph.events(min_confidence=0.0)
    listed = graph.events()
    assert {e.id for e in listed} <= {e.id for e in every}
    assert all(e.score >= DEFAULT_MIN_CONFIDENCE for e in listed)
    assert any(e.type == "Merger/Acquisition" for e in listed)
    with pytest.raises(QueryError):
        graph.events(min_confidence=1.5)


def test_precision_score_counts_listed_and_unjudged():
    """The real-news scorer: precision over judged listed events, retention over real ones, unjudged counted."""
    from types import SimpleNamespace as NS

    from newsgraph.eval.events_real import score

    art = NS(url="u")
    judged = [{"url": "u", "start": 0, "end": 3, "type": "Deal", "real": "yes", "split": "test",
               "gold_modality": "certain", "gold_polarity": "positive", "gold_participant": ["Apple"]},
              {"url": "u", "start": 5, "end": 9, "type": "Deal", "real": "no", "split": "test"}]
    arg = NS(role="Partner", text="Apple Inc.", entity_name="Apple")
    events = [NS(article=art, start=0, end=3, type="Deal", score=0.9, modality="certain", polarity="positive",
                 arguments=[arg]),
              NS(article=art, start=5, end=9, type="Deal", score=0.2, modality="certain", polarity="positive",
                 arguments=[])]
    r = score(events, judged, 0.5, None, sample_below="f" * 40)
    assert r["precision"] == 1.0 and r["retention"] == 1.0 and r["listed"] == 1
    assert r["participant_correct"] == 1.0 and r["participant_named"] == 1.0
    r = score(events, judged, 0.0, None, sample_below="f" * 40)
    assert r["precision"] == 0.5 and r["listed_unjudged"] == 0


def test_precision_split_is_by_article_url():
    """Whole articles go to one half; the tune half samples a wider key range (the second judged batch)."""
    from newsgraph.eval.events_real import SAMPLE_BELOW, TUNE_SAMPLE_BELOW, load_judgments, split_of

    judged = load_judgments()
    assert all(split_of(j["url"]) == j["split"] for j in judged)
    assert TUNE_SAMPLE_BELOW > SAMPLE_BELOW
    assert all(j["split"] == "tune" for j in judged if "second batch" in j["judged"] or "third batch" in j["judged"])
    assert all(j["split"] == "test" for j in judged if "fourth batch" in j["judged"])
