"""Seconds per stage of a full ingest, run sequentially in one thread with no profiler: each spaCy component,
annotation, each enricher's store-free `prepare` and its `decide`, and the store write.

    .venv/bin/python benchmarks/ingest_stages.py [--limit 300] [--json]

Unlike a profile this adds only a clock read per stage and document, so the figures are the stages' own cost;
with nothing else running, thread CPU time and wall time agree (both are printed).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from ingest import DEFAULT_DATA, corpus_copy  # noqa: E402


SHIPPED = {"tokenizer", "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}  # bare nlp.pipe


class Sampler:
    """A stack sampler for the main thread (py-spy in miniature: no tracing hooks, so no per-call overhead that
    would make call-heavy Python look dearer than C): each sample is charged to the innermost newsgraph frame."""

    def __init__(self, every: float = 0.002):
        import threading

        self.every, self.target = every, threading.get_ident()
        self.counts: Counter = Counter()
        self.total = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(self.every):
            frame = sys._current_frames().get(self.target)
            leaf = None
            while frame is not None:
                file = frame.f_code.co_filename
                if "/newsgraph/" in file and "site-packages" not in file and "benchmarks" not in file:
                    leaf = f"{frame.f_code.co_name} ({file.split('/newsgraph/', 1)[1]}:{frame.f_lineno})"
                    break
                frame = frame.f_back
            self.total += 1
            self.counts[leaf or "(not newsgraph: spaCy's own and the model)"] += 1

    def report(self, top: int) -> None:
        print(f"\n{self.total} samples; innermost newsgraph line:")
        for name, n in self.counts.most_common(top):
            print(f"{n / self.total:6.1%}  {name}")


def _name(fn) -> str:
    return fn.__module__.split(".")[-2]  # newsgraph.stories.enrich -> stories


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="also sample the stack every 2 ms and print the N commonest newsgraph functions (innermost "
                         "newsgraph frame, and the line under it) with their share of the samples")
    args = ap.parse_args()
    sampler = Sampler() if args.sample else None

    import newsgraph
    from newsgraph.extract import extract
    from newsgraph.ingest import Limits, iter_sources
    from newsgraph.ingest.fetch import Fetcher
    from newsgraph.ingest.prepare import SplitEnricher
    from newsgraph.nlp import annotate
    from newsgraph.nlp.chunking import join_docs, split_for_nlp
    from newsgraph.nlp import load_pipeline

    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # stage -> [wall, thread CPU]

    def clocked(name, fn):
        def run(*a, **kw):
            w, c = time.perf_counter(), time.thread_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name][0] += time.perf_counter() - w
                spent[name][1] += time.thread_time() - c
        return run

    nlp = load_pipeline()
    list(nlp.pipe(["Apple Inc. said on Monday it would buy Beats for $3 billion."]))
    with corpus_copy(args.data, args.limit) as (path, words), tempfile.TemporaryDirectory() as tmp:
        g = newsgraph.open(Path(tmp) / "stages.db", nlp=nlp)
        docs = [extract(raw) for raw in iter_sources([str(path)], Fetcher(), Limits())]
        wall, cpu = time.perf_counter(), time.process_time()
        if sampler:
            sampler.start()
        # each component over all documents in turn (as nlp.pipe does batch by batch), so each is timed alone
        pieces = [(part, n) for n, doc in enumerate(docs) for part in split_for_nlp(doc.text)]
        parsed = clocked("spacy: tokenizer", lambda: [nlp.make_doc(text) for text, _ in pieces])()
        for name, proc in nlp.pipeline:
            run = (lambda p: list(p.pipe(parsed, batch_size=32))) if hasattr(proc, "pipe") else \
                (lambda p: [p(d) for d in parsed])
            parsed = clocked(f"spacy: {name}", run)(proc)
        by_article = defaultdict(list)
        for d, (_, n) in zip(parsed, pieces):
            by_article[n].append(d)
        articles = [clocked("annotate", annotate)(join_docs(by_article[n]), doc) for n, doc in enumerate(docs)]
        parse = time.perf_counter() - wall
        store = g.store
        for at in range(0, len(articles), 32):  # as ingest writes: 32 articles per transaction
            batch = articles[at:at + 32]
            prepared = [[clocked(f"prepare: {_name(e.prepare)}", e.prepare)(a) if isinstance(e, SplitEnricher) else None
                         for e in g.enrichers] for a in batch]
            with store.ingest_lock(), store.write_batch("stages"):
                for article, ready in zip(batch, prepared):
                    for e, part in zip(g.enrichers, ready):
                        article = clocked(f"decide: {_name(e.decide)}", e.decide)(store, article, part)
                    clocked("store: add_article", store.add_article)(article)
        total, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
        if sampler:
            sampler.stop()
        g.close()
    parts = {k: {"seconds": round(v[0], 3), "cpu_seconds": round(v[1], 3)} for k, v in spent.items()}
    component_sum = sum(v[0] for k, v in spent.items() if k.startswith("spacy:"))
    model = sum(v[0] for k, v in spent.items() if k.removeprefix("spacy: ") in SHIPPED)
    # in thread CPU time too, which other jobs on the machine move less than wall time
    model_cpu = sum(v[1] for k, v in spent.items() if k.removeprefix("spacy: ") in SHIPPED)
    other_cpu = sum(v[1] for k, v in spent.items() if k.removeprefix("spacy: ") not in SHIPPED)
    out = {"articles": len(docs), "words": words, "total_seconds": round(total, 3), "cpu_seconds": round(total_cpu, 3),
           "parse_and_annotate_seconds": round(parse, 3),
           "model_seconds": round(model, 3), "model_cpu_seconds": round(model_cpu, 3),
           "other_stages_cpu_seconds": round(other_cpu, 3), "stages": parts}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"{len(docs)} articles, {words:,} words: {total:.1f} s ({total_cpu:.1f} CPU-s), of which parsing and "
          f"annotating {parse:.1f} s (spaCy components {component_sum:.1f} s)")
    print(f"model (tokenizer + en_core_web_sm components as shipped): {model:.1f} s; everything else {total - model:.1f} s"
          f" = {(total - model) / model:.1%} of the model's time")
    print(f"in thread CPU: model {model_cpu:.1f} s, the other stages {other_cpu:.1f} s = {other_cpu / model_cpu:.1%} of it")
    for k, v in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"{v[0]:8.2f} s {v[0] / total:6.1%}  {v[1]:8.2f} CPU-s  {k}")
    if sampler:
        sampler.report(args.sample)


if __name__ == "__main__":
    main()
