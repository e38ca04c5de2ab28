"""Event triggers from lemma- and parse-based patterns (the learned model adds the rest; see classifier.py)."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from newsgraph.errors import NewsgraphError

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
    p_none: float | None = None  # the trigger model's probability that the word is no trigger (None: not scored)
    learned: bool = False  # found by the trigger model, not a pattern

    @property
    def end(self) -> int:
        """Index one past the trigger's last token."""
        return (self.last if self.last is not None else self.token.i) + 1

    @property
    def span(self) -> Span:
        return self.token.doc[self.token.i:self.end]


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


# Learned triggers on lemmas SENTiVENT train almost never marks are junk ("country": 0 of 45, "more": 8 of 255).
NONTRIGGER_FILE = Path(__file__).with_name("model") / "nontriggers.json"
NONTRIGGER_MIN_COUNT = 5  # seen at least this often as a candidate word in train ...
NONTRIGGER_MAX_RATE = 0.1  # ... and inside a gold trigger at most this share of the time (set on dev trigger F1)


def nontrigger_lemmas(sentences, docs, min_count: int = NONTRIGGER_MIN_COUNT,
                      max_rate: float = NONTRIGGER_MAX_RATE) -> list[str]:
    """Lemmas of candidate words that are seldom part of a gold trigger in parsed SENTiVENT sentences."""
    from newsgraph.events.features import is_candidate
    from newsgraph.events.sentivent import gold_spans

    seen: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for s, d in zip(sentences, docs, strict=True):
        gold = {t.i for _, span in gold_spans(s, d) for t in span}
        for t in d:
            if is_candidate(t):
                lemma = t.lemma_.lower()
                seen[lemma] += 1
                inside[lemma] += t.i in gold
    return sorted(lemma for lemma, n in seen.items() if n >= min_count and inside[lemma] / n <= max_rate)


def save_nontriggers(lemmas: list[str], out: Path = NONTRIGGER_FILE) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"licence": "CC BY-NC 4.0 (counted on SENTiVENT train; see NOTICE)",
                               "min_count": NONTRIGGER_MIN_COUNT, "max_rate": NONTRIGGER_MAX_RATE,
                               "lemmas": lemmas}, indent=0), encoding="utf-8")
    load_nontriggers.cache_clear()


@lru_cache(maxsize=1)
def load_nontriggers(path: Path = NONTRIGGER_FILE) -> frozenset[str]:
    """The shipped stop-list, or an empty set when it has not been built (learned triggers then pass)."""
    if not path.is_file():
        return frozenset()
    try:
        return frozenset(json.loads(path.read_text(encoding="utf-8"))["lemmas"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NewsgraphError(f"cannot read the trigger stop-list {path}: {exc}") from exc


def non_eventive(trigger: Trigger, known_lemma, stop: frozenset[str]) -> bool:
    """Whether every word of a learned trigger is a train non-trigger lemma ("country") or a lemma the model has
    no weight for (seen under twice in train: "manner"), so its type came from the context alone."""
    return all(w.lemma_.lower() in stop or not known_lemma(w.lemma_.lower()) for w in trigger.span)


def object_of_event(trigger: Trigger, found: list[Trigger]) -> bool:
    """Whether a one-word noun trigger is the object of a verb whose subject is another trigger: "no agreements
    take place" is one event, on the subject (in train such objects are triggers 19 times out of 116)."""
    tok = trigger.token
    if tok.dep_ != "dobj" or tok.pos_ != "NOUN" or trigger.end != tok.i + 1:
        return False
    taken = {t.token.i for t in found if t is not trigger}
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i in taken for c in tok.head.children)


def verb_over_event(trigger: Trigger, found: list[Trigger]) -> bool:
    """Whether a one-word verb trigger's direct object is a trigger of another type: in "Verizon announced the
    acquisition of Yahoo" the event is the acquisition, not a Product/Service "announced" (SENTiVENT train: 33
    such triggers, F1 unchanged; dev trigger classification F1 0.334 -> 0.335)."""
    tok = trigger.token
    if tok.pos_ != "VERB" or trigger.end != tok.i + 1:
        return False
    others = {t.token.i: t.type for t in found if t is not trigger}
    return any(c.dep_ == "dobj" and others.get(c.i, trigger.type) != trigger.type for c in tok.children)
