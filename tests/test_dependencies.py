"""What a command imports at run time is a main dependency, not a test extra: `pip install docgen`
alone must run `docgen check` (it once said "No module named 'pdfplumber'")."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Imported only behind an option that names its extra (--dask: pip install 'docgen[dask]').
OPTIONAL = {"distributed": "dask"}


def imported_modules(folder: Path) -> set[str]:
    """Top-level names of every module the package imports, at the top of a file or inside a function."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.partition(".")[0])
    return names


def requirement_name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_third_party_import_is_a_main_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    main = {requirement_name(requirement) for requirement in project["dependencies"]}
    extras = {name: {requirement_name(r) for r in reqs} for name, reqs in project["optional-dependencies"].items()}
    distributions = packages_distributions()
    third_party = imported_modules(ROOT / "src" / "docgen") - set(sys.stdlib_module_names) - {"docgen"}
    assert third_party, "no imports found: the walk is broken"
    missing = []
    for module in sorted(third_party):
        names = {name.lower().replace("_", "-") for name in distributions.get(module, [module])}
        wanted = extras[OPTIONAL[module]] if module in OPTIONAL else main
        if not names & wanted:
            missing.append(f"{module} (from {', '.join(sorted(names))})")
    assert not missing, f"imported by docgen but not in its dependencies: {missing}"
