"""The Jinja2 environment: autoescaping on for every template, plus the filters the pages use."""
from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .views import attribution_label, marked_snippet, safe_href, source_link


@cache
def get_templates() -> Jinja2Templates:
    """Built once, on first use."""
    env = Environment(
        loader=FileSystemLoader(str(resources.files("newsgraph.web") / "templates")),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        undefined=StrictUndefined,  # a typo in a template fails loudly instead of rendering nothing
        trim_blocks=True,
        auto_reload=False,  # package files: no stat() per include per request
        lstrip_blocks=True,
    )
    partials = {name.removesuffix(".html") for name in env.list_templates() if name.startswith("partials/")}
    # Optional partials (hooks for other features) are looked up once here, not per sentence per request.
    env.globals["has_partial"] = lambda name: f"partials/{name}" in partials
    env.filters["snippet"] = marked_snippet
    env.filters["safe_href"] = safe_href
    env.filters["source_link"] = source_link
    env.filters["attribution"] = attribution_label
    env.filters["percent"] = lambda share: f"{round(100 * share)}%"
    env.filters["label_class"] = label_class
    return Jinja2Templates(env=env)



@cache
def label_class(label: str) -> str:
    """CSS class of an entity label; called once per mention when a page renders, and there are few labels."""
    return "ent-" + "".join(c for c in str(label) if c.isalnum())
