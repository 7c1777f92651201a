# The two commands: `make run` (install, migrate, demo data, serve on SQLite with inline jobs)
# and `make test` (install, start throwaway PostgreSQL and Redis, run the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in mails and on the code sheet point here; follow HOST and PORT unless set explicitly.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: oidc-provider install run test lint test-sqlite translations extract-messages update-messages system-packages clean bench

install: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -D messages -f --statistics 2>&1 | tail -n 2

run: install
	$(BIN)/wellbeing db upgrade
	$(BIN)/wellbeing demo
	BASE_URL=$(BASE_URL) $(BIN)/wellbeing run --host $(HOST) --port $(PORT)

system-packages:
	scripts/ensure-system-packages

test: install system-packages oidc-provider lint
	$(BIN)/python -m pytest -p no:cacheprovider
	WELLBEING_TEST_DB=sqlite $(BIN)/python -m pytest -p no:cacheprovider -m "not browser and not production" -q

# ruff (rule set in pyproject.toml) and mypy (strict on the pure domain modules); part of `make test`.
lint: install
	$(BIN)/ruff check wellbeing benchdata tests bench
	$(BIN)/mypy

# Throwaway PostgreSQL/Redis, benchmark data, gunicorn and RQ workers; writes bench/results/ (see bench/README.md).
# BENCH_SCALE=region for a quick run (default national); BENCH_GROWTH=0 skips the growth runs.
# Then Lighthouse (phone profile) on the login, answer, team picture and overview pages (bench/lighthouse.py).
bench: install system-packages
	$(BIN)/python bench/run.py
	$(BIN)/python bench/lighthouse.py

# The real OpenID Connect provider the federated-login tests start (node-oidc-provider, from the lock file).
oidc-provider: tests/oidc/node_modules/.package-lock.json

tests/oidc/node_modules/.package-lock.json: tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: run scripts/ensure-system-packages (Node.js 20+ and npm)" >&2; exit 1; }
	cd tests/oidc && npm ci --no-audit --no-fund

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header .

update-messages: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --omit-header

clean:
	rm -rf $(VENV) instance .pytest_cache
