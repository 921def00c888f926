# regiongap — run `make` or `make help` to list the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The shared data folder next to the project is used as the Eurostat/GISCO mirror when
# present and when REGIONGAP_MIRROR is not already set. Real users leave it unset and
# the library talks to the live Eurostat and GISCO services.
SHARED_DATA := $(abspath $(CURDIR)/../shared/data)
ifeq ($(origin REGIONGAP_MIRROR), undefined)
  ifneq ($(wildcard $(SHARED_DATA)/eurostat),)
    export REGIONGAP_MIRROR := $(SHARED_DATA)
    # the shared mirror is the whole world here: never wait on a network that is not there
    export REGIONGAP_OFFLINE ?= 1
  endif
endif

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name regiongap --display-name "Python (regiongap)" >/dev/null
	touch $@

.PHONY: install
install: $(STAMP) ## create .venv and install regiongap with notebook and test extras

.PHONY: browser
browser: ## install Debian's headless Chromium and poppler-utils (figures, PDF, browser tests), if missing
	@{ command -v chromium && command -v pdftoppm; } >/dev/null 2>&1 || { \
	  echo "installing Debian chromium and poppler-utils (images, PDF reports, browser tests)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; fi; }

.PHONY: test
test: $(STAMP) browser lint ## install everything, run the checks (make lint) and the whole test suite
	$(BIN)/python -m pytest -n 2 --dist loadfile

.PHONY: lint
lint: $(STAMP) ## ruff, the layer contract (import-linter), mypy and deptry
	$(BIN)/ruff check src tests benchmarks notebooks scripts docs
	$(BIN)/ruff format --check src tests benchmarks scripts docs
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/deptry src
	$(BIN)/pre-commit validate-config .pre-commit-config.yaml

.PHONY: fetch
fetch: $(STAMP) ## fill the cache with every dataset the reports use
	$(BIN)/regiongap fetch --catalogue

.PHONY: report
report: $(STAMP) ## install, fetch what is needed and build reports/*.html
	$(BIN)/regiongap report

.PHONY: docs
docs: $(STAMP) ## build the documentation site into site/ (strict; notebooks run on the mirror)
	DISABLE_MKDOCS_2_WARNING=true NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

.PHONY: lab
lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab notebooks/

.PHONY: bench
bench: $(STAMP) ## run the benchmarks and print their figures (see benchmarks/RESULTS.md)
	$(BIN)/python benchmarks/run_all.py

.PHONY: clean-cache
clean-cache: $(STAMP) ## delete regiongap's cache files (nothing else)
	$(BIN)/regiongap cache clear

.PHONY: clean
clean: ## remove the virtual environment and built reports
	rm -rf $(VENV) reports/*.html reports/*.pdf reports/*/ site/
