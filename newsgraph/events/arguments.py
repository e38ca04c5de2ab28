"""Event arguments from the dependency parse: the participant company and the product, money, place and time fillers."""
from __future__ import annotations

from spacy.tokens import Span, Token

from newsgraph.events import coref
from newsgraph.events.parse import (
    SUBJECTS,
    climb,
    entity_at,
    noun_phrase,
    with_conjuncts,
)
from newsgraph.events.typology import OBJECT_ROLE, PARTICIPANT_ROLE
from newsgraph.nlp.canonical import canonical

PARTICIPANT_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP"})
OWNER_LABELS = frozenset({"ORG", "GPE"})  # "Apple's shares", "China's exports"; a person's things rarely make news
FILLER_ROLES = {"MONEY": "Money", "DATE": "Time", "TIME": "Time", "GPE": "Place", "LOC": "Place",
                "FAC": "Place", "PRODUCT": "ProductService", "PERCENT": "Amount"}
MAIN_ORG_KEY = "newsgraph_main_org"
MAIN_KEYS = (MAIN_ORG_KEY, f"{MAIN_ORG_KEY}_GPE")  # the per-document caches of _main_org, dropped after the doc
IN_SENTENCE, MAIN_COMPANY = "in the sentence", "the article's main company"
MAIN_COUNTRY = "the article's main country"  # a treaty's party when no company is named (STATE_PARTY_TYPES)
OWNER = IN_SENTENCE  # "shares of X": the parse gave the subject, X is only in it
# participants the parse did not give (fallback_participant, _owner)
FALLBACK_VIAS = frozenset({IN_SENTENCE, MAIN_COMPANY, MAIN_COUNTRY})
STATE_PARTY_TYPES = frozenset({"Deal"})  # treaties and trade agreements: countries are the parties
SECURITY_NOUNS = frozenset({"share", "stock", "stake", "bond"})
SELLER_WORDS = frozenset({"carrier", "wireless", "retailer", "retail", "operator", "store", "shop", "reseller"})
SELLING = frozenset({"sell", "carry", "offer", "distribute", "market", "stock", "resell", "retail"})
ACCUSING = frozenset({"sue", "charge", "accuse", "fine", "investigate", "probe", "indict", "prosecute", "file",
                      "allege", "penalize", "penalise"})
# Verbs whose subject takes part in the event named by their object noun ("Apple signed the deal"); the subject of
# any other verb over a definite event noun only talks about it ("Rudd supports the deal", "Lowe said in response
# to the deal", "the government will review the merger").
DOING_VERBS = frozenset({"sign", "reach", "strike", "make", "announce", "complete", "close", "finalize", "finalise",
                         "seal", "conclude", "enter", "agree", "win", "secure", "negotiate", "ink", "launch", "file",
                         "pay", "receive", "face", "begin", "start", "end", "terminate", "cancel", "scrap", "abandon",
                         "extend", "renew", "expand", "accept", "offer", "propose", "confirm", "form", "forge",
                         "have", "get", "take", "lose", "report", "post", "record", "open", "do", "pursue", "plan",
                         "consider", "seek", "appeal", "settle", "drop", "bring", "lodge", "unveil",
                         "release", "introduce", "recall", "sell", "buy", "acquire", "cut", "raise", "lower"})
DEFINITE_DETS = frozenset({"the", "this", "that", "these", "those"})
# Going up through these edges keeps us in the trigger's clause ("in talks to sell", "plans to open").
PASS_UP = frozenset({"xcomp", "acl", "pobj", "prep", "pcomp", "conj", "dobj", "attr", "appos", "compound", "amod"})


def _pobjs(preps) -> list[Token]:
    """The objects of these prepositions, with their conjuncts ("by Apple and Samsung")."""
    return [t for p in preps for o in p.children if o.dep_ == "pobj" for t in with_conjuncts(o)]


def _prep_objects(head: Token, prep: str) -> list[Token]:
    return _pobjs(c for c in head.children if c.dep_ == "prep" and c.lower_ == prep)


