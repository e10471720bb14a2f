# The two commands of the README. Everything they need is installed here, nothing by hand.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEV_ENV := DEBUG=1

.PHONY: run test install lint chromium demo bench

run: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(DEV_ENV) $(BIN)/python manage.py demo
	@# The background worker (large batches of letters) lives as long as the server.
	$(DEV_ENV) $(BIN)/python manage.py db_worker & trap 'kill 0' EXIT; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml build-constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --build-constraint build-constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# The browser journey tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || ./scripts/install-chromium

# Performance: gunicorn in production mode driven by real HTTP clients (README, « Performances »).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/issuing.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
