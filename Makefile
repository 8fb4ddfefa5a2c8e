# dudao — set-up is `make run` (demo) and `make test` (suite); both install into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

PG_URL ?= postgres://dudao:dudao@127.0.0.1:5432/dudao
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py

.PHONY: install run demo test test-pg lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(BIN)/dudao demo-data --counties 2 --schools-per-county 40 -o var/demo.xlsx
	$(BIN)/dudao evaluate yzjh-2017 var/demo.xlsx -o var/demo-result.xlsx
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "平台地址：http://127.0.0.1:8000/ （按 Ctrl+C 停止）"
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(MANAGE) makemigrations --check --dry-run

test: lint
	$(BIN)/python -m pytest

# The database tests again on PostgreSQL (CI starts the server; see .ci/run).
test-pg: install
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest tests/web

bench: install
	$(BIN)/python bench/bench_engine.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
