"""Feeds and URLs: RSS/Atom from a local server, item fetch failures, hostile XML refused quickly."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_fetch_helpers import closed_port, html_page, serve

from newsgraph.errors import FetchError
from newsgraph.extract import extract
from newsgraph.ingest import Fetcher, Limits, iter_sources
from newsgraph.ingest.feeds import ENTITIES_REFUSED, check_feed_xml, looks_like_feed
from newsgraph.ingest.fetch import FetchResult
from newsgraph.model import IngestError, RawDoc

HTML = "text/html; charset=utf-8"


def rss(base: str, dead_port: int) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local News</title><link>{base}/</link><description>d</description>
<item><title>Harbour strike ends</title><link>{base}/a1</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Missing page</title><link>{base}/missing</link></item>
<item><title>Dead server</title><link>http://127.0.0.1:{dead_port}/x</link></item>
<item><title>No link at all</title><description>only a summary</description></item>
<item><title>Relative link</title><link>/a2</link><pubDate>Wed, 06 Mar 2024 23:30:00 -0500</pubDate></item>
<item><title>Duplicate</title><link>{base}/a1</link></item>
</channel></rss>""".encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id><updated>2024-03-07T00:00:00Z</updated>
<entry><title>Atom story</title><id>urn:1</id><link rel="alternate" href="/a3"/>
<published>2024-03-07T08:00:00Z</published><updated>2024-03-08T08:00:00Z</updated></entry>
<entry><title>Updated only</title><id>urn:2</id><link href="/a1"/><updated>2024-03-09T08:00:00Z</updated></entry>
</feed>"""


def routes(base: str = "", dead_port: int = 1) -> dict:  # type: ignore[type-arg]
    return {
        "/a1": (200, {"Content-Type": HTML}, html_page("Harbour strike ends", "Dock workers returned.")),
        "/a2": (200, {"Content-Type": HTML}, html_page("Second story", "Ferries resumed.")),
        "/a3": (200, {"Content-Type": HTML}, html_page("Atom story", "Atom body.")),
        "/atom": (200, {"Content-Type": "application/atom+xml"}, ATOM),
        "/page": (200, {"Content-Type": HTML}, html_page("A page", "Plain page.")),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
    }


def split(items: list) -> tuple[list[RawDoc], list[IngestError]]:  # type: ignore[type-arg]
    assert all(isinstance(i, (RawDoc, IngestError)) for i in items)
    for e in items:
        if isinstance(e, IngestError):
            assert "\n" not in str(e) and str(e).startswith(e.item + ": ")
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, IngestError)]


def test_rss_feed_from_local_server() -> None:
    dead = closed_port()
    table = routes()
    with serve(table) as srv:
        table["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(srv.base, dead))
        docs, errors = split(list(iter_sources([srv.url("/feed.xml")], Fetcher(allow_private=True, timeout=2))))
    assert [(d.item, d.url, d.title, d.date) for d in docs] == [
        (srv.url("/a1"), srv.url("/a1"), "Harbour strike ends", "2024-03-05"),
        (srv.url("/a2"), srv.url("/a2"), "Relative link", "2024-03-07"),  # feedparser reports UTC
    ]
    assert all(d.meta == {"feed": srv.url("/feed.xml")} for d in docs)
    assert [str(e) for e in errors] == [
        f"{srv.url('/missing')}: HTTP 404 Not Found",
        f"http://127.0.0.1:{dead}/x: connection refused (127.0.0.1:{dead})",
    ]
    article = extract(docs[0])
    assert article.title == "Harbour strike ends" and "Dock workers returned." in article.text


def test_atom_feed_from_url() -> None:
    with serve(routes()) as srv:
        docs, errors = split(list(iter_sources([srv.url("/atom")], Fetcher(allow_private=True))))
    assert errors == []
    assert [(d.url, d.title, d.date) for d in docs] == [
        (srv.url("/a3"), "Atom story", "2024-03-07"), (srv.url("/a1"), "Updated only", "2024-03-09")]


def test_local_feed_file_items_fetched(tmp_path: Path) -> None:
    with serve(routes()) as srv:
        path = tmp_path / "news.rss"
        path.write_bytes(rss(srv.base, closed_port()))
        docs, errors = split(list(iter_sources([str(path)], Fetcher(allow_private=True, timeout=2))))
    assert [d.title for d in docs] == ["Harbour strike ends"]
    assert {d.meta["feed"] for d in docs} == {str(path)}
    # The relative link can't be resolved without a feed URL, so it is an error for that item alone.
    assert [e.item for e in errors] == [srv.url("/missing"), errors[1].item, "/a2"]
    assert errors[2].message.startswith("unsupported URL scheme")


def test_feed_items_refused_without_allow_private(tmp_path: Path) -> None:
    with serve(routes()) as srv:
        path = tmp_path / "news.atom"
        path.write_bytes(ATOM.replace(b'href="/a', f'href="{srv.base}/a'.encode()))
        docs, errors = split(list(iter_sources([str(path)], Fetcher())))
        assert srv.seen == []
    assert docs == [] and len(errors) == 2
    assert all(e.stage == "fetch" and "refused loopback address 127.0.0.1" in e.message for e in errors)


def test_page_urls_and_fetch_errors() -> None:
    dead = closed_port()
    with serve(routes()) as srv:
        sources = [srv.url("/page"), srv.url("/nope"), f"http://127.0.0.1:{dead}/", srv.url("/logo.png"),
                   "ftp://example.com/x"]
        docs, errors = split(list(iter_sources(sources, Fetcher(allow_private=True, timeout=2))))
    assert [(d.item, d.url) for d in docs] == [(srv.url("/page"), srv.url("/page"))]
    assert [str(e) for e in errors] == [
        f"{srv.url('/nope')}: HTTP 404 Not Found",
        f"http://127.0.0.1:{dead}/: connection refused (127.0.0.1:{dead})",
        f"{srv.url('/logo.png')}: not an HTML page (image/png)",
        "ftp://example.com/x: unsupported URL scheme 'ftp' (only http and https)",
    ]


def test_feed_sniffed_from_body_when_content_type_is_generic() -> None:
    assert looks_like_feed("text/xml", b'<?xml version="1.0"?>\n<rss version="2.0">')
    assert looks_like_feed("", b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert looks_like_feed("application/octet-stream", b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='x'>")
    assert not looks_like_feed("text/html", b"<rss>")
    assert not looks_like_feed("application/xml", b"<urlset><url>sitemap</url></urlset>")
    assert looks_like_feed("application/rss+xml; charset=utf-8", b"")


class StubFetcher:
    """Serves canned pages; anything else is a 404. Also records what was asked for."""

    def __init__(self, pages: dict[str, bytes]):
        self.pages = pages
        self.asked: list[str] = []

    def fetch(self, url: str) -> FetchResult:
        self.asked.append(url)
        if url not in self.pages:
            raise FetchError(url, "HTTP 404 Not Found")
        return FetchResult(url, url, 200, "text/html", self.pages[url], {})


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>https://news.example/a</link><description>&xxe;</description></item>
</channel></rss>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://news.example/a</link></item></channel></rss>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><item><link>https://news.example/a</link></item></channel></rss>"""

