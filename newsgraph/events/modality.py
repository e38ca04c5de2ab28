"""Modality (certain, planned, possible, reported) and polarity of an event, from cue words in the trigger's scope."""
from __future__ import annotations

from spacy.tokens import Token

from newsgraph.events.parse import climb

PLANNED = frozenset({
    "plan", "intend", "aim", "prepare", "seek", "want", "hope", "propose", "consider", "mull", "explore",
    "negotiate", "talk", "discuss", "schedule", "target", "pursue", "eye", "weigh", "bid", "attempt", "try",
    "expect", "poise", "set", "aspire", "wish", "need", "looking",
})
POSSIBLE = frozenset({
    "may", "might", "could", "would", "possible", "possibility", "possibly", "likely", "unlikely", "potential",
    "potentially", "perhaps", "maybe", "probably", "chance", "risk", "speculation", "speculate", "rumor",
    "rumour", "should", "uncertain", "whether",
})
REPORTED = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "rumored", "rumoured", "reported"})
CONDITIONS = frozenset({"if", "unless", "whether"})
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
NEGATING_VERBS = frozenset({"fail", "refuse", "deny"})  # "cancel" is an event of its own in SENTiVENT


def _cue(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if lemma in REPORTED or token.lower_ in REPORTED:
        return "reported"
    if lemma in POSSIBLE or token.lower_ in POSSIBLE:
        return "possible"
    if lemma in PLANNED and token.dep_ not in ("nsubj", "dobj", "pobj") or token.lower_ == "talks":
        return "planned"
    return None


def _own_cues(token: Token) -> str | None:
    """A cue on the token itself or its auxiliaries, adverbs and conditional clauses."""
    for child in token.children:
        if child.dep_ in ("aux", "advmod", "mark", "acomp"):
            cue = _cue(child)
            if cue:
                return cue
        if child.dep_ == "advcl" and any(m.lower_ in CONDITIONS for m in child.children if m.dep_ == "mark"):
            return "possible"
        if child.dep_ == "mark" and child.lower_ in CONDITIONS:
            return "possible"
    return _cue(token)


def modality(trigger: Token) -> str:
    """The nearest modality cue from the trigger up through its governing words; `certain` if none."""
    cue = _own_cues(trigger)
    if cue:
        return cue
    for head, dep in climb(trigger, limit=4):
        if dep in ("parataxis", "advcl", "relcl", "ccomp"):
            break
        cue = _own_cues(head)
        if cue:
            return cue
        if dep == "ccomp" and head.lemma_.lower() in ("say", "tell", "announce", "confirm", "state"):
            break  # a reporting verb's own modality is not the event's
    return "certain"


def polarity(trigger: Token) -> str:
    """`negated` if a negation governs the trigger within its clause ("no agreements", "won't sell")."""
    scope = [trigger]
    for head, dep in climb(trigger, limit=4):
        if dep in ("ccomp", "parataxis", "advcl", "relcl", "acl", "nsubj", "nsubjpass", "conj"):
            break
        scope.append(head)
    for tok in scope:
        if tok.lemma_.lower() in NEGATING_VERBS and tok is not trigger:
            return "negated"
        for child in tok.children:
            if child.dep_ in ("neg", "det", "advmod", "preconj") and child.lower_ in NEGATORS:
                return "negated"
            if child.dep_ == "prep" and child.lower_ == "without" and tok is not trigger:
                return "negated"
    if trigger.head.lower_ == "without" and trigger.dep_ in ("pobj", "pcomp"):
        return "negated"
    return "positive"


def decide(trigger: Token, model=None) -> tuple[str, str]:
    """(modality, polarity): the cue rules, overruled by the learned model where one is given.

    The model decides certain-or-not and negated-or-not; the cue rules say which kind of not-certain.
    """
    mod, pol = modality(trigger), polarity(trigger)
    if model is None:
        return mod, pol
    other, negative = model.is_other(trigger), model.is_negative(trigger)
    if other is not None:
        mod = (mod if mod != "certain" else "possible") if other else "certain"
    if negative is not None:
        pol = "negated" if negative else "positive"
    return mod, pol
