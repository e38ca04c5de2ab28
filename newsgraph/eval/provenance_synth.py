"""Deterministic synthetic copy set built from Wikinews: verbatim, partial, stitched, edited, spun, negatives."""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..provenance.normalise import normalise
from ..provenance.shingles import sentence_shingles

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])")
_TAG = re.compile(r",\s+(?:he|she|they|it|officials|police|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s+(?:said|says|added|stated)\.$")
TAGS = (", officials said.", ", the report said.", ", according to sources.", ", he said.", ", a spokesperson said.")
OUTLETS = ("Reuters", "PhoneArena", "BBC News", "The Verge", "AP", "Daily Mirror")
# An offline spinner: common news words and the synonyms a spinning tool swaps in.
SYNONYMS = dict(pair.split(":") for pair in """
big:large large:big small:little new:fresh old:aged said:stated says:states announced:declared reported:revealed
company:firm companies:firms firm:company business:enterprise market:marketplace markets:marketplaces
government:administration officials:authorities people:individuals country:nation countries:nations
city:town world:globe largest:biggest biggest:largest major:significant important:significant
increase:rise increased:rose decrease:decline decreased:declined rose:climbed fell:dropped drop:fall
buy:purchase bought:purchased sell:market sold:marketed plans:intends plan:scheme help:assist helped:assisted
began:started begin:start started:began start:begin end:finish ended:finished show:display showed:displayed
found:discovered find:discover make:create made:created use:utilise used:utilised using:utilising
number:quantity numbers:quantities many:numerous several:various some:certain also:additionally
however:nevertheless because:since before:prior after:following about:roughly around:approximately
near:close high:elevated low:reduced strong:powerful weak:feeble fast:rapid quick:rapid slowly:gradually
recent:latest recently:lately early:initial late:belated first:initial last:final next:following
government's:administration's president:leader leaders:chiefs leader:chief chief:head director:manager
money:funds cost:price costs:prices price:cost prices:costs profit:earnings profits:earnings
report:account reports:accounts news:information statement:declaration spokesman:representative
attack:assault attacks:assaults killed:slain injured:hurt died:perished death:demise deaths:fatalities
police:authorities soldiers:troops war:conflict fight:battle fighting:battling victory:win won:secured
win:triumph lost:forfeited lose:forfeit team:squad game:match games:matches season:campaign player:athlete
players:athletes election:vote elections:votes vote:ballot votes:ballots party:faction parties:factions
law:legislation laws:statutes court:tribunal judge:justice case:matter trial:hearing charged:accused
building:structure buildings:structures area:region areas:regions place:location home:residence
house:dwelling houses:dwellings car:vehicle cars:vehicles road:street roads:streets water:liquid
problem:issue problems:issues issue:matter concern:worry concerns:worries worried:concerned
agreement:deal deal:agreement deals:agreements talks:negotiations meeting:gathering meet:convene
public:community community:neighbourhood local:regional national:nationwide international:global
expected:anticipated expect:anticipate likely:probable possible:feasible able:capable unable:incapable
need:require needs:requires needed:required want:desire wanted:desired try:attempt tried:attempted
continue:proceed continued:proceeded remain:stay remained:stayed become:turn became:turned
include:encompass included:encompassed including:encompassing provide:supply provided:supplied
important:crucial difficult:hard easy:simple clear:evident major:key huge:enormous popular:well-liked
populous:populated support:backing supported:backed opposed:resisted oppose:resist
""".split())


