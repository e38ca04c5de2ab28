"""Bounded load test of the web UI and API: 50 concurrent clients on loopback for 20 s, p50/p95 per endpoint.

    .venv/bin/python benchmarks/web.py [--db /tmp/newsgraph-web-3000.db | postgresql://...]
        [--data ../shared/data/wikinews/articles.jsonl] [--clients 50] [--seconds 20]
        [--loader wrk|httpx] [--workers 1] [--cache-mb 64] [--warm] [--json]

Builds the store from the 3,000 Wikinews articles first if `--db` does not exist (a few minutes of
CPU; the file is kept for the next run). Then it starts `newsgraph serve` on a free loopback port,
runs the clients against the article page, entity page, search page and /api/search for the given
time, stops by itself, stops the server and prints latency percentiles and the error count.

Loaders: `wrk` (the default when installed: a C load generator, so the client does not eat the CPU the
server needs) runs the clients once over all four endpoints mixed, then once per endpoint, each run
`--seconds` long; `httpx` (Python, asyncio) runs them once over the endpoints in turn. `--warm` first
requests every sampled URL once, so the response cache holds them; `--cache-mb 0` turns the cache off.

Two figures per endpoint: `client` is the latency a client sees (it includes queueing behind the
other clients); `app` is the server's own time per request (Server-Timing).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's newsgraph

from newsgraph.records import ArticleRow  # noqa: E402
from newsgraph.store import is_postgres_url, open_store  # noqa: E402
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl"
DEFAULT_DB = Path("/tmp/newsgraph-web-3000.db")
QUERIES = ["company", "Microsoft", "oil", "president", "market", "Google AND search", "bank*", '"chief executive"',
           "shares OR stock", "Apple", "profit", "election", "China", "internet", "court", "merger", "Sony",
           "price NOT oil", "airline*", "software", "government", "energy", "London", "phone*"]
TOKEN = "load-test-token-0123456789abcdef"


def build_store(db: str, data: Path) -> None:
    print(f"building {db} from {data} (a few minutes)…", file=sys.stderr)
    started = time.monotonic()
    subprocess.run(["nice", "-n", "10", sys.executable, "-m", "newsgraph", "ingest", str(data), "--db", str(db)],
                   check=True, cwd=ROOT)
    print(f"built in {time.monotonic() - started:.0f}s", file=sys.stderr)


def targets(db: str, seed: int) -> dict[str, list[str]]:
    """Sampled URLs per endpoint: random articles, entities drawn from the 1,000 most connected, fixed queries."""
    store = open_store(db, create=False)
    try:
        articles = [a.id for a in store.export(ArticleRow)]
        entities = [e.id for e in store.entities(limit=1000, values=True)]
    finally:
        store.close()
    rng = random.Random(seed)
    return {
        "article page": [f"/articles/{i}" for i in rng.sample(articles, min(500, len(articles)))],
        "entity page": [f"/entities/{i}" for i in rng.sample(entities, min(500, len(entities)))],
        "search page": [f"/search?{httpx.QueryParams({'q': q})}" for q in QUERIES],
        "api search": [f"/api/search?{httpx.QueryParams({'q': q, 'limit': 20})}" for q in QUERIES],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, log: Path, workers: int = 1, cache_mb: float = 64) -> subprocess.Popen:
    env = {**os.environ, "NEWSGRAPH_TOKEN": TOKEN}
    err = open(log, "w")  # noqa: SIM115 - the server outlives this call
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers), "--cache-mb", str(cache_mb)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


async def load(base: str, urls: dict[str, list[str]], clients: int, seconds: float, seed: int) -> dict:
    names = list(urls)
    client_ms: dict[str, list[float]] = {n: [] for n in names}
    app_ms: dict[str, list[float]] = {n: [] for n in names}
    errors: dict[str, int] = {n: 0 for n in names}
    kinds: dict[str, int] = {}  # what went wrong: an HTTP status or an exception type
    stop_at = time.monotonic() + seconds

    async def worker(number: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + number)
        turn = number
        while time.monotonic() < stop_at:
            name = names[turn % len(names)]
            turn += 1
            started = time.perf_counter()
            try:
                r = await http.get(rng.choice(urls[name]))
                took = (time.perf_counter() - started) * 1000
                if r.status_code != 200:
                    errors[name] += 1
                    kinds[f"HTTP {r.status_code}"] = kinds.get(f"HTTP {r.status_code}", 0) + 1
                    continue
            except httpx.HTTPError as exc:
                errors[name] += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                continue
            client_ms[name].append(took)
            timing = r.headers.get("server-timing", "")
            if "dur=" in timing:
                app_ms[name].append(float(timing.split("dur=")[1]))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=15) as http:
        started = time.monotonic()
        # The clients stop by themselves at `stop_at`; the outer timeout only guards against a hung request.
        await asyncio.wait_for(asyncio.gather(*(worker(i, http) for i in range(clients))), seconds + 30)
        elapsed = time.monotonic() - started
    return {"seconds": round(elapsed, 1), "clients": clients, "error_kinds": kinds, "endpoints": {
        n: {"requests": len(client_ms[n]), "errors": errors[n],
            "client_p50_ms": pct(client_ms[n], 50), "client_p95_ms": pct(client_ms[n], 95),
            "app_p50_ms": pct(app_ms[n], 50), "app_p95_ms": pct(app_ms[n], 95)} for n in names}}


def warm(base: str, urls: dict[str, list[str]], workers: int) -> dict:
    """Request every sampled URL once per server process (on fresh connections, which the processes share out)."""
    started, errors = time.monotonic(), 0
    for _ in range(workers):
        with httpx.Client(base_url=base, timeout=30, headers={"connection": "close"}) as http:
            for url in (u for group in urls.values() for u in group):
                errors += http.get(url).status_code != 200
    return {"seconds": round(time.monotonic() - started, 1), "errors": errors}


def wrk_run(base: str, urls: list[str], clients: int, seconds: float, seed: int, work: Path) -> dict:
    """One wrk run of `clients` connections for `seconds` over `urls`; wrk stops by itself."""
    work.mkdir(parents=True, exist_ok=True)
    listing, out = work / "urls.txt", work / "result.json"
    listing.write_text("\n".join(urls) + "\n")
    out.unlink(missing_ok=True)
    cmd = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
           "-s", str(ROOT / "benchmarks" / "web_wrk.lua"), base, "--", str(listing), str(out), str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    r = json.loads(out.read_text())
    errors = sum(r["errors"].values())
    seen = r["hits"] + r["misses"]
    return {"requests": r["requests"], "errors": errors, "error_kinds": {k: v for k, v in r["errors"].items() if v},
            "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
            "client_p50_ms": round(r["latency_us"]["p50"] / 1000, 1),
            "client_p95_ms": round(r["latency_us"]["p95"] / 1000, 1),
            "client_p99_ms": round(r["latency_us"]["p99"] / 1000, 1),
            "app_p50_ms": r["app_ms"]["p50"] and round(r["app_ms"]["p50"], 1),
            "app_p95_ms": r["app_ms"]["p95"] and round(r["app_ms"]["p95"], 1),
            "hit_rate": round(r["hits"] / seen, 3) if seen else None}


def wrk_load(base: str, urls: dict[str, list[str]], clients: int, seconds: float, seed: int, work: Path) -> dict:
    """All endpoints mixed, then each endpoint alone: per-endpoint percentiles need their own run with wrk."""
    started = time.monotonic()
    endpoints = {"all, mixed": wrk_run(base, [u for g in urls.values() for u in g], clients, seconds, seed, work)}
    for name, group in urls.items():
        endpoints[name] = wrk_run(base, group, clients, seconds, seed, work)
    kinds: dict[str, int] = {}
    for e in endpoints.values():
        for k, v in e.pop("error_kinds").items():
            kinds[k] = kinds.get(k, 0) + v
    return {"seconds": round(time.monotonic() - started, 1), "clients": clients, "error_kinds": kinds,
            "endpoints": endpoints}


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(DEFAULT_DB), help="a SQLite path (built if missing) or a postgresql:// URL")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--server-log", type=Path, default=Path("/tmp/newsgraph-web-bench-server.log"),
                    help="Where the server's stderr goes (its tail is printed when a request fails).")
    ap.add_argument("--loader", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    ap.add_argument("--workers", type=int, default=1, help="`newsgraph serve --workers`.")
    ap.add_argument("--cache-mb", type=float, default=64, help="`newsgraph serve --cache-mb` (0: no cache).")
    ap.add_argument("--warm", action="store_true", help="Request every sampled URL once before measuring.")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not is_postgres_url(args.db) and not Path(args.db).exists():
        if not args.data.exists():
            sys.exit(f"no store at {args.db} and no data at {args.data} to build one")
        build_store(args.db, args.data)
    urls = targets(args.db, args.seed)
    port = free_port()
    server = start_server(args.db, port, args.server_log, args.workers, args.cache_mb)
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    try:
        warmed = warm(base, urls, args.workers) if args.warm else None
        if args.loader == "wrk":
            result = wrk_load(base, urls, args.clients, args.seconds, args.seed, Path(f"/tmp/newsgraph-wrk-{port}"))
        else:
            result = asyncio.run(load(base, urls, args.clients, args.seconds, args.seed))
    finally:
        server.terminate()
        server.wait(timeout=10)
    result.update(loader=args.loader, workers=args.workers, cache_mb=args.cache_mb, warm_up=warmed,
                  loadavg={"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]})
    store = open_store(args.db, create=False)
    result["articles"] = store.stats().articles
    result["store"] = store.url  # without any password
    store.close()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    total_errors = sum(e["errors"] for e in result["endpoints"].values())
    if total_errors:
        print(f"server log tail ({args.server_log}):", *args.server_log.read_text().splitlines()[-20:], sep="\n",
              file=sys.stderr)
    print(f"{result['clients']} clients, {result['loader']}, {result['workers']} server process(es), cache"
          f" {result['cache_mb']} MiB{', warmed' if warmed else ''}; {result['seconds']}s in all against a store of"
          f" {result['articles']:,} articles; {total_errors} errors {result['error_kinds'] or ''};"
          f" load average {result['loadavg']['before'][0]} before, {result['loadavg']['after'][0]} after")
    print(f"{'endpoint':<14}{'requests':>9}{'errors':>8}{'req/s':>8}{'client p50':>12}{'client p95':>12}"
          f"{'app p50':>10}{'app p95':>10}{'hit rate':>10}")
    for name, e in result["endpoints"].items():
        print(f"{name:<14}{e['requests']:>9}{e['errors']:>8}{e.get('rps', '')!s:>8}{e['client_p50_ms']!s:>12}"
              f"{e['client_p95_ms']!s:>12}{e['app_p50_ms']!s:>10}{e['app_p95_ms']!s:>10}{e.get('hit_rate', '')!s:>10}")


if __name__ == "__main__":
    main()
