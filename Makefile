# Every target sets itself up: the first run creates .venv from requirements.lock.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# TOPIC: a story's folder, or the name of one in analysis/topics/ (default: north_korea_russia).
# With TOPIC and no ARTICLES, the topic's own examples/articles/ are read, into runs/<topic name>/.
TOPIC ?=
TOPIC_DIR = $(if $(TOPIC),$(if $(wildcard $(TOPIC)/patterns.csv),$(TOPIC),analysis/topics/$(TOPIC)),)
TOPIC_OPTION = $(if $(TOPIC),--topic $(TOPIC_DIR),)
ARTICLES ?= $(if $(TOPIC),$(TOPIC_DIR)/examples/articles,seeds)
# Empty: outputs/ for seeds/, runs/<folder name>/ for any other articles folder (runs/<topic name>/
# for a topic's examples).
OUT ?=
OUT_OPTION = $(if $(OUT),--out $(OUT),$(if $(filter $(TOPIC_DIR)/examples/articles,$(ARTICLES)),--out runs/$(notdir $(TOPIC_DIR)),))

.PHONY: help report extract test browser lab serve notebooks bench eval clean readme-images

## help: list the targets (the default)
help:
	@echo "News-claims analysis: make <target>"
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /'

# The stamp depends on the lock and the project file: a second run installs nothing unless they changed.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.lock
	$(PY) -m pip install --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m analysis install-kernel
	touch $(STAMP)

## report: run the report on seeds/ into outputs/ (or ARTICLES=dir into runs/<dir name>/, or OUT=dir; TOPIC=name)
report: $(STAMP)
	$(PY) -m analysis report --articles $(ARTICLES) $(OUT_OPTION) $(TOPIC_OPTION)

## extract: write the tables only (no notebooks) for ARTICLES into OUT
extract: $(STAMP)
	$(PY) -m analysis extract --articles $(ARTICLES) $(OUT_OPTION) $(TOPIC_OPTION)

## test: unit tests, strict nbval on notebooks/, the browser check
test: $(STAMP) browser
	$(PY) -m pytest

# The browser check needs Debian's chromium and chromedriver; as root, apt installs them.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			DEBIAN_FRONTEND=noninteractive apt-get update && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver; \
		else \
			echo "make test needs chromium and chromedriver: sudo apt-get install chromium chromium-driver"; exit 1; \
		fi; \
	fi

LAB_PORT ?= 8888
## lab: JupyterLab on notebooks/ with the project's kernel (open the http://127.0.0.1 URL it prints)
lab: $(STAMP)
	@$(PY) -m analysis install-kernel
	@echo "JupyterLab: open the http://127.0.0.1:$(LAB_PORT)/lab?token=... URL printed below; Ctrl-C stops it"
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --no-browser --ServerApp.ip=127.0.0.1 \
		--ServerApp.port=$(LAB_PORT) $(if $(filter 0,$(shell id -u)),--allow-root,)

SERVE_PORT ?= 8001
# The run to browse: OUT, else the folder `make report` writes for ARTICLES (outputs/ for seeds/).
SERVE_OUT = $(if $(OUT),$(OUT),$(if $(filter $(TOPIC_DIR)/examples/articles,$(ARTICLES)),runs/$(notdir $(TOPIC_DIR)),$(if $(filter seeds seeds/ ./seeds,$(ARTICLES)),outputs,runs/$(notdir $(abspath $(ARTICLES))))))
## serve: browse the run (OUT/claims.db, default outputs/) with Datasette on http://127.0.0.1:8001/ (SERVE_PORT=...)
serve: $(STAMP)
	@if [ ! -f "$(SERVE_OUT)/claims.db" ]; then echo "no $(SERVE_OUT)/claims.db: run make report (or make extract) first"; exit 1; fi
	@echo "Datasette: open http://127.0.0.1:$(SERVE_PORT)/claims (evidence pages under /static/html/articles/); Ctrl-C stops it"
	$(VENV)/bin/datasette serve "$(SERVE_OUT)/claims.db" --metadata "$(SERVE_OUT)/metadata.json" \
		--static "static:$(SERVE_OUT)" --plugins-dir analysis/datasette_plugins --host 127.0.0.1 --port $(SERVE_PORT)

## notebooks: re-execute notebooks/ on seeds/ in place, refreshing the outputs nbval checks
notebooks: $(STAMP)
	$(PY) -m analysis refresh-notebooks

## bench: synthetic corpora of 1,000 and 10,000 articles; timings appended to bench/results.csv
bench: $(STAMP)
	$(PY) -m bench

## eval: one table of precision and recall on every annotated set (EVAL_FLAGS=--misses lists the errors)
# The real development set lives beside the project, not in it: scored, labelled external, when present.
REALDEV ?= ../shared/realdev
# Each topic's examples/ are scored with that topic's folder.
EVAL_SETS = $(patsubst %/claims.csv,%,$(sort $(wildcard tests/eval/dev*/claims.csv) $(wildcard tests/eval/heldout*/claims.csv))) \
	$(patsubst %/claims.csv,%,$(sort $(wildcard analysis/topics/*/examples/claims.csv))) \
	$(if $(wildcard $(REALDEV)/claims.csv),$(REALDEV))
eval: $(STAMP)
	$(PY) -m analysis evaluate $(EVAL_SETS) $(EVAL_FLAGS)

## clean: remove .venv, caches and benchmark corpora (committed outputs/ stay)
clean:
	rm -rf $(VENV) bench/corpora .hypothesis build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

## readme-images: redraw docs/img/coverage-growth.png (README's chart on the 30-article test corpus)
readme-images: $(STAMP)
	$(PY) -m analysis report --articles tests/fixtures/coverage --out /tmp/readme-images --no-screenshot
	cp /tmp/readme-images/figures/estimate_growth.png docs/img/coverage-growth.png
