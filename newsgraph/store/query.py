"""The newsgraph search syntax, parsed into a small tree that each backend translates (FTS5, tsquery).

    words            every word must occur in the sentence (case and accents ignored)
    "a phrase"       the words in this order, next to each other
    a OR b           either one; OR binds closer than the implicit AND: `x a OR b` is x and (a or b)
    -word, -"a b"    the sentence must not contain it (a query needs at least one term that is not excluded);
                     `NOT word` says the same, and `a AND b` is `a b`
    prefix*          any word starting with `prefix`

Words are split the way the index splits text: letters and digits only, so "U.S." is the phrase "u s".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import QueryError

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'\s*(?:(-?)"([^"]*)("?)|(\S+))')
SYNTAX = 'words, "phrases", a OR b, -excluded, prefix*'


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several; `prefix`: its last word matches any word it starts."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """Every group in `all` must match (a group matches if any of its terms does) and no term in `none`."""

    all: tuple[tuple[Term, ...], ...]
    none: tuple[Term, ...] = ()


def search_tokens(text: str) -> list[str]:
    """Lower-cased words without diacritics: how both the index and queries see text."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return _WORD.findall(folded)


def _bad(query: str, why: str) -> QueryError:
    return QueryError(f"bad search query {query!r}: {why}. The syntax: {SYNTAX}")


def _term(query: str, raw: str, phrase: bool) -> Term | None:
    prefix = False
    if not phrase and raw.endswith("*"):
        raw, prefix = raw[:-1], True
        if not raw or "*" in raw:
            raise _bad(query, "'*' must end a word, as in merg*")
    elif not phrase and "*" in raw:
        raise _bad(query, f"'*' must end a word, as in merg* (not {raw!r})")
    words = tuple(search_tokens(raw))
    return Term(words, prefix) if words else None


def parse(query: str) -> Query:
    """The query's tree; QueryError names what is wrong and shows the syntax."""
    if not query.strip():
        raise QueryError(f"empty search query. The syntax: {SYNTAX}")
    groups: list[list[Term]] = []
    none: list[Term] = []
    pending_or = pending_and = pending_not = False
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None:  # only trailing blanks are left
            break
        pos = m.end()
        negated, phrase, closed, bare = m.group(1), m.group(2), m.group(3), m.group(4)
        if bare is None and not closed:
            raise _bad(query, "a quote is not closed")
        if bare in ("OR", "AND"):
            if not groups or pending_or or pending_and or pending_not:
                raise _bad(query, f"{bare} needs a term on each side")
            pending_or, pending_and = bare == "OR", bare == "AND"
            continue
        if bare == "NOT":
            if pending_or or pending_not:
                raise _bad(query, "NOT needs a term after it, and cannot follow OR")
            pending_not = True
            continue
        pending_and = False
        if pending_not:
            negated, pending_not = "-", False
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        term = _term(query, phrase if bare is None else bare, bare is None)
        if negated:
            if pending_or:
                raise _bad(query, "an excluded term cannot be part of an OR")
            if term is not None:
                none.append(term)
            continue
        if term is None:  # punctuation only: nothing to match
            continue
        if pending_or:
            groups[-1].append(term)
            pending_or = False
        else:
            groups.append([term])
    if pending_or or pending_and or pending_not:
        raise _bad(query, "OR, AND and NOT need a term after them")
    if not groups:
        raise _bad(query, "it needs at least one word that is not excluded")
    return Query(all=tuple(tuple(g) for g in groups), none=tuple(none))


# ---- translations --------------------------------------------------------------------------------------------


def _fts5_term(t: Term) -> str:
    return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")


def to_fts5(q: Query) -> str:
    """An SQLite FTS5 MATCH expression (every term quoted, so no word is read as an operator)."""
    expr = " AND ".join("(" + " OR ".join(_fts5_term(t) for t in g) + ")" for g in q.all)
    if q.none:
        expr = f"({expr}) NOT (" + " OR ".join(_fts5_term(t) for t in q.none) + ")"
    return expr


def _ts_term(t: Term) -> str:
    words = [f"'{w}'" for w in t.words]
    if t.prefix:
        words[-1] += ":*"
    return "(" + " <-> ".join(words) + ")"


def to_tsquery(q: Query) -> str:
    """A PostgreSQL tsquery (for to_tsquery('simple', ...)) over text indexed as `search_tokens`."""
    parts = ["(" + " | ".join(_ts_term(t) for t in g) + ")" for g in q.all]
    parts += ["!" + _ts_term(t) for t in q.none]
    return " & ".join(parts)
