"""Attribution: the source an event's claim is credited to (reporting verbs, "according to", "..., the people said")."""
from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.events.parse import climb, noun_phrase
from newsgraph.model import Attribution

REPORTING = frozenset({
    "say", "report", "claim", "tell", "announce", "state", "confirm", "add", "note", "reveal", "disclose",
    "write", "insist", "assert", "suggest", "indicate", "warn", "predict", "estimate", "believe", "argue",
    "explain", "acknowledge", "admit", "allege", "according", "cite", "quote", "show",
})
ANONYMOUS_HEADS = frozenset({
    "people", "person", "source", "sources", "insider", "official", "officials", "executive", "executives",
    "analyst", "analysts", "report", "reports", "media", "someone", "employee", "employees", "document",
    "documents", "rumor", "rumors", "observer", "observers", "expert", "experts",
})
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "WORK_OF_ART"})
# An identified organisation or its on-the-record voice ("the company said", "a spokesman said", "according to
# the company website"): not an anonymous source, whose claim would read as unconfirmed.
IDENTIFIED_HEADS = frozenset({
    "company", "companies", "firm", "group", "maker", "carrier", "automaker", "airline", "bank", "retailer",
    "government", "ministry", "agency", "court", "regulator", "commission", "spokesman", "spokeswoman",
    "spokesperson", "representative", "statement", "website", "filing", "release", "ceo", "chairman", "president",
})


def _source(subject: Token, verb: Token | None = None) -> Span:
    """The source phrase: the subject's subtree, stretched up to its reporting verb when it comes first.

    (The parser often hangs the end of a long subject elsewhere: "people close to this information claim".)
    """
    doc = subject.doc
    end = subject.right_edge.i + 1
    if verb is not None and subject.i < verb.i:
        end = verb.i
    while end > subject.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space
                                   or (verb is not None and doc[end - 1].dep_ in ("aux", "auxpass", "neg", "advmod"))):
        end -= 1
    return doc[subject.left_edge.i:end]


def _kind(span: Span) -> str:
    head = noun_phrase(span.root).root
    if head.lower_ in ANONYMOUS_HEADS or head.lemma_.lower() in ANONYMOUS_HEADS:
        return "anonymous"
    if any(ent.label_ in NAMED_LABELS for ent in span.ents) or span.root.pos_ == "PROPN":
        return "named"
    if head.lower_ in IDENTIFIED_HEADS or head.lemma_.lower() in IDENTIFIED_HEADS:
        return "named"
    if head.text[:1].isupper() and head.i != head.sent.start:
        return "named"  # a title the tagger missed: "The Information reported"
    return "anonymous"


def _from_verb(verb: Token) -> Attribution | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]  # "X is said to": X is the claim, not its source
    if not subjects:
        return None
    span = _source(subjects[0], verb)
    if span.root.pos_ == "PRON" and span.root.lower_ not in ("they",):
        return None  # "it said": the pronoun's referent is the company itself, not a source
    return Attribution(kind=_kind(span), source=span.text, cue=verb.text)


def _according_to(sentence: Span) -> Attribution | None:
    for tok in sentence:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            objects = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objects:
                span = _source(objects[0])
                return Attribution(kind=_kind(span), source=span.text, cue="according to")
    return None


def attribution(trigger: Token) -> Attribution:
    """The nearest reporting clause the trigger is the content of, else "according to ...", else none."""
    came_from = trigger
    for head, dep in climb(trigger):
        if head.lemma_.lower() in REPORTING and dep in ("ccomp", "xcomp", "conj", "dobj", "advcl", "parataxis"):
            found = _from_verb(head)
            if found:
                return found
        came_from = head
    root = came_from  # the sentence root above the trigger
    # "..., the people said": a reporting clause hung beside the main one.
    for child in root.children:
        if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lemma_.lower() in REPORTING \
                and not (child.left_edge.i <= trigger.i <= child.right_edge.i):
            found = _from_verb(child)
            if found:
                return found
    return _according_to(trigger.sent) or _trailing_clause(trigger) or Attribution()


def _trailing_clause(trigger: Token) -> Attribution | None:
    """"..., the companies announced [on Monday]." when the parser hung the clause elsewhere (e.g. as an apposition)."""
    sent = trigger.sent
    for verb in sent:
        if verb.i <= trigger.i or verb.lemma_.lower() not in REPORTING or verb.tag_ not in ("VBD", "VBZ", "VBP"):
            continue
        start = verb.i
        while start - 1 > trigger.i and sent.doc[start - 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM"):
            start -= 1
        if start < verb.i and sent.doc[start - 1].text == "," and all(
                t.is_punct or t.dep_ in ("prep", "pobj", "npadvmod", "advmod") or t.pos_ in ("ADP", "PROPN", "NOUN")
                for t in sent.doc[verb.i + 1:sent.end]):
            span = sent.doc[start:verb.i]
            return Attribution(kind=_kind(span), source=span.text, cue=verb.text)
    return None
