"""What a new user meets first: the minutes' head, the messages of build and progress, the
refusal to publish a classified web notice, and the first build's font preparation."""

from __future__ import annotations

import io
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner, Result
from docx import Document as read_docx

from docgen.cli import main
from docgen.loader import load_document
from docgen.measure import read_pdf, read_strokes
from docgen.profile import Profile
from docgen.render_docx import render_docx
from docgen.render_html import render_html
from docgen.render_pdf import render_pdf
from support import ROOT

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
    pdf.write_bytes(render_pdf(load_document(EXAMPLES / "minutes.yaml"), profile))
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
    pdf.write_bytes(render_pdf(load_document(_minutes_without_head(tmp_path)), profile))
    texts = [line.text for line in read_pdf(pdf)[0].lines]
    assert texts[0] == "济南市人民政府办公厅纪要"
    assert texts[1].startswith(ORGAN) and texts[1].endswith(DATE), texts


def test_minutes_docx_and_html_carry_the_organ_and_date_before_the_title(profile: Profile) -> None:
    document = load_document(EXAMPLES / "minutes.yaml")
    paragraphs = [p.text for p in read_docx(io.BytesIO(render_docx(document, profile))).paragraphs if p.text]
    title = paragraphs.index("市政府第15次常务会议纪要")
    assert any(ORGAN in text and DATE in text for text in paragraphs[:title]), paragraphs[:title]

    tree = html5lib.parse(render_html(document, profile), namespaceHTMLElements=False)
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
