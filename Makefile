# The two commands of the README: `make sample` and `make test`. Each installs what it needs.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: sample test fuzz catalogs clean

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

CLICK_DIR = $(shell $(BIN)/python -c "import click, os; print(os.path.dirname(click.__file__))")

# The zh_CN catalog: docgen's (and click's) messages extracted, merged into the .po, compiled to the .mo.
catalogs: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:1,2 --no-location --sort-output --project docgen -o build/docgen.pot src/docgen $(CLICK_DIR)
	$(BIN)/pybabel -q update -i build/docgen.pot -d src/docgen/locale -D docgen -l zh_CN --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d src/docgen/locale -D docgen

clean:
	rm -rf out $(VENV)
