"""Save the bytes of sampled article and entity pages and their API routes, or compare two such saves.

    PYTHONPATH=CHECKOUT .venv/bin/python benchmarks/web_snapshot.py --db STORE.db|postgresql://... --out DIR [--pages 60]
    .venv/bin/python benchmarks/web_snapshot.py --compare BEFORE_DIR AFTER_DIR

A speed change to the pages must not change a byte of them: run the first form from the checkout before and the one
after (PYTHONPATH picks which newsgraph is served), then the second. The URLs are drawn with a fixed seed (articles
at random, entities from the 1,000 most connected, as benchmarks/web.py does), with the response cache off; each
body goes to its own file, named by the URL, with its status and content type on the first line.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

SEED = 11


def urls(db: str, pages: int) -> list[str]:
    from newsgraph.records import ArticleRow
    from newsgraph.store import open_store

    store = open_store(db, create=False)
    try:
        articles = sorted(a.id for a in store.export(ArticleRow))
        entities = sorted(e.id for e in store.entities(limit=1000, values=True))
    finally:
        store.close()
    rng = random.Random(SEED)
    out = []
    for a in rng.sample(articles, min(pages, len(articles))):
        out += [f"/articles/{a}", f"/api/articles/{a}"]
    for e in rng.sample(entities, min(pages, len(entities))):
        out += [f"/entities/{e}", f"/entities/{e}?offset=50", f"/entities/{e}?values=true", f"/api/entities/{e}",
                f"/api/entities/{e}/timeline", f"/api/entities/{e}/neighbours"]
    return out + ["/articles/999999999", "/entities/999999999", "/api/entities/999999999", "/entities/x"]


def save(db: str, out: Path, pages: int) -> None:
    from fastapi.testclient import TestClient

    import newsgraph
    from newsgraph.api import create_app

    out.mkdir(parents=True, exist_ok=True)
    graph = newsgraph.open(db)
    try:
        with TestClient(create_app(graph, cache_bytes=0)) as client:
            for url in urls(db, pages):
                r = client.get(url)
                head = f"{r.status_code} {r.headers.get('content-type')}\n".encode()
                (out / name(url)).write_bytes(head + r.content)
    finally:
        graph.close()
    print(f"{len(list(out.iterdir()))} responses saved in {out} (from {newsgraph.__file__})")


def name(url: str) -> str:
    return url.strip("/").replace("/", "_").replace("?", "__").replace("=", "-") + ".txt"


def compare(before: Path, after: Path) -> int:
    a, b = {p.name for p in before.iterdir()}, {p.name for p in after.iterdir()}
    differ = sorted(n for n in a & b if (before / n).read_bytes() != (after / n).read_bytes())
    for n in sorted(a ^ b):
        print(f"only in one: {n}")
    for n in differ:
        print(f"differs: {n}")
    digest = hashlib.sha256(b"".join((before / n).read_bytes() for n in sorted(a))).hexdigest()[:16]
    print(f"{len(a & b) - len(differ)} of {len(a | b)} responses byte-identical (before: sha256 {digest}…)")
    return 1 if differ or a ^ b else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not (args.db and args.out):
        ap.error("--db and --out, or --compare")
    save(args.db, args.out, args.pages)


if __name__ == "__main__":
    main()
