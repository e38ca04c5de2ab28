"""Small helpers over spaCy's dependency parse that the event modules share."""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Crossing one of these edges upwards leaves the trigger's clause.
CLAUSE_EDGES = frozenset({"ccomp", "parataxis", "advcl", "relcl", "ROOT"})


def climb(token: Token, limit: int = 12) -> Iterator[tuple[Token, str]]:
    """(ancestor, dependency of the child we came from), from the token's head up to the root."""
    cur = token
    for _ in range(limit):
        if cur.head.i == cur.i:  # a root is its own head; `is` never holds, spaCy makes a new Token each time
            return
        yield cur.head, cur.dep_
        cur = cur.head


def entity_at(token: Token) -> Span | None:
    """The named entity covering `token`, if any."""
    if not token.ent_type_:
        return None
    doc = token.doc
    # Walk the IOB tags rather than doc.ents, which spaCy rebuilds on every access.
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def noun_phrase(token: Token) -> Span:
    """The entity covering `token`, else its noun phrase up to the token (determiner, modifiers, head)."""
    ent = entity_at(token)
    if ent is not None:
        return ent
    start = token.i
    for left in token.lefts:
        if left.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case", "advmod"):
            start = min(start, left.left_edge.i)
    return token.doc[start:token.i + 1]


def with_conjuncts(token: Token) -> list[Token]:
    """The token and the tokens conjoined to it ("Apple and Samsung")."""
    return [token, *token.conjuncts]
