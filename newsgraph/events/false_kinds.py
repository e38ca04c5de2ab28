"""Mentions that are not events a reader can act on: headings and credit lines, static states, and generic or
hypothetical mentions with no concrete participant (issue #18's "false kinds"; judged in eval/events_real)."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from newsgraph.events.hedges import modal_hedged
from newsgraph.events.triggers import Trigger
from newsgraph.events.typology import FIGURE_TYPES

CREDIT = re.compile(r"^\s*(by arrangement with|courtesy of|photo(graph)?( by)?:|image:|source:|reporting by|"
                    r"editing by|additional reporting|©|\(c\)|copyright)", re.IGNORECASE)
CONDITIONS = frozenset({"if", "unless", "whether"})
# Generic-mention markers on a noun trigger: "any agreement", "such deals", "every acquisition".
IDIOM_SIZES = frozenset({"great", "good", "big", "huge", "whole", "fair"})
GENERIC_DETERMINERS = frozenset({"any", "such", "every", "each"})
DETERMINERS = ("det", "poss", "compound", "nummod", "amod")  # relations that make a noun an occurrence, not a kind
# Only these pick out one occurrence; an adjective or a noun modifier alone still names a kind ("commercial
# negotiations", "a nuclear safeguards agreement" under "any country which has not entered into").
# Figure types are exempt: their nouns name a measure and go bare ("net profit was $6.7bn", "home prices plunged").
SPECIFIERS = ("det", "poss", "nummod")
# Verbs of holding or being, not of change: "already owned 20%", "were employed by the company", "dominates".
STATIVE = frozenset({"own", "possess", "hold", "belong", "employ", "dominate", "remain", "consist", "contain",
                     "comprise", "lead"})


HEADING_MAX_TOKENS = 12  # a longer verbless line is a fragment of a sentence, not a heading


def heading_or_credit(sent: Span) -> bool:
    """A credit line ("By arrangement with the Guardian") or a heading: a short line with no verb at all."""
    if CREDIT.match(sent.text):
        return True
    return len(sent) <= HEADING_MAX_TOKENS and not any(t.pos_ in ("VERB", "AUX") for t in sent)


def static_state(trigger: Trigger) -> bool:
    """A rank, comparison or quality rather than an occurrence: "the third-largest vendor", "is popular",
    "better than". Only for learned triggers; an adjective that is the result of a change ("made it profitable")
    is kept."""
    root = trigger.span.root
    if any(t.tag_ in ("JJS", "JJR", "RBS", "RBR") for t in trigger.span):
        return True
    if root.pos_ == "VERB" and root.lemma_.lower() in STATIVE:
        return True
    return root.pos_ == "ADJ" and root.dep_ in ("acomp", "amod", "attr", "ROOT", "conj")


def in_condition(tok: Token) -> bool:
    """The word sits in (or under) an "if"/"unless"/"whether" clause."""
    cur = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONS for c in cur.children):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _question(tok: Token) -> bool:
    return tok.sent.text.rstrip().rstrip('"\'”’)').endswith("?")


def idiom(trigger: Trigger) -> bool:
    """A trigger word used in a set phrase: "dealing with a catastrophe", "a great deal of", "a big deal"."""
    root = trigger.span.root
    lemma = root.lemma_.lower()
    if lemma == "deal" and root.pos_ == "VERB" and any(c.dep_ == "prep" and c.lower_ == "with" for c in root.children):
        return True
    if lemma == "deal" and root.pos_ == "NOUN" and any(c.lower_ in IDIOM_SIZES for c in root.children if c.dep_ == "amod"):
        return True  # "a great deal of", "a good deal", "a big deal"
    return False


def generic_mention(trigger: Trigger, has_participant: bool) -> bool:
    """A conditional, a question, a hypothetical ("would face fines", "should purchase"), or a noun naming a kind
    ("trade", "any agreement"), with no participant of its own."""
    root = trigger.span.root
    if has_participant or any(c.dep_ == "poss" for c in root.children):  # "its revenue": someone's, not a kind
        return False
    if _question(root) or in_condition(root) or modal_hedged(root):
        return True
    if root.pos_ == "NOUN" and root.dep_ != "compound":  # "[[merger]] talks": the head noun decides
        dets = [c for c in root.children if c.dep_ in DETERMINERS]
        if any(c.lower_ in GENERIC_DETERMINERS for c in dets):
            return True
        owned = any(c.dep_ == "prep" and c.lower_ in ("of", "by", "between", "with") for c in root.children)
        if trigger.type in FIGURE_TYPES:
            return not dets and not owned
        return not owned and not any(c.dep_ in SPECIFIERS for c in dets)
    return False
