"""`newsgraph serve`: the REST API and web UI over a store, with uvicorn, on loopback by default."""
from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from .. import render
from ..api.security import LOOPBACK_HOSTS, new_token
from ..graph import default_db_path
from . import DbOption, app, fail, graph_for


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to bind. Anything but loopback makes every request need the token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 picks a free one).")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (each has its own response cache).")] = 1,
    cache_mb: Annotated[float, typer.Option(min=0, help="Rendered-response cache per process, MiB (0: off).")] = 64,
    threads: Annotated[int | None, typer.Option(min=1, max=256, help="Threads per process running the page and API "
                                                "handlers (default: twice the cores, 2 to 8).")] = None,
) -> None:
    """Serve the web UI and REST API. Writes need NEWSGRAPH_TOKEN (or the token printed at start)."""
    import uvicorn

    from ..api import create_app
    from ..api.app import DEFAULT_THREADS, app_from_env, readers_for

    token = os.environ.get("NEWSGRAPH_TOKEN") or None
    if token is not None and len(token) < 16:
        fail(typer.BadParameter("NEWSGRAPH_TOKEN must be at least 16 characters"))
    loopback = is_loopback(host)
    err = render.console(stderr=True)
    cache_bytes = int(cache_mb * 1024 * 1024)
    threads = threads or DEFAULT_THREADS
    with graph_for(db, readers=readers_for(threads)) as graph:
        api = create_app(graph, token=token or new_token(), open_reads=loopback, cache_bytes=cache_bytes,
                         threads=threads)
        shown_host = f"[{host}]" if ":" in host else host
        # Idle keep-alive connections live 30 s (uvicorn's default is 5): a busy client that reuses one
        # just as the server drops it sees a reset connection.
        options = dict(host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=30)
        if workers > 1:
            # Each worker process builds its own app from the environment, with the same store and token.
            # NEWSGRAPH_DB is the target as given (store.url hides a password the workers need to connect).
            os.environ.update({"NEWSGRAPH_DB": db or default_db_path(), "NEWSGRAPH_TOKEN": api.state.token,
                               "NEWSGRAPH_OPEN_READS": "1" if loopback else "0",
                               "NEWSGRAPH_CACHE_BYTES": str(cache_bytes), "NEWSGRAPH_THREADS": str(threads)})
        if token is None:
            err.print(f"write token (set NEWSGRAPH_TOKEN to choose one): {api.state.token}", highlight=False,
                      soft_wrap=True)
        if not loopback:
            err.print(f"[yellow]warning:[/yellow] {host} is not loopback: every request needs the token", markup=True)
        if port == 0:
            err.print("serving on a free port; uvicorn reports it below", highlight=False)
        else:
            # Printed on stdout so scripts (and `make run`) can pick the URL up.
            print(f"newsgraph serving {graph.store.url} at http://{shown_host}:{port}/  (Ctrl+C to stop)", flush=True)
        if workers == 1:
            uvicorn.Server(uvicorn.Config(api, **options)).run()
        else:
            run_workers(uvicorn.Config(f"{app_from_env.__module__}:{app_from_env.__name__}", factory=True,
                                       workers=workers, **options))


def run_workers(config) -> None:
    """uvicorn's multi-process supervisor over one listening socket, with TCP_NODELAY set on it.

    uvicorn makes that socket without naming IPPROTO_TCP, so asyncio does not set TCP_NODELAY on the
    connections it accepts, and every response sent in two writes waits ~40 ms for a delayed ACK
    (measured: 2 processes served ~1,100 cached pages/s with p50 44 ms, against ~3,000-4,000/s for one).
    Linux copies the option from the listening socket to the accepted ones.
    """
    import socket

    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()
