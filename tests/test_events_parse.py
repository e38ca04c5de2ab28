"""The parse helpers the event modules share."""
from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.events.parse import climb


def _doc() -> Doc:
    # "Apple plans to buy Shazam": buy -xcomp-> plans (root); heads given, so no model is needed
    words = ["Apple", "plans", "to", "buy", "Shazam"]
    return Doc(Vocab(), words=words, heads=[1, 1, 3, 1, 3], deps=["nsubj", "ROOT", "aux", "xcomp", "dobj"])


def test_climb_stops_at_the_root():
    doc = _doc()
    assert [(t.i, dep) for t, dep in climb(doc[4])] == [(3, "dobj"), (1, "xcomp")]


def test_climb_from_the_root_is_empty():
    assert list(climb(_doc()[1])) == []


def test_a_clausal_trigger_keeps_its_own_fillers(nlp):
    from newsgraph.events.arguments import arguments

    # "bought" is itself a ccomp of "reports": its own phrase is not a clause below it (compared by index: spaCy
    # hands out a new Token object on most accesses, though `subtree` happens to yield the trigger itself)
    doc = nlp("Bloomberg reports that Apple bought Shazam for $400 million in December.")
    bought = next(t for t in doc if t.text == "bought")
    assert bought.dep_ == "ccomp"
    assert {"$400 million", "December"} <= {a["text"] for a in arguments(bought, "Acquisition")}


def test_a_nominal_trigger_takes_its_of_phrase_as_object_and_its_by_phrase_as_participant(nlp):
    from newsgraph.events.arguments import arguments

    def roles(text: str, word: str) -> set[tuple[str, str]]:
        doc = nlp(text)
        return {(a["role"], a["text"]) for a in arguments(next(t for t in doc if t.text == word), "Merger/Acquisition")}

    # SENTiVENT dev argument F1 0.189 -> 0.194, train 0.381 -> 0.385 (eval/RESULTS.md)
    assert ("Target", "Yahoo") in roles("Verizon announced the acquisition of Yahoo on Monday.", "acquisition")
    assert {("Acquirer", "Yahoo"), ("Target", "Tumblr")} <= roles("The purchase of Tumblr by Yahoo closed in 2013.",
                                                                  "purchase")
    assert ("Acquirer", "Apple") in roles("Apple completed its acquisition of Beats by the deadline.", "acquisition")
