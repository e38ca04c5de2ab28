"""Bodies the web and API tests ingest: the seed, hostile markup, and the first demo articles."""
from __future__ import annotations

import json
from itertools import islice

from seed import SEED, SEED_DATE, SEED_URL

from newsgraph.graph import demo_corpus

SEED_TITLE = SEED.split("\n", 1)[0]
XSS_TITLE = "<script>alert(1)</script> Evil Corp <img src=x onerror=alert(1)> buys Acme"
XSS_TEXT = ("Evil Corp said <script>alert(1)</script> on Monday in London.\n\n"
            "Its statement held <img src=x onerror=alert(1)> and a link <a href=\"javascript:alert(1)\">click</a> "
            "pointing at javascript:alert(1) for readers. Microsoft declined to comment.")
XSS_URL = "https://evil.example/news/xss-article"


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def seed_record() -> dict:
    body = SEED.split("\n", 1)[1].strip()
    return {"url": SEED_URL, "title": SEED_TITLE, "date": SEED_DATE, "text": body}


def xss_records() -> list[dict]:
    return [{"url": XSS_URL, "title": XSS_TITLE, "date": "2020-03-02", "text": XSS_TEXT},
            {"url": "javascript:alert(1)", "title": "A javascript: source", "date": "2020-03-03",
             "text": "Microsoft and Evil Corp met in Paris. The source URL of this item is javascript:alert(1)."}]


def demo_records(n: int) -> list[dict]:
    with open(demo_corpus(), encoding="utf-8") as f:
        return [json.loads(line) for line in islice(f, n)]
