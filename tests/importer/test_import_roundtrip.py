"""Every example's DOCX, and the sample's, re-imports to a source that builds to the same text: the
版头 read back into its place (份号, 密级, 紧急程度, the mark and the format it shows, 发文字号, 签发人),
not taken for the title. Seals are pictures and do not come back, nor do tables as tables."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from docgen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "examples").glob("*.yaml")), ROOT / "data" / "report.yaml"]


def body_text(path: Path) -> str:
    """All the text of a DOCX's body in document order, tables' cells too, without white space."""
    body = docx.Document(str(path)).element.body
    return re.sub(r"\s", "", "".join(text.text or "" for text in body.iter(qn("w:t"))))


def run(*arguments: str) -> None:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("roundtrip")
    run("build", *map(str, SOURCES), "-o", str(folder / "first"), "-f", "docx")
    for source in SOURCES:
        run("import", str(folder / "first" / f"{source.stem}.docx"), "-o", str(folder / f"{source.stem}.yaml"))
    run(
        "build", *(str(folder / f"{source.stem}.yaml") for source in SOURCES), "-o", str(folder / "again"), "-f", "docx"
    )
    return folder


@pytest.mark.parametrize("source", SOURCES, ids=[source.stem for source in SOURCES])
def test_a_built_docx_reimports_to_the_same_text(built: Path, source: Path) -> None:
    assert body_text(built / "again" / f"{source.stem}.docx") == body_text(built / "first" / f"{source.stem}.docx")


@pytest.mark.parametrize("source", SOURCES, ids=[source.stem for source in SOURCES])
def test_the_head_comes_back_into_its_place(built: Path, source: Path) -> None:
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    imported = yaml.safe_load((built / f"{source.stem}.yaml").read_text(encoding="utf-8"))
    assert imported.get("kind", "文件") == original.get("kind", "文件")
    for key in ("copy_number", "secrecy", "urgency", "number", "signers"):
        assert (imported.get("header") or {}).get(key) == (original.get("header") or {}).get(key), key
    if original.get("kind") != "命令":  # an order prints no title (10.2)
        assert "".join(imported["title"]) == "".join(original["title"])
