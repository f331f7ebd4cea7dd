# Two commands: `make run` serves the embedded graph on 127.0.0.1:8000, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test fuzz lint bench soak cluster validate clean lock

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newborn-kg needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: setup
	@echo "newborn-kg: serving on http://$(HOST):$(PORT)/"
	$(BIN)/newborn-kg serve --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The schemathesis run of `make test` with 10x the cases per operation and mode (several minutes).
fuzz: setup
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest tests/test_fuzz.py $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check service tests bench docs
	$(BIN)/ruff format --check service tests bench docs
	$(BIN)/mypy

validate: setup
	$(BIN)/newborn-kg validate

PEERS := bench/.venv-peers

bench: setup $(PEERS)/.installed
	$(BIN)/python bench/run.py

# rdflib-endpoint, the SPARQL peer, in its own venv so its rdflib never meets ours
$(PEERS)/.installed: bench/peers-constraints.txt
	test -x $(PEERS)/bin/python || $(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet -c bench/peers-constraints.txt rdflib-endpoint uvicorn
	touch $@

# Two replicas sharing one private Virtuoso on loopback; a replica is killed, the store restarted.
CLUSTER_SECONDS ?= 40
cluster: setup
	$(BIN)/python bench/cluster.py --seconds $(CLUSTER_SECONDS)

# About 4 minutes on loopback, then stops: throughput, slow clients, heavy queries, SIGTERM.
# Needs wrk (apt-get install wrk); writes the figures to bench/results.md.
soak: setup
	$(BIN)/python bench/soak.py --record bench/results.md

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Re-pin constraints.txt to what the current .venv runs (after changing pyproject.toml).
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | grep -v newborn > constraints.txt
