"""Modality (certain, planned, possible, reported) and polarity of an event, from cue words in the trigger's scope.

A cue counts only when it sits on the trigger's own clause: on the trigger, on a word governing it (its path to
the root), or as an auxiliary/adverb/marker of one of those. The conventions follow SENTiVENT train, where
"other" is mostly hypothetical or forecast ("could", "if", "expects revenue of", "analysts believe"), while a
plain future or an announced plan is usually annotated as certain; we keep `planned` for plans and talks anyway
(the product wants them), but a bare "will" stays certain.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsgraph.events.parse import SUBJECTS

# Intentions, plans and negotiations still under way.
PLANNED = frozenset({
    "plan", "intend", "aim", "prepare", "seek", "want", "hope", "propose", "consider", "mull", "explore",
    "negotiate", "talk", "discuss", "pursue", "eye", "weigh", "aspire", "wish", "contemplate", "ponder", "evaluate",
})
# Nouns that make their complement a plan: "a plan to cut", "talks to buy", "its bid for".
PLANNED_NOUNS = frozenset({
    "plan", "plans", "proposal", "bid", "attempt", "talks", "negotiation", "negotiations", "intention", "goal",
    "offer", "ambition", "aim", "target",
})
# A trigger that is itself a negotiation ("Huawei is in talks ...").
NEGOTIATION = frozenset({"talks", "negotiations", "negotiating", "negotiate", "negotiates"})
# Hedges, possibility, ability and obligation.
POSSIBLE = frozenset({
    "may", "might", "could", "would", "can", "ca", "should", "must", "possible", "possibility", "possibly",
    "likely", "unlikely", "potential", "potentially", "perhaps", "maybe", "probably", "chance", "risk",
    "speculation", "speculate", "uncertain", "whether", "able", "unable", "hypothetical", "supposed",
})
# Verbs whose content is a forecast or an opinion rather than a fact: "expects revenue of", "we believe".
FORECAST = frozenset({
    "expect", "anticipate", "forecast", "project", "predict", "estimate", "believe", "think", "assume", "guide",
    "envision", "foresee", "suppose", "imagine", "doubt", "bet", "suggest", "fear", "worry",
})
# Forecast verbs that say nothing hedged in the past ("suggested" reports what was said).
FORECAST_PRESENT_ONLY = frozenset({"suggest", "fear", "worry"})
# Figures that are forecasts: "revenue estimates", "the sales forecast", "guidance for TRASM", "projected sales".
FORECAST_NOUNS = frozenset({
    "estimate", "forecast", "projection", "guidance", "expectation", "outlook", "consensus", "prediction",
    "potential", "prospect", "target",
})
FORECAST_MODIFIERS = frozenset({
    "planned", "proposed", "anticipated", "expected", "projected", "estimated", "forecast", "potential",
    "future", "possible", "eventual", "prospective", "likely", "hypothetical", "intended", "pending",
})
REPORTED = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "rumored", "rumoured", "apparently"})
CONDITIONS = frozenset({"if", "unless", "whether", "provided", "assuming"})
# Verbs of saying: "said it would buy" is a future in the past, reported as decided.
REPORTING = frozenset({
    "say", "tell", "report", "announce", "state", "add", "note", "write", "confirm", "disclose", "reveal",
    "explain", "indicate", "claim", "allege",
})
# The trigger's scope reaches up through these edges only; others leave its clause.
SCOPE_EDGES = frozenset({
    "xcomp", "aux", "auxpass", "dobj", "pobj", "prep", "compound", "amod", "nmod", "acomp", "attr", "pcomp",
    "advmod", "npadvmod", "poss", "nummod", "quantmod", "appos", "oprd", "agent", "dative", "conj", "cc", "nsubj",
    "nsubjpass",
})
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "hardly", "longer"})
# Words that negate their complement ("failed to sell", "a lack of growth"); "cancel" is an event of its own.
NEGATING_VERBS = frozenset({"fail", "refuse", "deny", "decline", "stop", "cease", "lack", "absence", "without"})
# "don't think it will launch" negates the launch.
NEG_RAISING = frozenset({"think", "believe", "expect", "see", "anticipate", "want", "mean"})
# Verbs whose negation negates their object ("has no debt", "didn't make a profit", "never earned a profit").
LIGHT_VERBS = frozenset({"have", "make", "earn", "get", "see", "take", "face", "provide", "offer", "give", "reach"})
# Quantifying "not": "not only", "not just", "isn't enough", "not necessarily" do not negate the event.
NOT_NEGATING = frozenset({"only", "just", "enough", "necessarily", "far", "as", "alone", "least", "until"})


def scope(trigger: Token) -> Iterator[tuple[Token, str]]:
    """(word, edge we came up by) from the trigger up its governing chain, within its clause.

    A clausal complement of a forecast verb is followed one step ("expects that sales will grow": the
    expectation is the cue), and a noun's complement into a plan noun ("a plan to cut").
    """
    yield trigger, ""
    cur = trigger
    for _ in range(6):
        head, dep = cur.head, cur.dep_
        if head.i == cur.i:
            return
        lemma = head.lemma_.lower()
        if dep in SCOPE_EDGES:
            yield head, dep
        elif (dep == "ccomp" and lemma in FORECAST) or \
                (dep == "acl" and (lemma in PLANNED_NOUNS or head.lower_ in PLANNED_NOUNS or lemma in POSSIBLE)):
            yield head, dep  # the cue's own clause is not the trigger's: stop after it
            return
        else:
            return
        cur = head


@dataclass(frozen=True)
class Cue:
    """A modality cue found in the trigger's scope: its kind, its word, and how it relates to the trigger."""

    kind: str  # planned | possible | reported
    word: str
    relation: str  # "aux@1" (an auxiliary of the first governor), "gov:xcomp", "condition", "modifier", "question"
    at: int | None = field(default=None, compare=False)  # the cue word's index in the Doc (None: the question mark)


