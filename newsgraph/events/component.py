"""The `newsgraph_events` spaCy component: finds events in a parsed Doc and stores them as plain data in Doc._."""
from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.events.arguments import FALLBACK_VIAS, MAIN_KEYS, arguments
from newsgraph.events.attribution import attribution
from newsgraph.events.confidence import Calibrator, features
from newsgraph.events.extension import EXTENSION, register
from newsgraph.events.false_kinds import generic_mention, heading_or_credit, idiom, static_state
from newsgraph.events.hedges import product_modality, product_polarity
from newsgraph.events.modality import decide
from newsgraph.events.triggers import (
    Trigger,
    load_nontriggers,
    non_eventive,
    object_of_event,
    rule_triggers,
    verb_over_event,
)

EXCLUSIVE = frozenset({"exclusive", "exclusively", "sole", "solely", "only"})

register()  # at import, like the component registration, so forked workers know it


def _tags(trigger: Trigger) -> list[str]:
    tok = trigger.token
    near = [tok, *tok.children]
    near += [g for c in tok.children if c.dep_ in ("dobj", "attr") for g in c.children]
    return ["exclusive"] if any(t.lower_ in EXCLUSIVE and t.dep_ in ("advmod", "amod") for t in near) else []


def event_record(trigger: Trigger, model=None) -> dict:
    """One event as plain data: type, trigger offsets, modality, polarity, attribution, arguments and tags."""
    span = trigger.span
    tok = span.root  # modality, attribution and arguments hang off the phrase's syntactic head
    attr = attribution(tok)
    mod, pol = decide(tok, trigger.type)
    mod, pol = product_modality(tok, mod, trigger.type), product_polarity(tok, pol)  # where the product differs from SENTiVENT
    if mod == "certain" and attr.kind == "anonymous":
        mod = "reported"  # unconfirmed: only unnamed people say so
    return {"type": trigger.type, "subtype": trigger.subtype, "trigger": span.text, "start": span.start_char,
            "end": span.end_char, "modality": mod, "polarity": pol,
            "attribution": {"kind": attr.kind, "source": attr.source, "cue": attr.cue},
            "arguments": arguments(tok, trigger.type), "tags": _tags(trigger), "score": trigger.score}


class EventExtractor:
    """Rule triggers plus (when given) the learned trigger model, then arguments, modality and attribution."""

    def __init__(self, model=None, calibrator: Calibrator | None = None):
        self.model = model
        self.calibrator = calibrator
        # Lemmas the trigger model has a weight for; a model without lemma features vouches for every lemma.
        vocab = model.tokens.vocab if model is not None else {}
        self._has_lemmas = any(f.startswith("l=") for f in vocab)

    def _knows(self, lemma: str) -> bool:
        return not self._has_lemmas or f"l={lemma}" in self.model.tokens.vocab

    def sentence_triggers(self, sent, vec=None, cands=None) -> list[Trigger]:
        """Pattern triggers, then learned ones on tokens no pattern took; `vec`: the sentence's vector and `cands` its
        candidate tokens, if known."""
        found = rule_triggers(sent)
        if self.model is not None:
            scored = self.model.scored(sent, vec, cands)
            none = {tok.i: float(row[self.model.tokens.labels.index("O")]) for tok, row in zip(*scored)} \
                if "O" in self.model.tokens.labels else {}
            found = [replace(t, p_none=min((none[i] for i in range(t.token.i, t.end) if i in none), default=None))
                     for t in found]
            taken = {i for t in found for i in range(t.token.i, t.end)}
            by_token = {t.token.i: t.type for t in found}
            stop = load_nontriggers()
            learned = []
            for t in self.model.triggers(sent, scored):
                if taken & set(range(t.token.i, t.end)):
                    continue
                if by_token.get(t.token.head.i) == t.type and t.token.dep_ in ("dobj", "pobj", "compound"):
                    continue  # "negotiating agreements": one Deal, carried by the pattern's trigger
                if non_eventive(t, self._knows, stop):
                    continue  # "country", "manner": the model took the type from the sentence alone
                learned.append(t)
            found += learned
            junk = {id(t) for t in learned if object_of_event(t, found) or verb_over_event(t, found)}
            found = [t for t in found if id(t) not in junk]
        return found

    def triggers(self, doc: Doc) -> list[Trigger]:
        return [t for sent in doc.sents for t in self.sentence_triggers(sent)]

    def sentence_events(self, sent, vec=None, cands=None) -> list[tuple[Trigger, dict]]:
        """The sentence's triggers with their records, less the false kinds: none in a heading or credit line, no
        learned static state ("the largest vendor"), no idiom ("dealing with"), no generic or hypothetical mention
        without a participant of its own."""
        if heading_or_credit(sent):
            return []
        found = []
        for t in self.sentence_triggers(sent, vec, cands):
            if (t.learned and static_state(t)) or idiom(t):
                continue
            rec = self.record(t)
            own = any(a["kind"] == "participant" and a["via"] not in FALLBACK_VIAS for a in rec["arguments"])
            if generic_mention(t, own):
                continue
            found.append((t, rec))
        return found

    def record(self, trigger: Trigger) -> dict:
        """The event's record, its `score` the calibrated confidence when a calibrator ships (else the raw one)."""
        rec = event_record(trigger, self.model)
        if self.calibrator is not None:
            x = features(trigger.span, rec, not trigger.learned, trigger.score, trigger.p_none, self.calibrator.rates)
            rec["score"] = round(self.calibrator.confidence(x), 4)
        return rec

    def _vectors(self, sents: list, cands: list | None = None) -> list:
        """Per sentence, its vector (None without a model that weighs one), all embedded in one call."""
        vecs = self.model.sentence_vectors(sents, cands) if self.model is not None else None
        return vecs if vecs is not None else [None] * len(sents)

    def __call__(self, doc: Doc) -> Doc:
        sents = list(doc.sents)
        # each sentence's candidate tokens, found once for the word vectors and the trigger model both
        cands = [self.model.candidates(sent) for sent in sents] if self.model is not None else [None] * len(sents)
        doc._.set(EXTENSION, [rec for sent, vec, found in zip(sents, self._vectors(sents, cands), cands)
                              for _, rec in self.sentence_events(sent, vec, found)])
        for key in MAIN_KEYS:  # per-document caches of arguments.fallback_participant
            doc.user_data.pop(key, None)
        return doc


@Language.factory("newsgraph_events", default_config={"learned": True})
def make_events(nlp: Language, name: str, learned: bool) -> EventExtractor:
    if not learned:
        return EventExtractor()
    from newsgraph.events.classifier import load_model

    from newsgraph.events.confidence import load_calibrator

    model = load_model()
    if model.tokens.dense is not None or model.sentences.dense is not None:
        from newsgraph.nlp.embeddings import embed

        embed(["warm"])  # load wordllama with the pipeline, not inside the first document's processing
    return EventExtractor(model, load_calibrator())


def has_model() -> bool:
    """Whether the trained trigger model ships in the package (it does once `newsgraph train events` ran)."""
    from newsgraph.events.classifier import model_path

    return model_path().is_file()
