"""Fetch one URL over HTTP(S) safely: non-public addresses refused after DNS, the checked IP pinned, size and time capped."""
from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from typing import Callable, Protocol
from urllib.parse import quote, urljoin, urlsplit

from newsgraph.errors import FetchError
from newsgraph.ingest.limits import MB, format_size

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Most specific first: 127.0.0.1 is also "private", 169.254.x.x is also "private".
_NON_PUBLIC = [
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_unspecified", "unspecified"),
    ("is_reserved", "reserved"),
    ("is_private", "private"),
]


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str  # the Content-Type header, "" if absent
    body: bytes
    headers: dict[str, str]  # lower-cased names


class FetcherLike(Protocol):
    """Anything that can fetch a URL; readers type against this so tests can pass a stub."""

    def fetch(self, url: str) -> FetchResult: ...


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, no brackets
    port: int
    request_path: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for `host`, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def non_public_kind(ip: IPAddress) -> str | None:
    """Why `ip` is not a public internet address (`loopback`, `private`, ...), or None if it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv6 wrapper around an IPv4 address reaches that IPv4 address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return non_public_kind(embedded)
    for attr, kind in _NON_PUBLIC:
        if getattr(ip, attr):
            return kind
    return None if ip.is_global else "non-public"


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


@dataclass
class Fetcher:
    """HTTP(S) GET with redirects; every failure is a FetchError naming the requested URL."""

    allow_private: bool = False
    timeout: float = 10.0  # per connect/read operation
    deadline: float = 30.0  # for the whole fetch, redirects included
    max_bytes: int = 10 * MB
    max_redirects: int = 5
    user_agent: str = "newsgraph/0.1 (news-intelligence engine)"
    resolver: Resolver = resolve_host
    ssl_context: ssl.SSLContext | None = None  # None: system CAs, hostname checked

    def address_allowed(self, ip: IPAddress) -> bool:
        return self.allow_private or non_public_kind(ip) is None

    def fetch(self, url: str) -> FetchResult:
        give_up = time.monotonic() + self.deadline
        current = url
        for hop in range(self.max_redirects + 1):
            target = _parse_target(url, current)
            try:
                location, result = self._request(url, target, give_up, hop)
            except FetchError:
                raise
            except (OSError, http.client.HTTPException) as e:
                if isinstance(e, TimeoutError) and time.monotonic() >= give_up:
                    raise FetchError(url, f"exceeded the {self.deadline:g} s total deadline") from None
                raise _network_error(url, target, e, self.timeout) from None
            if result is not None:
                return result
            try:
                current = urljoin(current, location).split("#", 1)[0]
            except ValueError:
                raise FetchError(url, f"invalid redirect Location {location[:200]!r}") from None
        raise FetchError(url, f"too many redirects (more than {self.max_redirects})")

    def _request(self, item: str, target: _Target, give_up: float, hop: int) -> tuple[str, FetchResult | None]:
        """One GET: either (location, None) for a redirect or ("", result)."""
        addresses = self._checked_addresses(item, target, hop)
        sock = self._connect(item, target, addresses, give_up)
        conn = http.client.HTTPConnection(target.host, target.port, timeout=self.timeout)
        conn.sock = sock  # pinned: http.client must not resolve the name again
        try:
            conn.request("GET", target.request_path, headers={
                "Host": target.host_header,
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "identity",
                "Connection": "close",
            })
            sock.settimeout(self._op_timeout(item, give_up))
            resp = conn.getresponse()
            headers: dict[str, str] = {}
            for name, value in resp.getheaders():
                key = name.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            if resp.status in REDIRECT_STATUSES:
                location = headers.get("location", "").strip()
                if not location:
                    raise FetchError(item, f"HTTP {resp.status} redirect without a Location header")
                return location, None
            if resp.status >= 400:
                raise FetchError(item, f"HTTP {resp.status} {resp.reason}".rstrip())
            body = self._read_body(item, resp, sock, headers, give_up)
        finally:
            conn.close()
        result = FetchResult(url=item, final_url=target.url, status=resp.status,
                             content_type=headers.get("content-type", ""), body=body, headers=headers)
        return "", result

    def _checked_addresses(self, item: str, target: _Target, hop: int) -> list[str]:
        """Resolve once and check every address, so a later lookup can't swap in a private one."""
        try:
            addresses = [str(ipaddress.ip_address(target.host))]
        except ValueError:
            try:
                addresses = self.resolver(target.host, target.port)
            except (OSError, UnicodeError):
                addresses = []
        if not addresses:
            raise FetchError(item, f"cannot resolve host '{target.host}'")
        via = f" (redirected to {target.url})" if hop else ""
        for address in addresses:
            ip = ipaddress.ip_address(address)
            if not self.address_allowed(ip):
                kind = non_public_kind(ip) or "disallowed"
                raise FetchError(item, f"refused {kind} address {ip} for host '{target.host}'{via}")
        return addresses

    def _connect(self, item: str, target: _Target, addresses: list[str], give_up: float) -> socket.socket:
        last: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, target.port), timeout=self._op_timeout(item, give_up))
            except OSError as e:
                last = e
                continue
            if target.scheme != "https":
                return sock
            context = self.ssl_context or _default_ssl_context()
            try:
                # server_hostname makes TLS verify the certificate for the name, not the pinned IP.
                return context.wrap_socket(sock, server_hostname=target.host)
            except OSError:
                sock.close()
                raise
        assert last is not None  # addresses is never empty here
        raise last

    def _read_body(self, item: str, resp: http.client.HTTPResponse, sock: socket.socket,
                   headers: dict[str, str], give_up: float) -> bytes:
        length = headers.get("content-length", "").strip()
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(item, f"response too large (Content-Length {format_size(int(length))} > "
                                   f"{format_size(self.max_bytes)} limit)")
        chunks: list[bytes] = []
        total = 0
        while not resp.isclosed():  # closed = body complete, and the socket may already be gone
            sock.settimeout(self._op_timeout(item, give_up))
            chunk = resp.read1(CHUNK)  # read1: return what has arrived, so the deadline is checked often
            if not chunk:
                break
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(item, f"response too large (over {format_size(self.max_bytes)} limit)")
            chunks.append(chunk)
        body = b"".join(chunks)
        encoding = headers.get("content-encoding", "identity").strip().lower()
        return _decode_content(item, body, encoding, self.max_bytes)

    def _op_timeout(self, item: str, give_up: float) -> float:
        remaining = give_up - time.monotonic()
        if remaining <= 0:
            raise FetchError(item, f"exceeded the {self.deadline:g} s total deadline")
        return min(self.timeout, remaining)