def _reported_future(verb: Token) -> bool:
    """Whether the verb's clause is the content of a verb of saying ("Amazon said it would buy ..."): in train,
    "would" there is "certain" 19 times out of 24."""
    cur = verb
    for _ in range(4):
        if cur.dep_ == "ccomp":
            return cur.head.lemma_.lower() in REPORTING
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _own(word: Token, edge: str, depth: int, trigger: Token) -> Cue | None:
    """The cue the word (on the trigger's path, `depth` steps up) is or carries."""
    for child in word.children:
        if child.dep_ in ("aux", "advmod", "mark", "acomp", "neg", "amod") and child.i != trigger.i:
            kind = _word_cue(child)
            if kind and child.lower_ == "would" and _reported_future(word):
                continue
            if kind:
                return Cue(kind, child.lower_, f"{child.dep_}@{min(depth, 2)}", child.i)
        if child.dep_ == "advcl" and any(m.lower_ in CONDITIONS for m in child.children if m.dep_ == "mark") \
                and not (child.left_edge.i <= trigger.i <= child.right_edge.i):
            return Cue("possible", "if", "conditioned", child.i)  # "If the conditions are met, Apple will buy ..."
        if child.dep_ == "mark" and child.lower_ in CONDITIONS:
            return Cue("possible", child.lower_, "condition", child.i)  # the trigger's clause is itself the condition
        if child.dep_ in ("amod", "compound") and child.i != trigger.i and depth == 0 and \
                (child.lower_ in FORECAST_MODIFIERS or child.lemma_.lower() in FORECAST_NOUNS):
            return Cue("planned" if child.lower_ in ("planned", "proposed", "intended", "pending") else "possible",
                       child.lower_, "modifier", child.i)  # "the planned acquisition", "consensus sales"
    if word is trigger:
        if word.lemma_.lower() in FORECAST_NOUNS - {"target", "consensus", "guidance", "outlook"}:
            return Cue("possible", word.lemma_.lower(), "forecast", word.i)  # the event is itself an estimate
        if word.lower_ in NEGOTIATION:
            return Cue("planned", word.lower_, "self", word.i)  # "in talks": a deal under negotiation is not done
        return None  # the trigger's own word is the event, not a cue ("reported revenue", "the plan")
    lemma = _lemma(word)
    kind = None
    if lemma in REPORTED:
        kind = "reported"
    elif lemma in ("say", "report", "rumor", "rumour") and edge == "xcomp" and \
            any(c.dep_ == "auxpass" for c in word.children):
        kind = "reported"  # "is said to have", "was reported to be"
    elif lemma in FORECAST and edge in ("xcomp", "ccomp", "dobj", "nsubjpass") and \
            not (lemma in FORECAST_PRESENT_ONLY and word.tag_ in ("VBD", "VBN")):
        kind = "possible"
    elif lemma in PLANNED and edge in ("xcomp", "dobj", "prep", "pobj") and word.pos_ in ("VERB", "AUX") \
            or ((lemma in PLANNED_NOUNS or word.lower_ in PLANNED_NOUNS) and edge in ("acl", "prep", "pobj", "compound")):
        kind = "planned"  # "plans to open", "a plan to cut", "in talks to sell"
    elif lemma in POSSIBLE and edge in ("xcomp", "acomp", "ccomp", "amod", "prep", "pobj", "acl"):
        kind = "possible"
    elif lemma in FORECAST_NOUNS and edge in ("compound", "prep", "pobj", "poss", "nmod") and depth <= 2:
        kind = "possible"  # "[[sales]] forecast", "guidance for [[TRASM]]"
    return Cue(kind, lemma, f"gov:{edge}", word.i) if kind else None


def _lemma(token: Token) -> str:
    """The lowercase lemma, with the tagger's slips on cue verbs mended ("hopes", "hoping" -> "hop")."""
    lemma = token.lemma_.lower()
    return "hope" if lemma == "hop" and token.lower_.startswith("hop") else lemma


def _word_cue(token: Token) -> str | None:
    word = token.lower_
    lemma = token.lemma_.lower()
    if word in REPORTED or lemma in REPORTED:
        return "reported"
    if word in POSSIBLE or lemma in POSSIBLE:
        return "possible"
    return None


