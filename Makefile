# 상담 코파일럿 — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
SAMPLES ?= etl/samples/manuals
PYTEST_ARGS ?=

.PHONY: demo test ingest serve bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project definition changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

## demo: install, index the bundled sample manuals, start the dashboard on http://localhost:$(PORT)
demo: ingest serve

ingest: $(VENV)/.installed
	$(BIN)/sangdam ingest $(SAMPLES)

serve: $(VENV)/.installed
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## test: install the test extras and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: the retrieval/ingest/latency benchmarks (minutes; not part of `make test`)
bench: $(VENV)/.installed-test
	$(BIN)/python tests/benchmarks/bench_ingest.py
	$(BIN)/python tests/benchmarks/bench_search.py
	$(BIN)/python tests/benchmarks/bench_korquad.py

clean:
	rm -rf $(VENV) var .pytest_cache
