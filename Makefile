# Two commands: `make run` and `make test`. Everything else is a helper for them or for CI.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install migrate demo lint tools clean messages

# Compiled catalogues (.mo) are not committed: built from each .po with polib (core/catalogues.py),
# rebuilt when the .po is newer. install, run and test all depend on them.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po locale_admin/*/LC_MESSAGES/django.po locale_admin/*/LC_MESSAGES/djangojs.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

%.mo: %.po $(VENV)/.installed
	$(PY) -m core.catalogues $<

messages: $(MO_FILES)

install: $(VENV)/.installed messages

migrate: install
	@echo "Applying migrations..."
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/  (admin at http://$(HOST):$(PORT)/admin/)"
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n auto

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Test-only tools that are not Python packages: the Nu HTML checker (vnu.jar from the npm
# registry). Chromium and Java come from Debian packages that .ci/run installs.
tools:
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix .cache/tools vnu-jar@26.9.27; \
	else echo "npm not found: the Nu HTML checker tests will skip"; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
	rm -f $(MO_FILES)
