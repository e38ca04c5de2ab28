"""`newsgraph serve --workers 2`: both processes serve the same store with the same token, and a write through
one makes the other's cached pages stale."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_corpus import demo_records, jsonl, seed_record

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "workers-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_workers_share_store_token_and_versions(graph, tmp_path):
    two_workers(graph, graph.store.url, tmp_path)


def test_two_workers_on_postgres_share_versions_read_from_the_database(nlp, pg_cluster, tmp_path):
    import newsgraph

    url = pg_cluster.create_db("workers")
    two_workers(newsgraph.open(url, nlp=nlp), url, tmp_path)


def two_workers(graph, db: str, tmp_path) -> None:
    source = tmp_path / "few.jsonl"
    source.write_bytes(jsonl([seed_record(), *demo_records(3)]))
    assert graph.ingest([source]).added == 4
    graph.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", db, "--port", str(port),
                               "--workers", "2"], cwd=ROOT, env={**os.environ, "NEWSGRAPH_TOKEN": TOKEN},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        # Fresh connections are shared out among the processes: warm the page in all of them.
        for _ in range(10):
            assert httpx.get(f"{base}/articles/4", headers={"connection": "close"}).status_code == 200
        r = httpx.delete(f"{base}/api/articles/4", headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 204
        # Whichever process answers, the deleted article's page is gone: every cache saw the version change.
        assert {httpx.get(f"{base}/articles/4", headers={"connection": "close"}).status_code
                for _ in range(10)} == {404}
        assert httpx.delete(f"{base}/api/articles/3").status_code == 401
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert server.returncode is not None
    assert b"Traceback" not in err, err.decode(errors="replace")[-2000:]


def test_each_handler_thread_has_a_store_connection_to_read_on():
    """A server's store reads on as many connections as it has handler threads, plus the event loop's: no request
    waits for a pooled connection (on PostgreSQL a long wait is a 503)."""
    from newsgraph.api.app import readers_for
    from newsgraph.store import READERS

    assert readers_for(1) == READERS and readers_for(4) == READERS
    assert readers_for(32) == 33