def _subjects(verb: Token) -> list[Token]:
    agents = [c for c in verb.children if c.dep_ == "agent"]
    if agents:  # passive: "dominated by Apple and Samsung"
        return _pobjs(agents)
    return [t for c in verb.children if c.dep_ in SUBJECTS for t in with_conjuncts(c)]


def participant_tokens(trigger: Token) -> list[Token]:
    """Subjects (or agents) of the trigger or of the nearest word governing it within its clause."""
    owners = [c for c in trigger.children if c.dep_ in ("poss", "compound") and c.ent_type_ in PARTICIPANT_LABELS]
    if owners:  # "Apple's acquisition", "the Huawei launch"
        return owners
    if trigger.pos_ == "NOUN":  # "the purchase of Tumblr by Yahoo"
        agents = [t for t in _prep_objects(trigger, "by") if t.ent_type_ in PARTICIPANT_LABELS]
        if agents:
            return agents
    found = _subjects(trigger)
    if found:
        return found
    definite = trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in DEFINITE_DETS for c in trigger.children)
    for head, dep in climb(trigger, limit=6):
        if dep not in PASS_UP:
            break
        if definite and head.pos_ in ("VERB", "AUX") and head.lemma_.lower() not in DOING_VERBS:
            return []  # a commenter or a reviewer, not a party
        found = _subjects(head)
        if found:
            return found
        if dep in ("appos",) and head.ent_type_:  # "the Huawei Mate 9, a $500 rival"
            return []
    return []


def _participant(token: Token, role: str, inside: bool = True) -> dict | None:
    span = noun_phrase(token)
    ent = entity_at(token)
    if ent is not None and ent.label_ in PARTICIPANT_LABELS:
        return _arg(role, "participant", ent, ent)
    antecedent = coref.resolve(span)
    if antecedent is not None:
        return _arg(role, "participant", span, antecedent, via=span.text)
    owner = _owner(token) if inside and token.pos_ == "NOUN" else None
    found = _participant(owner, role, inside=False) if owner is not None else None
    if found is not None:
        found["via"] = OWNER  # the parse gave the subject, not this company: no evidence for the confidence
    return found


def _owner(noun: Token) -> Token | None:
    """The company inside a subject that names something of it: "shares of GlaxoSmithKline rose", "Apple's shares",
    "the Dow Jones industrial average fell", "30 employees of Ziff Davis lost their jobs", "the company's CEO"."""
    for c in noun.children:
        if c.dep_ == "poss" and (c.ent_type_ in OWNER_LABELS or coref.is_descriptor(noun_phrase(c))):
            return c
    for t in _prep_objects(noun, "of"):  # "shares of X" names a company whatever the NER calls X
        if t.ent_type_ in OWNER_LABELS or (t.ent_type_ and noun.lemma_.lower() in SECURITY_NOUNS):
            return t
    return next((c for c in noun.children if c.dep_ == "compound" and c.ent_type_ == "ORG"), None)


def _arg(role: str, kind: str, span: Span, entity: Span | None, via: str | None = None) -> dict:
    return {"role": role, "kind": kind, "text": span.text, "start": span.start_char, "end": span.end_char,
            "entity_start": entity.start_char if entity is not None else None,
            "entity_end": entity.end_char if entity is not None else None,
            "entity_label": entity.label_ if entity is not None else None, "via": via}


def _object(trigger: Token) -> Token | None:
    """The verb's object, or the "of" phrase of a noun ("the acquisition of Yahoo")."""
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
            return child
    if trigger.pos_ == "NOUN":
        return next((t for t in _prep_objects(trigger, "of") if t.pos_ in ("NOUN", "PROPN")), None)
    return None


def _subject_role(trigger: Token, type: str, role: str, arg: dict) -> str:
    """The role of a subject by what it is: a person hired is no Employer, a carrier selling a phone no Producer,
    and whoever sues or charges is the complainant, not the Defendant."""
    lemma = trigger.lemma_.lower()
    if type == "Employment" and arg["entity_label"] == "PERSON":
        return "Employee"
    if type == "Product/Service" and lemma in SELLING and _is_seller(arg["text"]) and \
            not _names_product(trigger, arg["text"]):
        return "Seller"
    if type == "Legal" and lemma in ACCUSING and trigger.pos_ == "VERB" and \
            not any(c.dep_ == "auxpass" for c in trigger.children):
        return "Complainant"
    return role


