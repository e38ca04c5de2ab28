"""canonical_url: one rule per test, plus hypothesis for idempotence and never raising."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls

from newsgraph.extract.urls import canonical_url, site_of


@pytest.mark.parametrize("url, expected", [
    # scheme and host case, http -> https
    ("HTTP://Example.COM/Path", "https://example.com/Path"),
    ("http://example.com/a", "https://example.com/a"),
    # host prefixes
    ("https://www.example.com/a", "https://example.com/a"),
    ("https://m.example.com/a", "https://example.com/a"),
    ("https://amp.example.com/a", "https://example.com/a"),
    ("https://www.m.example.com/a", "https://example.com/a"),
    ("https://www.com/a", "https://www.com/a"),  # never strip down to a bare TLD
    ("https://example.com./a", "https://example.com/a"),
    # ports
    ("http://example.com:80/a", "https://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    # fragments and credentials
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://user:pw@example.com/a", "https://example.com/a"),
    # tracking parameters dropped, the rest sorted
    ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=X&gclid=Y&mc_cid=1&mc_eid=2&igshid=3", "https://example.com/a"),
    ("https://example.com/a?ref=hn&ref_src=twsrc&cmpid=rss", "https://example.com/a"),
    ("https://example.com/a?UTM_Campaign=x&page=2", "https://example.com/a?page=2"),
    ("https://example.com/a?z=1&b=2&a=3", "https://example.com/a?a=3&b=2&z=1"),
    ("https://example.com/a?q=x+y&q=a%20b", "https://example.com/a?q=a%20b&q=x+y"),
    # AMP variants
    ("https://example.com/amp/news/story", "https://example.com/news/story"),
    ("https://example.com/news/story/amp", "https://example.com/news/story"),
    ("https://example.com/news/story/amp/", "https://example.com/news/story"),
    ("https://example.com/news/story?amp=1", "https://example.com/news/story"),
    ("https://example.com/news/story?amp", "https://example.com/news/story"),
    ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
    ("https://example.com/news/story?outputType=amp", "https://example.com/news/story"),
    ("https://example.com/news/story?outputType=print", "https://example.com/news/story?outputType=print"),
    ("https://example.com/news/amplifier", "https://example.com/news/amplifier"),
    # trailing slash, root kept
    ("https://example.com/news/", "https://example.com/news"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/amp", "https://example.com/"),
    # percent escapes normalised to upper case
    ("https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"),
    # IPv6 hosts keep their brackets
    ("http://[2001:DB8::1]:8080/x", "https://[2001:db8::1]:8080/x"),
    # surrounding whitespace
    ("  https://example.com/a \n", "https://example.com/a"),
])
def test_rules(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url, expected", [
    ("file:///tmp/News/Story.html", "file:///tmp/News/Story.html"),
    ("FILE:///tmp/x#frag", "file:///tmp/x#frag"),
    ("mailto:Desk@Example.com", "mailto:Desk@Example.com"),
    ("urn:uuid:1234", "urn:uuid:1234"),
    ("not a url", "not a url"),
    ("", ""),
    ("http://[::1", "http://[::1"),
    ("http:///no-host", "http:///no-host"),
])
def test_non_http_strings_are_kept_intact(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_site_is_the_registered_domain() -> None:
    assert site_of("https://news.bbc.co.uk/world/1") == "bbc.co.uk"
    assert site_of("http://www.example.com/a") == "example.com"
    assert site_of("http://127.0.0.1:8000/a") == "127.0.0.1"
    assert site_of("file:///tmp/a.html") is None
    assert site_of(None) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_idempotent_on_any_text(text: str) -> None:
    once = canonical_url(text)
    assert isinstance(once, str)
    assert canonical_url(once) == once


_piece = st.text(alphabet="abcAMPutm_=&/.%?#:;@+-~ 1", max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTP://www.", "https://m.", "http://amp.www."]),
       st.sampled_from(["example.com", "Example.org:80", "x.co.uk:443", "[::1]:8080", "a.b.c:81"]),
       st.lists(st.sampled_from(["amp", "news", "", "story.amp.html", "AMP", "x%2f"]), max_size=5),
       _piece, _piece)
def test_idempotent_on_url_like_text(prefix: str, host: str, segments: list[str], query: str, tail: str) -> None:
    url = prefix + host + "/" + "/".join(segments) + "?" + query + tail
    once = canonical_url(url)
    assert canonical_url(once) == once


@settings(max_examples=200, deadline=None)
@given(urls())
def test_idempotent_on_generated_urls(url: str) -> None:
    once = canonical_url(url)
    assert once.startswith("https://") or once == url.strip()
    assert canonical_url(once) == once
