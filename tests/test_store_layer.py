"""The store layer imports no domain package: a second backend never has to copy clustering or scoring glue."""
from __future__ import annotations

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parents[1] / "newsgraph" / "store"
DOMAIN = ("stories", "events", "provenance", "nlp", "graph", "api", "web", "cli")


def test_store_imports_nothing_above_it():
    wrong = []
    for path in STORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                if (node.module or "").split(".")[0] in DOMAIN:
                    wrong.append(f"{path.name}: from {'.' * node.level}{node.module}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                wrong += [f"{path.name}: {n}" for n in names if n.startswith(tuple(f"newsgraph.{d}" for d in DOMAIN))]
    assert wrong == []
