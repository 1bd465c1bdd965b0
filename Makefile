# dothi — the two commands:  `make demo`  and  `make test`.
#
# `make` (or `make install`) installs what is missing: PostgreSQL 15 + PostGIS 3 + pgRouting and GDAL
# with apt when running as root (otherwise it stops and prints the exact command), uv, and the
# virtual environment from uv.lock.  Running any target twice is fast and changes nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := install
MAKEFLAGS += --no-print-directory

PG_MAJOR     := 15
APT_PACKAGES := postgresql-$(PG_MAJOR) postgresql-$(PG_MAJOR)-postgis-3 postgresql-$(PG_MAJOR)-pgrouting gdal-bin \
                $(REPORT_APT)
# what WeasyPrint needs to print `dothi scenario report --format pdf` (Pango; a font with Vietnamese)
REPORT_APT   := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
# what the tests drive besides: headless Chromium (web map) and QGIS (planners' client)
TEST_APT     := chromium python3-qgis
WEB          := api_config/web
WEB_STAMP    := $(WEB)/node_modules/.package-lock.json
PG_BIN       := /usr/lib/postgresql/$(PG_MAJOR)/bin
PG_EXT       := /usr/share/postgresql/$(PG_MAJOR)/extension
TOOLS        := .data/tools
# A working uv on PATH, else one installed into .data/tools (pyenv shims may exist without uv).
UV           := $(shell if uv --version >/dev/null 2>&1; then command -v uv; else echo $(TOOLS)/bin/uv; fi)
VENV         := .venv
DOTHI        := $(VENV)/bin/dothi
STAMP        := $(VENV)/.dothi-installed

.PHONY: install sysdeps testdeps uv venv web db demo notebook test lint pytest bench bench-peers bench-tools test-fast clean distclean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: sysdeps venv web  ## install everything that is missing (system packages, uv, venv, web libs)

sysdeps:  ## PostgreSQL 15 + PostGIS 3 + pgRouting + GDAL, Pango for PDF reports (apt, when root)
	@missing=0; \
	for f in $(PG_BIN)/initdb $(PG_BIN)/pg_ctl $(PG_EXT)/postgis.control $(PG_EXT)/postgis_raster.control \
	         $(PG_EXT)/pgrouting.control /usr/bin/ogr2ogr /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; \
	do [ -e $$f ] || missing=1; done; \
	/sbin/ldconfig -p | grep libpangoft2-1.0.so.0 >/dev/null || missing=1; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Cài gói hệ thống / installing system packages: $(APT_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	  else \
	    echo "Thiếu PostgreSQL/PostGIS/pgRouting/GDAL. Missing system packages; run:"; \
	    echo "  sudo apt-get update && sudo apt-get install -y $(APT_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

testdeps:  ## Chromium and QGIS for the client tests (apt, when root)
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	/usr/bin/python3 -c 'import qgis.core' 2>/dev/null || missing="$$missing python3-qgis"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Cài gói cho kiểm thử / installing test packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing test packages; run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

web: $(WEB_STAMP)  ## the web map's JavaScript (OpenLayers) from the npm registry, served by dothi

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json $(WEB)/src/ol-map.js
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "npm is missing: sudo apt-get install -y nodejs npm"; exit 1; fi; }
	@echo "Cài thư viện bản đồ web / installing web map libraries (npm ci)"
	@cd $(WEB) && npm ci --silent --no-audit --no-fund && npm run --silent build
	@touch $@

$(TOOLS)/bin/uv:
	@echo "Cài uv / installing uv into $(TOOLS)"
	@python3 -m venv $(TOOLS) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv $(TOOLS); \
	  else echo "python3-venv is missing: sudo apt-get install -y python3-venv"; exit 1; fi; }
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

uv: $(UV)

venv: $(STAMP)

$(STAMP): pyproject.toml uv.lock | $(UV)
	@echo "Tạo môi trường Python / creating the virtual environment from uv.lock"
	@# compiled bytecode: with PYTHONDONTWRITEBYTECODE set (as on our machines) nothing else writes
	@# it, and every start would compile geopandas, pandas, pygeoapi… again (dothi --help 8 s → 4 s)
	@$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

db: install  ## start the embedded database (dothi db up)
	@$(DOTHI) db up

demo: install  ## the main job: database up, data loaded, indicators computed, API served
	@$(DOTHI) demo

notebook: install  ## JupyterLab on notebooks/ (adds the `notebooks` extra: JupyterLab, folium, mapclassify)
	@$(UV) sync --frozen --quiet --compile-bytecode --extra notebooks --inexact
	@$(VENV)/bin/jupyter lab notebooks/

lint: venv  ## ruff, mypy, import-linter contracts
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy
	@$(VENV)/bin/lint-imports --no-cache

pytest: install testdeps
	@$(VENV)/bin/pytest

test: install lint pytest  ## quality gates and the tests (real PostGIS, real HTTP)

test-fast: venv  ## while you work: the pure tier only (no database, no server); -m db|http|browser for the others
	@$(VENV)/bin/pytest -m pure -q

bench: install bench-peers bench-tools  ## benchmarks (slow; writes bench/RESULTS.md)
	@$(VENV)/bin/python -m bench

PEERS := bench/.venv-tipg
bench-peers: uv  ## the peers the API benchmark compares with (tipg, pinned in bench/peers/requirements.txt)
	@[ -x $(PEERS)/bin/python ] || $(UV) venv -q --python 3.12 $(PEERS)
	@VIRTUAL_ENV=$(PEERS) $(UV) pip sync -q bench/peers/requirements.txt

bench-tools:  ## wrk and pgbench for bench/bench_throughput.py (apt, when root; else says what to install)
	@if ! command -v wrk >/dev/null || ! command -v pgbench >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk postgresql-15 >/dev/null; \
	  else \
	    echo "Missing wrk or pgbench; run: sudo apt-get install -y wrk postgresql-15"; exit 1; \
	  fi; \
	fi

clean:  ## stop the database and remove generated files (keeps the database)
	-@[ -x $(DOTHI) ] && $(DOTHI) db down || true
	rm -rf .pytest_cache .mypy_cache .ruff_cache .data/api

distclean: clean  ## also delete the embedded database and the venv
	rm -rf .data $(VENV)
