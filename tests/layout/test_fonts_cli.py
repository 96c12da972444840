"""Font resolution as a user meets it: `docgen fonts`, fallback faces, and no usable font."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.measure.pdf import read_pdf
from docgen.profile import DEFAULT_PROFILE
from support import SAMPLE_SOURCE

SOURCE = """title: 关于表彰朱镕基同志的通知
organ: 某某市人民政府
date: 2024-03-15
preamble:
  - {text}
"""


def visible(folder: Path) -> list[str]:
    """The files a user sees (docgen keeps its build stamps in .docgen/)."""
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def build(tmp_path: Path, text: str, *extra: str) -> tuple[int, str, Path]:
    source = tmp_path / "notice.yaml"
    source.write_text(SOURCE.format(text=text), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), *extra])
    return result.exit_code, result.output, out


def test_fonts_command_names_a_file_for_every_face() -> None:
    result = CliRunner().invoke(main, ["fonts"])
    assert result.exit_code == 0, result.output
    for face in ("xiaobiaosong", "fangsong", "heiti", "kaiti", "songti", "fallback"):
        assert face in result.output
    files = [line.split("→ ", 1)[1].split(" [", 1)[0] for line in result.output.splitlines() if "→ " in line]
    assert len(files) == 6 and all(Path(file).is_file() for file in files)


def test_a_character_the_body_face_lacks_is_drawn_by_the_fallback_face(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, "朱镕基同志长期担任领导职务。", "-f", "pdf")
    assert code == 0, output
    pages = read_pdf(out / "notice.pdf")
    chars = [char for page in pages for line in page.lines for char in line.chars]
    rong = [char for char in chars if char.text == "镕"]
    assert len(rong) == 2  # title and body
    assert all(char.font.startswith("UMingCN") for char in rong)
    assert "朱镕基同志长期担任领导职务。" in "".join(line.text for page in pages for line in page.lines)


def test_a_character_no_face_has_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, "表情😀不能打印。")
    assert code == 2
    assert "U+1F600" in output and "表情" in output
    assert "Traceback" not in output
    assert not out.exists() or not visible(out)


def test_no_usable_font_fails_with_install_advice(tmp_path: Path) -> None:
    profile = yaml.safe_load(DEFAULT_PROFILE.read_text(encoding="utf-8"))
    for face in profile["faces"].values():
        face["office"] = ["No Such Office Face"]
        face["free"] = ["No Such Free Face"]
    bad_profile = tmp_path / "bad.yaml"
    bad_profile.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SAMPLE_SOURCE), "-o", str(out), "--profile", str(bad_profile)])
    assert result.exit_code == 2
    assert "no font for the face" in result.output and "apt-get install" in result.output
    assert not out.exists()
    docx_only = CliRunner().invoke(
        main, ["build", str(SAMPLE_SOURCE), "-o", str(out), "-f", "docx", "--profile", str(bad_profile)]
    )
    assert docx_only.exit_code == 0, docx_only.output
    assert visible(out) == ["report.docx"]


def test_build_writes_both_formats_and_says_so(tmp_path: Path) -> None:
    code, output, out = build(tmp_path, "正文。")
    assert code == 0, output
    assert visible(out) == ["notice.docx", "notice.pdf"]
    assert f"wrote {out / 'notice.docx'}" in output and f"wrote {out / 'notice.pdf'}" in output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "docgen, version" in result.output


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    source = tmp_path / "notice.yaml"
    source.write_text(SOURCE.format(text="正文。"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(blocker / "sub"), "-f", "docx"])
    assert result.exit_code == 2 and "cannot write" in result.output and "Traceback" not in result.output


def test_the_truetype_copy_is_the_same_bytes_whenever_and_wherever_it_is_made(tmp_path: Path, monkeypatch) -> None:
    """The copy keeps the source's timestamps: fonts embedded from it, so the PDFs, are byte-identical
    across machines (a copy stamped with its conversion time differed in every subset)."""
    import time

    import pytest

    from docgen.layout.fonts import _FANDOL_DIRS, truetype_copy

    source = next(
        (folder / "FandolHei-Bold.otf" for folder in _FANDOL_DIRS if (folder / "FandolHei-Bold.otf").is_file()), None
    )
    if source is None:
        pytest.skip("the Fandol faces are not installed")
    copies = []
    for machine in ("one", "two"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / machine))
        copies.append(truetype_copy(source, "FandolHei-Bold").read_bytes())
        time.sleep(1.1)  # a second apart: a stamped conversion time would differ
    assert copies[0] == copies[1]
