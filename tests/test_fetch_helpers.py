"""Shared test helpers (no tests here): a local HTTP(S) server on 127.0.0.1 and a closed port."""
from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator, Union

# A route is either (status, headers, body) or a function that writes the response itself.
Route = Union[tuple[int, dict[str, str], bytes], Callable[[BaseHTTPRequestHandler], None]]


@dataclass
class Seen:
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    block_on_close = False  # slow handlers must not hold up the test's teardown
    daemon_threads = True
    routes: dict[str, Route]
    seen: list[Seen]

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        pass  # clients hang up on purpose (timeouts, size caps)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server: _Server = self.server  # type: ignore[assignment]
        server.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = server.routes.get(self.path)
        if route is None:
            route = (404, {"Content-Type": "text/plain"}, b"not found")
        if callable(route):
            route(self)
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Served:
    base: str  # e.g. http://127.0.0.1:43123
    port: int
    seen: list[Seen]

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def serve(routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> Iterator[Served]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.routes = routes
    server.seen = []
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    port = server.server_address[1]
    scheme = "https" if tls else "http"
    try:
        yield Served(f"{scheme}://127.0.0.1:{port}", port, server.seen)
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def html_page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{body} Paragraph {i} adds more reporting and detail to the story.</p>"
                         for i in range(4))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article><footer>Copyright Example News</footer>"
            f"</body></html>").encode()


def make_cert(tmp: Path, hostname: str) -> tuple[Path, Path] | None:
    """A self-signed certificate for `hostname` via the openssl CLI, or None if it isn't installed."""
    if shutil.which("openssl") is None:
        return None
    cert, key = tmp / f"{hostname}.crt", tmp / f"{hostname}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={hostname}",
         "-addext", f"subjectAltName=DNS:{hostname}"],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key
