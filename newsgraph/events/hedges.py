"""Where the product's modality and polarity deliberately differ from SENTiVENT's annotation conventions.

SENTiVENT marks a plain future ("will buy", "is to replace") and a reported "would" as certain, and has no cue
for a deal that "fell through". A reader acting on a list of events wants those hedged or negated, so the events
component applies these rules after the SENTiVENT-trained ones (modality.decide); the SENTiVENT evaluation scores
`decide` alone, under SENTiVENT's conventions.
"""
from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.modality import _reported_future
from newsgraph.events.typology import FIGURE_TYPES

FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})  # "wo" is spaCy's token for the "wo" of "won't"
HEDGE_VERBS = frozenset({"seem", "appear"})
MODALS = frozenset({"must", "should", "could", "may", "might", "can", "ca"})  # "ca" is spaCy's "ca" of "can't"
REQUESTS = frozenset({"ask", "urge", "demand", "request", "encourage", "invite"})  # "asking the lords to invest"
PLEDGES = frozenset({"pledge", "promise", "vow", "commit", "undertake", "threaten"})  # "pledged to raise output"
# Verbs of intending that govern the event: "the products we are planning to release", "intends to buy".
INTENDS = frozenset({"plan", "intend", "aim", "prepare", "propose"})  # not "agree/decide to": often done
HOPES = frozenset({"hope", "expect", "want", "seek", "wish", "consider", "look"})  # not "try": "never tried to"
# Nouns of intent or prospect over the event: "plans to expand", "an interest in buying more", "talks on merging".
PLAN_NOUNS = frozenset({"plan", "intention", "proposal", "bid", "pledge", "promise", "commitment", "goal", "target"})
PROSPECT_NOUNS = frozenset({"interest", "talk", "option", "possibility", "hope", "prospect", "chance", "attempt",
                            "effort", "idea", "rumor", "rumour", "speculation", "expectation"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
PENDING_TYPES = frozenset({"Merger/Acquisition"})  # chosen on fresh tune judgments (eval/RESULTS.md, issue #18)
# An adjective on the noun itself that keeps it unrealised: "the proposed merger", "the planned sale".
UNREALISED_AMODS = frozenset({"proposed", "planned", "possible", "potential", "expected", "rumored", "rumoured",
                              "prospective", "future", "mooted", "pending", "likely"})
SCHEDULE = frozenset({"be", "set", "due", "going", "poised", "slated", "scheduled"})  # "is to", "is set to"
# A deal or merger that is the subject of these verbs did not happen: "the deal fell through", "talks collapsed".
COLLAPSE_VERBS = frozenset({"collapse", "fail", "founder", "crumble", "stall", "fall", "break", "die", "sink"})
# ... or the object of these: "called off the merger", "scrapped the deal".
CANCEL_VERBS = frozenset({"scrap", "cancel", "abandon", "terminate", "drop", "ditch", "reject", "block", "kill"})
UNREALIZED = frozenset({"unrealized", "unrealised", "failed", "aborted", "abortive", "collapsed", "scrapped",
                        "cancelled", "canceled", "abandoned", "stillborn"})
LEADS = frozenset({"lead", "result", "translate", "amount"})  # "hasn't led to a deal"


def _definite_noun(trigger: Token, event_type: str | None) -> bool:
    """"the fine", "this agreement", "Toyota's recall": a noun that presupposes its occurrence exists, so a modal on
    the verb above it ("can appeal the fine", "China must not use ... under the agreement") is not the event's.
    Not a takeover's noun: "the merger" often names one still pending ("will review the merger")."""
    if trigger.pos_ != "NOUN" or event_type in FIGURE_TYPES or event_type in PENDING_TYPES or any(  # a figure's noun ("its costs") is no change
            c.lower_ in UNREALISED_AMODS or (c.dep_ == "relcl" and c.lemma_.lower() in SCHEDULE)
            for c in trigger.children):
        return False
    return any((c.dep_ == "det" and c.lower_ in DEFINITE) or c.dep_ == "poss" for c in trigger.children)


def _verbal_chain(trigger: Token):
    """The trigger and the verbs it hangs from within its clause (xcomp/aux/conj/auxpass up to 4 steps)."""
    word = trigger
    yield word
    for _ in range(4):
        if word.dep_ not in ("xcomp", "conj", "dobj", "nsubjpass", "pobj", "prep", "pcomp") or word.head.i == word.i:
            return
        word = word.head
        yield word


def modal_hedged(trigger: Token) -> bool:
    """Whether "would" or a modal auxiliary governs the trigger within its clause ("would face fines")."""
    return any(c.dep_ == "aux" and c.lower_ in MODALS | {"would", "'d"} and c.i != trigger.i
               for k, word in enumerate(_verbal_chain(trigger)) if k == 0 or word.pos_ in ("VERB", "AUX")
               for c in word.children)


def product_modality(trigger: Token, modality: str, event_type: str | None = None) -> str:
    """A certain event becomes planned under a future or a schedule, possible under "would" or "seems"; a definite
    noun keeps (or gets back) certain."""
    if _definite_noun(trigger, event_type):
        return "certain"
    if modality != "certain":
        return modality
    for k, word in enumerate(_verbal_chain(trigger)):
        if word.pos_ not in ("VERB", "AUX") and k > 0:
            continue
        for c in word.children:
            if c.dep_ == "aux" and c.lower_ in FUTURE_AUX:
                return "planned"
            if c.dep_ == "aux" and c.lower_ in ("would", "'d"):
                return "planned" if _reported_future(word) else "possible"  # "said it would buy": a stated plan
            if c.dep_ == "aux" and c.lower_ in MODALS and c.i != trigger.i:
                return "possible"  # "must respond by taking legal action", "can help reduce costs"
        if k > 0 and word.lemma_.lower() in HEDGE_VERBS | REQUESTS | HOPES:
            return "possible"
        if k > 0 and word.lemma_.lower() in PLEDGES | INTENDS:
            return "planned"
        if k > 0 and word.lemma_.lower() in SCHEDULE and any(c.dep_ == "xcomp" for c in word.children) and \
                (word.lemma_.lower() != "be" or word.tag_ in ("VBZ", "VBP", "VBD")):
            return "planned"  # "Walsh is to replace", "is set to launch"
    noun = _intent_noun(trigger)
    if noun is not None:
        return "planned" if noun in PLAN_NOUNS else "possible"
    if trigger.pos_ == "NOUN" and any(c.dep_ == "relcl" and c.lemma_.lower() in SCHEDULE - {"be", "going"}
                                      for c in trigger.children):
        return "planned"  # "the deal, which is set for October"
    return modality


def _intent_noun(trigger: Token) -> str | None:
    """The lemma of a noun of intent or prospect that the verb trigger completes ("plans to open" -> "plan")."""
    if trigger.pos_ != "VERB":
        return None
    head = trigger.head
    if trigger.dep_ in ("pcomp", "pobj") and head.dep_ == "prep":
        head = head.head  # "an interest [in] buying"
    elif trigger.dep_ not in ("acl", "xcomp"):
        return None
    lemma = head.lemma_.lower()
    return lemma if head.pos_ == "NOUN" and lemma in PLAN_NOUNS | PROSPECT_NOUNS else None


def product_polarity(trigger: Token, polarity: str) -> str:
    """A deal that collapsed, was called off or never came about is negated."""
    if polarity != "positive":
        return polarity
    head = trigger.head
    if trigger.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in COLLAPSE_VERBS:
        if head.lemma_.lower() != "fall" or any(c.lower_ in ("through", "apart") for c in head.children):
            return "negated"  # "the deal fell through", "talks collapsed"
    if trigger.dep_ == "dobj" and head.lemma_.lower() in CANCEL_VERBS | {"call"}:
        if head.lemma_.lower() != "call" or any(c.lower_ == "off" for c in head.children):
            return "negated"  # "called off the merger", "scrapped the deal"
    if any(c.dep_ in ("amod", "advmod") and c.lower_ in UNREALIZED for c in trigger.children):
        return "negated"  # "the unrealized merger"
    if trigger.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in LEADS and \
            any(c.dep_ == "neg" or c.lower_ == "never" for c in head.head.children):
        return "negated"  # "hasn't led to a deal"
    return polarity
