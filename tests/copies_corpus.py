"""A small JSONL corpus of demo articles plus articles that copy parts of them, so provenance has matches to decide."""
from __future__ import annotations

import json

import newsgraph


def demo_with_copies(path, n: int, pairs, extra_lines: dict[int, list[str]] | None = None):
    """The first `n` demo articles, then one copy per (a, b) in `pairs`: a wire line, two paragraphs of article a and
    one of article b. `extra_lines` inserts raw lines (e.g. malformed ones) before the given line index."""
    with open(newsgraph.demo_corpus(), encoding="utf-8") as src:
        rows = [json.loads(line) for _, line in zip(range(n), src)]
    for k, (a, b) in enumerate(pairs):
        paras = [p for p in rows[a]["text"].split("\n\n") if p.strip()][:2]
        paras += [p for p in rows[b]["text"].split("\n\n") if p.strip()][1:2]
        rows.append({"url": f"https://copies.example/{k}", "title": f"Copy {k}", "date": "2030-01-01",
                     "text": "\n\n".join(["A wire report, reprinted here in part."] + paras)})
    lines = [json.dumps(r) for r in rows]
    for at, extra in sorted((extra_lines or {}).items(), reverse=True):
        lines[at:at] = extra
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path
