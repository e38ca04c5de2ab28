"""Group a py-spy `--format raw` profile (collapsed stacks) into the cost centres benchmarks/README.md reports.

    .venv/bin/python benchmarks/profile_summary.py PROFILE.raw [--kind ingest|web] [--top 25]

Each sample is charged to one group, decided by the innermost (leaf-most) frame that belongs to
newsgraph, spaCy/thinc, sqlite3, jinja2 or the server stack; see `GROUPS`. With `--subprocesses`
py-spy roots every stack at its process, so the shares are printed per process (the bare `nlp.pipe`
child and the full-ingest child of benchmarks/ingest.py come out separately). Samples include idle
ones when py-spy ran with `--idle`, so a process's shares are of its wall time.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

# (group, pattern on a frame "function (file:line)"), tried on each frame from the leaf up; first hit wins.
GROUPS_INGEST = [
    ("store writes (SQLite)", r"newsgraph/store/"),
    ("events", r"newsgraph/events/"),
    ("provenance", r"newsgraph/provenance/"),
    ("stories", r"newsgraph/stories/"),
    ("entity resolution (canonical, aliases)", r"newsgraph/entities/|newsgraph/nlp/(resolve|canonical)\.py"),
    ("embeddings (wordllama; asked for by events and stories features)", r"newsgraph/nlp/embeddings\.py"),
    ("newsgraph spaCy components (entity/sentence fixes, gazetteer)", r"newsgraph/nlp/"),
    ("spaCy parse (model: tok2vec, tagger, parser, ner)", r"(^|[ (/])(spacy|thinc|numpy|blis|cymem|murmurhash)/"),
    ("ingest: reading, extraction, dedup", r"newsgraph/(ingest|extract)/"),
    ("graph / other newsgraph", r"newsgraph/"),
    ("multiprocessing / pickling", r"multiprocessing|pickle"),
]
GROUPS_WEB = [
    # py-spy shows no C frames: a sample whose leaf is a store function is inside sqlite3 (or the row loop)
    ("store: SQL queries (sqlite3, C; GIL released)", r"newsgraph/store/"),
    ("template rendering (jinja2)", r"[(/]jinja2/|newsgraph/web/templating\.py|newsgraph/render\.py"),
    ("page assembly (graph, web views, SVG)", r"newsgraph/(graph|web|stories|events|provenance|entities)"),
    ("API middleware (cache, security headers, contract)", r"newsgraph/api/"),
    ("escaping (markupsafe)", r"[(/]markupsafe/"),
    ("threads: anyio threadpool / locks / waiting", r"threading\.py|anyio/_backends|concurrent/futures|_bootstrap"),
    ("HTTP stack (uvicorn, starlette, fastapi, h11)", r"[(/](uvicorn|starlette|fastapi|h11|httptools|pydantic)/"),
    ("asyncio event loop", r"asyncio/|selectors\.py"),
]


LATER = {GROUPS_INGEST[i][0] for i in (7, 8, 9, 10)}  # spaCy parse, ingest, graph, multiprocessing

# frames of the untimed set-up in benchmarks/ingest.py (the web server's start-up is a few samples)
SETUP = r"(load_pipeline|open) \(newsgraph/"


def parse(path: str):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, n = line.rpartition(" ")
            yield stack.split(";"), int(n)


def classify(frames: list[str], groups) -> str:
    # Tiers: newsgraph's own domain code first (so spaCy or SQLite called *by* events counts as events,
    # and the newsgraph components spaCy calls count as ours), then the libraries, then the callers.
    for tier in ([g for g in groups if g[0] not in LATER], [g for g in groups if g[0] in LATER]):
        for frame in reversed(frames):
            for name, pattern in tier:
                if re.search(pattern, frame):
                    return name
    return "other (interpreter, imports, idle)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile")
    ap.add_argument("--kind", choices=("ingest", "web"), default="ingest")
    ap.add_argument("--top", type=int, default=20, help="also list the N heaviest leaf functions per process")
    ap.add_argument("--detail", type=int, default=0, help="break the N largest groups down by function")
    args = ap.parse_args()
    groups = GROUPS_INGEST if args.kind == "ingest" else GROUPS_WEB
    per_process: dict[str, Counter] = defaultdict(Counter)
    leaves: dict[str, Counter] = defaultdict(Counter)
    inside: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for frames, n in parse(args.profile):
        # with --subprocesses a child's stack sits under its parent's "process" frame: the last one is its own
        marks = [i for i, f in enumerate(frames) if f.startswith("process ")]
        proc = frames[marks[-1]] if marks else "process"
        body = frames[marks[-1] + 1:] if marks else frames
        # py-spy marks a thread's root frame "thread (0x..)"; keep it out of the classification
        body = [f for f in body if not f.startswith("thread (")]
        setup = any(re.match(SETUP, f) for f in body)
        group = "setup: imports, model load, store open (not timed)" if setup else classify(body, groups)
        per_process[proc][group] += n
        # within a group: the innermost newsgraph function (the library's own frame if none), for --detail
        ours = [f for f in body if "newsgraph/" in f]
        inside[proc][group][re.sub(r":\d+\)$", ")", (ours or body or ["?"])[-1])] += n
        if body:
            leaves[proc][re.sub(r":\d+\)$", ")", body[-1])] += n
    for proc, counts in per_process.items():
        total = sum(counts.values())
        if total < 50:
            continue
        print(f"\n## {proc[:160]}  ({total} samples)")
        print("| group | share |\n|---|---|")
        for name, n in counts.most_common():
            print(f"| {name} | {n / total:.1%} |")
        for name, _ in counts.most_common(args.detail):
            print(f"\n{name}: innermost newsgraph function")
            for fn, n in inside[proc][name].most_common(8):
                print(f"  {n / total:6.1%}  {fn[:150]}")
        print("\nheaviest leaf functions (self time):")
        for name, n in leaves[proc].most_common(args.top):
            print(f"  {n / total:6.1%}  {name[:150]}")


if __name__ == "__main__":
    main()
