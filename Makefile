# kaohe: `make demo` to try it, `make test` to check it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STATIC := src/kaohe/web/static/vendor
DB ?= sqlite:///kaohe-demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install assets lint serve bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@

install: $(VENV)/.installed assets

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# Front-end assets come from the npm registry through package-lock.json and are copied in here.
assets: node_modules/.package-lock.json
	mkdir -p $(STATIC)
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(STATIC)/echarts.min.js

demo: install
	rm -f kaohe-demo.db kaohe-demo.db-wal kaohe-demo.db-shm
	KAOHE_DATABASE_URL=$(DB) $(BIN)/kaohe init
	KAOHE_DATABASE_URL=$(DB) $(BIN)/kaohe demo
	KAOHE_DATABASE_URL=$(DB) $(BIN)/kaohe serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(STATIC) kaohe-demo.db*
