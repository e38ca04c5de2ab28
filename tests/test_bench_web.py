"""benchmarks/web.py runs end to end (a second, three clients) against a small store and sees no errors, with
either load generator; warmed, the response cache serves most requests."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from web_corpus import demo_records, jsonl, seed_record

ROOT = Path(__file__).resolve().parents[1]


def _five_article_store(graph, tmp_path) -> str:
    """The seed article and four demo articles ingested into `graph`'s store, closed for a script to open."""
    source = tmp_path / "few.jsonl"
    source.write_bytes(jsonl([seed_record(), *demo_records(4)]))
    assert graph.ingest([source]).added == 5
    db = graph.store.path
    graph.close()
    return db


@pytest.mark.parametrize("loader", ["wrk", "httpx"])
def test_web_benchmark_runs_and_stops_by_itself(graph, tmp_path, loader):
    if loader == "wrk" and not shutil.which("wrk"):
        pytest.skip("wrk is not installed (scripts/setup-debian.sh installs it)")
    db = _five_article_store(graph, tmp_path)
    out = subprocess.run([sys.executable, "benchmarks/web.py", "--db", db, "--clients", "3", "--seconds", "1",
                          "--loader", loader, "--warm", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["articles"] == 5 and result["seconds"] < 20 and result["loader"] == loader
    assert result["warm_up"]["errors"] == 0
    for name, e in result["endpoints"].items():
        assert e["requests"] > 0 and e["errors"] == 0, name
        assert 0 < e["client_p50_ms"] <= e["client_p95_ms"] and e["app_p50_ms"] is not None
    if loader == "wrk":
        assert set(result["endpoints"]) == {"all, mixed", "article page", "entity page", "search page", "api search"}
        assert all(e["hit_rate"] > 0.9 for e in result["endpoints"].values())


def test_web_cpu_benchmark_serves_every_page_kind(graph, tmp_path):
    db = _five_article_store(graph, tmp_path)
    for page in ("article page", "entity page", "search page"):
        out = subprocess.run([sys.executable, "benchmarks/web_cpu.py", "--db", db, "--page", page, "--pages", "5",
                              "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr  # it raises if any page answers other than 200
        result = json.loads(out.stdout)
        assert result["pages"] == 5 and result["cpu_ms"] > 0, result


def test_web_snapshot_finds_identical_saves_and_a_changed_byte(graph, tmp_path):
    """benchmarks/web_snapshot.py: two saves of the same pages compare equal; one changed byte makes it fail."""
    db = _five_article_store(graph, tmp_path)
    for out in ("a", "b"):
        done = subprocess.run([sys.executable, "benchmarks/web_snapshot.py", "--db", db, "--out", str(tmp_path / out),
                               "--pages", "3"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
    compare = [sys.executable, "benchmarks/web_snapshot.py", "--compare", str(tmp_path / "a"), str(tmp_path / "b")]
    same = subprocess.run(compare, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert same.returncode == 0 and "byte-identical" in same.stdout, same.stdout
    page = next((tmp_path / "b").glob("entities_*__values-true.txt"))
    assert page.read_bytes().startswith(b"200 text/html")
    page.write_bytes(page.read_bytes().replace(b"</body>", b"</body> "))
    changed = subprocess.run(compare, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert changed.returncode == 1 and f"differs: {page.name}" in changed.stdout
