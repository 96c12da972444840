"""Long documents build in every format: 5,000 paragraphs, past any cache of line decisions.

The DOCX once failed from 508 paragraphs on ("the layout lost a line"): it found each paragraph's
lines on the PDF's pages by identity, asking a cache bounded at 512 paragraphs a second time.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdfium2
import pytest
from click.testing import CliRunner

from docgen.cli import main

PARTS, PARAGRAPHS_PER_PART = 50, 100


def paragraph_text(part: int, number: int) -> str:
    return f"第{part}部分第{number}段文字，内容简短。"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    lines = ["title: 关于长文档的通知", "organ: 测试机关", "date: 2023-04-25", "sections:"]
    for part in range(1, PARTS + 1):
        lines += [f"  - heading: 第{part}部分要求", "    body:"]
        lines += [f"      - {paragraph_text(part, number)}" for number in range(1, PARAGRAPHS_PER_PART + 1)]
    source = folder / "long.yaml"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(folder), "-f", "docx,pdf,html"])
    assert result.exit_code == 0, result.output
    return folder


def expected_texts() -> list[str]:
    return [paragraph_text(part, n) for part in range(1, PARTS + 1) for n in range(1, PARAGRAPHS_PER_PART + 1)]


def test_docx_holds_every_paragraph_in_order(built: Path) -> None:
    texts = [paragraph.text for paragraph in docx.Document(str(built / "long.docx")).paragraphs]
    body = [text for text in texts if text.startswith("第") and "段文字" in text]
    assert body == expected_texts()
    headings = [text for text in texts if re.fullmatch(r"[一二三四五六七八九十]+、第\d+部分要求", text)]
    assert len(headings) == PARTS


def test_pdf_holds_every_paragraph_and_ends_with_the_signature(built: Path) -> None:
    pdf = pypdfium2.PdfDocument(str(built / "long.pdf"))
    # PDFium reads the gap set between 字 and digits as a space; the PDF's text has none
    text = re.sub(r"\s", "", "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf))))
    positions = [text.find(expected) for expected in expected_texts()]
    assert -1 not in positions
    assert positions == sorted(positions)
    # 5,050 lines and more on 22-line pages, the signature and date on the last
    assert len(pdf) >= (PARTS * (PARAGRAPHS_PER_PART + 1)) // 22
    last = re.sub(r"\s", "", pdf[len(pdf) - 1].get_textpage().get_text_range())
    assert "测试机关" in last and "2023年4月25日" in last


def test_html_holds_every_paragraph_in_order(built: Path) -> None:
    html = (built / "long.html").read_text(encoding="utf-8")
    positions = [html.find(expected) for expected in expected_texts()]
    assert -1 not in positions
    assert positions == sorted(positions)
