"""Bounded load test of the web UI and API: 50 concurrent clients on loopback for 20 s, p50/p95 per endpoint.

    .venv/bin/python benchmarks/web.py [--db /tmp/newsgraph-web-3000.db | postgresql://...]
        [--data ../shared/data/wikinews/articles.jsonl] [--clients 50] [--seconds 20]
        [--loader wrk|httpx] [--workers 1] [--cache-mb 64] [--warm] [--ingest 300] [--json]

Builds the store from the 3,000 Wikinews articles first if `--db` does not exist (a few minutes of
CPU; the file is kept for the next run). Then it starts `newsgraph serve` on a free loopback port,
runs the clients against the article page, entity page, search page and /api/search for the given
time, stops by itself, stops the server and prints latency percentiles and the error count.

Loaders: `wrk` (the default when installed: a C load generator, so the client does not eat the CPU the
server needs) runs the clients once over all four endpoints mixed, then once per endpoint, each run
`--seconds` long; `httpx` (Python, asyncio) runs them once over the endpoints in turn. `--warm` first
requests every sampled URL once, so the response cache holds them; `--cache-mb 0` turns the cache off.

Two figures per endpoint: `client` is the latency a client sees (it includes queueing behind the
other clients); `app` is the server's own time per request (Server-Timing). With wrk, `cpu_ms` is the
server's CPU time per request (user + system, from /proc): unlike requests/s it hardly moves when other
jobs load the machine, so it is the figure to compare runs by on a shared one.

`--ingest N` (wrk only, cache on) measures pages while news comes in: it copies the store, warms the
cache, starts `newsgraph ingest` of N articles (the last N of `--data`, under new URLs so they are new)
into the copy, and runs the clients against the sampled article and entity pages that those articles do
not touch (no shared entity, neighbour or story with the articles they copy), then against all of them.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ENTITY_NEIGHBOURS = 20  # Graph.entity's default: the neighbours an entity page shows

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's newsgraph

from newsgraph.records import ArticleRow  # noqa: E402
from newsgraph.store import is_postgres_url, open_store  # noqa: E402
from newsgraph.store.cooccurrence import strongest  # noqa: E402
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


def cpu_seconds(pid: int | str, reaped: bool = False) -> float:
    """User + system CPU seconds of a process and its live children (a multi-worker server), from /proc; with
    `reaped`, also the children it has already waited for (a PostgreSQL backend whose connection closed)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid):
            total += sum(int(f) for f in fields[11:15 if reaped else 13])  # utime, stime(, cutime, cstime)
        elif fields[1] == str(pid):  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])
    return total / tick


def wrk_run(base: str, urls: list[str], clients: int, seconds: float, seed: int, work: Path,
            server_pid: int | None = None) -> dict:
    """One wrk run of `clients` connections for `seconds` over `urls`; wrk stops by itself."""
    work.mkdir(parents=True, exist_ok=True)
    listing, out = work / "urls.txt", work / "result.json"
    listing.write_text("\n".join(urls) + "\n")
    out.unlink(missing_ok=True)
    cpu_before = cpu_seconds(server_pid) if server_pid else None
    cmd = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
           "-s", str(ROOT / "benchmarks" / "web_wrk.lua"), base, "--", str(listing), str(out), str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    cpu = cpu_seconds(server_pid) - cpu_before if server_pid else None
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
            "hit_rate": round(r["hits"] / seen, 3) if seen else None,
            "cpu_ms": round(1000 * cpu / r["requests"], 2) if cpu is not None and r["requests"] else None}


def wrk_load(base: str, urls: dict[str, list[str]], clients: int, seconds: float, seed: int, work: Path,
             server_pid: int | None = None) -> dict:
    """All endpoints mixed, then each endpoint alone: per-endpoint percentiles need their own run with wrk."""
    started = time.monotonic()
    endpoints = {"all, mixed": wrk_run(base, [u for g in urls.values() for u in g], clients, seconds, seed, work,
                                       server_pid)}
    for name, group in urls.items():
        endpoints[name] = wrk_run(base, group, clients, seconds, seed, work, server_pid)
    kinds: dict[str, int] = {}
    for e in endpoints.values():
        for k, v in e.pop("error_kinds").items():
            kinds[k] = kinds.get(k, 0) + v
    return {"seconds": round(time.monotonic() - started, 1), "clients": clients, "error_kinds": kinds,
            "endpoints": endpoints}


def new_articles(data: Path, n: int, out: Path) -> list[str]:
    """The last `n` records of `data` under new URLs (so they are new articles), written to `out`; their URLs."""
    originals = []
    with out.open("w", encoding="utf-8") as f:
        for line in data.read_text(encoding="utf-8").splitlines()[-n:]:
            record = json.loads(line)
            originals.append(record["url"])
            record["url"] = f"https://example.org/newsgraph-bench/{len(originals)}"
            record["id"] = f"bench-{len(originals)}"
            f.write(json.dumps(record) + "\n")
    return originals


