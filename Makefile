# The two commands: `make serve` (build and serve the example site) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: serve test install lint typecheck pytest browser goldens bench fuzz clean

$(BIN)/lemmata: pyproject.toml hatch_build.py lemmata/_vendor/pins.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/lemmata

## Build example/ and serve it on http://127.0.0.1:$(PORT) with live reload.
serve: install
	$(BIN)/lemmata serve example --port $(PORT)

## Install what the tests need (Chromium included), then run lint, types and the whole suite.
test: install browser
	$(BIN)/ruff check lemmata tests bench scripts
	$(BIN)/ruff format --check lemmata tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -n 2 --dist loadgroup -q

lint:
	$(BIN)/ruff check lemmata tests bench scripts
	$(BIN)/ruff format --check lemmata tests bench scripts

typecheck:
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -n 2 --dist loadgroup -q

browser:
	@scripts/ensure-chromium.sh

## Regenerate golden files (review the diff like code).
goldens: install
	$(BIN)/pytest tests/markup -q --update-goldens

bench: install
	$(BIN)/python bench/render.py

## Long fuzz run (not part of `make test`).
fuzz: install
	LEMMATA_FUZZ_EXAMPLES=100000 $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

clean:
	rm -rf $(VENV) example/public example/.public.* example/.lemmata .pytest_cache .mypy_cache .ruff_cache test-artifacts
