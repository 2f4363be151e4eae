# camguard.network — developer and CI entry points.
#   make demo   : the README's main job (lab + discover + isolate + audit), needs root
#   make test   : everything CI runs; its last lines are pytest's summary
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
BUILD       := .build
COLL_LINK   := $(BUILD)/collections/ansible_collections/camguard/network
SANITY_ROOT := $(or $(TMPDIR),/tmp)/camguard-network-sanity-$(shell printf %s "$(CURDIR)" | md5sum | cut -c1-8)
SANITY_COLL := $(SANITY_ROOT)/ansible_collections/camguard/network
NEWEST_PY   ?= $(shell ls -d $$(pyenv root 2>/dev/null)/versions/3.13*/bin/python 2>/dev/null | tail -1)
VENV_NEW    := .venv-newest
TOPOLOGY    ?= lab/topologies/small.yml
SCALE       ?=
PYTEST_ARGS ?=
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(BUILD)/collections
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED := true
export PYTHONDONTWRITEBYTECODE := 1

step = @printf '\n\033[1m==> %s\033[0m\n' "$(1)"

.PHONY: help venv venv-newest sysdeps layout lint mypy sanity sanity-tarball units integration newest test \
        test-offline demo lab-up lab-down lab-status bench build fuzz-long clean

help:
	@echo "make demo        run discover -> isolate -> audit on the built-in lab (root)"
	@echo "make test        lint, mypy, sanity (3.11 + newest), unit and integration tests"
	@echo "make test-offline  the same without the root-only lab tests"
	@echo "make lab-up TOPOLOGY=lab/topologies/small.yml | lab-status | lab-down"
	@echo "make bench       benchmarks (prints figures)"
	@echo "make fuzz-long   nightly: parser fuzzing with 10,000 examples per property"
	@echo "make build       ansible-galaxy collection build"

$(VENV)/.stamp: requirements.txt requirements-test.txt
	$(call step,virtualenv $(VENV) from requirements-test.txt)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -q --disable-pip-version-check --upgrade pip
	@$(PIP) install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@
venv: $(VENV)/.stamp

$(VENV_NEW)/.stamp: requirements.txt requirements-newest.txt
	$(call step,virtualenv $(VENV_NEW) (newest ansible-core on $(NEWEST_PY)))
	@test -x $(VENV_NEW)/bin/python || $(NEWEST_PY) -m venv $(VENV_NEW)
	@$(VENV_NEW)/bin/pip install -q --disable-pip-version-check -r requirements-newest.txt
	@touch $@
venv-newest: $(VENV_NEW)/.stamp

sysdeps:
	$(call step,system packages for the lab)
	@tools/sysdeps.sh

# The collection must live at ansible_collections/camguard/network: a symlink serves pytest and
# ansible at run time; ansible-test gets a clean copy of the files git would ship.
layout:
	@mkdir -p $(dir $(COLL_LINK))
	@ln -sfn ../../../.. $(COLL_LINK)
	@rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_COLL)
	@{ git ls-files --cached --others --exclude-standard 2>/dev/null || find . -type f -not -path './.git/*'; } \
	  | while read -r f; do [ -e "$$f" ] && echo "$$f"; done \
	  | tar -cf - -T - | tar -xf - -C $(SANITY_COLL)

lint: venv layout
	$(call step,ruff check / ruff format --check / yamllint / ansible-lint --profile production)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/yamllint -s .
	@$(VENV)/bin/ansible-lint --nocolor -q

mypy: venv layout
	$(call step,mypy --strict plugins/module_utils plugins/plugin_utils)
	@cd $(BUILD)/collections && $(CURDIR)/$(PY) -m mypy --config-file $(CURDIR)/pyproject.toml \
	  ansible_collections/camguard/network/plugins/module_utils ansible_collections/camguard/network/plugins/plugin_utils

sanity: venv layout
	$(call step,ansible-test sanity (Python 3.11, ansible-core $$($(PY) -c 'import ansible;print(ansible.__version__)')))
	@$(PY) tools/ansible_test_offline.py >/dev/null
	@cd $(SANITY_COLL) && PATH=$(CURDIR)/$(VENV)/bin:$$PATH ansible-test sanity --python 3.11 --color no

