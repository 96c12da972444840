# The two commands of the README: `make sample` and `make test`. Each installs what it needs.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: sample test fuzz clean

sample: $(VENV)/.installed
	scripts/install-system-deps.sh fonts
	$(BIN)/docgen build data/report.yaml -o out

test: $(VENV)/.installed
	scripts/install-system-deps.sh test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -q

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

fuzz: $(VENV)/.installed
	DOCGEN_FUZZ_EXAMPLES=$${EXAMPLES:-1000} $(BIN)/python -m pytest -q tests/render/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf out $(VENV)
