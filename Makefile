# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
FLASK   := $(BIN)/flask --app wsgi
STAMP   := $(VENV)/.installed
VENDOR  := webapp/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js
CHROMIUM := /usr/bin/chromium

.PHONY: install run web worker test test-postgres bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(VENDOR): package.json package-lock.json scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh

install: $(STAMP) $(VENDOR)

# Install, migrate, load demo people and a demo case, then start the web
# server and the worker together (Ctrl-C stops both).
run: install
	$(FLASK) migrate
	$(FLASK) demo load
	@echo "\nOpen http://127.0.0.1:5000 and sign in with a demo account above.\n"
	@trap 'kill 0' INT TERM EXIT; \
	  $(FLASK) worker & \
	  $(FLASK) run --host 127.0.0.1 --port 5000

web: install
	$(FLASK) run --host 127.0.0.1 --port 5000

worker: install
	$(FLASK) worker

$(CHROMIUM):
	(apt-get update -qq && apt-get install -y -qq chromium) || sudo sh -c 'apt-get update -qq && apt-get install -y -qq chromium'

test: install $(CHROMIUM)
	$(BIN)/pytest -q

# The same suite against PostgreSQL (CI runs this too).
test-postgres: install $(CHROMIUM)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules webapp/static/vendor .pytest_cache
