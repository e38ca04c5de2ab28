"""A spaCy component, run between the tagger and the parser, that presets sentence starts the parser misses."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

# Abbreviations that end a company name and so may hide a sentence end ("... Samsung Electronics Co. Verizon sells").
CORP_ABBREVIATIONS = frozenset(
    {"Co.", "Cos.", "Inc.", "Corp.", "Ltd.", "Plc.", "Bros.", "L.P.", "L.L.C.", "S.A.", "N.V.", "Mfg.", "Intl."}
)
FINITE_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
SENTENCE_END = frozenset({".", "!", "?"})
# Job titles follow company names without a sentence break ("Apple Inc. CEO Tim Cook said").
TITLES = frozenset(
    {"CEO", "CFO", "COO", "CTO", "Chief", "Chairman", "Chairwoman", "President", "Vice", "Executive", "Director",
     "Managing", "Founder", "Co-founder", "Spokesman", "Spokeswoman", "Spokesperson", "Senior", "General", "Head",
     "Analyst", "Inc.", "Corp.", "Ltd.", "Co."}
)
BULLETS = frozenset({"-", "–", "—", "•", "*", "·"})
CLOSERS = frozenset({'"', "”", "'", "’", ")", "]"})  # close a sentence when glued to its final "."
VERB_WINDOW = 4  # how many tokens after the capitalised word a new sentence's verb may come
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def _bang_in_a_name(doc: Doc, i: int) -> bool:
    """Is the "!" at `i` part of a name ("Yahoo! for $4.8 billion", "Yahoo! CEO Marissa Mayer"): glued to a
    capitalised word and followed, on the same line, by a lower-case word or a job title?"""
    if i == 0 or i + 1 >= len(doc) or doc[i - 1].whitespace_ or not doc[i - 1].text[:1].isupper():
        return False
    nxt = doc[i + 1]
    return not nxt.is_space and (nxt.text[:1].islower() or nxt.text in TITLES)


def _starts_sentence_after_abbreviation(doc: Doc, i: int) -> bool:
    """Does the capitalised token after the abbreviation at `i` begin a clause of its own?"""
    nxt = doc[i + 1]
    if nxt.is_space or not nxt.text[:1].isupper() or nxt.text in TITLES:
        return False
    for tok in doc[i + 2 : i + 2 + VERB_WINDOW]:
        if tok.tag_ in FINITE_VERB_TAGS:
            return True
        if tok.is_punct or tok.is_space:
            return False
    return False


@Language.component("newsgraph_sentence_fix", requires=["token.tag"], assigns=["token.is_sent_start"])
def sentence_fix(doc: Doc) -> Doc:
    """Start a sentence at a paragraph break, before a list bullet and after "Co." when a new clause follows;
    keep a closing quote with the sentence it closes, and a name's "!" ("Yahoo!") with the words after it.

    A paragraph break is a blank line; in text without blank lines (trafilatura's output puts one
    paragraph per line) it is any newline. Only these tokens are preset; everything else is left
    to the parser, which respects them.
    """
    paragraph = 2 if BLANK_LINE.search(doc.text) else 1  # newlines that make a paragraph break
    newlines = 0  # newlines in the whitespace run before the current token
    has_verb = False  # the current sentence already has a finite verb
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.is_space:
            newlines += tok.text.count("\n")
            continue
        if i > 0 and (newlines >= paragraph or (newlines == 1 and tok.text in BULLETS)):
            tok.is_sent_start = True
            has_verb = False
            if tok.text in BULLETS and i + 1 < n and not doc[i + 1].is_space:
                doc[i + 1].is_sent_start = False  # the bullet belongs to its item
        newlines = 0
        if tok.text in CLOSERS and i > 0 and doc[i - 1].text in SENTENCE_END and not doc[i - 1].whitespace_:
            tok.is_sent_start = False  # the parser tends to start the next sentence at a closing quote
            continue
        if tok.text == "!" and _bang_in_a_name(doc, i):
            doc[i + 1].is_sent_start = False
        elif tok.text in SENTENCE_END:
            has_verb = False
        elif tok.tag_ in FINITE_VERB_TAGS:
            has_verb = True
        elif tok.text in CORP_ABBREVIATIONS and has_verb and i + 1 < n and _starts_sentence_after_abbreviation(doc, i):
            doc[i + 1].is_sent_start = True
            has_verb = False
    return doc
