# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint bench soak clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# One table of medians; BENCH_ARGS="--scale" adds the slow steps (imports, search at scale).
bench: $(VENV)/.dev
	$(PY) -m tests.bench $(BENCH_ARGS)

# Needs DATABASE_URL to a PostgreSQL database of its own that it may empty and restart
# (tests/soak.py); SOAK_ARGS="--seconds 20" for a shorter run.
soak: $(VENV)/.dev
	$(PY) -m tests.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
