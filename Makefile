# The two commands of the README. Everything they need is installed here, nothing by hand.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEV_ENV := DEBUG=1

.PHONY: run classroom cluster faults haproxy test install lint chromium demo bench messages example

PORT ?= 8000

run: $(STAMP)
	@# The OpenID Connect signing key of this clone, made once (git-ignored; production: docs/exploitation.md).
	$(BIN)/python -m idp.keys data/oidc-dev-key.pem
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(DEV_ENV) PUBLIC_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py demo
	@# The background worker (large batches of letters) lives as long as the server.
	$(DEV_ENV) $(BIN)/python manage.py db_worker & trap 'kill 0' EXIT; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# A lesson served from this laptop to the room's network (docs/enseignant.md, « Servir la salle
# depuis votre ordinateur »): gunicorn, the worker, the address and its QR code; Ctrl-C stops all.
classroom: $(STAMP)
	$(BIN)/python scripts/classroom --port $(PORT)

# Two app instances behind HAProxy on one PostgreSQL and one Redis, and the worker, all on loopback
# addresses (docs/exploitation.md, « Plusieurs serveurs »); Ctrl-C stops everything.
cluster: $(STAMP) haproxy
	$(BIN)/python scripts/cluster

# The fault drill against the cluster (docs/exploitation.md, « L'exercice de pannes »): six faults
# while a class of 30 signs in; its last line says what survived.
faults: $(STAMP) haproxy
	$(BIN)/python scripts/faults

# Debian's HAProxy for the cluster (never a downloaded build).
haproxy:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || ./scripts/install-haproxy

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

# The example school service (examples/school_service) on http://127.0.0.1:8001, registered in
# the portal's registry (OpenID Connect and CAS); `make run` serves the portal beside it.
EXAMPLE_PORT ?= 8001
example: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	@mkdir -p data; test -f data/example-secret || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(32))" > data/example-secret
	$(DEV_ENV) $(BIN)/python manage.py register_example_service --url http://127.0.0.1:$(EXAMPLE_PORT) --secret-file data/example-secret
	cd examples/school_service && export EXAMPLE_OIDC_CLIENT_ID=exemple-service-scolaire \
	  EXAMPLE_OIDC_CLIENT_SECRET="$$(cat ../../data/example-secret)" EXAMPLE_CAS=1 && \
	  ../../$(BIN)/python manage.py migrate --noinput --verbosity 0 && \
	  ../../$(BIN)/python manage.py runserver 127.0.0.1:$(EXAMPLE_PORT)

# Performance: gunicorn in production mode driven by real HTTP clients (bench/README.md).
bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/issuing.py
	$(BIN)/python bench/classroom.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The French catalogue (locale/fr): our strings (French in the source, msgstr = msgid, so that
# plurals follow French rules), then locale/fr/overrides.po first for third-party wording.
messages: $(STAMP)
	rm -f locale/fr/LC_MESSAGES/django.po  # made anew: no fuzzy match with an old string
	DEBUG=1 $(BIN)/python manage.py makemessages -l fr --no-location --no-obsolete --no-wrap \
	  --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=test-results --ignore=examples
	msgen --no-wrap locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/ours.po
	msgcat --no-wrap --use-first locale/fr/overrides.po locale/fr/LC_MESSAGES/ours.po \
	  -o locale/fr/LC_MESSAGES/django.po
	rm locale/fr/LC_MESSAGES/ours.po
	DEBUG=1 $(BIN)/python manage.py compilemessages -l fr --ignore=.venv
