"""Features for the learned models: sparse ones read off the spaCy parse, dense ones from wordllama vectors."""
from __future__ import annotations

import numpy as np
from spacy.tokens import Span, Token

from newsgraph.nlp.embeddings import DIM, embed

CANDIDATE_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV", "NUM", "AUX", "ADP"})


def is_candidate(tok: Token) -> bool:
    """Tokens that may be (part of) a trigger: content words, not punctuation, digits or stop words."""
    return tok.pos_ in CANDIDATE_POS and tok.is_alpha and not (tok.is_stop and tok.pos_ in ("ADP", "AUX", "ADV"))


def candidates(sent) -> list[Token]:
    """The sentence's tokens that `is_candidate`, in order."""
    return [t for t in sent if is_candidate(t)]


def token_features(tok: Token, start: int, end: int) -> list[str]:
    """Features of one token of the sentence doc[start:end] (bounds passed in: Token.sent is slow)."""
    lemma = tok.lemma_.lower()
    head = tok.head
    hl = head.lemma_.lower()
    doc = tok.doc
    prev = doc[tok.i - 1].lemma_.lower() if tok.i > start else "<s>"
    nxt = doc[tok.i + 1].lemma_.lower() if tok.i + 1 < end else "</s>"
    f = [
        "bias", f"l={lemma}", f"w={tok.lower_}", f"p={tok.pos_}", f"t={tok.tag_}", f"lp={lemma}|{tok.pos_}",
        f"d={tok.dep_}", f"ld={lemma}|{tok.dep_}", f"h={hl}", f"hd={tok.dep_}|{hl}", f"hp={head.pos_}",
        f"lh={lemma}|{hl}", f"e={tok.ent_type_}", f"s3={tok.lower_[-3:]}", f"prev={prev}", f"next={nxt}",
        f"bl={prev}_{lemma}", f"br={lemma}_{nxt}", f"shape={tok.shape_[:4]}",
    ]
    for c in tok.children:
        f.append(f"c={c.dep_}|{c.lemma_.lower()}")
        if c.ent_type_:
            f.append(f"ce={c.dep_}|{c.ent_type_}")
    if head.ent_type_:
        f.append(f"he={tok.dep_}|{head.ent_type_}")
    return f


def sentence_features(sent: Span) -> list[str]:
    """Bag of lemmas, lemma bigrams, entity labels and head-dependent lemma pairs of one sentence."""
    f = ["bias"]
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    lemmas = [t.lemma_.lower() for t in words]
    f.extend(f"l={x}" for x in lemmas)
    f.extend(f"b={a}_{b}" for a, b in zip(lemmas, lemmas[1:]))
    f.extend(f"e={t.ent_type_}" for t in sent if t.ent_iob_ == "B")  # not sent.ents: rebuilt on each access
    for t in words:
        # the root pairs with itself ("dep=say>ROOT>say"): the main predicate as a feature. (The test here was
        # `t.head is not t`, always true since spaCy hands out a new Token per access; the model learned with it.)
        if t.pos_ in ("NOUN", "VERB", "ADJ", "PROPN"):
            f.append(f"dep={t.head.lemma_.lower()}>{t.dep_}>{t.lemma_.lower()}")
    return f


_WORDS: dict[str, np.ndarray] = {}
_WORDS_MAX = 50_000  # lemma vectors kept between calls (1 KB each); cleared when full


def word_vectors(words: list[str]) -> np.ndarray:
    """wordllama vectors of single words, cached: a text's lemmas repeat across sentences."""
    missing = sorted({w for w in words if w not in _WORDS})
    if missing:
        if len(_WORDS) + len(missing) > _WORDS_MAX:
            _WORDS.clear()
        _WORDS.update(zip(missing, embed(missing)))
    if not words:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.array([_WORDS[w] for w in words])  # one C pass, not vstack's checks per row


def sentence_vector(sent: Span) -> np.ndarray:
    return embed([sent.text])[0]


def token_vectors(tokens: list[Token], sent_vec: np.ndarray) -> np.ndarray:
    """Dense input of the trigger model per token: its lemma, its head's lemma and its sentence.

    Word vectors let the model type lemmas it never saw as triggers ("soared" near "jumped"); the sentence
    vector says what the sentence is about, which decides between e.g. Revenue and SecurityValue for "rose".
    """
    n = len(tokens)
    words = word_vectors([t.lemma_.lower() for t in tokens] + [t.head.lemma_.lower() for t in tokens])
    # filled in place: the same float32 values hstack + astype gave, without their two copies
    out = np.empty((n, 3 * DIM), dtype=np.float32)
    out[:, :DIM], out[:, DIM:2 * DIM], out[:, 2 * DIM:] = words[:n], words[n:], sent_vec
    return out
