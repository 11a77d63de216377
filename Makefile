# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
FLASK   := $(BIN)/flask --app wsgi
STAMP   := $(VENV)/.installed
VENDOR  := webapp/static/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js
CHROMIUM := /usr/bin/chromium
# Letters are PDFs set in Debian's DejaVu fonts (package fonts-dejavu-core).
DEJAVU  := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

.PHONY: install fonts run web worker lint lint-bpmn test test-postgres bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# npm ci (in vendor_assets.sh) installs everything in package-lock.json:
# bpmn-js for the web app and bpmnlint for lint-bpmn.
$(VENDOR): package.json package-lock.json scripts/vendor_assets.sh
	bash scripts/vendor_assets.sh

$(DEJAVU):
	(apt-get update -qq && apt-get install -y -qq fonts-dejavu-core) || sudo sh -c 'apt-get update -qq && apt-get install -y -qq fonts-dejavu-core'

fonts: $(DEJAVU)

install: $(STAMP) $(VENDOR) $(DEJAVU)

# Install, migrate, load demo people and a demo case, then start the web
# server and the worker together. Ctrl-C (or a TERM to make) stops both:
# the shell keeps both PIDs and waits for the web server; on INT or TERM,
# or when the web server ends, stop() kills both and waits for them (once:
# it ignores further signals), then the shell ends by the same signal.
# Both run in the background, so they ignore the terminal's SIGINT (a
# non-interactive shell's background jobs do) and stop() is what ends them.
run: install
	$(FLASK) migrate
	$(FLASK) demo load
	@echo "\nOpen http://127.0.0.1:5000 and sign in with a demo account above.\n"
	@web=; worker=; \
	  stop() { trap '' INT TERM; kill $$web $$worker 2>/dev/null; wait; }; \
	  trap stop EXIT; \
	  trap 'stop; trap - INT EXIT; kill -INT $$$$' INT; \
	  trap 'stop; trap - TERM EXIT; kill -TERM $$$$' TERM; \
	  $(FLASK) worker & worker=$$!; \
	  $(FLASK) run --host 127.0.0.1 --port 5000 & web=$$!; \
	  wait $$web

web: install
	$(FLASK) run --host 127.0.0.1 --port 5000

worker: install
	$(FLASK) worker

$(CHROMIUM):
	(apt-get update -qq && apt-get install -y -qq chromium) || sudo sh -c 'apt-get update -qq && apt-get install -y -qq chromium'

# bpmnlint's recommended rules (.bpmnlintrc) over every diagram. The
# fallback reinstalls node_modules if it was removed after the vendor copy.
lint-bpmn: $(VENDOR)
	@test -x node_modules/.bin/bpmnlint || bash scripts/vendor_assets.sh
	node_modules/.bin/bpmnlint --max-warnings=0 bpmn/*.bpmn tests/scratch_procedure/*.bpmn tests/workflows/engine/*.bpmn

# ruff's lint rules and its formatting (pyproject.toml), checked, never applied.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install $(CHROMIUM) lint lint-bpmn
	$(BIN)/pytest -q

# The same suite against PostgreSQL (CI runs this too).
test-postgres: install $(CHROMIUM)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules webapp/static/vendor .pytest_cache
