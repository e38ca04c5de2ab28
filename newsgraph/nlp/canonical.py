"""Maps an entity mention's text to its canonical key and display name ("Samsung Electronics Co." -> Samsung)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsgraph.model import VALUE_LABELS
from newsgraph.nlp.gazetteer import load_gazetteer

PLACE_LABELS = frozenset({"GPE", "LOC", "ORG"})  # "EU", "UN" are tagged ORG as often as GPE
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "sir", "dame"})
# Office titles spaCy sometimes takes into a PERSON span ("Treasurer Costello"); royal and religious titles stay
# ("Queen Elizabeth" is no "Elizabeth").
TITLES = frozenset({"president", "vice-president", "senator", "sen.", "sen", "treasurer", "minister", "premier",
                    "governor", "gov.", "mayor", "judge", "justice", "chancellor", "secretary", "congressman",
                    "congresswoman", "rep.", "representative", "ambassador", "commissioner", "gen.",
                    "chairman", "chairwoman", "spokesman", "spokeswoman", "detective", "inspector", "sergeant",
                    "sgt.", "officer", "coach", "candidate", "leader", "prime", "foreign", "defence", "defense",
                    "finance", "opposition", "former", "deputy"})
POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
CONNECTORS = frozenset({",", "&", "and"})  # left dangling by "Sears, Roebuck & Co."


@dataclass(frozen=True)
class _Tables:
    names: dict[str, str]  # folded company alias -> canonical name
    places: dict[str, str]
    products: dict[str, str]  # folded product line (and plural) -> line name
    fused: tuple[tuple[re.Pattern[str], str], ...]  # "Mi7" -> "Mi 7"
    possessive_names: frozenset[str]  # folded names whose final 's is theirs ("mcdonald's")
    suffixes: frozenset[str]  # folded legal suffixes
    descriptors: frozenset[str]  # folded descriptor words ("technologies")


def fold(text: str) -> str:
    """The comparison form: casefolded, straight apostrophes, single spaces."""
    return " ".join(text.replace("’", "'").casefold().split())


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    gaz = load_gazetteer()
    names = {fold(form): c.name for c in gaz.companies for form in (c.name, *c.aliases)}
    places = {fold(form): p.name for p in gaz.places for form in (p.name, *p.aliases)}
    products = {fold(w): w for w in gaz.whole_products}
    fused = []
    for line in gaz.products:
        products[fold(line.name)] = line.name
        products[fold(line.name + "s")] = line.name
        if line.fused:
            fused.append((re.compile(rf"^({re.escape(line.name)})(\d\S*)(.*)$"), line.name))
    return _Tables(
        names=names,
        places=places,
        products=products,
        fused=tuple(fused),
        possessive_names=frozenset(fold(n).split()[-1] for n in gaz.possessive_names),
        suffixes=frozenset(fold(s) for s in gaz.legal_suffixes),
        descriptors=frozenset(fold(d) for d in gaz.descriptors),
    )


def _lookup(name: str, label: str, t: _Tables) -> str | None:
    folded = fold(name)
    if label == "PRODUCT":
        return t.products.get(folded)
    if label in PLACE_LABELS and folded in t.places:
        return t.places[folded]
    return t.names.get(folded)


def _strip_legal(words: list[str], t: _Tables) -> list[str]:
    """Drop trailing legal suffixes and the commas/ampersands they leave ("Huawei Technologies Co., Ltd.")."""
    words = list(words)
    while len(words) > 1:
        last = words[-1].rstrip(",")
        if last and fold(last) not in t.suffixes and last not in CONNECTORS:
            break
        words.pop()
    words[-1] = words[-1].rstrip(",") or words[-1]
    return words


def _strip_descriptors(words: list[str], t: _Tables) -> str | None:
    """The gazetteer name left after dropping words like "Technologies", if any ("Huawei Technologies")."""
    while len(words) > 1 and fold(words[-1]) in t.descriptors:
        words = words[:-1]
        hit = t.names.get(fold(" ".join(words)))
        if hit:
            return hit
    return None


@lru_cache(maxsize=65536)
def canonical(text: str, label: str) -> tuple[str, str]:
    """(key, display name) for a mention; same key and label mean the same entity."""
    name = " ".join(text.split())
    if label in VALUE_LABELS or not name:
        return fold(name), name
    t = _tables()
    if fold(name).split()[-1] not in t.possessive_names:
        name = POSSESSIVE.sub("", name).rstrip() or name
    hit = _lookup(name, label, t)
    if hit is None and label != "WORK_OF_ART":
        name = LEADING_THE.sub("", name) or name
        hit = _lookup(name, label, t)
    if hit is not None:
        return fold(hit), hit
    words = name.split()
    if label == "PERSON" and len(words) > 1 and fold(words[0]) in HONORIFICS | TITLES:
        while len(words) > 1 and fold(words[0]) in HONORIFICS | TITLES:
            words = words[1:]
        name = " ".join(words)
    elif label == "ORG":
        words = _strip_legal(words, t)
        name = " ".join(words)
        hit = _lookup(name, label, t) or _strip_descriptors(words, t)
        if hit is not None:
            return fold(hit), hit
    elif label == "PRODUCT":
        for pattern, line in t.fused:
            m = pattern.match(name)
            if m:  # "Mi7" and "Mi 7" are one product; the name stays as written
                return fold(f"{line} {m.group(2)}{m.group(3)}"), name
    return fold(name), name
