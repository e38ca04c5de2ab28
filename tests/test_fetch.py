"""Fetcher: redirects, caps, timeouts, address checks after DNS and IP pinning, TLS hostname checks."""
from __future__ import annotations

import gzip
import ipaddress
import socket
import ssl
import time

import pytest
from test_fetch_helpers import closed_port, html_page, make_cert, serve

from newsgraph.errors import FetchError
from newsgraph.ingest.fetch import Fetcher, FetcherLike, FetchResult, non_public_kind

PAGE = html_page("Local story", "Body text.")


def _fails(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    err = info.value
    assert err.item == url and err.stage == "fetch"
    assert "\n" not in str(err) and str(err).startswith(url + ": ")
    return err


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if a refused address would still be connected to."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"connection attempted: {args}")
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_fetch_ok_returns_result_and_sends_headers() -> None:
    routes = {"/page": (200, {"Content-Type": "text/html; charset=utf-8", "X-Thing": "1"}, PAGE)}
    with serve(routes) as srv:
        result = Fetcher(allow_private=True, user_agent="ng-test/1").fetch(srv.url("/page"))
    assert isinstance(result, FetchResult)
    assert (result.url, result.final_url, result.status) == (srv.url("/page"), srv.url("/page"), 200)
    assert result.content_type == "text/html; charset=utf-8"
    assert result.body == PAGE and result.headers["x-thing"] == "1"
    assert srv.seen[0].headers["user-agent"] == "ng-test/1"
    assert srv.seen[0].headers["host"] == f"127.0.0.1:{srv.port}"


def test_fetcher_satisfies_protocol() -> None:
    fetcher: FetcherLike = Fetcher()
    assert callable(fetcher.fetch)


def test_redirects_followed_and_capped() -> None:
    routes = {
        "/a": (302, {"Location": "/b"}, b""),
        "/b": (301, {"Location": "/page#frag"}, b""),
        "/page": (200, {"Content-Type": "text/html"}, PAGE),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/nowhere": (302, {}, b""),
        "/bad-location": (302, {"Location": "http://[::1"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    }
    with serve(routes) as srv:
        result = Fetcher(allow_private=True).fetch(srv.url("/a"))
        assert result.final_url == srv.url("/page") and result.url == srv.url("/a")
        err = _fails(Fetcher(allow_private=True, max_redirects=3), srv.url("/loop"))
        assert err.message == "too many redirects (more than 3)"
        assert len([s for s in srv.seen if s.path == "/loop"]) == 4
        assert "without a Location" in _fails(Fetcher(allow_private=True), srv.url("/nowhere")).message
        assert _fails(Fetcher(allow_private=True), srv.url("/bad-location")).message == \
            "invalid redirect Location 'http://[::1'"
        assert _fails(Fetcher(allow_private=True), srv.url("/to-file")).message == \
            "unsupported URL scheme 'file' (only http and https)"


def test_http_error_status() -> None:
    with serve({}) as srv:
        assert _fails(Fetcher(allow_private=True), srv.url("/missing")).message == "HTTP 404 Not Found"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)"])
def test_non_http_scheme_refused(url: str, no_connect: None) -> None:
    assert "unsupported URL scheme" in _fails(Fetcher(), url).message


@pytest.mark.parametrize("url", ["http:///nohost", "http://[::1/", "http://example.com:99999/"])
def test_invalid_urls(url: str, no_connect: None) -> None:
    assert _fails(Fetcher(), url).message.startswith("invalid URL")


def test_unresolvable_host(no_connect: None) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    err = _fails(Fetcher(resolver=resolver), "http://no-such-host.invalid/x")
    assert err.message == "cannot resolve host 'no-such-host.invalid'"


@pytest.mark.parametrize("url, kind", [
    ("http://127.0.0.1/", "loopback"),
    ("http://10.1.2.3/", "private"),
    ("http://192.168.1.1:8080/admin", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[fe80::1]/", "link-local"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://100.64.0.1/", "non-public"),
])
def test_non_public_literal_addresses_refused(url: str, kind: str, no_connect: None) -> None:
    err = _fails(Fetcher(), url)
    assert err.message.startswith(f"refused {kind} address ")


def test_every_resolved_address_is_checked(no_connect: None) -> None:
    table = {"intranet.test": ["10.0.0.7"], "mixed.test": ["93.184.216.34", "10.0.0.1"],
             "meta.test": ["169.254.169.254"], "v6.test": ["fd00::1"]}
    fetcher = Fetcher(resolver=lambda host, port: table[host])
    assert _fails(fetcher, "http://intranet.test/").message == "refused private address 10.0.0.7 for host 'intranet.test'"
    assert "10.0.0.1" in _fails(fetcher, "https://mixed.test/").message
    assert "link-local address 169.254.169.254" in _fails(fetcher, "http://meta.test/").message
    assert "private address fd00::1" in _fails(fetcher, "http://v6.test/").message


def test_loopback_refused_without_allow_private_even_with_a_server() -> None:
    with serve({"/page": (200, {"Content-Type": "text/html"}, PAGE)}) as srv:
        assert "refused loopback address 127.0.0.1" in _fails(Fetcher(), srv.url("/page")).message
        assert srv.seen == []
        assert Fetcher(allow_private=True).fetch(srv.url("/page")).status == 200


class LoopbackOnly(Fetcher):
    """Lets the test server through but keeps the default policy for everything else."""

    def address_allowed(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(ip) == "127.0.0.1" or super().address_allowed(ip)


def test_each_redirect_hop_is_checked() -> None:
    routes = {"/to-private": (302, {"Location": "http://10.0.0.1/secret"}, b""),
              "/to-rebind": (302, {"Location": "http://rebind.test/x"}, b"")}
    table = {"rebind.test": ["169.254.169.254"]}
    with serve(routes) as srv:
        fetcher = LoopbackOnly(resolver=lambda host, port: table[host])
        err = _fails(fetcher, srv.url("/to-private"))
        assert err.message == ("refused private address 10.0.0.1 for host '10.0.0.1' "
                               "(redirected to http://10.0.0.1/secret)")
        assert "refused link-local address 169.254.169.254" in _fails(fetcher, srv.url("/to-rebind")).message


def test_connects_to_the_checked_address_and_sends_the_host_name() -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    with serve({"/page": (200, {"Content-Type": "text/html"}, PAGE)}) as srv:
        url = f"http://news.test:{srv.port}/page"
        result = Fetcher(allow_private=True, resolver=resolver).fetch(url)
    assert result.body == PAGE and calls == ["news.test"]  # resolved exactly once, then pinned
    assert srv.seen[0].headers["host"] == f"news.test:{srv.port}"


def test_connection_refused_on_closed_port() -> None:
    url = f"http://127.0.0.1:{closed_port()}/x"
    assert _fails(Fetcher(allow_private=True, timeout=2), url).message.startswith("connection refused")


def test_read_timeout_is_quick() -> None:
    def slow(handler) -> None:  # type: ignore[no-untyped-def]
        time.sleep(2)

    with serve({"/slow": slow}) as srv:
        started = time.monotonic()
        err = _fails(Fetcher(allow_private=True, timeout=0.3), srv.url("/slow"))
        assert time.monotonic() - started < 1.5
    assert err.message.startswith("timed out after 0.3 s")


def test_total_deadline_stops_a_trickling_server() -> None:
    def trickle(handler) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b"<p>x</p>")
            handler.wfile.flush()
            time.sleep(0.05)

    with serve({"/trickle": trickle}) as srv:
        started = time.monotonic()
        err = _fails(Fetcher(allow_private=True, timeout=0.5, deadline=0.5), srv.url("/trickle"))
        assert time.monotonic() - started < 1.5
    assert err.message == "exceeded the 0.5 s total deadline"


def test_size_cap_by_content_length_and_while_streaming() -> None:
    def big_declared(handler) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()
        handler.wfile.write(b"x" * 1000)

    def big_streamed(handler) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Connection", "close")  # no Content-Length: body ends when the socket closes
        handler.end_headers()
        for _ in range(50):
            handler.wfile.write(b"y" * 10_000)

    with serve({"/declared": big_declared, "/streamed": big_streamed}) as srv:
        fetcher = Fetcher(allow_private=True, max_bytes=100_000)
        assert _fails(fetcher, srv.url("/declared")).message == \
            "response too large (Content-Length 50.0 MB > 97.7 KB limit)"
        assert _fails(fetcher, srv.url("/streamed")).message == "response too large (over 97.7 KB limit)"


def test_gzip_body_is_decoded_and_capped() -> None:
    routes = {"/gz": (200, {"Content-Encoding": "gzip", "Content-Type": "text/html"}, gzip.compress(PAGE)),
              "/bomb": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 2_000_000))}
    with serve(routes) as srv:
        fetcher = Fetcher(allow_private=True, max_bytes=100_000)
        assert fetcher.fetch(srv.url("/gz")).body == PAGE
        assert "after decompression" in _fails(fetcher, srv.url("/bomb")).message


