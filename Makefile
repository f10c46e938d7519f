# Atelier — every target is idempotent and installs what it needs first.
# Run `make help` for the list.
.DEFAULT_GOAL := help
SHELL := /bin/bash
unexport PYTHONDONTWRITEBYTECODE   # this machine sets it; without bytecode every process recompiles (INFRA.md)

VENV      ?= .venv
PY        := $(VENV)/bin/python
UV_VER    := 0.13.8
STAMP     := $(VENV)/.installed
NPM_STAMP := clients/node_modules/.installed
WEB_SRC   := $(shell find clients/src clients/web -type f 2>/dev/null) clients/vite.config.ts clients/package-lock.json
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1   # playwright-core drives Debian's chromium; never download one
PYTEST    := $(PY) -m pytest

##@ Everyday
help: ## Show this help
	@awk 'BEGIN{FS=":.*##"} /^##@/{printf "\n%s\n", substr($$0,5)} /^[a-zA-Z_-]+:.*##/{printf "  %-14s %s\n",$$1,$$2}' $(MAKEFILE_LIST)

run: install ## Start the whole service (API + in-process worker + the web page at /) on the embedded default: http://127.0.0.1:$${ATELIER_PORT:-8000}
	@$(MAKE) --no-print-directory web || echo "run: the web page could not be built (needs node + npm); / says how, the API works" >&2
	$(PY) -m app up

test: install clients-install chromium ## Run the whole test suite (own PostgreSQL + Valkey on loopback; the TypeScript client and the page in Chromium)
	$(PYTEST)

check: install clients-install ## Lint, format check, types, import rules, the generator catalog, codegen drift (TypeScript included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m app generators validate
	$(PY) -m codegen --check
	$(PY) -m tools.private_names

##@ Development
install: $(STAMP) ## Create the venv and install the pinned dependencies (idempotent)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/pip --version >/dev/null 2>&1 || $(PY) -m ensurepip -q
	@$(VENV)/bin/uv --version 2>/dev/null | grep -q "$(UV_VER)" || $(VENV)/bin/pip install -q "uv==$(UV_VER)"
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

lock: ## Re-resolve requirements.lock from pyproject.toml (versions only, no index URLs)
	@test -x $(VENV)/bin/uv || (python3 -m venv $(VENV) && $(VENV)/bin/pip install -q "uv==$(UV_VER)")
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock

worker: install ## Run dedicated SAQ worker processes against ATELIER_REDIS_URL (or the embedded default)
	$(PY) -m app up --worker-only

migrate: install ## Apply migrations (alembic upgrade head) to ATELIER_DATABASE_URL (or the embedded default)
	$(PY) -m app up --migrate-only

codegen: install clients-install ## Regenerate app/**/_generated and clients/ (OpenAPI, SDL, TypeScript) from schema/
	$(PY) -m codegen

codegen-check: install clients-install ## Fail when generated files are stale
	$(PY) -m codegen --check
	$(PY) -m tools.private_names

clients-install: $(NPM_STAMP) ## npm ci in clients/ from the committed package-lock.json (idempotent)

$(NPM_STAMP): clients/package-lock.json clients/package.json
	@command -v npm >/dev/null 2>&1 || { echo "clients: npm is missing: install Node.js 20+ (with npm)" >&2; exit 1; }
	cd clients && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web: clients/dist/index.html ## Build the web page (clients/ → clients/dist, served at / by make run)

clients/dist/index.html: $(NPM_STAMP) $(WEB_SRC)
	cd clients && node_modules/.bin/vite build --logLevel warn

chromium: ## Install Debian's chromium for the browser test (only when missing, only as root; else skip)
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "chromium: installing Debian's chromium (apt-get install -y chromium)" >&2; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null \
	      || echo "chromium: apt-get could not install chromium: the browser test will be skipped" >&2; \
	  else \
	    echo "chromium: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get):" \
	         "the browser test will be skipped; install Debian's chromium to run it" >&2; \
	  fi; }

test-unit: install ## Fast unit tests only (no servers)
	$(PYTEST) tests/unit

test-container: install ## Build the image (podman; installs it, needs root) and run an API + a worker container (tests/container)
	ATELIER_CONTAINER_TEST=1 $(PYTEST) tests/container -q -rs -s

PYTHON_VERSIONS ?= 3.12 3.13

test-pythons: install ## The unit suite on every other Python the machine has (3.12, 3.13; PATH or pyenv): .venv-3.X from the same lock
	@for v in $(PYTHON_VERSIONS); do \
	  py=$$(command -v python$$v 2>/dev/null); \
	  if [ -z "$$py" ] || ! "$$py" -c pass >/dev/null 2>&1; then \
	    py=$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$v*/bin/python$$v 2>/dev/null | sort -V | tail -1); fi; \
	  if [ -z "$$py" ] || ! "$$py" -c pass >/dev/null 2>&1; then echo "test-pythons: no Python $$v here: skipped" >&2; continue; fi; \
	  echo "test-pythons: Python $$v ($$py) → .venv-$$v" >&2; \
	  test -x .venv-$$v/bin/python || "$$py" -m venv .venv-$$v || exit 1; \
	  $(VENV)/bin/uv pip install -q --python .venv-$$v/bin/python -r requirements.lock || exit 1; \
	  $(VENV)/bin/uv pip install -q --python .venv-$$v/bin/python --no-deps -e . || exit 1; \
	  .venv-$$v/bin/python -m pytest tests/unit -q -p no:cacheprovider || exit 1; \
	done

fmt: install ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

pre-commit: install ## Install the git pre-commit hook (runs the same checks as `make check`)
	$(VENV)/bin/pre-commit install

bench: install ## Benchmark the API with wrk on seeded data (BENCH_SECONDS, BENCH_WARMUP_SECONDS; see bench/README.md)
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "bench: installing wrk (apt-get install -y wrk)" >&2; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null \
	      || echo "bench: could not install wrk with apt-get" >&2; \
	  else \
	    echo "bench: wrk is missing and cannot be installed here (needs root and apt-get): install wrk yourself" >&2; \
	  fi; }
	$(PY) -m bench

faults: install ## Fault suite table: each fault once, the worker kill FAULTS_KILL_REPEATS (20) times, on real processes
	$(PY) -m tests.faults

clean-data: ## Delete the embedded default's data directory (./data)
	rm -rf data

.PHONY: help run test test-pythons test-container check install lock worker migrate codegen codegen-check test-unit fmt pre-commit clean-data bench clients-install web chromium faults
