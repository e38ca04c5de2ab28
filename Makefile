# newsgraph: `make run` installs, ingests the demo corpus, shows what it found and serves it; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= newsgraph.db
PORT   ?= 8000

.PHONY: run test test-all install system-deps bench eval clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

system-deps:
	sh scripts/setup-debian.sh

install: system-deps $(STAMP)

run: install
	$(BIN)/newsgraph ingest --demo --db $(DB)
	$(BIN)/newsgraph stats --db $(DB)
	$(BIN)/newsgraph serve --db $(DB) --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

test-all: install
	NEWSGRAPH_SLOW=1 $(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/events.py
	$(BIN)/python benchmarks/web.py --cache-mb 0    # issue #19: pages without the cache (CPU ms per request too)
	$(BIN)/python benchmarks/web.py --ingest 300    # issue #19: cached pages while 300 new articles come in
	nice -n 10 $(BIN)/python benchmarks/provenance.py --index-size 1000000

eval: install
	$(BIN)/newsgraph eval ner --data ../shared/data/conll2003/dev.txt
	$(BIN)/newsgraph eval provenance
	$(BIN)/newsgraph eval events --data ../shared/data/sentivent/dev.jsonl

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