def untouched(db: Path, originals: list[str], seed: int, most: int = 500) -> dict[str, list[str]]:
    """Article and entity pages that copies of `originals` should not touch (see api/cache.py for the tags):
    articles in none of their stories, entities (with 2+ articles) none of whose shown neighbours they name and
    in none of their stories. An approximation (a rename touches more); the hit rate tells how close."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(originals))
        ids = {r[0] for r in con.execute(f"SELECT id FROM articles WHERE url IN ({marks})", originals)}
        id_marks = ",".join("?" * len(ids))
        ents = {r[0] for r in con.execute(f"SELECT entity_id FROM entity_articles WHERE article_id IN ({id_marks})",
                                          list(ids))}
        stories = {r[0] for r in con.execute(f"SELECT story_id FROM story_articles WHERE article_id IN ({id_marks})",
                                             list(ids))}
        in_story = dict(con.execute("SELECT article_id, story_id FROM story_articles"))
        articles = [a for (a,) in con.execute("SELECT id FROM articles ORDER BY id")
                    if a not in ids and in_story.get(a) not in stories]

        def quiet_entity(e: int) -> bool:
            shown = {e} | {other for other, _ in strongest(con, e, ENTITY_NEIGHBOURS, False)}  # as the page shows
            theirs = {r[0] for r in con.execute("SELECT se.story_id FROM story_entities se JOIN entities x"
                                                " ON x.key = se.key WHERE x.id = ?", (e,))}
            return not ents & shown and not stories & theirs

        entities = [e for (e,) in con.execute("SELECT id FROM entities WHERE articles >= 2 ORDER BY id")
                    if e not in ents and quiet_entity(e)]
        rng = random.Random(seed)
        return {"quiet article": [f"/articles/{a}" for a in rng.sample(articles, min(most, len(articles)))],
                "quiet entity": [f"/entities/{e}" for e in rng.sample(entities, min(most, len(entities)))]}
    finally:
        con.close()


def count_articles(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        con.close()


def ingest_load(base: str, db: Path, data: Path, n: int, urls: dict[str, list[str]], clients: int, seconds: float,
                seed: int, work: Path, server_pid: int, log: Path) -> dict:
    """Pages while `newsgraph ingest` adds `n` new articles: the untouched pages, then every sampled page."""
    work.mkdir(parents=True, exist_ok=True)
    records = work / "new-articles.jsonl"
    quiet = untouched(db, new_articles(data, n, records), seed)
    warmed = warm(base, {**urls, **quiet}, 1)  # every page measured starts cached
    before = count_articles(db)
    started = time.monotonic()
    with open(log, "a") as err:
        ingest = subprocess.Popen(["nice", "-n", "5", sys.executable, "-m", "newsgraph", "ingest", str(records), "--db",
                                   str(db)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
    try:
        while count_articles(db) == before:  # measure once writes are under way (the model loads first)
            if ingest.poll() is not None or time.monotonic() - started > 180:
                raise RuntimeError(f"the ingest wrote nothing (see {log})")
            time.sleep(0.5)
        writing = count_articles(db)
        endpoints = {name: wrk_run(base, group, clients, seconds, seed, work, server_pid)
                     for name, group in quiet.items() if group}
        endpoints["all article+entity"] = wrk_run(base, urls["article page"] + urls["entity page"], clients, seconds,
                                                  seed, work, server_pid)
        added = count_articles(db) - writing
    finally:
        ingest.terminate()
        ingest.wait(timeout=30)
    return {"seconds": round(time.monotonic() - started, 1), "warm_up": warmed, "ingest": {"articles": n, "added_while_measuring": added,
                       "quiet_pages": {k: len(v) for k, v in quiet.items()}}, "endpoints": endpoints}


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
    ap.add_argument("--ingest", type=int, default=0, metavar="N",
                    help="Measure while N new articles are ingested (into a copy of the store; wrk, cache on).")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not is_postgres_url(args.db) and not Path(args.db).exists():
        if not args.data.exists():
            sys.exit(f"no store at {args.db} and no data at {args.data} to build one")
        build_store(args.db, args.data)
    if args.ingest:
        if args.loader != "wrk" or args.cache_mb <= 0 or is_postgres_url(args.db):
            sys.exit("--ingest measures the cache with wrk on a SQLite store: it needs --loader wrk and --cache-mb above 0")
        args.warm = True
        copy = Path(tempfile.mkdtemp(prefix="newsgraph-web-ingest-")) / Path(args.db).name
        source, target = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True), sqlite3.connect(copy)
        source.backup(target)  # a consistent copy, WAL and all: the ingest must not touch the real store
        source.close()
        target.close()
        args.db = copy
    urls = targets(args.db, args.seed)
    port = free_port()
    server = start_server(args.db, port, args.server_log, args.workers, args.cache_mb)
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    try:
        warmed = warm(base, urls, args.workers) if args.warm and not args.ingest else None
        work = Path(f"/tmp/newsgraph-wrk-{port}")
        if args.ingest:
            result = ingest_load(base, args.db, args.data, args.ingest, urls, args.clients, args.seconds, args.seed,
                                 work, server.pid, args.server_log)
            result.update(clients=args.clients, error_kinds={})
            warmed = result.pop("warm_up")
        elif args.loader == "wrk":
            result = wrk_load(base, urls, args.clients, args.seconds, args.seed, work, server.pid)
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
    if args.ingest:
        shutil.rmtree(Path(args.db).parent, ignore_errors=True)
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
    if args.ingest:
        i = result["ingest"]
        print(f"while ingesting {i['articles']} new articles ({i['added_while_measuring']} written during the runs);"
              f" untouched pages sampled: {i['quiet_pages']}")
    print(f"{'endpoint':<20}{'requests':>9}{'errors':>8}{'req/s':>8}{'client p50':>12}{'client p95':>12}"
          f"{'app p50':>10}{'app p95':>10}{'hit rate':>10}{'CPU ms':>8}")
    for name, e in result["endpoints"].items():
        print(f"{name:<20}{e['requests']:>9}{e['errors']:>8}{e.get('rps', '')!s:>8}{e['client_p50_ms']!s:>12}"
              f"{e['client_p95_ms']!s:>12}{e['app_p50_ms']!s:>10}{e['app_p95_ms']!s:>10}{e.get('hit_rate', '')!s:>10}"
              f"{e.get('cpu_ms', '')!s:>8}")


if __name__ == "__main__":
    main()
