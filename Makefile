# Sango developer tasks. GNU make. `make demo` runs a local site; `make test` runs the tests.

PYTHON ?= python3
VENV = .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed
PYTEST_ARGS ?=

# Translation catalogues and the compiled files the running site reads.
PO_FILES := $(wildcard sango/locale/*/LC_MESSAGES/*.po sango/*/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Django's compilemessages needs GNU gettext's msgfmt; without it, fall back to polib.
define compile_messages
	if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/sango compilemessages --ignore '$(VENV)' --ignore var --ignore node_modules; \
	else \
		$(BIN)/python -m sango.core.i18n_compile sango; \
	fi
endef

.PHONY: install messages browser demo test lint format bench bench-staff bench-web bench-facility bench-whatif bench-statistics clean bench-payments

install: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	$(compile_messages)
	touch $@

# Recompile when a catalogue changes after installation.
$(MO_FILES): %.mo: %.po | $(STAMP)
	$(compile_messages)

messages: | $(STAMP)
	$(compile_messages)

# The task worker (batch printing) runs beside the web server and stops with it.
demo: install
	$(BIN)/sango migrate --noinput
	$(BIN)/sango demo_setup
	$(BIN)/sango db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/sango runserver 127.0.0.1:8000

# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# downloads are not used); Noto CJK gives its screenshots Japanese glyphs.
# axe-core (npm) is injected into pages by the browser tests to check accessibility.
browser:
	command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
	fc-list :lang=ja 2>/dev/null | grep -q . || (apt-get update && apt-get install -y fonts-noto-cjk)
	test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund

test: install browser
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/run_all.py

# The staff office's pages on PostgreSQL with 10,000 and 100,000 applications (BENCH_DATABASE_URL).
bench-staff: install
	$(BIN)/python benchmarks/bench_staff.py

# The web hot paths under load: gunicorn (prod settings) on PostgreSQL (BENCH_DATABASE_URL),
# driven by Debian's wrk on loopback, each endpoint against a bare view in the same rounds.
# About 11 minutes; `make bench-web BENCH_WEB_ARGS=--quick` for a smoke run.
BENCH_WEB_ARGS ?=
bench-web: install
	command -v wrk >/dev/null 2>&1 || (apt-get update && apt-get install -y wrk)
	$(BIN)/python benchmarks/bench_web.py $(BENCH_WEB_ARGS)

# The facility portal's calendar (a year of bookings) and recording a use, on PostgreSQL.
bench-facility: install
	$(BIN)/python benchmarks/bench_facility.py

# What-if replay of 1,000,000 stored uses under a draft, on PostgreSQL (BENCH_WHATIF_DATABASE_URL,
# a database created and dropped); `make bench-whatif BENCH_WHATIF_ARGS=50000` for a smaller run.
BENCH_WHATIF_ARGS ?=
bench-whatif: install
	$(BIN)/python benchmarks/bench_whatif.py $(BENCH_WHATIF_ARGS)

# 実績 over 1,000,000 uses on PostgreSQL: the page's selectors beside hand-written SQL
# (BENCH_STATISTICS_DATABASE_URL, a database it creates and drops). About 10 minutes.
bench-statistics: install
	$(BIN)/python benchmarks/bench_statistics.py

# The 全銀 transfer file of a 10,000-payment batch, end to end from stored rows (in-memory SQLite).
bench-payments: install
	$(BIN)/python benchmarks/bench_payments.py

clean:
	rm -rf $(VENV) var build dist *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find sango -name '*.mo' -path '*/LC_MESSAGES/*' -delete
