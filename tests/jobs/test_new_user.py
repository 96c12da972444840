"""What a new user meets first: the minutes' head, the messages of build and progress, the
refusal to publish a classified web notice, and the first build's font preparation."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner, Result
from docx import Document as read_docx

from docgen.cli import main
from docgen.jobs.batch import Job, JobResult, summarise
from docgen.layout.fonts import ResolvedFace
from docgen.measure.pdf import read_pdf, read_strokes
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.html.writer import render_html
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import ROOT, laid_out

EXAMPLES = ROOT / "examples"
LEFT, RIGHT = 28.0, 184.0  # the text block's edges, mm
CHAR = 156 / 28  # one 字 of the body, mm
ORGAN, DATE = "济南市人民政府办公厅", "2023年6月20日"
MINUTES_WITHOUT_HEAD = """\
kind: 纪要
title: 防汛工作专题会议纪要
organ: 济南市人民政府办公厅
date: 2023-06-20
preamble:
- 会议研究了防汛工作。
"""


# ---------------------------------------------------------------- the minutes' head (10.3)


def _minutes_without_head(tmp_path: Path) -> Path:
    source = tmp_path / "meeting.yaml"
    source.write_text(MINUTES_WITHOUT_HEAD, encoding="utf-8")
    return source


def test_minutes_pdf_prints_the_organ_left_and_the_date_right_under_the_issue_number(
    tmp_path: Path, profile: Profile
) -> None:
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(render_pdf(laid_out(load_document(EXAMPLES / "minutes.yaml"), profile), profile))
    lines = read_pdf(pdf)[0].lines
    texts = [line.text for line in lines]
    issue = texts.index("第15期")
    head = lines[issue + 1]
    assert head.text.startswith(ORGAN) and head.text.endswith(DATE), texts
    assert head.x0_mm == pytest.approx(LEFT + CHAR, abs=0.5)  # 左空一字
    assert head.x1_mm == pytest.approx(RIGHT - CHAR, abs=0.5)  # 右空一字
    title = next(line for line in lines if line.text == "市政府第15次常务会议纪要")
    red = [stroke for stroke in read_strokes(pdf) if stroke.page == 1 and stroke.color == (1.0, 0.0, 0.0)]
    assert len(red) == 1 and head.baseline_mm < red[0].y_mm < title.baseline_mm  # the red line under the head


def test_minutes_without_a_header_still_show_mark_organ_and_date(tmp_path: Path, profile: Profile) -> None:
    pdf = tmp_path / "meeting.pdf"
    pdf.write_bytes(render_pdf(laid_out(load_document(_minutes_without_head(tmp_path)), profile), profile))
    texts = [line.text for line in read_pdf(pdf)[0].lines]
    assert texts[0] == "济南市人民政府办公厅纪要"
    assert texts[1].startswith(ORGAN) and texts[1].endswith(DATE), texts


def test_minutes_docx_and_html_carry_the_organ_and_date_before_the_title(profile: Profile) -> None:
    document = load_document(EXAMPLES / "minutes.yaml")
    paragraphs = [
        p.text
        for p in read_docx(io.BytesIO(render_docx(laid_out(document, profile, fonts=False), profile))).paragraphs
        if p.text
    ]
    title = paragraphs.index("市政府第15次常务会议纪要")
    assert any(ORGAN in text and DATE in text for text in paragraphs[:title]), paragraphs[:title]

    tree = html5lib.parse(render_html(laid_out(document, profile, fonts=False), profile), namespaceHTMLElements=False)
    article = tree.find(".//article")
    texts = ["".join(element.itertext()) for element in article]
    title = texts.index("市政府第15次常务会议纪要")
    assert texts.index("第15期") < next(i for i, text in enumerate(texts) if ORGAN in text and DATE in text) < title


# ---------------------------------------------------------------- progress --as-of after the ledger's as_of

LEDGER = ROOT / "data" / "ledger.yaml"


def test_as_of_after_the_ledger_says_to_bring_it_forward_or_use_the_later_ledger(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["progress", str(LEDGER), "--as-of", "2023-06-30", "-o", str(out)])
    assert result.exit_code == 2
    line = LEDGER.read_text(encoding="utf-8").split("\n").index("as_of: 2023-04-25") + 1
    assert f"{LEDGER}:{line}:8:" in result.stderr
    assert "Bring it forward" in result.stderr and "set 'as_of' to 2023-06-30 or later" in result.stderr
    assert f"{LEDGER.parent / 'ledger-2023-10.yaml'} (kept up to 2023-10-31)" in result.stderr
    assert not out.exists()


def test_as_of_advice_names_only_ledgers_that_reach_the_day(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    ledger.write_bytes(LEDGER.read_bytes())
    (tmp_path / "ledger-broken.yaml").write_text("as_of: [", encoding="utf-8")
    result = CliRunner().invoke(main, ["progress", str(ledger), "--as-of", "2024-01-01", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and "Bring it forward" in result.stderr
    assert "or use" not in result.stderr and "ledger-broken" not in result.stderr


# ---------------------------------------------------------------- the web notice is for publication

NOTICE = """\
title: 关于做好防汛工作的通知
organ: 济南市人民政府
date: 2023-06-20
preamble:
- 各级各部门要做好防汛工作。
"""


def _build(*arguments: str | Path) -> Result:
    return CliRunner().invoke(main, [str(argument) for argument in arguments])


@pytest.mark.parametrize(
    ("addition", "reason"),
    [
        ("header:\n  secrecy: 秘密★1年\n", "秘密★1年 (header.secrecy)"),
        ("header:\n  secrecy: 绝密\n", "绝密 (header.secrecy)"),
        ("note: 此件不公开\n", "（此件不公开）"),
        ("note: 此件不予公开\n", "（此件不予公开）"),
        ("note: 内部发行\n", "（内部发行）"),
    ],
)
def test_html_of_a_document_not_for_publication_is_refused(tmp_path: Path, addition: str, reason: str) -> None:
    source = tmp_path / "secret.yaml"
    source.write_text(NOTICE + addition, encoding="utf-8")
    out = tmp_path / "out"
    result = _build("build", source, "-f", "docx,html", "-o", out)
    assert result.exit_code == 2, result.output
    assert f"{source}: not building the web notice" in result.stderr and reason in result.stderr
    assert "--allow-unpublishable" in result.stderr and "-f docx,pdf" in result.stderr
    assert not list(out.glob("secret.*"))  # the DOCX neither: all formats or none

    allowed = _build("build", source, "-f", "html", "-o", out, "--allow-unpublishable")
    assert allowed.exit_code == 0, allowed.output
    assert "关于做好防汛工作的通知" in (out / "secret.html").read_text(encoding="utf-8")


def test_a_web_notice_built_when_allowed_is_refused_when_no_longer_allowed(tmp_path: Path) -> None:
    """The stamp of a build with --allow-unpublishable doesn't let a later build without it skip the refusal."""
    source = tmp_path / "secret.yaml"
    source.write_text(NOTICE + "header:\n  secrecy: 机密\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _build("build", source, "-f", "html", "-o", out, "--allow-unpublishable").exit_code == 0
    again = _build("build", source, "-f", "html", "-o", out)
    assert again.exit_code == 2 and "机密 (header.secrecy)" in again.stderr


def test_a_public_notice_and_a_note_that_allows_publication_build_their_html(tmp_path: Path) -> None:
    source = tmp_path / "public.yaml"
    source.write_text(NOTICE + "note: 此件公开发布\n", encoding="utf-8")
    result = _build("build", source, "-f", "html", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "public.html").is_file()


def test_batch_refuses_each_row_of_a_classified_template_and_allows_it_on_request(tmp_path: Path) -> None:
    template = tmp_path / "notice.yaml"
    template.write_text(
        NOTICE.replace("organ: 济南市人民政府", 'organ: "{{ organ }}"') + "header:\n  secrecy: 秘密\n", encoding="utf-8"
    )
    rows = tmp_path / "rows.csv"
    rows.write_text("organ\n历下区人民政府\n市中区人民政府\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _build("batch", template, "--data", rows, "-f", "html", "-o", out, "-j", "1")
    assert result.exit_code == 1
    assert result.stderr.count("not building the web notice") == 2 and f"{rows} row 2:" in result.stderr
    assert not list(out.glob("*.html"))
    allowed = _build("batch", template, "--data", rows, "-f", "html", "-o", out, "-j", "1", "--allow-unpublishable")
    assert allowed.exit_code == 0 and len(list(out.glob("*.html"))) == 2


def test_progress_refuses_the_web_notice_of_a_report_noted_not_for_publication(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    text = LEDGER.read_text(encoding="utf-8")
    ledger.write_text(text.replace("\nreport:\n", "\nreport:\n  note: 此件不公开\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = _build("progress", ledger, "-f", "html", "-o", out)
    assert result.exit_code == 2 and f"{ledger}: not building the web notice" in result.stderr
    assert not out.exists()  # not the update's source either
    allowed = _build("progress", ledger, "-f", "html", "-o", out, "--allow-unpublishable")
    assert allowed.exit_code == 0, allowed.output
    assert len(list(out.glob("*.html"))) == 1


# ---------------------------------------------------------------- the first build: fonts, and the pace


@pytest.fixture
def empty_font_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, faces: dict[str, ResolvedFace]) -> Path:
    """A user's first build: no cache folder yet. The TrueType copies are made for real (seconds:
    each glyph is converted when a document first draws it, layout/truetype.py)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if not any("converted to TrueType" in face.reason for face in faces.values()):
        pytest.skip("this machine has every face as TrueType: nothing is converted")
    return tmp_path / "cache" / "docgen" / "fonts"


def test_the_first_build_says_once_that_it_prepares_the_fonts(empty_font_cache: Path, tmp_path: Path) -> None:
    arguments = ["build", str(EXAMPLES / "order.yaml"), "-f", "pdf", "-o", str(tmp_path / "out")]
    first = CliRunner().invoke(main, arguments)
    assert first.exit_code == 0, first.output
    preparing = [line for line in first.stderr.splitlines() if "preparing fonts" in line]
    assert len(preparing) == 1, first.stderr
    assert "once" in preparing[0] and str(empty_font_cache) in preparing[0] and "Fandol" in preparing[0]
    assert list(empty_font_cache.glob("*.ttf"))
    again = CliRunner().invoke(main, [*arguments, "--force"])
    assert again.exit_code == 0 and "preparing fonts" not in again.stderr


def test_parallel_workers_dont_each_prepare_the_fonts(empty_font_cache: Path, tmp_path: Path) -> None:
    sources = [EXAMPLES / "order.yaml", EXAMPLES / "minutes.yaml"]
    result = CliRunner().invoke(main, ["build", *map(str, sources), "-f", "pdf", "-j", "2", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("preparing fonts") == 1


def _results(built: int, skipped: int = 0) -> list[JobResult]:
    job = Job("n", "n.yaml", Path("n.yaml"), Path("out"), ("pdf",), Path("profile.yaml"))
    return [JobResult(job, "built")] * built + [JobResult(job, "skipped")] * skipped


@pytest.mark.parametrize(
    ("built", "seconds", "pace"),
    [
        (1, 61.23, "in 61.2 s (61.2 s a document)"),  # the first build: it said 0.0 documents/s
        (1, 0.04, "in 0.0 s (40 ms a document)"),
        (3, 30.0, "in 30.0 s (10.0 s a document)"),
        (200, 50.0, "in 50.0 s (4.0 documents/s)"),
    ],
)
def test_the_summary_gives_a_pace_that_never_reads_zero(built: int, seconds: float, pace: str) -> None:
    line = next(summarise(_results(built), seconds))
    assert line == f"{built} built, 0 skipped (unchanged), 0 failed {pace}"


def test_a_run_that_built_nothing_gives_no_pace() -> None:
    assert next(summarise(_results(0, skipped=3), 0.5)) == "0 built, 3 skipped (unchanged), 0 failed in 0.5 s"


# ---------------------------------------------------------------- a Word file or a PDF given to build


def _word_file(path: Path) -> Path:
    document = read_docx()
    document.add_paragraph("关于做好防汛工作的通知")
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("name", "make", "advice"),
    [
        ("notice.docx", _word_file, "run `docgen import {folder}/notice.docx -o {folder}/notice.yaml` first"),
        ("notice.yaml", _word_file, "rename it to {folder}/notice.docx, then run `docgen import"),
        (
            "notice.pdf",
            lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"),
            "docgen import {folder}/notice.txt",
        ),
        ("notice.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)), "save it as"),
        ("notice.yaml", lambda p: p.write_bytes("title: 通知\n".encode("utf-16")), "UTF-16 text; save it as UTF-8"),
        ("seal.yaml", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "a binary file, not a source"),
    ],
)
def test_a_file_that_is_no_source_is_named_for_what_it_is(
    tmp_path: Path, name: str, make: Callable[[Path], object], advice: str
) -> None:
    path = tmp_path / name
    make(path)
    out = tmp_path / "out"
    result = _build("build", path, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"{path}:1:1: this is" in result.stderr and advice.format(folder=tmp_path) in result.stderr
    assert "not UTF-8" not in result.stderr and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_the_import_it_advises_makes_a_source_that_builds(tmp_path: Path) -> None:
    """The advice is a command that works: a Word notice imported, then built."""
    word = tmp_path / "notice.docx"
    document = read_docx()
    for text in (
        "关于做好防汛工作的通知",
        "各区县人民政府：",
        "现将有关事项通知如下。",
        "济南市人民政府",
        "2023年6月20日",
    ):
        document.add_paragraph(text)
    document.save(str(word))
    refused = _build("build", word, "-f", "html", "-o", tmp_path / "out")
    command = refused.stderr.split("run `", 1)[1].split("`", 1)[0].split()
    assert command[:2] == ["docgen", "import"]
    assert _build(*command[1:]).exit_code == 0
    built = _build("build", tmp_path / "notice.yaml", "-f", "html", "-o", tmp_path / "out")
    assert built.exit_code == 0, built.output


def test_a_failure_names_its_source_once_in_the_summary(tmp_path: Path) -> None:
    sources = []
    for name in ("one", "two"):
        sources.append(tmp_path / f"{name}.yaml")
        sources[-1].write_text(NOTICE + "header:\n  secrecy: 秘密\n", encoding="utf-8")
    result = _build("build", *sources, "-f", "html", "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code == 1
    assert f"FAILED {sources[0]}: not building the web notice" in result.stderr
    assert f"{sources[0]}: {sources[0]}:" not in result.stderr
