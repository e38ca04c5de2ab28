"""CPU time per page through the app, in-process, one request at a time, cache off: the figure to compare code by.

    .venv/bin/python benchmarks/web_cpu.py --db STORE.db [--page "article page"|"entity page"|"search page"|"api search"]
                                           [--pages 500] [--profile out.prof] [--inline] [--json]

Calls the ASGI app directly (no HTTP server, no socket), with the same sampled URLs as benchmarks/web.py, and
divides this process's CPU time by the pages served. Unlike requests/s under wrk it hardly moves when other jobs
load the machine; run two checkouts alternately to compare them. `--profile` writes a cProfile of the measured
requests; with `--inline` the page handlers run on the event loop instead of the threadpool, so the profile sees
the whole request in one thread (the CPU figure then leaves out the thread hand-off that `serve` pays).
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's newsgraph
sys.path.insert(0, str(ROOT / "benchmarks"))

from web import targets  # noqa: E402

from newsgraph.api import create_app  # noqa: E402
from newsgraph.graph import open as open_graph  # noqa: E402


def run_inline() -> None:
    """Run sync handlers on the event loop (for a one-thread profile)."""
    import fastapi.routing

    async def run_endpoint_function(*, dependant, values, is_coroutine):
        return await dependant.call(**values) if is_coroutine else dependant.call(**values)

    fastapi.routing.run_endpoint_function = run_endpoint_function


async def measure(db: str, page: str, pages: int, profile: str | None) -> dict:
    urls = targets(db, 7)[page]
    graph = open_graph(db)
    app = create_app(graph, open_reads=True, cache_bytes=0)

    async def call(url: str) -> None:
        path, _, query = url.partition("?")
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80), "state": {}}
        status = None

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")

    try:
        async with app.router.lifespan_context(app):
            for url in urls[:20]:  # warm up: templates compiled, connections open
                await call(url)
            rng = random.Random(1)
            chosen = [rng.choice(urls) for _ in range(pages)]
            profiler = cProfile.Profile() if profile else None
            cpu, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for url in chosen:
                await call(url)
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        graph.close()
    return {"page": page, "pages": pages, "cpu_ms": round(1000 * cpu / pages, 3), "wall_ms": round(1000 * wall / pages, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--page", default="entity page", choices=["article page", "entity page", "search page", "api search"])
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--profile", metavar="OUT")
    ap.add_argument("--inline", action="store_true", help="Handlers on the event loop (for --profile).")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.inline:
        run_inline()
    result = asyncio.run(measure(args.db, args.page, args.pages, args.profile))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['page']}: {result['cpu_ms']:.2f} CPU ms per page, {result['wall_ms']:.2f} ms wall"
              f" ({result['pages']} pages)")


if __name__ == "__main__":
    main()
