# The two Quick-start commands live here: `make run` and `make test`.
# Both build a private virtual environment from the hash-pinned lock file first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench generate clean

# setup.py compiles the simulation engine (a C extension next to engine.py); editing the engine
# rebuilds it, so the compiled module never lags behind its source.
$(STAMP): requirements.lock pyproject.toml setup.py src/service_blueprint/simulation/engine.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

PORT ?= 8000

# Draw every template into out/, then serve them (SQLite in out/server) until Ctrl+C.
run: $(STAMP)
	$(BIN)/blueprint showcase --out out
	$(BIN)/blueprint serve --data out/server --init-admin admin --seed-templates --port $(PORT)

test: $(STAMP) node_modules/.installed chromium
	$(BIN)/python -m pytest -q
	$(BIN)/python -m mypy
	$(BIN)/python -m ruff check src tests scripts benchmarks

# Development-only npm packages (bpmn-moddle validates the BPMN export in the tests).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The web editor's browser tests drive Debian's Chromium (never a downloaded browser).
.PHONY: chromium
chromium:
	@test -x /usr/bin/chromium || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else echo "the browser tests need /usr/bin/chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

generate: $(STAMP)
	$(BIN)/python scripts/generate.py

clean:
	rm -rf $(VENV) out build src/service_blueprint/simulation/*.so
