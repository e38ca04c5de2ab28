"""extract(): HTML through trafilatura, plain text as given, metadata precedence, errors and hashes."""
from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.extract import canonical_url, extract
from newsgraph.extract.text import clean_text, content_hash, normalise_date
from newsgraph.model import ExtractedDoc, RawDoc

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Acme agrees to buy Widget Co for $2bn | The Daily Planet</title>
  <meta property="og:title" content="Acme agrees to buy Widget Co for $2bn">
  <meta property="og:site_name" content="The Daily Planet">
  <meta name="author" content="Jane Reporter">
  <meta property="article:published_time" content="2024-03-05T10:15:00+00:00">
  <link rel="canonical" href="https://www.dailyplanet.example/business/acme-widget?utm_source=rss">
</head>
<body>
  <header class="site-header"><a href="/">The Daily Planet</a>
    <nav class="main-nav"><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
    <li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe today for full access</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>Acme agrees to buy Widget Co for $2bn</h1>
      <p class="byline">By Jane Reporter, Business correspondent</p>
      <p>Acme Corporation said on Tuesday it had agreed to buy Widget Co, the maker of industrial widgets,
         for about $2 billion in cash, in a deal that would make it the largest supplier in Europe.</p>
      <p>The deal, which still needs approval from regulators in Brussels and Washington, is expected to close
         in the second half of the year, Acme's chief executive Maria Lopez told reporters in Berlin.</p>
      <p>Shares of Widget Co rose 14 percent in Frankfurt trading after the announcement, while Acme's stock
         was little changed. Analysts said the price looked fair given Widget's order book.</p>
    </article>
    <aside class="related"><h2>Related stories</h2><ul><li><a href="/x">Markets close higher</a></li></ul></aside>
  </main>
  <footer class="site-footer"><p>Copyright 2024 The Daily Planet. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body>
</html>
"""


def test_realistic_news_page() -> None:
    doc = extract(RawDoc(item="page.html", html=NEWS_PAGE))
    assert isinstance(doc, ExtractedDoc)
    assert doc.title == "Acme agrees to buy Widget Co for $2bn"
    assert doc.date == "2024-03-05"
    assert doc.author == "Jane Reporter"
    assert doc.site == "The Daily Planet"
    assert doc.language == "en"
    assert "Acme Corporation said on Tuesday" in doc.text
    assert "Analysts said the price looked fair" in doc.text
    for boilerplate in ("Subscribe today", "All rights reserved", "Privacy policy", "Cookie settings"):
        assert boilerplate not in doc.text
    # No URL was given: the page's own canonical link is used, then canonicalised.
    assert doc.canonical_url == "https://dailyplanet.example/business/acme-widget"
    assert doc.content_hash == content_hash(doc.text)
    assert doc.item == "page.html"


def test_metadata_in_rawdoc_wins() -> None:
    raw = RawDoc(item="x", html=NEWS_PAGE, url="http://www.other.example/story/?fbclid=1",
                 title="Given title", date="March 7, 2024", meta={"author": "Desk", "language": "de"})
    doc = extract(raw)
    assert (doc.title, doc.date, doc.author, doc.language) == ("Given title", "2024-03-07", "Desk", "de")
    assert doc.url == "http://www.other.example/story/?fbclid=1"
    assert doc.canonical_url == "https://other.example/story"
    assert doc.meta == {"author": "Desk", "language": "de"}


def test_truncated_html_still_gives_text() -> None:
    cut = NEWS_PAGE[: NEWS_PAGE.index("Shares of Widget")]
    doc = extract(RawDoc(item="cut.html", html=cut))
    assert "Acme Corporation said on Tuesday" in doc.text


@pytest.mark.parametrize("html", ["", "   ", "<html><head><title>t</title></head><body></body></html>",
                                  "<nav><a href='/'>Home</a></nav>", "<<<>>>", "\x00\x01"])
def test_html_without_article_text(html: str) -> None:
    with pytest.raises(InputError) as info:
        extract(RawDoc(item="empty.html", html=html))
    assert info.value.stage == "extract" and info.value.item == "empty.html"
    assert info.value.message == "no article text found in HTML"


def test_text_is_used_as_given_but_normalised() -> None:
    raw = RawDoc(item="a.txt", text="Headline line\r\nFirst para.\r\n\r\n\r\n\r\nSecond\x00 para.\x07\tok  \n",
                 url="https://www.example.com/a/?utm_medium=x", date="2024-01-02T03:04:05Z")
    doc = extract(raw)
    assert doc.text == "Headline line\nFirst para.\n\nSecond para.\tok"
    assert doc.title is None  # the first line is not taken as a title
    assert doc.date == "2024-01-02"
    assert doc.canonical_url == "https://example.com/a"
    assert doc.site == "example.com"


@pytest.mark.parametrize("text", ["", "   \n\n\t", "\x00\x01\x02"])
def test_empty_text(text: str) -> None:
    with pytest.raises(InputError) as info:
        extract(RawDoc(item="e.txt", text=text))
    assert (info.value.message, info.value.stage) == ("empty article text", "extract")


def test_neither_text_nor_html() -> None:
    with pytest.raises(InputError, match="neither text nor HTML"):
        extract(RawDoc(item="x"))


def test_content_hash_ignores_whitespace_and_case() -> None:
    a = extract(RawDoc(item="a", text="Hello   World.\nSecond line."))
    b = extract(RawDoc(item="b", text="hello world. second LINE."))
    assert a.content_hash == b.content_hash
    assert a.content_hash == hashlib.sha256(b"hello world. second line.").hexdigest()
    assert a.identity == f"#{a.content_hash}"


def test_unparseable_date_is_kept_in_meta() -> None:
    doc = extract(RawDoc(item="a", text="Body.", date="sometime last week"))
    assert doc.date is None and doc.meta["date_raw"] == "sometime last week"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-05", "2024-03-05"), ("2024-3-5", "2024-03-05"), ("2024/03/05", "2024-03-05"),
    ("2024-03-05T23:30:00-05:00", "2024-03-05"), ("20240305", "2024-03-05"),
    ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"), ("March 5, 2024", "2024-03-05"),
    ("5 March 2024", "2024-03-05"), ("2024-02-30", None), ("yesterday", None), ("", None), (None, None),
])
def test_normalise_date(value: str | None, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_clean_text_rules() -> None:
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("a\n\n\n\n\nb") == "a\n\nb"
    assert clean_text("a \n  \n \n\nb") == "a\n\nb"
    assert clean_text("x\x00y\x1b\x7f\x85z\tw") == "xyz\tw"
    assert clean_text("\ufeffbom \ud800") == "bom \ufffd"


def test_lxml_html_clean_is_the_cleaner_in_use() -> None:
    import lxml.html.clean
    import lxml_html_clean

    assert lxml.html.clean.Cleaner is lxml_html_clean.Cleaner


def test_canonical_url_is_exported() -> None:
    assert canonical_url("http://www.example.com/") == "https://example.com/"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.text(alphabet="<>/ab p=\"'&;!-\n").map(lambda s: "<p>" + s)))
def test_extract_html_only_raises_input_error(html: str) -> None:
    try:
        doc = extract(RawDoc(item="fuzz.html", html=html))
    except InputError as e:
        assert e.stage == "extract" and "\n" not in e.message
    else:
        assert doc.text and doc.text == doc.text.strip()
