"""Event triggers from lemma- and parse-based patterns (the learned model adds the rest; see classifier.py)."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

FACILITY_NOUNS = frozenset({
    "store", "shop", "outlet", "factory", "plant", "facility", "office", "center", "centre", "campus",
    "headquarters", "warehouse", "branch", "mill", "refinery", "mine", "lab", "laboratory", "hub", "showroom",
})
DEAL_NOUNS = frozenset({"deal", "agreement", "partnership", "pact", "alliance", "contract", "collaboration",
                        "cooperation", "venture", "accord", "tie-up", "talk"})
DEAL_VERBS = frozenset({"negotiate", "partner", "team", "collaborate", "cooperate", "ally"})
PRODUCT_VERBS = frozenset({"sell", "offer", "launch", "release", "unveil", "introduce", "debut", "ship",
                           "distribute", "carry", "market", "recall", "discontinue"})
ACQUISITION_VERBS = frozenset({"acquire", "buy", "merge", "purchase", "takeover"})
ACQUISITION_NOUNS = frozenset({"acquisition", "merger", "takeover", "buyout"})
MARKET_VERBS = frozenset({"dominate", "lead"})
PRICE_NOUNS = frozenset({"rival", "competitor", "alternative", "device", "phone", "smartphone", "handset",
                         "model", "version", "flagship"})


@dataclass(frozen=True)
class Trigger:
    token: Token
    type: str
    subtype: str | None = None
    score: float = 1.0
    last: int | None = None  # index of the trigger's last token, for phrasal triggers


def _has_object(token: Token, nouns: frozenset[str] | None = None) -> bool:
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass") and (nouns is None or child.lemma_.lower() in nouns):
            return True
    return False


def _rule(token: Token) -> tuple[str, str | None] | None:
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX"):
        if lemma in ("open", "close", "build", "shut") and _has_object(token, FACILITY_NOUNS):
            return "Facility", "Open" if lemma in ("open", "build") else "Close"
        if lemma in DEAL_VERBS:
            return "Deal", None
        if lemma in ACQUISITION_VERBS and any(c.dep_ == "dobj" and c.ent_type_ == "ORG" for c in token.children):
            return "Merger/Acquisition", None
        if lemma in PRODUCT_VERBS and _has_object(token):
            return "Product/Service", "Launch" if lemma in ("launch", "release", "unveil", "introduce", "debut") else None
        if lemma in MARKET_VERBS and any(c.lemma_.lower() == "market" for c in token.children
                                         if c.dep_ in ("nsubjpass", "dobj")):
            return "SalesVolume", None
    elif token.pos_ in ("NOUN", "PROPN"):
        if lemma in DEAL_NOUNS and not (lemma == "talk" and token.lower_ != "talks"):
            if token.head.lemma_.lower() in DEAL_VERBS and token.dep_ == "dobj":
                return None  # "negotiating agreements": the verb carries the event
            return "Deal", None
        if lemma in ACQUISITION_NOUNS:
            return "Merger/Acquisition", None
        # "The Huawei Mate 9, a $500 rival to the iPhone": a priced product.
        if token.dep_ == "appos" and token.head.ent_type_ == "PRODUCT" and lemma in PRICE_NOUNS \
                and any(t.ent_type_ == "MONEY" for t in token.subtree):
            return "Product/Service", None
        if lemma == "share" and any(c.lemma_.lower() == "market" for c in token.children if c.dep_ == "compound"):
            return "SalesVolume", None
    return None


def rule_triggers(sentence) -> list[Trigger]:
    """Triggers the patterns find in one sentence."""
    found = []
    for token in sentence:
        hit = _rule(token)
        if hit:
            found.append(Trigger(token, *hit, last=token.i))
    return found