def _parse_target(item: str, url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname
    except ValueError as e:
        raise FetchError(item, f"invalid URL ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(item, f"unsupported URL scheme '{scheme}' (only http and https)")
    if not host:
        raise FetchError(item, "invalid URL (no host)")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError(item, f"invalid host name '{host}'") from None
    # Quote spaces, control and non-ASCII characters; existing %-escapes are kept.
    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/?%!$&'()*+,;=:@-._~")
    return _Target(url=url.strip(), scheme=scheme, host=host, port=port or _DEFAULT_PORTS[scheme], request_path=path)


def _decode_content(item: str, body: bytes, encoding: str, limit: int) -> bytes:
    """Undo gzip/deflate (we ask for identity, but some servers compress anyway), capped at `limit`."""
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(item, f"unsupported Content-Encoding '{encoding}'")
    for wbits in (zlib.MAX_WBITS | 32, -zlib.MAX_WBITS):  # gzip/zlib header, then raw deflate
        try:
            out = zlib.decompressobj(wbits).decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit:
            raise FetchError(item, f"response too large (over {format_size(limit)} limit after decompression)")
        return out
    raise FetchError(item, f"corrupt {encoding} response body")


def _network_error(item: str, target: _Target, e: Exception, timeout: float) -> FetchError:
    where = f"{target.host}:{target.port}"
    if isinstance(e, TimeoutError):
        return FetchError(item, f"timed out after {timeout:g} s ({where})")
    if isinstance(e, ConnectionRefusedError):
        return FetchError(item, f"connection refused ({where})")
    if isinstance(e, ssl.SSLCertVerificationError):
        return FetchError(item, f"TLS certificate verification failed ({e.verify_message})")
    if isinstance(e, ssl.SSLError):
        return FetchError(item, f"TLS error ({e.reason or e})")
    if isinstance(e, http.client.RemoteDisconnected):
        return FetchError(item, f"server closed the connection without a response ({where})")
    if isinstance(e, http.client.HTTPException):
        return FetchError(item, f"bad HTTP response ({type(e).__name__})")
    if isinstance(e, OSError):
        return FetchError(item, f"network error ({e.strerror or e})")
    return FetchError(item, f"fetch failed ({type(e).__name__})")
