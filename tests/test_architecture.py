"""The dependency contract: docgen's packages import one way, down the pipeline, and no module
imports itself through others. Every import counts, at the top of a file or inside a function.

source → model → compose → layout → render, with measure and check beside render (check reads
what measure reads, never what a writer writes); importer and ledger read sources; jobs run
the stages, and so does serve (the web page); cli is the only user of everything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "src" / "docgen"
BASE = {"docgen", "errors", "i18n", "roles", "units"}  # docgen's own __init__ holds only its version
# What each package may import besides itself and BASE.
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "limits": set(),
    "profile": {"limits"},
    "files": {"limits", "model"},
    "text": {"files"},  # jieba's dictionary cache
    "source": {"files", "limits", "model", "text"},
    "compose": {"model", "profile", "text"},
    "layout": {"compose", "files", "model", "profile", "text"},
    "render": {"compose", "files", "layout", "model", "profile", "text"},
    "measure": {"files", "limits", "profile", "text"},
    "check": {"files", "limits", "measure", "profile", "text", "layout.fonts"},  # fonts: LibreOffice's fontconfig
    "importer": {"files", "limits", "model", "source", "text"},
    "ledger": {"files", "limits", "model", "source", "text"},
}
ALLOWED["jobs"] = set(ALLOWED) | {"jobs"}
ALLOWED["serve"] = set(ALLOWED) | {"serve"}  # the web page runs the stages, as the command line does
ALLOWED["cli"] = set(ALLOWED)
Graph = dict[str, set[str]]


def import_graph(folder: Path = PACKAGE) -> Graph:
    """Each docgen module and the docgen modules it imports."""
    graph: Graph = {}
    for path in sorted(folder.rglob("*.py")):
        name = ".".join(("docgen", *path.relative_to(folder).with_suffix("").parts)).removesuffix(".__init__")
        graph[name] = set(_imports(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py"))
    return graph


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "docgen")
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            if base.split(".")[0] != "docgen":
                continue
            # `from docgen.x import y` imports docgen.x.y when y is a module, else docgen.x.
            yield from (f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base for alias in node.names)


def _is_module(name: str) -> bool:
    path = PACKAGE.joinpath(*name.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "docgen"


def violations(graph: Graph) -> list[str]:
    """Imports the contract forbids, as 'importer → imported (package → package)'."""
    found = []
    for module, targets in sorted(graph.items()):
        own = package_of(module)
        for target in sorted(targets):
            other = package_of(target)
            allowed = ALLOWED.get(own, set()) | BASE | {own}
            if other not in allowed and ".".join(target.split(".")[1:3]) not in allowed:
                found.append(f"{module} → {target} ({own} may not import {other})")
    return found


def cycles(graph: Graph) -> list[list[str]]:
    """Every cycle of modules found by a depth-first walk (each reported once, from where it closes)."""
    found, state = [], {}
    for start in sorted(graph):
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        if state.get(start):
            continue
        state[start] = "open"
        while stack:
            module, targets = stack[-1]
            target = next((t for t in targets if t in graph), None)
            if target is None:
                state[module] = "done"
                stack.pop()
                path.pop()
            elif state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif not state.get(target):
                state[target] = "open"
                stack.append((target, iter(sorted(graph[target]))))
                path.append(target)
    return found


def test_every_import_goes_down_the_pipeline() -> None:
    graph = import_graph()
    assert len(graph) > 60 and sum(map(len, graph.values())) > 200, "the walk found docgen's modules and imports"
    assert violations(graph) == []


def test_no_module_imports_itself_through_others() -> None:
    assert cycles(import_graph()) == []


def test_the_contract_fails_on_a_renderer_that_reads_the_source() -> None:
    """A deliberate violation, in the graph only: the PDF renderer importing the YAML reader."""
    graph = import_graph()
    graph["docgen.render.pdf.writer"] = graph["docgen.render.pdf.writer"] | {"docgen.source.loader"}
    graph["docgen.layout.engine"] = graph["docgen.layout.engine"] | {"docgen.render.pdf.writer"}
    graph["docgen.check.checker"] = graph["docgen.check.checker"] | {"docgen.render.docx.writer"}
    assert violations(graph) == [
        "docgen.check.checker → docgen.render.docx.writer (check may not import render)",
        "docgen.layout.engine → docgen.render.pdf.writer (layout may not import render)",
        "docgen.render.pdf.writer → docgen.source.loader (render may not import source)",
    ]


def test_the_contract_fails_on_a_cycle() -> None:
    graph = import_graph()
    graph["docgen.layout.lines"] = graph["docgen.layout.lines"] | {"docgen.layout.pagination"}
    assert ["docgen.layout.lines", "docgen.layout.pagination", "docgen.layout.lines"] in [
        cycle[-3:] for cycle in cycles(graph)
    ]


def test_relative_and_package_imports_are_resolved() -> None:
    assert set(_imports(ast.parse("from docgen import cli\nfrom . import lines"), "docgen.layout.x", False)) == {
        "docgen.cli",
        "docgen.layout.lines",
    }
