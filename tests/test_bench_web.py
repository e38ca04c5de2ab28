"""benchmarks/web.py runs end to end (a second, three clients) against a small store and sees no errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from web_corpus import demo_records, jsonl, seed_record

ROOT = Path(__file__).resolve().parents[1]


def test_web_benchmark_runs_and_stops_by_itself(graph, tmp_path):
    source = tmp_path / "few.jsonl"
    source.write_bytes(jsonl([seed_record(), *demo_records(4)]))
    assert graph.ingest([source]).added == 5
    db = graph.store.path
    graph.close()
    out = subprocess.run([sys.executable, "benchmarks/web.py", "--db", db, "--clients", "3", "--seconds", "1",
                          "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["articles"] == 5 and result["seconds"] < 10
    for name, e in result["endpoints"].items():
        assert e["requests"] > 0 and e["errors"] == 0, name
        assert 0 < e["client_p50_ms"] <= e["client_p95_ms"] and e["app_p50_ms"] is not None