def _is_question(trigger: Token) -> bool:
    sent = trigger.sent
    return any(t.text == "?" for t in sent[-2:])


def find_cue(trigger: Token) -> Cue | None:
    """The nearest modality cue from the trigger up through its governing words, if any."""
    for depth, (word, edge) in enumerate(scope(trigger)):
        cue = _own(word, edge, depth, trigger)
        if cue:
            return cue
    if _is_question(trigger):
        return Cue("possible", "?", "question")  # SENTiVENT marks events in questions as not certain
    return None


def modality(trigger: Token) -> str:
    """The kind of the nearest modality cue in the trigger's scope; `certain` if none."""
    cue = find_cue(trigger)
    return cue.kind if cue else "certain"


def _negator(child: Token) -> bool:
    if child.lower_ not in NEGATORS:
        return False
    if child.lower_ == "longer" and (child.i == 0 or child.doc[child.i - 1].lower_ != "no"):
        return False
    if child.dep_ not in ("neg", "det", "advmod", "preconj", "cc"):
        return False
    # "not only", "isn't enough", "not just": a quantifier, not a negation.
    nxt = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
    if nxt is not None and nxt.lower_ in NOT_NEGATING:
        return False
    # "will not ship until October": a delay, not a negation (train: both such events are positive).
    return not any(_until(c) for c in child.head.children)


def _until(token: Token) -> bool:
    if token.lower_ in ("until", "till") and token.dep_ == "prep":
        return True
    return token.dep_ == "advcl" and any(m.lower_ in ("until", "till") for m in token.children if m.dep_ == "mark")


def polarity(trigger: Token) -> str:
    """`negated` if a negation governs the trigger within its clause ("no agreements", "won't sell").

    A negated word negates the trigger when the trigger is that word, its verbal complement ("won't be able to
    sell"), the predicate of a negated copula ("aren't happy", "not interested in a deal"), the object of a light
    verb ("had no debt", "didn't make a profit") or the content of a negated belief ("don't think it will
    launch"); a nominal trigger under a content verb is not negated by it ("didn't disclose details of the pact").
    """
    word, came = trigger, None
    for _ in range(6):
        if any(_negator(c) for c in word.children if came is None or c.i != came.i):  # not `is`: new Tokens
            return "negated"
        lemma = word.lemma_.lower()
        if word.lower_ in ("than", "of") and word.i > 0 and word.doc[word.i - 1].lower_ in ("rather", "instead") \
                and came is not None:
            return "negated"  # "rather than investing", "instead of emerging markets"
        if word is not trigger and lemma in NEGATING_VERBS and came.dep_ in ("xcomp", "dobj", "pcomp", "pobj", "prep"):
            return "negated"  # "failed to sell", "refused to provide financing", "a lack of growth"
        head, dep = word.head, word.dep_
        if head.i == word.i:
            break
        verbal = word.pos_ in ("VERB", "AUX") or word.tag_.startswith("VB")
        if dep in ("xcomp", "aux", "auxpass") and verbal:
            pass  # a verbal complement shares its governor's negation
        elif dep == "conj" and verbal and not any(c.dep_ in SUBJECTS for c in word.children):
            pass  # "has not, and would not, license": but a conjunct with its own subject is its own clause
        elif dep in ("acomp", "attr", "compound", "pobj", "pcomp"):
            pass  # "aren't happy", "isn't an investment", "no [[license]] deal", "not looking for a deal"
        elif dep == "prep" and (head.pos_ in ("ADJ", "AUX") or head.lemma_.lower() in LIGHT_VERBS | {"be", "look"}):
            pass  # "not interested in", "isn't on the market"
        # Not followed (train precision 0.5 or under): a nominal trigger as active subject of a negated verb
        # ("the features weren't working") and prepositions under nouns in general.
        elif dep == "prep" and word.lower_ == "of" and head.pos_ == "NOUN" and \
                any(c.lower_ == "no" and c.dep_ == "det" for c in head.children):
            pass  # "made no mention of a deal", "no sign of a recovery" (train: 1 right, none wrong)
        elif dep == "dobj" and head.lemma_.lower() in LIGHT_VERBS:
            pass
        elif dep == "nsubjpass" and head.pos_ in ("VERB", "AUX"):
            pass  # "the building won't be finished", "that wasn't repeated" (train: 2 right, 1 wrong)
        elif dep == "acl" and verbal and (head.lower_ in PLANNED_NOUNS or head.lemma_.lower() in PLANNED_NOUNS):
            pass  # "has no plans to sell", "don't have plans to go direct"
        elif dep in ("ccomp", "xcomp") and head.lemma_.lower() in NEG_RAISING:
            pass  # "don't think any rival will launch", "not expecting the stock to fall"
        else:
            break
        came, word = word, head
    return "positive"


def decide(trigger: Token, event_type: str | None = None) -> tuple[str, str]:
    """(modality, polarity) of an event: the cue rules, with the shipped modality model's veto by event type."""
    from newsgraph.events.modality_model import load_modality_model, modality_with_model

    return modality_with_model(trigger, event_type, load_modality_model()), polarity(trigger)
