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

# The write token and headers the API tests send.
TOKEN = "test-token-0123456789abcdef"
AUTH = {"authorization": f"Bearer {TOKEN}"}
NDJSON = {"content-type": "application/x-ndjson"}


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


# Earlier pages that the seed copies from (verbatim or lightly edited), so its provenance has real sources.
SOURCE_RECORDS = [
    {"url": "https://www.bloomberg.com/news/articles/2017-12-14/huawei-carriers-us", "date": "2017-12-14",
     "title": "Huawei in talks with US carriers to sell its flagship phones",
     "text": "Huawei is the third-largest smartphone vendor worldwide and has been promoting its products in North "
             "America via cooperation with local telecom carriers. Huawei is in talks to sell a flagship line via US "
             "carriers, but the Chinese company also plans to sell the Mate 10 device through e-commerce channels, "
             "the people said.\n\nThe talks are at an early stage and could still fall apart, according to the "
             "people, who asked not to be named because the matter is private. The U.S. phone market is dominated "
             "by Apple and Samsung Electronics Co."},
    {"url": "https://www.theverge.com/2017/12/15/xiaomi-us-carriers", "date": "2017-12-15",
     "title": "Xiaomi wants a US carrier deal before it sells phones there",
     "text": "Xiaomi has long said it will come to the United States one day. That is why Xiaomi needs to strike a "
             "deal with one or more of the country's biggest carriers.\n\nTim Cook, Apple's chief executive "
             "officer, spoke at China's World Internet Conference in Wuzhen this month for the first time, "
             "stressing the importance of the market."},
    {"url": "https://www.reuters.com/article/2017-12-16/china-smartphones-prices", "date": "2017-12-16",
     "title": "Cheaper Chinese phones squeeze the premium end",
     "text": "Chinese brands keep adding features at lower prices. Apple has emerged as one of the biggest victims "
             "of these changes because its phones tend to cost more.\n\nAnalysts expect the trend to continue "
             "next year as component prices fall."},
    # A reprint of the page above: a near-duplicate article.
    {"url": "https://www.investing.com/news/stock-market-news/cheaper-chinese-phones-1234", "date": "2017-12-17",
     "title": "Cheaper Chinese phones squeeze the premium end (Reuters)",
     "text": "Chinese brands keep adding features at lower prices. Apple has emerged as one of the biggest victims "
             "of these changes because its phones tend to cost more.\n\nAnalysts expect the trend to continue "
             "next year as component prices fall.\n\nReporting by Jane Doe; editing by John Smith."},
]
