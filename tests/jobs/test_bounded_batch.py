"""Batch rows, templates, output files and build stamps on any input: bounded work, located
errors, and outputs that two runs, a crash or a failed rename never leave mixed (#22)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image as PILImage
from PIL import ImageDraw

from docgen.cli import main
from docgen.errors import DocgenError, SourceError
from docgen.jobs.batch import read_rows
from docgen.source.template import render_template
from support import ROOT, bounded

HEAD = "title: 关于做好安全生产工作的通知\norgan: 某某市人民政府\ndate: 2024-03-15\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output and not isinstance(result.exception, AssertionError | MemoryError)
    return result.exit_code, result.output


def seal_png(path: Path, color: tuple[int, int, int]) -> bytes:
    picture = PILImage.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(picture).ellipse((2, 2, 197, 197), outline=(*color, 255), width=8)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def media(docx: Path) -> list[bytes]:
    with zipfile.ZipFile(docx) as package:
        return [package.read(name) for name in package.namelist() if name.startswith("word/media/")]


# ---------------------------------------------------------------- build stamps


def test_a_replaced_seal_rebuilds_the_document_and_the_new_seal_is_in_it(tmp_path: Path) -> None:
    old = seal_png(tmp_path / "seal.png", (220, 20, 20))
    source = tmp_path / "notice.yaml"
    source.write_text(HEAD + "seal: seal.png\npreamble: [正文。]\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ("build", str(source), "-o", str(out), "-f", "docx")
    assert run(*args)[0] == 0 and media(out / "notice.docx") == [old]
    assert "skipped" in run(*args)[1]
    new = seal_png(tmp_path / "seal.png", (20, 20, 220))
    code, output = run(*args)
    assert code == 0 and "wrote" in output, output
    assert media(out / "notice.docx") == [new]


def test_a_replaced_seal_rebuilds_the_rows_of_a_template(tmp_path: Path) -> None:
    seal_png(tmp_path / "seal.png", (220, 20, 20))
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + "seal: seal.png\npreamble: ['{{ text }}']\n", encoding="utf-8")
    rows = tmp_path / "rows.json"
    rows.write_text('[{"text": "第一段。"}, {"text": "第二段。"}]', encoding="utf-8")
    out = tmp_path / "out"
    args = ("batch", str(template), "--data", str(rows), "-o", str(out), "-f", "docx", "-j", "1")
    assert "2 built, 0 skipped" in run(*args)[1]
    assert "0 built, 2 skipped" in run(*args)[1]
    new = seal_png(tmp_path / "seal.png", (20, 20, 220))
    assert "2 built, 0 skipped" in run(*args)[1]
    assert media(out / "template-1.docx") == media(out / "template-2.docx") == [new]


# ---------------------------------------------------------------- output files


def batch_command(template: Path, rows: Path, out: Path, name: str) -> list[str]:
    return [sys.executable, "-m", "docgen.cli", "batch", str(template), "--data", str(rows), "--name", name,
            "-o", str(out), "-f", "html", "-j", "1"]  # fmt: skip


def test_two_runs_into_one_folder_build_everything_and_leave_a_users_tmp_file_alone(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + "preamble: ['{{ text }}']\n", encoding="utf-8")
    rows = tmp_path / "rows.yaml"
    rows.write_text(yaml.safe_dump([{"text": f"第{n}段。"} for n in range(40)], allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    notes = out / ".notes.tmp"
    notes.write_text("the user's own", encoding="utf-8")
    first = subprocess.Popen(batch_command(template, rows, out, "a-{row}"), stderr=subprocess.PIPE, text=True)
    while not list(out.glob("a-*.html")) and first.poll() is None:  # the second starts while the first writes
        time.sleep(0.01)
    second = subprocess.run(batch_command(template, rows, out, "b-{row}"), capture_output=True, text=True, timeout=120)
    first.wait(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, (first.stderr.read(), second.stderr)  # type: ignore
    assert len(list(out.glob("a-*.html"))) == len(list(out.glob("b-*.html"))) == 40
    assert notes.read_text(encoding="utf-8") == "the user's own"
    assert sorted(path.name for path in out.glob(".*.tmp")) == [".notes.tmp"]


def crashing_writer(folder: Path, crash: str) -> subprocess.Popen:
    """A process that writes a temporary into ``folder`` and then, instead of renaming it, ``crash``es."""
    code = (
        "import os, sys, time\nfrom pathlib import Path\nfrom docgen.files import atomic as output\n"
        f"os.replace = lambda *args: {crash}\n"
        f"output.write_atomically(Path({str(folder)!r}) / 'a.html', b'<html>')\n"
    )
    return subprocess.Popen([sys.executable, "-c", code])


def test_only_temporaries_of_ended_docgen_processes_are_cleaned_up(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    crashing_writer(out, "os._exit(9)").wait(timeout=30)
    dead = [path.name for path in out.glob(".a.html.*.tmp")]
    writing = crashing_writer(out, "time.sleep(60)")
    try:
        while len(list(out.glob(".a.html.*.tmp"))) < 2:
            time.sleep(0.01)
        live = [path.name for path in out.glob(".a.html.*.tmp") if path.name not in dead]
        source = tmp_path / "b.yaml"
        source.write_text(HEAD + "preamble: [正文。]\n", encoding="utf-8")
        assert run("build", str(source), "-o", str(out), "-f", "html")[0] == 0
        assert len(dead) == 1 and len(live) == 1
        assert [path.name for path in out.glob(".*.tmp")] == live
    finally:
        writing.send_signal(signal.SIGKILL)
        writing.wait()


def test_a_documents_formats_are_written_all_or_none(tmp_path: Path) -> None:
    """The HTML's rename fails after the DOCX's succeeded: the DOCX gets its older contents back."""
    source = tmp_path / "notice.yaml"
    out = tmp_path / "out"
    source.write_text(HEAD + "preamble: [第一版。]\n", encoding="utf-8")
    assert run("build", str(source), "-o", str(out), "-f", "docx,html")[0] == 0
    older = (out / "notice.docx").read_bytes()
    (out / "notice.html").unlink()
    (out / "notice.html").mkdir()  # a rename onto a folder fails
    (out / "notice.html" / "keep").write_text("x")
    source.write_text(HEAD + "preamble: [第二版。]\n", encoding="utf-8")
    code, output = run("build", str(source), "-o", str(out), "-f", "docx,html")
    assert code == 2 and f"cannot write {out / 'notice.html'}: Is a directory" in output
    assert (out / "notice.docx").read_bytes() == older
    assert not list(out.glob(".*.tmp"))


def test_an_output_name_is_checked_in_bytes_with_the_longest_file_docgen_makes_for_it(tmp_path: Path) -> None:
    """255 bytes is a file name's limit; the stamp's temporary is the longest name a document gets."""
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + "preamble: [正文。]\n", encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("name\n" + "通" * 100 + "\n" + "知" * 70 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("batch", str(template), "--data", str(rows), "--name", "{name}", "-o", str(out), "-f", "html")
    assert code == 2 and f"{rows} row 2: '{'通' * 100}': it is 300 bytes in UTF-8; file names allow 211" in output
    assert f"{rows} row 3" not in output and not out.exists()
    rows.write_text("name\n" + "知" * 70 + "\n", encoding="utf-8")
    code, output = run("batch", str(template), "--data", str(rows), "--name", "{name}", "-o", str(out), "-f", "html")
    assert code == 0, output
    assert (out / f"{'知' * 70}.html").is_file()


# ---------------------------------------------------------------- rows


def test_csv_records_are_split_by_the_csv_module_and_numbered_by_their_first_line(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text('text,phone\n"一段\u2028同一格",1\n"两行的\n一格",2\n\n末行,3\n', encoding="utf-8", newline="")
    assert read_rows(rows) == [
        (2, {"text": "一段\u2028同一格", "phone": "1"}),
        (3, {"text": "两行的\n一格", "phone": "2"}),
        (6, {"text": "末行", "phone": "3"}),
    ]


def test_a_yaml_alias_bomb_in_the_rows_is_refused_at_once(tmp_path: Path) -> None:
    rows = tmp_path / "rows.yaml"
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    rows.write_text("\n".join(bomb) + "\n", encoding="utf-8")
    assert len(rows.read_bytes()) < 600
    with pytest.raises(SourceError, match="anchors and aliases") as caught:
        bounded(lambda: read_rows(rows), seconds=1, megabytes=8)
    assert caught.value.location.path == rows and caught.value.location.line == 2


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_rows_nested_100000_deep_are_a_located_error(tmp_path: Path, suffix: str) -> None:
    rows = tmp_path / f"rows{suffix}"
    rows.write_text('[{"a": "1"},\n' + "[" * 100_000 + "]" * 100_000 + "]\n", encoding="utf-8")
    with pytest.raises(DocgenError, match="nested more than 64 levels deep") as caught:
        bounded(lambda: read_rows(rows), seconds=3, megabytes=64)
    assert str(caught.value).startswith(f"{rows}:2:")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("rows.csv", "text\n" + "字" * 200_000 + "\n"),
        ("rows.yaml", "- text: " + "字" * 200_000 + "\n"),
        ("rows.json", '[{"text": "' + "字" * 200_000 + '"}]'),
    ],
)
def test_a_200000_character_cell_is_a_located_error(tmp_path: Path, name: str, text: str) -> None:
    rows = tmp_path / name
    rows.write_text(text, encoding="utf-8")
    with pytest.raises(DocgenError, match="limited to 131,072 characters") as caught:
        bounded(lambda: read_rows(rows), seconds=2, megabytes=32)
    where = f"{rows}:2" if name.endswith(".csv") else f"{rows}:1:9" if name.endswith(".yaml") else f"{rows} row 1"
    assert str(caught.value).startswith(where), str(caught.value)


def test_rows_take_the_source_size_limit(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("text\n" + "正文。\n" * 120_000, encoding="utf-8")
    template = ROOT / "data" / "batch" / "template.yaml"
    code, output = run("batch", str(template), "--data", str(rows), "-o", str(tmp_path / "out"), "--max-source-mb", "1")
    assert code == 2, output
    assert (
        f"{rows}: the data is 1,200,005 bytes, more than the limit of 1,048,576 bytes (1 MB); set by --max-source-mb"
        in output
    )


@pytest.mark.parametrize(
    ("header", "pattern", "message"),
    [
        ("row,text", "{row}", "a field is named 'row', which --name keeps for the row number"),
        ("text", "{row.foo}", "'{row.foo}' is not a field"),
        ("district,text", "{district[x]}", "'{district[x]}' is not a field"),
        ("text", "{0}", "'{0}' is not a field"),
        ("text", "{row:>1000000000}", "the format '>1000000000' of {row} would make a name too long"),
        ("text", "{text:d}", "Unknown format code 'd'"),
    ],
)
def test_names_and_columns_that_cannot_make_a_name_are_clear_errors(
    tmp_path: Path, header: str, pattern: str, message: str
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"{header}\n" + ",".join(["东区"] * len(header.split(","))) + "\n", encoding="utf-8")
    template = ROOT / "data" / "batch" / "template.yaml"
    code, output = run("batch", str(template), "--data", str(rows), "--name", pattern, "-o", str(tmp_path / "out"))
    assert code == 2 and message in output, output


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop turns and calls"),
        ("{% for a in text %}{% for b in text %}{% endfor %}{% endfor %}", "loop turns and calls"),
        ("{{ '%*d' % (10**9, 1) }}", "a width taken from an argument ('%*')"),
        ("{{ '%1000000000d' % 1 }}", "the operator % would make about 1,000,000,013 characters"),
        ("{{ text.center(10**9) }}", "str.center() would make about 1,000,000,000 characters"),
        ("{{ text|center(10**9) }}", "the filter center would make about 1,000,000,000 characters"),
        ("{{ '{:>1000000000}'.format(1) }}", "str.format() would make about 1,000,000,015 characters"),
        ("{{ text * 10**9 }}", "the operator * would make about"),
        ("{{ 2 ** 1000000000 }}", "the operator ** would make about"),
        ("{{ text|replace('', text * 1000) }}", "the filter replace would make about"),
        ("{% for i in range(100000) %}" + "长" * 1000 + "{% endfor %}", "the limit for a source"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
         "a value of more than 1,000,000 characters"),
        ("{% macro m() %}{{ m() }}{{ m() }}{% endmacro %}{{ m() }}", "{% macro %} is not supported"),
        ("{{ range(10**30) }}", "range() of more than 100,000 numbers"),
        ("{{ 1 / 0 }}", "ZeroDivisionError: division by zero"),
    ],
)  # fmt: skip
def test_a_template_that_asks_for_unbounded_work_is_a_located_error(
    tmp_path: Path, expression: str, message: str
) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(HEAD + f'preamble:\n  - 正文。\n  - "{expression}"\n', encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        bounded(lambda: render_template(template, {"text": "字" * 1000}, "rows.csv row 2"), seconds=3, megabytes=64)
    assert str(caught.value).startswith(f"{template}:6:5: rows.csv row 2: template: "), str(caught.value)
    assert message in str(caught.value)


def test_the_bounded_sandbox_still_fills_what_templates_do(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    values = [
        "{{ district }}{% if teams|int > 2 %}有{{ teams }}个组{% endif %}。",
        "{% for i in range(3) %}{{ loop.index }}{% endfor %}{{ '%05d' % 42 }}{{ '{:>4}'.format('a') }}。",
        "{{ district|center(6)|trim }}{{ [district, teams]|join('、') }}{% set n = teams|int * 2 %}{{ n }}。",
    ]
    template.write_text(HEAD + "preamble:\n" + "".join(f'  - "{value}"\n' for value in values), encoding="utf-8")
    document = render_template(template, {"district": "东区", "teams": "3"}, "row 1")
    assert [paragraph.text for paragraph in document.preamble] == ["东区有3个组。", "12300042   a。", "东区东区、36。"]


def test_a_template_compiled_once_fills_every_row_with_its_own_values_and_budget(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    # 60,000 loop turns a row: two rows would be over one row's 100,000 if they shared a budget.
    loop = "{% for i in range(60000) %}{% endfor %}"
    template.write_text(HEAD + f'preamble:\n  - "{loop}{{{{ district }}}}。"\n', encoding="utf-8")
    texts = [render_template(template, {"district": name}, "row").preamble[0].text for name in "东西"]
    assert texts == ["东。", "西。"]
    failing = tmp_path / "failing.yaml"
    failing.write_text(HEAD + 'preamble:\n  - "{{ 1 / 0 }}"\n', encoding="utf-8")
    for row in ("row 1", "row 2"):  # an error is each row's, not only the first compiling one's
        with pytest.raises(SourceError, match=f"{row}: template: ZeroDivisionError"):
            render_template(failing, {}, row)


# ---------------------------------------------------------------- named pipes


def without_waiting(fifo: Path, call: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """``call()``, failing the test if it opened ``fifo`` and waited for a writer."""
    result: list[tuple[int, str]] = []
    thread = threading.Thread(target=lambda: result.append(call()))
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        fifo.open("wb").close()  # the writer it waits for: it goes on, and the test fails
        thread.join()
        pytest.fail(f"{fifo} was opened and read from")
    return result[0]


@pytest.mark.parametrize("command", ["build", "batch --data", "check", "import"])
def test_a_named_pipe_is_refused_not_waited_for(tmp_path: Path, command: str) -> None:
    suffix = {"build": ".yaml", "batch --data": ".csv", "check": ".pdf", "import": ".docx"}[command]
    fifo = tmp_path / f"input{suffix}"
    os.mkfifo(fifo)
    args = {
        "build": ["build", str(fifo), "-o", str(tmp_path / "out")],
        "batch --data": ["batch", str(ROOT / "data" / "batch" / "template.yaml"), "--data", str(fifo), "-o", "out"],
        "check": ["check", str(fifo), "--no-render"],
        "import": ["import", str(fifo), "-o", str(tmp_path / "out.yaml")],
    }[command]
    code, output = without_waiting(fifo, lambda: run(*args))
    assert code == 2 and "not a regular file" in output and "named pipe" in output, output