# What a user installs: build the tarball, install it into an empty collections path, and run
# ansible-test sanity on the installed copy (no tests/ ships, so no ignore file may be needed).
TARBALL_ROOT := $(or $(TMPDIR),/tmp)/camguard-network-tarball-$(shell printf %s "$(CURDIR)" | md5sum | cut -c1-8)
sanity-tarball: venv layout
	$(call step,ansible-test sanity on the installed tarball (Python 3.11))
	@rm -rf $(TARBALL_ROOT) && mkdir -p $(TARBALL_ROOT)/dist $(TARBALL_ROOT)/collections
	@$(VENV)/bin/ansible-galaxy collection build --force --output-path $(TARBALL_ROOT)/dist . >/dev/null
	@$(VENV)/bin/ansible-galaxy collection install --offline --force -p $(TARBALL_ROOT)/collections $(TARBALL_ROOT)/dist/camguard-network-*.tar.gz >/dev/null
	@$(PY) tools/ansible_test_offline.py >/dev/null
	@cd $(TARBALL_ROOT)/collections/ansible_collections/camguard/network && \
	  PATH=$(CURDIR)/$(VENV)/bin:$$PATH ansible-test sanity --python 3.11 --color no

newest: layout
	@if [ -z "$(NEWEST_PY)" ]; then echo "newest: no Python 3.13 from pyenv here; skipping the newest ansible-core run"; exit 0; fi; \
	$(MAKE) --no-print-directory venv-newest; \
	printf '\n\033[1m==> ansible-test sanity + unit tests on the newest ansible-core (%s)\033[0m\n' "$$($(VENV_NEW)/bin/python -c 'import ansible;print(ansible.__version__)')"; \
	$(VENV_NEW)/bin/python tools/ansible_test_offline.py >/dev/null; \
	(cd $(SANITY_COLL) && PATH=$(CURDIR)/$(VENV_NEW)/bin:$$PATH ansible-test sanity --python 3.13 --color no); \
	$(VENV_NEW)/bin/python -m pytest -q -p no:cacheprovider -n 2 tests/unit $(PYTEST_ARGS)

units: venv layout
	$(call step,unit tests (pytest tests/unit))
	@$(PY) -m pytest -q -n 2 tests/unit $(PYTEST_ARGS)

integration: venv layout sysdeps
	$(call step,integration tests on the lab (pytest tests/integration))
	@if [ "$$(id -u)" -ne 0 ]; then echo "integration: needs root for network namespaces" >&2; exit 1; fi
	@$(PY) lab/labctl.py down --all-stale >/dev/null 2>&1 || true
	@$(PY) -m pytest -q tests/integration $(PYTEST_ARGS)

test: venv layout
	@$(MAKE) --no-print-directory sysdeps || { echo "make test: stopped: system packages missing (see above)" >&2; exit 1; }
	@$(MAKE) --no-print-directory lint      || { echo "make test: stopped at lint" >&2; exit 1; }
	@$(MAKE) --no-print-directory mypy      || { echo "make test: stopped at mypy" >&2; exit 1; }
	@$(MAKE) --no-print-directory sanity    || { echo "make test: stopped at ansible-test sanity (3.11)" >&2; exit 1; }
	@$(MAKE) --no-print-directory sanity-tarball || { echo "make test: stopped at ansible-test sanity of the installed tarball" >&2; exit 1; }
	@$(MAKE) --no-print-directory newest    || { echo "make test: stopped at the newest ansible-core run" >&2; exit 1; }
	@$(MAKE) --no-print-directory units     || { echo "make test: stopped at unit tests" >&2; exit 1; }
	@$(MAKE) --no-print-directory integration || { echo "make test: stopped at integration tests" >&2; exit 1; }

test-offline: venv layout
	@$(MAKE) --no-print-directory lint mypy sanity sanity-tarball newest units

build: layout
	$(call step,ansible-galaxy collection build)
	@mkdir -p $(BUILD)/dist && $(VENV)/bin/ansible-galaxy collection build --force --output-path $(BUILD)/dist .

lab-up: venv layout sysdeps
	@$(PY) lab/labctl.py up $(TOPOLOGY) $(if $(SCALE),--scale $(SCALE),)

lab-status: venv layout
	@$(PY) lab/labctl.py status

lab-down: venv layout
	@$(PY) lab/labctl.py down

fuzz-long: venv layout
	$(call step,fuzz every parser and MAC/interface normalisation, 10000 examples each)
	@CAMGUARD_FUZZ_EXAMPLES=10000 $(PY) -m pytest -q -p no:cacheprovider tests/unit/hardening/test_fuzz_all.py $(PYTEST_ARGS)

bench: venv layout
	@$(PY) benchmarks/run.py

demo: venv layout sysdeps
	@$(PY) tools/demo.py

clean:
	@$(PY) lab/labctl.py down >/dev/null 2>&1 || true
	rm -rf $(BUILD) .mypy_cache .ruff_cache .pytest_cache
