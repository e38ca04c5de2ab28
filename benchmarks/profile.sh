#!/usr/bin/env bash
# py-spy profiles for issue #19 (see benchmarks/README.md, "Profiles"). Needs py-spy (pip install py-spy==0.4.1).
#   benchmarks/profile.sh ingest [ARTICLES]      # bare nlp.pipe and full ingest, 1 process, one run
#   benchmarks/profile.sh web DB [SECONDS]       # server with the cache off, 50 wrk clients on entity pages
# Output goes to ${OUT:-/tmp/newsgraph-profile}: *.raw collapsed stacks (read them with
# benchmarks/profile_summary.py) and, for the web, wrk's result JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PYSPY=${PYSPY:-$(dirname "$PY")/py-spy}
OUT=${OUT:-/tmp/newsgraph-profile}
mkdir -p "$OUT"
export PYTHONPATH=$PWD

case "${1:-}" in
ingest)
    n=${2:-1000}
    uptime | tee "$OUT/uptime-ingest.txt"
    # --idle: idle samples too, so each process's shares are of its wall time; --subprocesses: the
    # benchmark runs bare and full in child processes, which py-spy keeps apart.
    "$PYSPY" record --subprocesses --idle -r 50 --format raw -o "$OUT/ingest.raw" -- \
        "$PY" benchmarks/ingest.py --limit "$n" --workers 1 --kinds bare full --json > "$OUT/ingest.json"
    uptime | tee -a "$OUT/uptime-ingest.txt"
    "$PY" benchmarks/profile_summary.py "$OUT/ingest.raw" --kind ingest
    ;;
web)
    db=${2:?usage: profile.sh web DB [SECONDS]}
    secs=${3:-20}
    port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$PY" - "$db" > "$OUT/entity-urls.txt" <<'EOF'
import random, sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
ids = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY articles DESC LIMIT 1000")]
print("\n".join(f"/entities/{i}" for i in random.Random(7).sample(ids, min(500, len(ids)))))
EOF
    uptime | tee "$OUT/uptime-web.txt"
    # No --idle: the handler threads mostly wait; the profile shows where CPU goes.
    NEWSGRAPH_TOKEN=load-test-token-0123456789abcdef "$PYSPY" record ${SPYFLAGS:-} -r 100 --format raw -o "$OUT/web${TAG:-}.raw" -- \
        "$PY" -m newsgraph serve --db "$db" --port "$port" --cache-mb 0 &
    spy=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/stats" > /dev/null && break; sleep 0.3; done
    wrk -t2 -c50 -d"${secs}s" --timeout 10s -s benchmarks/web_wrk.lua "http://127.0.0.1:$port" -- \
        "$OUT/entity-urls.txt" "$OUT/web${TAG:-}-wrk.json" 7 | tee "$OUT/web${TAG:-}-wrk.txt"
    uptime | tee -a "$OUT/uptime-web.txt"
    kill -INT "$(pgrep -P "$spy" | head -1)"   # the server; py-spy writes its profile when it exits
    wait "$spy" || true
    "$PY" benchmarks/profile_summary.py "$OUT/web${TAG:-}.raw" --kind web
    ;;
*)
    sed -n 2,6p "$0"; exit 2 ;;
esac