def _is_seller(company: str) -> bool:
    """A carrier or retailer by its profile (companies.json), or by its description ("the carrier")."""
    words = set(company.lower().split())
    if words & SELLER_WORDS:
        return True
    profile = coref.profiles().get(canonical(company, "ORG")[1])
    return profile is not None and bool(profile.industry & SELLER_WORDS)


def _names_product(trigger: Token, company: str) -> bool:
    """Whether the sold thing carries the seller's own name ("Apple sells the Apple Watch")."""
    obj = _object(trigger)
    return obj is not None and company.lower() in noun_phrase(obj).text.lower()


def _sentence_orgs(trigger: Token, taken: set[tuple[int, int]]) -> list[Span]:
    """The ORG entities of the trigger's sentence that are not already an argument."""
    found = []
    for t in trigger.sent:
        if t.ent_iob_ == "B" and t.ent_type_ == "ORG":
            ent = entity_at(t)
            if not any(s <= ent.start_char < e for s, e in taken):
                found.append(ent)
    return found


def _sentence_company(trigger: Token, taken: set[tuple[int, int]]) -> Span | None:
    """The company the sentence is about: the article's main company if named in it, else an ORG subject of a word
    governing the trigger, else the nearest ORG before the trigger, else the first after it."""
    orgs = _sentence_orgs(trigger, taken)
    if not orgs:
        return None
    main = _main_org(trigger.doc)
    if main is not None:
        same = [e for e in orgs if e.text.lower() == main.text.lower()]
        if same:
            return same[0]
    governors = {trigger.i} | {t.i for t in trigger.ancestors}
    for ent in orgs:
        if ent.root.dep_ in SUBJECTS and ent.root.head.i in governors:
            return ent
    before = [e for e in orgs if e.end <= trigger.i]
    return before[-1] if before else orgs[0]


def _main_org(doc, label: str = "ORG") -> Span | None:  # label: "ORG" or "GPE"
    """The article's most mentioned ORG (or GPE: the country of a treaty), the first one on a tie, cached on the Doc
    as token offsets (user_data must stay serialisable for nlp.pipe(n_process=...); the component removes the key)."""
    key = MAIN_KEYS[label == "GPE"]
    if key not in doc.user_data:
        counts: dict[str, list] = {}
        for ent in doc.ents:
            if ent.label_ == label:
                counts.setdefault(ent.text.lower(), [0, ent.start, ent.end])[0] += 1
        ranked = sorted(counts.values(), key=lambda c: (-c[0], c[1]))
        doc.user_data[key] = (ranked[0][1], ranked[0][2]) if ranked and ranked[0][0] >= 2 else ()
    found = doc.user_data[key]
    return doc[found[0]:found[1]] if found else None


def fallback_participant(trigger: Token, type: str, role: str, taken: set[tuple[int, int]]) -> dict | None:
    """When the parse names no main participant: the sentence's nearest company, else the article's main one
    (a Macroeconomics event is about an economy, so it takes neither); for a Deal with no company, the country
    acting in the sentence, else the article's most mentioned one."""
    if type == "Macroeconomics":
        return None
    ent = _sentence_company(trigger, taken)
    if ent is None and type in STATE_PARTY_TYPES:
        ent = _sentence_state(trigger, taken)
    if ent is not None:
        return _arg(role, "participant", ent, ent, via=IN_SENTENCE)
    ent, via = _main_org(trigger.doc), MAIN_COMPANY
    if ent is None and type in STATE_PARTY_TYPES:
        ent, via = _main_org(trigger.doc, "GPE"), MAIN_COUNTRY
    if ent is not None and (ent.start_char, ent.end_char) not in taken:
        return _arg(role, "participant", ent, ent, via=via)
    return None


