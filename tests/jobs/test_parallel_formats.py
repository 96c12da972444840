"""One document built alone renders its formats at once, in forked children beside the process
that laid it out: the same bytes as rendered one after another, a child's error the caller's."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import DocgenError
from docgen.jobs import build
from docgen.jobs.build import build_files
from docgen.profile import load_profile
from docgen.source.loader import load_document
from support import ROOT

SOURCE = ROOT / "examples" / "file.yaml"  # 版头, seal, attachment pages, 版记
FORMATS = ("docx", "pdf", "html", "ofd")
needs_two_cores = pytest.mark.skipif(build.spare_cores() < 1, reason="one core: nothing to render beside")


def _build(folder: Path, in_parallel: bool) -> dict[str, bytes]:
    targets = {fmt: folder / f"file.{fmt}" for fmt in FORMATS}
    build_files(load_document(SOURCE), load_profile(), FORMATS, targets, None, origin=str(SOURCE),
                allow_unpublishable=True, in_parallel=in_parallel)  # fmt: skip
    return {fmt: target.read_bytes() for fmt, target in targets.items()}


def _renders_recorded(monkeypatch: pytest.MonkeyPatch, record: Path) -> None:
    """Each render writes its format and process id to ``record`` (children inherit the wrapper)."""
    original = build._render

    def recorded(fmt: str, *args: object) -> bytes:
        with record.open("a") as lines:
            lines.write(f"{fmt} {os.getpid()}\n")
        return original(fmt, *args)

    monkeypatch.setattr(build, "_render", recorded)


@needs_two_cores
def test_formats_rendered_at_once_are_the_bytes_rendered_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = _build(tmp_path / "serial", in_parallel=False)
    record = tmp_path / "renders"
    _renders_recorded(monkeypatch, record)
    at_once = _build(tmp_path / "parallel", in_parallel=True)
    assert at_once == one_by_one
    renders = dict(line.split() for line in record.read_text().splitlines())
    assert sorted(renders) == sorted(FORMATS)
    assert renders["pdf"] == str(os.getpid())  # the painted format stays where the fonts were opened
    elsewhere = {fmt for fmt, pid in renders.items() if pid != str(os.getpid())}
    assert len(elsewhere) == min(build.spare_cores(), len(FORMATS) - 1)


@needs_two_cores
def test_a_childs_error_is_the_callers_and_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = build._render

    def failing(fmt: str, *args: object) -> bytes:
        if fmt == "docx" and os.getpid() != parent:
            raise DocgenError("the DOCX could not be rendered")
        return original(fmt, *args)

    parent = os.getpid()
    monkeypatch.setattr(build, "_render", failing)
    with pytest.raises(DocgenError, match="the DOCX could not be rendered"):
        _build(tmp_path, in_parallel=True)
    assert list(tmp_path.iterdir()) == []


@needs_two_cores
def test_a_document_built_alone_renders_its_formats_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "renders"
    _renders_recorded(monkeypatch, record)
    result = CliRunner().invoke(main, ["build", str(SOURCE), "-o", str(tmp_path / "out"), "-f", "docx,pdf"])
    assert result.exit_code == 0, result.output
    pids = dict(line.split() for line in record.read_text().splitlines())
    assert pids["pdf"] == str(os.getpid()) != pids["docx"]


@needs_two_cores
def test_a_layout_that_fails_leaves_no_renderer_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The children are forked before the layout: one that fails ends them, and nothing is written."""

    def failing(*_: object, **__: object) -> None:
        assert multiprocessing.active_children(), "the renderers beside were started before the layout"
        raise DocgenError("the layout failed")

    monkeypatch.setattr(build, "lay_out_document", failing)
    with pytest.raises(DocgenError, match="the layout failed"):
        _build(tmp_path, in_parallel=True)
    assert multiprocessing.active_children() == [] and list(tmp_path.iterdir()) == []


def test_where_a_process_cannot_fork_the_formats_are_rendered_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    record = tmp_path / "renders"
    _renders_recorded(monkeypatch, record)
    assert build.spare_cores() == 0
    _build(tmp_path / "out", in_parallel=True)
    assert {pid for _, pid in (line.split() for line in record.read_text().splitlines())} == {str(os.getpid())}
