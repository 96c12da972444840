"""`build` composes and lays out each document once, whatever formats it writes: the renderers
take the laid-out document and never run a stage themselves."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen
from docgen.cli import main
from docgen.compose import document as compose_stage
from docgen.layout import engine
from docgen.layout.metrics import FontMetrics
from docgen.profile import load_profile
from docgen.source.loader import load_document
from support import ROOT


def _count_everywhere(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, calls: Path) -> None:
    """Wrap ``owner.name`` and every binding of it another docgen module imported by name (every
    module is imported first: one imported later would bind the wrapper and keep it). Each call is a
    line in the file ``calls``, so that a call in a child rendering a format in parallel counts too."""
    for module in pkgutil.walk_packages(docgen.__path__, "docgen."):
        importlib.import_module(module.name)
    original: Callable = getattr(owner, name)

    def counted(*args: object, **kwargs: object) -> object:
        with calls.open("a") as record:
            record.write(f"{name}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("docgen.") and getattr(module, name, None) is original:
            monkeypatch.setattr(module, name, counted)


@pytest.mark.parametrize("formats", ["docx,pdf,html", "docx", "pdf"])
def test_build_composes_and_lays_out_once_and_decides_each_paragraphs_lines_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: str
) -> None:
    source = ROOT / "examples" / "file.yaml"  # 版头, seal, attachment pages, 版记: every stage has work
    paragraphs = len(compose_stage.compose_paragraphs(load_document(source), load_profile()))
    calls = tmp_path / "calls"
    _count_everywhere(monkeypatch, compose_stage, "compose_paragraphs", calls)
    _count_everywhere(monkeypatch, engine, "lay_out", calls)
    _count_everywhere(monkeypatch, FontMetrics, "lines", calls)
    arguments = ["build", str(source), "-o", str(tmp_path), "-f", formats, "-j", "1", "--allow-unpublishable"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert sorted(path.suffix for path in tmp_path.glob("file.*")) == sorted(f".{fmt}" for fmt in formats.split(","))
    assert Counter(calls.read_text().split()) == Counter(compose_paragraphs=1, lay_out=1, lines=paragraphs)


def test_the_web_notice_alone_needs_no_fonts_and_no_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = tmp_path / "calls"
    _count_everywhere(monkeypatch, FontMetrics, "lines", calls)
    source = ROOT / "examples" / "file.yaml"
    arguments = ["build", str(source), "-o", str(tmp_path), "-f", "html", "-j", "1", "--allow-unpublishable"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "file.html").stat().st_size > 0 and not calls.exists()
