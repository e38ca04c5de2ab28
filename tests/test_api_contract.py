"""The REST API keeps its OpenAPI contract: schemathesis reads /openapi.json from a real `newsgraph serve` on a small
store and sends generated requests, valid and invalid, with all of its checks on (tests/schemathesis.toml).

The default run is bounded: a fixed seed and a few dozen examples per operation. The slow run takes a random seed
and at least 5,000 generated requests. Both run every phase: boundary values and undeclared methods (coverage),
random inputs (fuzzing), and call sequences that follow the schema's links (stateful: list -> item -> delete).

schemathesis runs as its CLI in a subprocess: its lazy pytest fixtures (`schemathesis.pytest.from_fixture`) do not
work with pytest 9, and the CLI's exit code and JSON report are its documented interface.
"""
from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from web_corpus import SOURCE_RECORDS, demo_records, jsonl, seed_record, xss_records

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
TOKEN = "contract-test-token-0123456789"
SEED = 20  # the default run: the same requests every time
EXAMPLES = 25  # per operation, in the default run
SLOW_EXAMPLES = 400
SLOW_REQUESTS = 5_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`newsgraph serve` in a subprocess on a free loopback port, with a write token."""

    def __init__(self, db: Path, log: Path):
        self.log = log
        self.url = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSGRAPH_TOKEN": TOKEN}
        with log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "newsgraph", "serve", "--db", str(db),
                                          "--port", self.url.rsplit(":", 1)[1]],
                                         env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.url}/api/stats", timeout=2).raise_for_status()
                return
            except httpx.TransportError:
                assert self.proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(timeout=20)
        return self.log.read_text()


@pytest.fixture(scope="session")
def contract_store(tmp_path_factory) -> Path:
    """A store of a dozen articles (the seed, the pages it copies, hostile markup, demo articles), ingested once."""
    tmp = tmp_path_factory.mktemp("contract")
    db, corpus = tmp / "contract.db", tmp / "corpus.jsonl"
    corpus.write_bytes(jsonl([*SOURCE_RECORDS, seed_record(), *xss_records(), *demo_records(6)]))
    subprocess.run([sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db)],
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True, capture_output=True,
                   timeout=300)
    return db


@pytest.fixture()
def api_server(contract_store, tmp_path):
    """A server on a fresh copy of the store: a fuzz run deletes and ingests, and must not leak into the next."""
    db = tmp_path / "store.db"
    db.write_bytes(contract_store.read_bytes())
    server = Server(db, tmp_path / "serve.log")
    yield server
    server.stop()


def fuzz(server: Server, report: Path, seed: int, examples: int) -> dict:
    """Run schemathesis against `server`: the JSON report of the run, plus `requests`, the number it sent."""
    har = report.with_suffix(".har")
    cmd = [sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(CONFIG), "run",
           f"{server.url}/openapi.json", "-H", f"Authorization: Bearer {TOKEN}", "--seed", str(seed),
           "--max-examples", str(examples), "--workers", "1", "--report", "json,har",
           "--report-json-path", str(report), "--report-har-path", str(har)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, cwd=server.log.parent,
                         env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)})
    log = server.stop()
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    # A 500 the checks did not see is still a bug: the server logs a traceback for every one.
    assert "Traceback" not in log, log[-10_000:]
    result = json.loads(report.read_text())
    result["requests"] = len(json.loads(har.read_text())["log"]["entries"])
    return result


def test_api_keeps_its_contract_under_the_fuzzer(api_server, tmp_path):
    result = fuzz(api_server, tmp_path / "report.json", SEED, EXAMPLES)
    cases = result["test_cases"]
    print(f"{result['requests']} requests, {cases['unique_failures']} failures in {result['running_time']:.0f} s")
    assert cases["unique_failures"] == 0 and cases["errored"] == 0 and not result["errors"], result
    assert all(p["status"] == "success" for p in result["phases"].values()), result["phases"]
    # Item operations reached real ids (the schema's links lead there), not only 404s.
    assert not result["warnings"]["missing_test_data"], result["warnings"]
    assert result["requests"] >= 1_000, result["requests"]  # bounded to stay under a minute, not a token run


@pytest.mark.slow
def test_api_keeps_its_contract_over_5000_random_requests(api_server, tmp_path):
    seed = int(os.environ.get("NEWSGRAPH_FUZZ_SEED") or random.randrange(2**31))
    print(f"schemathesis seed {seed}")  # NEWSGRAPH_FUZZ_SEED=seed reruns the same requests
    result = fuzz(api_server, tmp_path / "report.json", seed, SLOW_EXAMPLES)
    cases = result["test_cases"]
    print(f"{cases['generated']} test cases, {result['requests']} requests, {cases['unique_failures']} failures "
          f"in {result['running_time']:.0f} s")
    assert cases["unique_failures"] == 0 and cases["errored"] == 0, result
    assert result["requests"] >= SLOW_REQUESTS, result["requests"]


def test_documented_client_code_works(api_server):
    """The "Use the API from code" block of docs/web.md, run as written against the real server."""
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    section = text.split("## Use the API from code", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    env = {**os.environ, "NEWSGRAPH_URL": api_server.url, "NEWSGRAPH_TOKEN": TOKEN}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    api_server.stop()
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any("[Huawei]" in line for line in lines), run.stdout  # a hit with its match marked
    assert any(line.startswith("Huawei [") for line in lines), run.stdout  # the entity and its aliases
    assert any(line.endswith("planned 2017-12-18") for line in lines), run.stdout  # the seed's planned events
    assert any(line.startswith("422 modality:") for line in lines), run.stdout
    assert lines[-1].startswith("added 1 article ids [") and lines[-1].endswith("errors []"), run.stdout


# ---- the failures the fuzzer first found, pinned in-process --------------------------------------------------


@pytest.fixture()
def client(tmp_path):
    from fastapi.testclient import TestClient

    import newsgraph
    from newsgraph.api import create_app

    graph = newsgraph.open(tmp_path / "empty.db")
    yield TestClient(create_app(graph, token=TOKEN))
    graph.close()


AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/api/articles?entity=715845764842181492736&date_to=5308-39-03", 422),
    ("GET", "/api/articles?date_to=2023-02-29", 422),
    ("GET", "/api/articles?date_from=2024-02-29&date_to=2024-13", 422),
    ("DELETE", "/api/articles/18446744073709551615", 422),
    ("GET", "/api/articles/9223372036854775808/copies", 422),
    ("GET", "/api/search?q=%EE%80%80%F3%B0%80%80&offset=123873", None),  # private-use characters: 200 or 400
    ("GET", "/api/search?q=%22&offset=1000000", 400),
    ("GET", "/api/events?entity=99999999999999999999999", 404),
    ("GET", "/api/stories?entity=%C2%B2", 404),  # a superscript two: a digit to str.isdigit, not to int()
    ("GET", "/api/events?entity=5%1D", 200),  # str.strip() drops U+001D, int() does not (a random-seed find)
    ("GET", "/api/stories?entity=%1F7", 200),
    ("GET", "/api/events?modality=", 422),
    ("GET", "/api/entities?type=", 422),
    ("GET", "/api/articles?site=", 422),
])
def test_bad_input_gets_a_4xx_that_says_why(client, method, url, status):
    r = client.request(method, url, headers=AUTH)
    assert r.status_code == status if status else r.status_code in (200, 400), r.text
    if r.status_code >= 400:
        error = r.json()["error"]
        assert error["status"] == r.status_code and len(error["message"]) > 10, error


def test_the_library_answers_odd_ids_with_its_own_errors(tmp_path):
    import newsgraph
    from newsgraph.errors import QueryError

    from newsgraph.errors import NotFound

    with newsgraph.open(tmp_path / "s.db") as graph:
        with pytest.raises(QueryError, match="largest"):
            graph.article(2**70)
        with pytest.raises(NotFound):
            graph.article("5\x1d")
        assert graph.events(entity="5\x1d") == []


def test_a_locked_store_is_a_503_with_retry_after(client, monkeypatch):
    import sqlite3

    from newsgraph.errors import StoreBusy
    from newsgraph.store.sqlite import _translated

    with pytest.raises(StoreBusy), _translated("reading"):
        raise sqlite3.OperationalError("database is locked")
    graph = client.app.state.graph

    def busy():
        raise StoreBusy("reading stats failed: the store is busy (database is locked); try again")

    monkeypatch.setattr(graph, "stats", busy)
    r = client.get("/api/stats")
    assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1 and r.json()["error"]["type"] == "StoreBusy"


def test_undeclared_methods_get_405_with_allow(client):
    for method, url, allow in [("TRACE", "/api/articles/1", "GET, DELETE, HEAD"), ("PUT", "/api/stats", "GET, HEAD"),
                               ("GET", "/api/ingest", "POST"), ("OPTIONS", "/api/search", "GET, HEAD"),
                               ("POST", "/articles/1", "GET, HEAD")]:
        r = client.request(method, url)
        assert r.status_code == 405 and r.headers["allow"] == allow, (method, url, r.headers, r.text)
        if url.startswith("/api/"):
            assert allow.split(", ")[0] in r.json()["error"]["message"]


def test_head_is_get_without_the_body(client):
    for url in ("/api/stats", "/", "/static/style.css"):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200 and head.content == b"", url
        assert head.headers["content-type"] == get.headers["content-type"], url
    assert client.head("/api/articles/1").status_code == 404


def test_the_schema_documents_errors_enums_bounds_and_dates(client):
    from newsgraph.api.params import MAX_ID
    from newsgraph.events.typology import MODALITIES, SUBTYPES, TYPES
    from newsgraph.model import ENTITY_LABELS

    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 17
    for path, method, op in operations:
        codes = set(op["responses"])
        assert {"400", "401", "413", "503"} <= codes, (path, method)
        assert "404" in codes or "{" not in path, (path, method)
        assert "422" in codes or not op.get("parameters"), (path, method)
        for code, response in op["responses"].items():
            if code[0] in "45":
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        for param in op.get("parameters", []):
            kind = param["schema"]
            assert {"type": "null"} not in kind.get("anyOf", []), (path, param)  # no null in a query string
            if kind.get("type") == "integer":
                assert "minimum" in kind and "maximum" in kind, (path, param)
            if param["in"] == "path":
                assert kind["maximum"] == MAX_ID, (path, param)
            if param["name"] in ("date_from", "date_to", "since"):
                assert {"type": "string", "format": "date"} in kind["anyOf"], (path, param)
        if op.get("security"):
            assert "401" in codes
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert params["modality"]["enum"] == list(MODALITIES)
    assert set(params["type"]["enum"]) == set(TYPES) | {f"{t}.{s}" for t, subs in SUBTYPES.items() for s in subs}
    entity_types = next(p["schema"] for p in schema["paths"]["/api/entities"]["get"]["parameters"]
                        if p["name"] == "type")
    assert set(entity_types["enum"]) == ENTITY_LABELS


def test_export_in_every_format(contract_store, tmp_path):
    import io
    import zipfile

    import networkx as nx
    from fastapi.testclient import TestClient

    import newsgraph
    from newsgraph.api import create_app

    db = tmp_path / "store.db"
    db.write_bytes(contract_store.read_bytes())
    with newsgraph.open(db) as graph:
        client = TestClient(create_app(graph, token=TOKEN))
        stats = client.get("/api/stats").json()
        r = client.get("/api/export")
        assert r.headers["content-type"] == "application/x-ndjson"
        assert "newsgraph.jsonl" in r.headers["content-disposition"]
        records = [json.loads(line) for line in r.text.splitlines()]
        assert sum(rec["type"] == "article" for rec in records) == stats["articles"]
        r = client.get("/api/export", params={"format": "graphml"})
        g = nx.read_graphml(io.BytesIO(r.content))
        assert sum(1 for _, d in g.nodes(data=True) if d["kind"] == "entity") == stats["entities"]
        r = client.get("/api/export", params={"format": "csv"})
        names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        assert {"articles.csv", "entities.csv", "events.csv", "source_links.csv"} <= set(names)
        assert client.get("/api/export", params={"format": "xml"}).status_code == 422