def test_https_verifies_certificate_for_the_host_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    made = make_cert(tmp_path, "news.test")
    if made is None:
        pytest.skip("openssl CLI not available")
    cert, key = made
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))
    resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
    with serve({"/page": (200, {"Content-Type": "text/html"}, PAGE)}, tls=server_ctx) as srv:
        ok = Fetcher(allow_private=True, resolver=resolver, ssl_context=trusting, timeout=5)
        assert ok.fetch(f"https://news.test:{srv.port}/page").body == PAGE
        # Same pinned IP, other name: the certificate doesn't match it.
        err = _fails(ok, f"https://other.test:{srv.port}/page")
        assert err.message.startswith("TLS certificate verification failed")
        # System CAs don't know the self-signed certificate.
        system = Fetcher(allow_private=True, resolver=resolver, timeout=5)
        assert _fails(system, f"https://news.test:{srv.port}/page").message.startswith(
            "TLS certificate verification failed")


@pytest.mark.parametrize("address, kind", [
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("127.0.0.2", "loopback"), ("10.255.0.1", "private"),
    ("172.16.5.4", "private"), ("169.254.1.1", "link-local"), ("::", "unspecified"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("2002:a00:1::", "private"),
])
def test_non_public_kind(address: str, kind: str | None) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == kind
