# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chromium install run test lint typecheck pytest bench clean test-postgres translations

$(STAMP): setup.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The board: migrate the SQLite database under instance/ (or DATABASE_URL), seed the
# demo data when it is empty, print the demo accounts, serve at http://127.0.0.1:$(PORT)
# (`make run PORT=5001`). Every command sees the port (FLASK_RUN_PORT), so that the links
# in emails follow it (BOARD_URL's default; a BOARD_URL in the environment wins).
# Emails are not sent: the outbox worker beside the server writes them to instance/outbox/.
PORT ?= 5000
FLASK := FLASK_RUN_PORT=$(PORT) $(BIN)/flask --app webapp
run: install
	$(FLASK) setup
	$(FLASK) seed-demo --if-empty
	$(FLASK) demo-accounts
	$(FLASK) send-outbox --loop --interval 5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'"; \
	    exit 1; \
	  fi; \
	fi

# Two workers (pytest-xdist) for the two cores: `make pytest WORKERS=0` runs in one process.
# Each file runs whole on one worker: its module fixtures (a served board, a browser) are
# made once, and its tests keep their order.
WORKERS ?= 2
PARALLEL := -n $(WORKERS) --dist loadfile

pytest: install chromium
	$(BIN)/pytest $(PARALLEL) --cov=jobmatch --cov=webapp --cov-branch --cov-report=term:skip-covered

# Then the board's suite again on PostgreSQL, when a server answers on 127.0.0.1 (CI starts one).
test: lint typecheck pytest
	@if pg_isready -q -h 127.0.0.1 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else \
	  echo "No PostgreSQL answers on 127.0.0.1: the board's suite on PostgreSQL is skipped."; \
	fi

# The board's suite on PostgreSQL (a database of its own per run and worker on this server).
# Not its browser tests: those in tests/webapp draw charts in Chromium from figures made in
# the test, the same on any database, and the SQLite pass ran them.
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
test-postgres: install
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PARALLEL) -m "not browser" tests/webapp

# After changing user-facing text: extract, merge into the Danish catalogue, compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o webapp/translations/messages.pot .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --width 99 \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d webapp/translations

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
