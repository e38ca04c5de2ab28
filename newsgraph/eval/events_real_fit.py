"""Fit the real-news event stage (events/realnews.py) on the tune half of the hand-judged Wikinews events.

    python -m newsgraph.eval.events_real_fit [--c 1.0]

Ingests the judged articles with the stage off, collects each event's stage inputs, fits a logistic regression on
the tune half's judged events in the sampled range (label: judged a real event of that type) and writes
events/model/realnews.json. The test half is never read.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from newsgraph.eval.events_real import JUDGED_DIR, WIKINEWS, article_file, load_judgments, split_of


def tune_rows(directory: Path = JUDGED_DIR, wikinews: Path = WIKINEWS) -> tuple[list[list[float]], list[int], list[str]]:
    """Stage inputs and labels of the tune half's judged events, as the pipeline finds them now (stage off)."""
    import newsgraph
    from newsgraph.events import realnews

    judged = {(j["url"], j["start"], j["end"], j["type"]): j for j in load_judgments(directory) if j["split"] == "tune"}
    realnews.TRACE = []
    realnews.load_stage.cache_clear()
    try:
        with tempfile.TemporaryDirectory(prefix="ng-evfit-") as tmp:
            with newsgraph.open(Path(tmp) / "fit.db") as g:
                g.ingest([article_file(directory, wikinews, Path(tmp) / "articles.jsonl")])
                events = g.events(min_confidence=0.0, limit=1_000_000)
        trace = {}
        for start, end, type, x in realnews.TRACE:
            trace.setdefault((start, end, type), []).append(x)
    finally:
        realnews.TRACE = None
    xs, ys, urls = [], [], []
    for e in events:
        j = judged.get((e.article.url, e.start, e.end, e.type))
        found = trace.get((e.start, e.end, e.type), [])
        if j is None or split_of(e.article.url) != "tune" or not found:
            continue
        xs.append(found[0] if len(found) == 1 else min(found, key=lambda x: abs(x[0])))
        ys.append(int(j["real"] == "yes"))
        urls.append(e.article.url)
    return xs, ys, urls


def fit(xs: list[list[float]], ys: list[int], c: float = 1.0):
    from sklearn.linear_model import LogisticRegression

    from newsgraph.events.realnews import Stage

    clf = LogisticRegression(C=c, max_iter=2000).fit(xs, ys)
    return Stage([float(w) for w in clf.coef_[0]], float(clf.intercept_[0]))


def main() -> None:
    from newsgraph.events.realnews import NAMES, save_stage

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    args = parser.parse_args()
    xs, ys, _ = tune_rows()
    stage = fit(xs, ys, args.c)
    save_stage(stage, {"fitted_on": f"eval/events_real tune half: {len(ys)} judged events, {sum(ys)} real",
                       "c": args.c})
    print(f"fitted on {len(ys)} tune events ({sum(ys)} real):",
          ", ".join(f"{n} {w:+.3f}" for n, w in zip(NAMES, stage.weights)), f"bias {stage.bias:+.3f}")


if __name__ == "__main__":
    main()
