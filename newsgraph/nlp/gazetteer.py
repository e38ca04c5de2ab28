"""Loads newsgraph's curated gazetteer (companies, product lines, places) from the package's JSON file."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from newsgraph.errors import NewsgraphError

GAZETTEER_FILE = "gazetteer.json"


@dataclass(frozen=True)
class Company:
    name: str
    aliases: tuple[str, ...] = ()
    alone: bool = True  # False: the bare name is too ambiguous; match only the aliases
    relabel_only: bool = False  # only relabel spans spaCy already tagged
    yield_to: frozenset[str] = frozenset()  # spaCy labels that win on an exact span


@dataclass(frozen=True)
class ProductLine:
    name: str
    brands: tuple[str, ...] = ()
    alone: bool = False
    models: str | None = None  # regex for one model token after the line
    series: tuple[str, ...] = ()  # words after the line, optionally followed by a number
    fused: bool = False  # the model may be written onto the line as one token ("Mi7")


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    companies: tuple[Company, ...]
    products: tuple[ProductLine, ...]
    whole_products: tuple[str, ...]
    places: tuple[Place, ...]
    legal_suffixes: frozenset[str]
    descriptors: frozenset[str]
    possessive_names: frozenset[str] = frozenset()  # "McDonald's": the 's belongs to the name
    type_priors: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # name -> type, resolution
    by_name: dict[str, Company] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update((c.name, c) for c in self.companies)

    def company(self, name: str) -> Company | None:
        """The company whose canonical name is `name`, if any."""
        return self.by_name.get(name)


def _company(raw: dict) -> Company:
    return Company(
        name=raw["name"],
        aliases=tuple(raw.get("aliases", ())),
        alone=bool(raw.get("alone", True)),
        relabel_only=bool(raw.get("relabel_only", False)),
        yield_to=frozenset(raw.get("yield_to", ())),
    )


def _product(raw: dict) -> ProductLine:
    return ProductLine(
        name=raw["name"],
        brands=tuple(raw.get("brands", ())),
        alone=bool(raw.get("alone", False)),
        models=raw.get("models"),
        series=tuple(raw.get("series", ())),
        fused=bool(raw.get("fused", False)),
    )


def parse_gazetteer(data: dict) -> Gazetteer:
    """Build a Gazetteer from the JSON structure; raises NewsgraphError if it is malformed."""
    try:
        return Gazetteer(
            companies=tuple(_company(c) for c in data["companies"]),
            products=tuple(_product(p) for p in data["products"]),
            whole_products=tuple(data.get("whole_products", ())),
            places=tuple(Place(p["name"], tuple(p.get("aliases", ()))) for p in data.get("places", ())),
            legal_suffixes=frozenset(data["legal_suffixes"]),
            descriptors=frozenset(data.get("descriptors", ())),
            possessive_names=frozenset(data.get("possessive_names", ())),
            type_priors={k: v for k, v in data.get("type_priors", {}).items() if not k.startswith("_")},
        )
    except (KeyError, TypeError) as exc:
        raise NewsgraphError(f"malformed gazetteer: missing or bad field {exc}") from exc


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once per process."""
    try:
        text = resources.files("newsgraph.nlp").joinpath(GAZETTEER_FILE).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise NewsgraphError(f"cannot read the gazetteer {GAZETTEER_FILE}: {exc}") from exc
    return parse_gazetteer(data)
