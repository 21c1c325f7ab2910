# Two commands set everything up on a fresh machine: `make graph` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEBIAN_PACKAGES := chromium raptor2-utils serdi fonts-wqy-microhei
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: graph test eval eval-heldout eval-heldout2 bench baselines sysdeps venv clean

graph: $(STAMP)
	$(BIN)/kg build seeds -o output

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/kg eval --gold tests/gold seeds

# Articles from other provinces, annotated before any run (tests/heldout.md): do the rules generalize?
eval-heldout: $(STAMP)
	$(BIN)/kg eval --gold tests/heldout/gold tests/heldout --show 40
eval-heldout2: $(STAMP)
	$(BIN)/kg eval --gold tests/heldout2/gold tests/heldout2 --show 40
eval-heldout3: $(STAMP)
	$(BIN)/kg eval --gold tests/heldout3/gold tests/heldout3 --show 40

baselines: $(STAMP)
	$(BIN)/python benchmarks/baselines.py

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian packages the tests use: headless Chromium, the serd and Raptor Turtle parsers, and a
# Chinese font so that screenshots of graph.html show text.
sysdeps:
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

clean:
	rm -rf $(VENV) output .kg-cache
