"""Turns the gazetteer into entity-ruler phrase patterns and extends product matches over their model names.

All patterns are phrases (the PhraseMatcher costs next to nothing per token, unlike token patterns
with IN/REGEX predicates). A product line matches as an anchor ("Mate", "Google Pixel");
`ProductIndex.resolve` then reads the model after it ("Mate 10 Pro") and drops anchors that are
too ambiguous on their own.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsgraph.errors import NewsgraphError
from newsgraph.nlp.gazetteer import Gazetteer, ProductLine

# Pattern ids tell newsgraph_entity_fix where a ruler span came from.
PRODUCT_ID = "newsgraph:product"  # brand? + product line: resolved by ProductIndex
WHOLE_PRODUCT_ID = "newsgraph:whole-product"  # a fixed product name ("Apple Watch")
COMPANY_PREFIX = "newsgraph:company:"  # + canonical company name

# Words that may trail a model ("Pixel 2 XL", "Galaxy S8+", "Mate 10 Pro").
PRODUCT_SUFFIXES = frozenset(
    {"Pro", "Plus", "Max", "Mini", "mini", "XL", "Lite", "Ultra", "Edge", "Active", "Air", "+"}
)
SERIES_NUMBER = re.compile(r"^\d{1,2}[A-Za-z]?\+?$")
# Fused models ("Mi7", "Redmi5A") are listed as phrases: line + number + optional letter.
FUSED_NUMBERS = range(1, 21)
FUSED_LETTERS = ("", "s", "S", "T", "X", "A", "C")
FUSED = re.compile(r"^(?P<line>\D+?)\d{1,2}[A-Za-z]?$")


def company_id(name: str) -> str:
    return f"{COMPANY_PREFIX}{name}"


def _plural(line: ProductLine) -> str | None:
    return None if line.name.endswith(("s", "S")) or not line.alone else line.name + "s"  # "iPhones"


@dataclass(frozen=True)
class Resolved:
    """A product match read in full: `brand` tokens (an ORG) then the product up to `end` (0 tokens if invalid)."""

    brand: int
    product_start: int
    end: int

    @property
    def valid(self) -> bool:
        return self.end > self.product_start


@dataclass(frozen=True)
class ProductIndex:
    """The product lines by name, to read a model after a line and to judge bare lines."""

    lines: dict[str, ProductLine]
    plurals: dict[str, ProductLine]
    models: dict[str, re.Pattern[str]]  # line name -> its model regex

    @classmethod
    def build(cls, gaz: Gazetteer) -> ProductIndex:
        return cls(
            lines={p.name: p for p in gaz.products},
            plurals={pl: p for p in gaz.products if (pl := _plural(p))},
            models={p.name: re.compile(f"^(?:{p.models})$") for p in gaz.products if p.models},
        )

    def _line(self, text: str) -> tuple[ProductLine | None, bool]:
        """(line, written with its model fused in) for the product token of a match."""
        if text in self.lines:
            return self.lines[text], False
        m = FUSED.match(text)
        line = self.lines.get(m.group("line")) if m else None
        return (line, True) if line is not None and line.fused else (None, False)

    def resolve(self, doc: Doc, ent: Span) -> Resolved:
        """Split off a brand, extend over the model and suffixes, and check what is left."""
        brand = 1 if len(ent) > 1 else 0  # phrases are "line" or "brand line"
        start = ent.start + brand
        word = doc[start].text
        if word in self.plurals:
            return Resolved(brand, start, ent.end)
        line, fused = self._line(word)
        if line is None:
            return Resolved(brand, start, start)
        end = ent.end
        if not fused and end < len(doc):
            model = doc[end].text
            if model in line.series:
                end += 1
                if end < len(doc) and SERIES_NUMBER.match(doc[end].text):
                    end += 1
            elif line.name in self.models and self.models[line.name].match(model):
                end += 1
        if fused or end > ent.end:
            while end < len(doc) and doc[end].text in PRODUCT_SUFFIXES:
                end += 1
            return Resolved(brand, start, end)
        # A bare line: fine alone ("iPhone") or right after its brand ("Google Pixel"), not "Galaxy".
        ok = line.alone or (brand and doc[ent.start].text in line.brands)
        return Resolved(brand, start, end if ok else start)


def company_patterns(gaz: Gazetteer) -> list[dict]:
    """Phrase patterns for every company form; ambiguous bare names are left out."""
    patterns = []
    for company in gaz.companies:
        forms = ([company.name] if company.alone else []) + list(company.aliases)
        for form in dict.fromkeys(forms):
            patterns.append({"label": "ORG", "pattern": form, "id": company_id(company.name)})
    return patterns


def _product_words(line: ProductLine, tokenize: Callable[[str], list[str]]) -> list[str]:
    """The line, its plural and its fused models, each one token for the pipeline's tokenizer."""
    words = [line.name]
    if plural := _plural(line):
        words.append(plural)
    if line.fused:
        fused = (f"{line.name}{n}{x}" for n in FUSED_NUMBERS for x in FUSED_LETTERS)
        words += [w for w in fused if len(tokenize(w)) == 1]  # "Mi1T" splits; such forms can't match
    return words


def product_patterns(gaz: Gazetteer, tokenize: Callable[[str], list[str]]) -> list[dict]:
    """Whole products, and every product line (alone and after each of its brands) as an anchor."""
    patterns = [{"label": "PRODUCT", "pattern": name, "id": WHOLE_PRODUCT_ID} for name in gaz.whole_products]
    for line in gaz.products:
        for name in [line.name, _plural(line), *line.brands]:
            if name is not None and len(tokenize(name)) != 1:
                raise NewsgraphError(f"gazetteer product line or brand {name!r} is not one token; make it a whole product")
        for word in _product_words(line, tokenize):
            patterns.append({"label": "PRODUCT", "pattern": word, "id": PRODUCT_ID})
            patterns += [{"label": "PRODUCT", "pattern": f"{b} {word}", "id": PRODUCT_ID} for b in line.brands]
    return patterns


def build_patterns(gaz: Gazetteer, tokenize: Callable[[str], list[str]]) -> list[dict]:
    """All entity-ruler patterns for the gazetteer; `tokenize` must be the pipeline's tokenizer."""
    return company_patterns(gaz) + product_patterns(gaz, tokenize)
