# The two set-up commands: `make demo` and `make test`. Everything the project needs is installed here.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PODPORA_CORPUS ?= $(abspath ../shared/corpus)

.PHONY: demo test lint bench messages system-deps install clean serve

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP) messages

# Translations are compiled by the build, never committed as binaries.
messages: $(STAMP)
	@command -v msgfmt >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq gettext)
	cd src/podpora && ../../$(BIN)/podpora compilemessages --ignore=.venv -v 0

# What the tests need from Debian: a browser and an IMAP server.
system-deps:
	@command -v dovecot >/dev/null && command -v chromium >/dev/null || \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq dovecot-imapd chromium)
	@ldconfig -p | grep -q libpangoft2-1.0 && [ -d /usr/share/fonts/truetype/dejavu ] || \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpangoft2-1.0-0 fonts-dejavu-core)

demo: install
	@mkdir -p data
	$(BIN)/podpora migrate --noinput -v 0
	$(BIN)/podpora demo
	PORT=$(PORT) $(BIN)/podpora serve --no-migrate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p data
	$(BIN)/podpora makemigrations --check --dry-run

test: install system-deps lint
	PODPORA_FAST_HASHER=1 $(BIN)/pytest

bench: install
	$(BIN)/python bench/bench_sla.py
	@for b in bench/bench_*.py; do [ "$$b" = bench/bench_sla.py ] || $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) data