@dataclass
class SynthArticle:
    key: str  # also its URL path
    title: str
    date: str
    sentences: list[str]
    gold: list[tuple[str, str] | None]  # per sentence: (kind, source key) or None when it has no earlier source
    generator: str  # base | verbatim | partial | stitched | edited | spun | negative | lift | restructured | stock
    sources: set[str] = field(default_factory=set)  # | independent (provenance_synth_lifts.py)
    # Lifted clauses: sentence index -> (span in the sentence, source sentence index, span in the source article's
    # text relative to that sentence's start; it may run into the next sentence).
    spans: dict[int, tuple[tuple[int, int], int, tuple[int, int]]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://synth.example/{self.key}"


def separator(i: int) -> str:
    """What joins sentence i to the one before it in a synthetic article's text (paragraphs of three)."""
    return "" if i == 0 else "\n\n" if i == 1 or i % 3 == 1 else " "


def split_sentences(text: str) -> list[str]:
    out = []
    for para in text.split("\n\n"):
        out += [s.strip() for s in _SENTENCE_END.split(para.strip()) if s.strip()]
    return out


def _later(day: str, rng: random.Random) -> str:
    return (date.fromisoformat(day) + timedelta(days=rng.randint(1, 60))).isoformat()


def light_edit(sentence: str, rng: random.Random) -> str | None:
    """A speaker tag added or dropped, two words swapped, or one word replaced; None if nothing applies."""
    toks = sentence.split(" ")
    choices = ["tag"]
    if len(toks) >= 6:
        choices += ["swap", "word"]
    choice = rng.choice(choices)
    if choice == "tag":
        if _TAG.search(sentence):
            return _TAG.sub(".", sentence)
        if sentence.endswith(".") and not sentence.endswith(("..", '."')):
            return sentence[:-1] + rng.choice(TAGS)
        return None
    inner = [i for i in range(1, len(toks) - 2) if toks[i].isalpha() and toks[i].islower()]
    if choice == "swap" and inner:
        i = rng.choice(inner)
        toks[i], toks[i + 1] = toks[i + 1], toks[i]
        return " ".join(toks) if " ".join(toks) != sentence else None
    swappable = [i for i in inner if toks[i] in SYNONYMS]
    if swappable:
        i = rng.choice(swappable)
        toks[i] = SYNONYMS[toks[i]]
        return " ".join(toks)
    return None


def spin(sentence: str) -> tuple[str, int]:
    """Every lower-case dictionary word swapped for its synonym; returns the text and how many were swapped."""
    out, n = [], 0
    for tok in sentence.split(" "):
        core = tok.rstrip(".,;:!?\"')")
        if core in SYNONYMS:
            tok, n = SYNONYMS[core] + tok[len(core):], n + 1
        out.append(tok)
    return " ".join(out), n


def _copyable(articles: list[dict]) -> dict[str, set[int]]:
    """Per pool article, the sentences no other pool article holds in similar words (content-word Jaccard < 0.5)."""
    sets = {a["key"]: [sentence_shingles(s) for s in a["sentences"]] for a in articles}
    index: dict[str, set[tuple[str, int]]] = {}
    for key, shingle_sets in sets.items():
        for i, sh in enumerate(shingle_sets):
            for w in sh:
                index.setdefault(w, set()).add((key, i))
    out = {}
    for key, shingle_sets in sets.items():
        ok = set()
        for i, sh in enumerate(shingle_sets):
            if not sh:
                continue
            shared = Counter(hit for w in sh for hit in index[w] if hit[0] != key)
            if all(n / (len(sh) + len(sets[k][j]) - n) < 0.5 for (k, j), n in shared.items()):
                ok.add(i)
        out[key] = ok
    return out


def build(path: str, seed: int = 13, base: int = 300, per_kind: int = 40, lifts: bool = True) -> list[SynthArticle]:
    """The full set, pool articles first; the caller shuffles the ingest order.

    `lifts` adds part 2's generators (provenance_synth_lifts.py): clause lifts, restructured rewrites and their
    hard negatives."""
    rng = random.Random(seed)
    with open(path, encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f]
    for a in corpus:
        a["key"] = a["id"]
        a["sentences"] = [a["title"].strip(), *split_sentences(a["text"])]
    corpus = [a for a in corpus if len(a["sentences"]) >= 7]
    rng.shuffle(corpus)
    pool, rest = corpus[:base], corpus[base:]
    filler_from, negatives_from = rest[:per_kind * 6], rest[per_kind * 6:per_kind * 12]
    copyable = _copyable(pool + filler_from + negatives_from)
    by_key = {a["key"]: a for a in pool}
    out = [SynthArticle(a["key"], a["title"], a["date"], a["sentences"], [None] * len(a["sentences"]), "base")
           for a in pool]
    fillers = [s for a in filler_from for i, s in enumerate(a["sentences"]) if i in copyable[a["key"]] and i]
    rng.shuffle(fillers)

    def pick(n: int = 1):
        return rng.sample(pool, n)

    def source_sentences(a: dict) -> list[int]:
        return sorted(copyable[a["key"]])

    def add(kind: str, n: int, sentences, gold, sources) -> None:
        title = sentences[0][:80]
        day = _later(max(by_key[k]["date"] for k in sources), rng)
        out.append(SynthArticle(f"{kind}-{n}", title, day, sentences, gold, kind, set(sources)))

    for n in range(per_kind):  # verbatim copies
        (s,) = pick()
        idx = source_sentences(s)
        add("verbatim", n, [s["sentences"][i] for i in idx], [("verbatim", s["key"])] * len(idx), [s["key"]])
    for n in range(per_kind):  # partial copies with new text
        (s,) = pick()
        idx = source_sentences(s)
        idx = sorted(rng.sample(idx, max(2, len(idx) * rng.randint(3, 6) // 10)))
        sents, gold = [s["sentences"][i] for i in idx], [("verbatim", s["key"])] * len(idx)
        for _ in range(rng.randint(3, 8)):
            at = rng.randint(0, len(sents))
            sents.insert(at, fillers.pop())
            gold.insert(at, None)
        add("partial", n, sents, gold, [s["key"]])
    for n in range(per_kind):  # stitched from 3-5 sources with new text
        srcs = pick(rng.randint(3, 5))
        sents, gold = [fillers.pop()], [None]
        for s in srcs:
            for i in rng.sample(source_sentences(s), min(2, len(source_sentences(s)))):
                edited = light_edit(s["sentences"][i], rng) if rng.random() < 0.3 else None
                sents.append(edited or s["sentences"][i])
                gold.append(("near" if edited else "verbatim", s["key"]))
            sents.append(fillers.pop())
            gold.append(None)
        add("stitched", n, sents, gold, [s["key"] for s in srcs])
    for n in range(per_kind):  # light edits: site suffix on the headline, tags, swaps, merges
        (s,) = pick()
        sents, gold, idx = [], [], source_sentences(s)
        k = 0
        while k < len(idx):
            i = idx[k]
            text = s["sentences"][i]
            if i == 0:
                sents.append(f"{text} - {rng.choice(OUTLETS)}")
            elif k + 1 < len(idx) and idx[k + 1] == i + 1 and rng.random() < 0.2:
                sents.append(f"{text} {s['sentences'][i + 1]}")
                k += 1
            else:
                edited = light_edit(text, rng)
                sents.append(edited or text)
                gold.append(("near" if edited else "verbatim", s["key"]))
                k += 1
                continue
            gold.append(("near", s["key"]))
            k += 1
        add("edited", n, sents, gold, [s["key"]])
    for n in range(per_kind):  # spun copies
        (s,) = pick()
        sents, gold = [], []
        for i in source_sentences(s):
            text, swapped = spin(s["sentences"][i])
            sents.append(text)
            gold.append(("spun" if swapped >= 2 else "near" if swapped else "verbatim", s["key"]))
        add("spun", n, sents, gold, [s["key"]])
    out += _negatives(pool, negatives_from, copyable, per_kind, rng)
    if lifts:
        from . import provenance_synth_lifts as more

        spare = corpus[base + per_kind * 12:base + per_kind * 24]  # bounded: _copyable is quadratic in common words
        copyable.update(_copyable(pool + spare))
        bases = out[:base]
        runs = more.pool_runs(bases)
        fillers = [s for s in fillers if not more.grams5(s) & runs]  # a filler must not hold a real lift
        out += more.lifts(bases, copyable, fillers, per_kind, rng, lambda day: _later(day, rng))
        out += more.restructured(bases, copyable, per_kind, rng, lambda day: _later(day, rng))
        out += more.stock(spare[:len(spare) // 2], copyable, per_kind, seed, rng, runs)
        out += more.independent(bases, spare[len(spare) // 2:], per_kind, runs)
    return out


def _negatives(pool, rest, copyable, n, rng) -> list[SynthArticle]:
    """Real articles on the same topic with the same entities as a pool article, copied sentences removed."""
    def entities(a):
        return {w for s in a["sentences"] for w in re.findall(r"\b[A-Z][a-z]{3,}\b", s)[1:]}

    pool_entities = [(a, entities(a)) for a in pool]
    out = []
    for a in rest:
        if len(out) >= n:
            break
        mine = entities(a)
        best = max(pool_entities, key=lambda pe: len(pe[1] & mine))
        if len(best[1] & mine) < 3:
            continue
        keep = [s for i, s in enumerate(a["sentences"]) if i in copyable[a["key"]]]
        if len(keep) >= 4 and all(normalise(s) for s in keep):
            out.append(SynthArticle(f"negative-{len(out)}", keep[0][:80], a["date"], keep, [None] * len(keep),
                                    "negative"))
    return out
