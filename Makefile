# Kvifor. `make run` gives a working demo on a fresh machine; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
FLASK   = $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install run migrate demo test evaluate names-model bench e2e-deps translations clean

$(BIN)/activate:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# A stamp, so that `make test` started twice at once (CI runs SQLite and PostgreSQL side by side)
# does not run two pip installs into the same environment.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

migrate: install
	$(FLASK) db upgrade

demo: migrate
	KVIFOR_PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) demo seed

# Letters and e-mails print links: they must name the address the app is served on.
run: demo
	KVIFOR_PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

# Against PostgreSQL instead of SQLite: KVIFOR_TEST_DATABASE_URL=postgresql://user@host/db make test
# TESTS=... passes pytest options (CI's PostgreSQL run leaves out tests/analysis, which uses no database).
test: install
	$(BIN)/python -m pytest -q $(TESTS)

# The analysis library on the shared development set and the real Norwegian text beside it.
SHARED ?= ../shared/data
evaluate: install
	$(BIN)/python -m analysis evaluate $(SHARED)/exit_causes_dev.csv --pii-column pii \
	  --topics $(SHARED)/real/sib200_nob_train.tsv --topics $(SHARED)/real/sib200_nno_train.tsv \
	  --names $(SHARED)/real/norne_nob_dev.conllu --names $(SHARED)/real/norne_nno_dev.conllu

# Retrain the person-name model on NorNE (only the model is kept; see analysis/data/person_names.yaml).
names-model: install
	$(BIN)/python tools/train_names.py

# Every benchmark, each printing its table (needs wrk and PostgreSQL; not part of `make test`).
# BENCH=--quick runs small sizes only.
bench: install
	$(BIN)/python tests/benchmarks/run_all.py $(BENCH)

# Browser tests need Debian's Chromium (apt install chromium) and axe-core from npm; without them
# `make test` skips them and says so.
e2e-deps:
	cd tests/e2e && npm install --silent --no-audit --no-fund --no-save --prefix . axe-core@4.14

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _ -k _l -k gettext -k lazy_gettext -k ngettext:1,2 --no-location --omit-header -o survey_app/translations/messages.pot .
	$(BIN)/pybabel update -i survey_app/translations/messages.pot -d survey_app/translations --omit-header -N
	$(BIN)/pybabel compile -d survey_app/translations

clean:
	rm -rf $(VENV) instance *.egg-info .pytest_cache
