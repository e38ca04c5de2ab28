"""The write path alone: enrich (entities, stories, provenance) and store pre-annotated articles, one transaction
per article against `BATCH` per transaction, in CPU and wall seconds. No NLP: sentences are the texts' lines.

    PYTHONPATH=. .venv/bin/python benchmarks/ingest_writes.py BATCH [ARTICLES]   # BATCH 0: one transaction each
"""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from test_store_sqlite import make_article  # noqa: E402  (the tests' article builder: text lines -> sentences)

from newsgraph.entities.enrich import resolve_entities  # noqa: E402
from newsgraph.ingest.pipeline import store_article, store_articles  # noqa: E402
from newsgraph.provenance.enrich import enrich  # noqa: E402
from newsgraph.store import open_store  # noqa: E402
from newsgraph.stories.enrich import StoryEnricher  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    batch, n = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with open(DATA, encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(n), f)]
    articles = []
    for row in rows:
        lines = [line for line in row["text"].split("\n") if line.strip()][:30] or ["empty"]
        articles.append(make_article(row["url"], "\n".join(lines), (), title=lines[0], date=row.get("date")))
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(os.path.join(tmp, "w.db"))
        enrichers = [resolve_entities, StoryEnricher(), enrich]
        c, w = cpu(), time.perf_counter()
        if batch == 0:
            for a in articles:
                store_article(store, a, enrichers)
        else:
            for i in range(0, len(articles), batch):
                store_articles(store, articles[i:i + batch], enrichers)
        print(json.dumps({"batch": batch, "articles": len(articles), "cpu_seconds": round(cpu() - c, 2),
                          "seconds": round(time.perf_counter() - w, 2)}))
        store.close()


if __name__ == "__main__":
    main()