def _sentence_state(trigger: Token, taken: set[tuple[int, int]]) -> Span | None:
    """A country acting in the sentence ("Australia's Foreign Minister signed", "China and Australia agreed",
    "a treaty between A and B"), not one that only says where ("in the US")."""
    for t in trigger.sent:
        if t.ent_iob_ != "B" or t.ent_type_ != "GPE":
            continue
        ent = entity_at(t)
        root = ent.root
        while root.dep_ in ("conj", "appos") and root.head.i != root.i:  # "China and Australia": the first decides
            root = root.head
        acting = root.dep_ in SUBJECTS | {"poss"} or (
            root.dep_ == "pobj" and root.head.lower_ in ("between", "with", "by"))
        if acting and not any(s <= ent.start_char < e for s, e in taken):
            return ent
    return None


def arguments(trigger: Token, type: str) -> list[dict]:
    """Argument dicts (role, kind, text, offsets, entity span) for an event of `type` triggered by `trigger`."""
    role = PARTICIPANT_ROLE.get(type, "Participant")
    args = [a for a in (_participant(t, role) for t in participant_tokens(trigger)) if a]
    for a in args:
        a["role"] = _subject_role(trigger, type, role, a)
    taken = {(a["start"], a["end"]) for a in args}
    obj = _object(trigger)
    if obj is not None and type in OBJECT_ROLE:
        span = trigger.doc[min(noun_phrase(obj).start, obj.left_edge.i):obj.i + 1]
        args.append(_arg(OBJECT_ROLE[type], "participant", span, entity_at(obj)))
        taken.add((span.start_char, span.end_char))
    if trigger.pos_ == "NOUN" and type not in OBJECT_ROLE and role not in {a["role"] for a in args}:
        for t in _prep_objects(trigger, "of"):  # "shares of Bayer", "the revenue of Apple"
            found = _participant(t, role) if t.ent_type_ in ("ORG", "PERSON") else None
            if found and (found["start"], found["end"]) not in taken:
                args.append(found)
                taken.add((found["start"], found["end"]))
                break
    if type == "Legal" and role not in {a["role"] for a in args}:
        accused = [t for t in (_object(trigger), *_prep_objects(trigger, "against")) if t is not None]
        for t in accused:  # "sued Apple", "a lawsuit against American Airlines"
            found = _participant(t, role)
            if found and (found["start"], found["end"]) not in taken:
                args.append(found)
                taken.add((found["start"], found["end"]))
                break
    if type in PARTICIPANT_ROLE and not {role, "Seller"} & {a["role"] for a in args}:  # a seller is no maker
        extra = fallback_participant(trigger, type, role, taken)
        if extra is not None and extra["text"].lower() not in {a["text"].lower() for a in args}:
            args.append(extra)
            taken.add((extra["start"], extra["end"]))
    # Fillers: entities in the trigger's own phrase, not in a clause below it.
    lo, hi = trigger.left_edge.i, trigger.right_edge.i + 1
    sub_clauses = [c for c in trigger.subtree if c.dep_ in ("ccomp", "relcl", "advcl", "parataxis") and c.i != trigger.i]
    doc = trigger.doc
    for i in range(lo, hi):
        if doc[i].ent_iob_ != "B" or doc[i].ent_type_ not in FILLER_ROLES:
            continue
        ent = entity_at(doc[i])  # token by token: doc.ents is rebuilt on every access
        if ent.end > hi:
            continue
        if any(c.left_edge.i <= ent.start < c.right_edge.i + 1 for c in sub_clauses):
            continue
        if any(s <= ent.start_char and ent.end_char <= e for s, e in taken) and ent.label_ != "PRODUCT":
            continue
        if (ent.start_char, ent.end_char) in taken:
            continue
        filler_role = "Price" if ent.label_ == "MONEY" and type == "Product/Service" else FILLER_ROLES[ent.label_]
        kind = "participant" if ent.label_ == "PRODUCT" else "filler"
        args.append(_arg(filler_role, kind, ent, ent))
        taken.add((ent.start_char, ent.end_char))
    return args
