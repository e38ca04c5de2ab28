"""Pass 4 (issue #17, 2026-12-03): the next 30 names of pool 2 (split across labels) and 10 of pool 4 (lone
surnames) not yet judged, from the same baseline store. Usage: python eval/entities/pick_more.py BASELINE.db (read-only; run before the pass-4 names were added)."""
import json, sqlite3, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from candidates import label_counts
have = {json.loads(l)["name"] for l in open(Path(__file__).parent / "names.jsonl")}
by_text = label_counts(sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True))
total = {t: sum(c.values()) for t, c in by_text.items()}
ranked = sorted(by_text, key=lambda t: (-total[t], t))
split = [t for t in ranked if total[t] >= 8 and len(by_text[t]) > 1 and 1 - by_text[t].most_common(1)[0][1] / total[t] >= 0.10]
fulls = {t.split()[-1] for t in ranked if len(t.split()) > 1 and by_text[t].most_common(1)[0][0] == "PERSON"}
singles = [t for t in ranked if " " not in t and t in fulls and by_text[t].most_common(1)[0][0] == "PERSON"]
out = [(t, "split") for t in split[65:] if t not in have][:30] + [(t, "surname") for t in singles[15:] if t not in have][:10]
for t, pool in out:
    print(f"{t}\t{pool}\t{total[t]}\t{json.dumps(dict(by_text[t].most_common()))}")
