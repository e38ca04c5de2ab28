"""Canonical article URLs, so the same story reached via tracking links, AMP or mobile hosts is one article."""
from __future__ import annotations

import re
from urllib.parse import quote, unquote_plus, urlsplit

from tld import get_fld

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_PREFIXES = ("www.", "m.", "amp.")
_DEFAULT_PORTS = (80, 443)
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")

# Query keys that only say where a click came from, never which article it is.
_TRACKING_KEYS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "ocid", "smid", "smtyp", "_ga", "_gl",
    "at_medium", "at_campaign", "mkt_tok", "spm", "sr_share", "xtor", "ito", "wt.mc_id", "s_cid",
    "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "amp",
})
_TRACKING_PREFIXES = ("utm_", "at_custom", "pk_", "hsa_")


def canonical_url(url: str) -> str:
    """Normalise an article URL; never raises, and canonical_url(canonical_url(u)) == canonical_url(u).

    Strings that are not http(s) URLs with a host come back stripped with a lower-case scheme.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return _lower_scheme(text)
    if parts.scheme.lower() not in ("http", "https") or not host:
        return _lower_scheme(text)
    host = _canonical_host(host)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port not in _DEFAULT_PORTS:
        netloc += f":{port}"
    path = _canonical_path(_escape_blanks(parts.path))
    query = _canonical_query(_escape_blanks(parts.query))
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


def site_of(url: str | None) -> str | None:
    """The registered domain of a URL (`news.bbc.co.uk` -> `bbc.co.uk`), else its host, else None."""
    if not url:
        return None
    canonical = canonical_url(url)
    if not canonical.startswith("https://"):
        return None
    try:
        found = get_fld(canonical, fail_silently=True)
        return found if isinstance(found, str) and found else urlsplit(canonical).hostname or None
    except ValueError:  # includes UnicodeError from odd host names
        return urlsplit(canonical).hostname or None


def _lower_scheme(text: str) -> str:
    m = _SCHEME.match(text)
    return m.group(1).lower() + text[m.end(1):] if m else text


def _escape_blanks(text: str) -> str:
    """Percent-encode whitespace and control characters, as browsers do (and so strip() can't eat them)."""
    return "".join(quote(c, safe="") if c.isspace() or ord(c) < 0x20 or c == "\x7f" else c for c in text)


def _canonical_host(host: str) -> str:
    host = host.lower().rstrip(".")
    changed = True
    while changed:
        changed = False
        for prefix in _HOST_PREFIXES:
            rest = host[len(prefix):]
            # Keep at least a registrable name: never turn `www.com` into `com`.
            if host.startswith(prefix) and "." in rest.strip("."):
                host, changed = rest, True
    return host


def _canonical_path(path: str) -> str:
    """Fold AMP variants and trailing slashes, repeating until nothing changes (idempotence)."""
    path = _PERCENT_ESCAPE.sub(lambda m: m.group(0).upper(), path) or "/"
    while True:
        before = path
        path = "/".join(seg for seg in path.split("/") if seg != "amp") or "/"
        while path.endswith(".amp.html"):
            path = path[: -len(".amp.html")] + ".html"
        if len(path) > 1:
            path = path.rstrip("/") or "/"
        if not path.startswith("/"):
            path = "/" + path
        if path == before:
            return path


def _canonical_query(query: str) -> str:
    """Drop tracking and AMP parameters and sort the rest, keeping each `key=value` as written."""
    kept = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        key = unquote_plus(key).strip().lower()
        if key in _TRACKING_KEYS or key.startswith(_TRACKING_PREFIXES):
            continue
        if key == "outputtype" and unquote_plus(value).strip().lower() == "amp":
            continue
        kept.append(piece)
    return "&".join(sorted(kept))