MALFORMED_WITH_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><item><title>&xxe; & unescaped</title><link>https://news.example/a</link></item>
</channel>"""


@pytest.mark.parametrize("name, data", [("xxe.rss", XXE), ("laughs.xml", BILLION_LAUGHS),
                                        ("param.atom", PARAMETER_ENTITY), ("broken.rss", MALFORMED_WITH_ENTITY),
                                        ("utf16.rss", XXE.replace(b'"1.0"?>', b'"1.0" encoding="utf-16"?>'
                                                                  ).decode().encode("utf-16"))])
def test_hostile_feed_files_refused_quickly(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    fetcher = StubFetcher({"https://news.example/a": b"<p>article</p>"})
    started = time.monotonic()
    items = list(iter_sources([str(path)], fetcher))
    assert time.monotonic() - started < 1
    assert items == [IngestError(str(path), "read", ENTITIES_REFUSED)]
    assert fetcher.asked == []  # nothing from the feed was acted on
    assert "root:" not in repr(items)


def test_hostile_feed_over_http_refused() -> None:
    table = routes()
    table["/xxe"] = (200, {"Content-Type": "application/rss+xml"}, XXE)
    table["/lol"] = (200, {"Content-Type": "text/xml"}, BILLION_LAUGHS)
    with serve(table) as srv:
        items = list(iter_sources([srv.url("/xxe"), srv.url("/lol")], Fetcher(allow_private=True)))
        assert [s.path for s in srv.seen] == ["/xxe", "/lol"]
    assert [str(i) for i in items] == [f"{srv.url('/xxe')}: {ENTITIES_REFUSED}", f"{srv.url('/lol')}: {ENTITIES_REFUSED}"]


def test_plain_doctype_without_entities_is_fine() -> None:
    check_feed_xml("x", b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" '
                        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>')


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_bytes(b"<?xml version='1.0'?><urlset><url><loc>https://x/</loc></url></urlset>")
    items = list(iter_sources([str(path)], StubFetcher({})))
    assert len(items) == 1 and isinstance(items[0], IngestError)
    assert items[0].message.startswith("not a valid RSS/Atom feed")


def test_feed_file_limits_and_stub_fetcher(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    path.write_bytes(b"<rss version='2.0'><channel><item><title>T</title><link>https://n.example/1</link>"
                     b"</item><item><link>https://n.example/2</link></item></channel></rss>")
    fetcher = StubFetcher({"https://n.example/1": b"<html><p>one</p></html>"})
    docs, errors = split(list(iter_sources([str(path)], fetcher)))
    assert [(d.item, d.title) for d in docs] == [("https://n.example/1", "T")]
    assert [str(e) for e in errors] == ["https://n.example/2: HTTP 404 Not Found"]
    too_small = list(iter_sources([str(path)], fetcher, Limits(max_bytes=20)))
    assert [e.message for e in too_small] == ["file too large (150 bytes > 20 bytes limit)"]  # type: ignore[union-attr]
