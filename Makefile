# One command for each job. `make run` and `make test` are the two commands of the README.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Only this machine by default; behind a reverse proxy keep it so, or set ADDRESS=0.0.0.0.
ADDRESS ?= 127.0.0.1
export PUNTE_DB ?= data/punte.db
# Test processes (pytest-xdist). Each browser journey file stays whole on one worker (an
# xdist group, see tests/browser/conftest.py); the other tests are shared out one by one.
TEST_WORKERS ?= auto

.PHONY: run test lint format bench chromium postgresql install install-dev

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install everything and start the app on the demo directory at http://$(ADDRESS):$(PORT)
run: install
	$(PY) -m directory init
	$(PY) -m directory demo --if-empty
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

## Install everything (Chromium and PostgreSQL through apt when missing) and run the whole
## test suite on both backends (a throwaway PostgreSQL server, or $$PUNTE_TEST_DATABASE_URL)
test: install-dev chromium postgresql
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# The tests start their own throwaway server with these binaries (none is left running).
postgresql:
	@[ -n "$$PUNTE_TEST_DATABASE_URL" ] || \
	  { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && \
	    ls /usr/share/postgresql/*/extension/unaccent.control >/dev/null 2>&1; } || { \
	  echo "Installing Debian's postgresql and postgresql-contrib for the tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    postgresql postgresql-contrib; }

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m mypy

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install-dev
	$(PY) -m bench
