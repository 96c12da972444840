"""The web notice: real headless Chromium loads the HTML; its DOM and print are measured."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from docgen.layout.fonts import fontconfig_file
from docgen.render.html.writer import render_html
from docgen.source.loader import load_document
from support import CHROMEDRIVER, CHROMIUM, FLAGS, ROOT, Built, laid_out


@pytest.fixture(scope="module")
def html_file(sample: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_bytes(render_html(laid_out(sample.document, sample.profile, fonts=False), sample.profile))
    return path


@pytest.fixture(scope="module")
def browser(sample: Built, faces: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("Chromium and chromedriver are needed: run `make test`, which installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(sample.profile, faces))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, "--window-size=1200,1600", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_html_parses_without_errors(html_file: Path) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html_file.read_bytes())
    assert parser.errors == []


def test_no_scripts_and_no_external_requests(html_file: Path) -> None:
    text = html_file.read_text(encoding="utf-8").lower()
    assert "<script" not in text and "http://" not in text and "https://" not in text and "url(" not in text
    assert '<html lang="zh-cn">' in text


def test_dom_text_equals_the_docx_text(browser: object, html_file: Path, sample: Built, tmp_path: Path) -> None:
    browser.get(html_file.as_uri())
    article = browser.execute_script(
        "const a = document.querySelector('article').cloneNode(true);"
        "a.querySelectorAll('.portal').forEach(e => e.remove()); return a.textContent;"
    )
    docx_text = "".join(paragraph.text for paragraph in read_docx(str(sample.docx)).paragraphs)
    assert "".join(article.split()) == "".join(docx_text.split())
    browser.save_screenshot(str(tmp_path / "notice.png"))
    assert (tmp_path / "notice.png").stat().st_size > 10_000


def test_headings_are_semantic_and_numbered(browser: object, html_file: Path) -> None:
    browser.get(html_file.as_uri())
    headings = browser.execute_script(
        "return [...document.querySelectorAll('h1,h2,h3,h4')].map(h => [h.tagName, h.textContent]);"
    )
    assert headings[0] == ["H1", "中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"]
    assert [text for tag, text in headings if tag == "H2"] == [
        "一、整改工作基本情况", "二、省委巡视反馈意见整改落实情况", "三、今后整改工作打算"
    ]  # fmt: skip
    run_in = [text for tag, text in headings if tag == "H3" and text.endswith("。")]
    assert run_in[0] == "（一）全面提升巡视整改思想自觉。" and len(run_in) == 9


def test_signature_and_date_by_the_same_rule(browser: object, html_file: Path) -> None:
    """Date 2 characters in from the right; its first character 2 characters right of the signature's."""
    browser.get(html_file.as_uri())
    box = browser.execute_script(
        "const r = e => { const g = document.createRange(); g.selectNodeContents(e);"
        " return g.getBoundingClientRect(); };"
        "const a = document.querySelector('article');"
        "const s = a.querySelector('.signature'); const d = a.querySelector('.date');"
        "const pad = parseFloat(getComputedStyle(a).paddingRight);"
        "return {right: a.getBoundingClientRect().right - pad, sig: r(s).left, date: r(d).left, dateRight: r(d).right};"
    )
    char_px = 15.79 * 96 / 72
    assert box["right"] - box["dateRight"] == pytest.approx(2 * char_px, abs=2)
    assert box["date"] - box["sig"] == pytest.approx(2 * char_px, abs=3)


def test_print_gives_a4_pages(html_file: Path, tmp_path: Path, sample: Built, faces: dict) -> None:
    if not CHROMIUM:
        pytest.fail("Chromium is needed: run `make test`, which installs it")
    target = tmp_path / "printed.pdf"
    environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(sample.profile, faces))}
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={target}", html_file.as_uri()],
        check=True, capture_output=True, timeout=120, env=environment,
    )  # fmt: skip
    pages = PdfReader(target).pages
    assert len(pages) > 20
    for page in pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)


def test_source_text_is_escaped(tmp_path: Path, sample: Built) -> None:
    source = tmp_path / "hostile.yaml"
    source.write_text(
        "title: 关于<script>alert(1)</script>的通知\norgan: 某局\ndate: 2024-01-02\n"
        "preamble:\n  - 正文</p><p>注入 & 其他\n",
        encoding="utf-8",
    )
    html = render_html(laid_out(load_document(source), sample.profile, fonts=False), sample.profile).decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "正文&lt;/p&gt;&lt;p&gt;注入 &amp; 其他" in html
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    assert parser.errors == []


@pytest.mark.parametrize("name", ["file", "joint", "upward", "letter", "order", "minutes", "landscape"])
def test_every_element_of_the_examples_reaches_the_page_in_order(
    name: str, browser: object, sample: Built, tmp_path: Path
) -> None:
    """The 版头, tab-stop lines (签发人, 印发, sealed signatures), tables, 附件 and 版记 all come out,
    in the order of the document, as text a browser shows; the red mark stays red."""
    from docgen.compose.document import compose_paragraphs
    from docgen.compose.paragraphs import Label

    document = load_document(ROOT / "examples" / f"{name}.yaml")
    path = tmp_path / f"{name}.html"
    html = render_html(laid_out(document, sample.profile, fonts=False), sample.profile)
    path.write_bytes(html)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(html)
    assert parser.errors == []
    browser.get(path.as_uri())
    shown = "".join(browser.execute_script("return document.querySelector('article').innerText;").split())
    expected = []
    for para in compose_paragraphs(document, sample.profile):
        labels = [d.span.text for d in para.decorations if isinstance(d, Label) and d.span.text != "★"]
        # A joint mark's 文件 follows the names; a letter's mark stands above its first line.
        expected.extend([para.text, *labels] if para.kind == "mark" else [*labels, para.text])
    position = 0
    for text in filter(None, ("".join(t.split()) for t in expected)):
        found = shown.find(text, position)
        assert found >= 0, f"{name}: “{text[:20]}” missing or out of order"
        position = found + len(text)
    if document.header or document.kind.value == "信函":  # a document with an organ mark
        red = browser.execute_script("return getComputedStyle(document.querySelector('.mark')).color;")
        assert red == "rgb(255, 0, 0)"
