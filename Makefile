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

# Mutation testing of the typesetting and text-rule core (#23), not part of `make test`: mutmut 3 changes
# text/{cjk,numbering,rules}, source/lint, files/atomic and layout/lines one mutant at a time in a fresh copy
# (mutants/) and runs the tests setup.cfg selects that reach the change (some 5 minutes on 2 cores). Each
# process's memory is capped: a mutant looping over a growing list fails there instead of filling the machine.
# The table counts timeouts as killed and "no tests" as survived; more than 10% survived in a module fails.
.PHONY: mutate
mutate: $(VENV)/.installed
	$(BIN)/pip install -q 'mutmut>=3.8,<4'
	rm -rf mutants
	ulimit -v 6000000 && $(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results
	$(BIN)/mutmut results --all true | awk -F': ' '{ m = $$1; sub(/^ +/, "", m); sub(/\.x.*/, "", m); \
		all[m]++; if ($$2 ~ /survived|no tests/) left[m]++ } \
		END { printf "%-22s %8s %7s %9s\n", "module", "mutants", "killed", "survived"; \
		for (m in all) { printf "%-22s %8d %7d %9d %5.1f%%\n", m, all[m], all[m] - left[m], left[m], 100 * left[m] / all[m]; \
		if (left[m] > all[m] / 10) over = 1 }; exit over }'

CLICK_DIR = $(shell $(BIN)/python -c "import click, os; print(os.path.dirname(click.__file__))")

# The zh_CN catalog: docgen's (and click's) messages extracted, merged into the .po, compiled to the .mo.
catalogs: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k _ -k N_ -k ngettext:1,2 --no-location --sort-output --project docgen -o build/docgen.pot src/docgen $(CLICK_DIR)
	$(BIN)/pybabel -q update -i build/docgen.pot -d src/docgen/locale -D docgen -l zh_CN --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d src/docgen/locale -D docgen

clean:
	rm -rf out $(VENV)
