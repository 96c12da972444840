"""`docgen serve`'s page in a real headless Chromium, driven as a clerk drives it: the sample notice's text
pasted into 导入 and adopted (29 pages, every image loaded), its DOCX and PDF downloaded through the buttons
and measured, a bad date marked at its line, key completion from the schema, a ledger uploaded in 整改进展
with the update's DOCX downloaded, and a 红头文件 naming a seal that is uploaded in 印章图片 and then sealed
in the PDF. Each state is saved in out/serve-screenshots/ to be looked at."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as read_docx
from pypdf import PdfReader

from serving import Server, start_server
from support import CHROMEDRIVER, CHROMIUM, FLAGS, ROOT, SAMPLE_TEXT

SCREENSHOTS = ROOT / "out" / "serve-screenshots"
TITLE = "中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"
EXAMPLES = ROOT / "examples"
SEALED = EXAMPLES / "file.yaml"  # a 红头文件 sealed with seal-city.png, beside it
WAIT_SECONDS = 60

# What the tests read of the page (selectors as documented at the top of index.html)
SHOWN = "const e = document.querySelector(arguments[0]); return !!e && !e.closest('[hidden]');"
CARET_LINE = (
    "const t = document.querySelector('#editor'); return t.value.slice(0, t.selectionStart).split('\\n').length;"
)
ERROR_LINES = "return [...document.querySelectorAll('#gutter .ln.error')].map(l => Number(l.dataset.line));"
IMPORT_LINES = """return [...document.querySelectorAll('.import-line')].map(row => [Number(row.dataset.line),
    row.querySelector('.line-text').textContent,
    [...row.querySelectorAll('.entry')].map(e => [e.classList.contains('unsure'), e.textContent])]);"""
GUESS_IN_VIEW = """const row = document.querySelector('.import-line.unsure'); const box = row.getBoundingClientRect();
    const whole = row.querySelector('.line-text.expanded');
    return box.top >= 0 && box.bottom <= innerHeight && whole && Number(row.dataset.line);"""
PAGE_BOXES = """return [...document.querySelectorAll('#preview .page')].map(page =>
    [Number(page.dataset.page), page.querySelector('img').getBoundingClientRect().toJSON()]);"""
PAGE_LOADED = """const page = document.querySelector(`.page[data-page='${arguments[0]}']`); page.scrollIntoView();
    const image = page.querySelector('img'); return image.complete && image.naturalWidth > 0;"""
COMPLETION_KEYS = "return [...document.querySelectorAll('#completion li')].map(o => o.dataset.key);"
PREVIEWS_SENT = "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/api/preview')).length;"
TYPE_SOURCE = (
    "const t = document.querySelector('#editor'); t.value = arguments[0]; t.dispatchEvent(new InputEvent('input'));"
)
DROP_FILE = """const [name, base64] = arguments; const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const files = new DataTransfer(); files.items.add(new File([bytes], name));
    document.querySelector('#preview').dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true}));"""
STATUS_CLASSES = "return [...document.querySelector('#status-message').classList];"
IMAGES_LISTED = """return [...document.querySelectorAll('#images-panel li.image')].map(item =>
    [item.dataset.name, item.querySelector('img.thumb').complete && item.querySelector('img.thumb').naturalWidth]);"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_server(tmp_path_factory.mktemp("serve"), "--workers", "2") as running:
        yield running


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("Chromium and chromedriver are needed: run `make test`, which installs them")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, "--window-size=1440,900", f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"]:
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def wait_for(condition: Callable[[], object], what: str, seconds: float = WAIT_SECONDS) -> object:
    """``condition()``'s first true value, polled; fails naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    pytest.fail(f"waited {seconds} s for {what}")


def js(browser: object, script: str, *arguments: object) -> object:
    return browser.execute_script(script, *arguments)


def shown(browser: object, selector: str) -> bool:
    return bool(js(browser, SHOWN, selector))


def text_of(browser: object, selector: str) -> str:
    return js(browser, "return document.querySelector(arguments[0]).textContent.trim();", selector)


def screenshot(browser: object, name: str) -> None:
    path = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 20_000


def open_page(browser: object, server: Server) -> None:
    """The page fresh, with nothing kept from an earlier visit."""
    browser.get(server.address + "/")
    js(browser, "localStorage.clear();")
    browser.refresh()
    wait_for(lambda: js(browser, "return document.querySelector('#new-kind').options.length > 1;"), "the kinds")


def previewed(browser: object) -> int:
    """The page count the status shows once the editor's source is previewed."""

    def count() -> int | None:
        if text_of(browser, "#status-busy"):
            return None
        found = re.fullmatch(r"共 (\d+) 页", text_of(browser, "#status-pages"))
        return int(found.group(1)) if found else None

    return wait_for(count, "「共 N 页」")


def editor_text(browser: object) -> str:
    return js(browser, "return document.querySelector('#editor').value;")


def download(browser: object, folder: Path, button: str, suffix: str) -> Path:
    before = set(folder.iterdir())
    browser.find_element("css selector", button).click()

    def arrived() -> Path | None:
        new = [path for path in set(folder.iterdir()) - before if path.suffix == suffix]
        return new[0] if new and new[0].stat().st_size > 0 else None

    return wait_for(arrived, f"the {suffix} download")


def caret_line(browser: object) -> int:
    return js(browser, CARET_LINE)


def select_in_editor(browser: object, start: int, end: int) -> object:
    editor = browser.find_element("css selector", "#editor")
    js(browser, "arguments[0].focus(); arguments[0].setSelectionRange(arguments[1], arguments[2]);", editor, start, end)
    return editor


@pytest.fixture(scope="module")
def imported(browser: object, server: Server) -> str:
    """The sample notice's text pasted into 导入 and adopted: the source the editor then holds."""
    open_page(browser, server)
    screenshot(browser, "1-start")
    browser.find_element("css selector", "#import-open").click()
    assert shown(browser, "#import-dialog")
    js(browser, "document.querySelector('#import-text').value = arguments[0];", SAMPLE_TEXT.read_text(encoding="utf-8"))
    browser.find_element("css selector", "#import-submit").click()
    wait_for(lambda: shown(browser, "#import-panel"), "the import panel")
    screenshot(browser, "2-import-panel")
    return editor_text(browser)


def test_the_import_panel_shows_each_line_with_what_was_decided_on_it(browser: object, imported: str) -> None:
    by_number = {number: (text, entries) for number, text, entries in js(browser, IMPORT_LINES)}
    notice = SAMPLE_TEXT.read_text(encoding="utf-8").splitlines()
    assert by_number[3][0] == notice[2] == TITLE
    assert any("标题" in text for _unsure, text in by_number[3][1])
    guesses = [(number, text) for number, (_line, entries) in by_number.items() for unsure, text in entries if unsure]
    assert guesses and all(text.startswith("待核") for _number, text in guesses)
    count = len(js(browser, "return document.querySelectorAll('#import-panel .entry');"))
    assert text_of(browser, ".import-count") == f"{count} 处判断，其中 {len(guesses)} 处待核"
    browser.find_element("css selector", "#import-next-unsure").click()  # the first guess brought into view
    assert wait_for(lambda: js(browser, GUESS_IN_VIEW), "the first guess in view") == guesses[0][0]
    screenshot(browser, "2-import-guess")


def test_the_adopted_import_previews_as_29_pages_that_all_load(browser: object, imported: str) -> None:
    browser.find_element("css selector", "#import-accept").click()
    assert not shown(browser, "#import-panel")
    assert previewed(browser) == 29
    source = editor_text(browser)
    assert f"标题: {TITLE}" in source
    browser.refresh()  # the work is kept
    assert editor_text(browser) == source and previewed(browser) == 29
    boxes = js(browser, PAGE_BOXES)
    assert [number for number, _box in boxes] == list(range(1, 30))
    for _number, box in boxes:  # A4 boxes reserved before any image loads: the scroll won't jump
        assert box["height"] / box["width"] == pytest.approx(297 / 210, abs=0.01)
    for number in range(1, 30):  # each image loads as it is scrolled into view
        wait_for(lambda number=number: js(browser, PAGE_LOADED, number), f"page {number}'s image")
    js(browser, "document.querySelector('.preview-scroll').scrollTop = 0;")
    wait_for(lambda: "✓" in text_of(browser, "#status-grid"), "the grid's ✓")
    assert text_of(browser, "#status-grid") == "版心 22 行 × 28 字 ✓"
    screenshot(browser, "3-preview")


def test_the_downloads_are_the_documents(browser: object, imported: str, downloads: Path) -> None:
    assert previewed(browser) == 29
    pdf = download(browser, downloads, "#download-pdf", ".pdf")
    reader = PdfReader(pdf)
    assert len(reader.pages) == 29
    assert TITLE in "".join(reader.pages[0].extract_text().split())
    docx = download(browser, downloads, "#download-docx", ".docx")
    assert TITLE in "".join("".join(paragraph.text for paragraph in read_docx(str(docx)).paragraphs).split())
    assert pdf.stem == docx.stem == TITLE  # named after the document, not after the job


def test_a_bad_date_is_marked_at_its_line(browser: object, imported: str) -> None:
    source = editor_text(browser)
    start = source.index("成文日期: ") + len("成文日期: ")
    line = source[:start].count("\n") + 1
    select_in_editor(browser, start, start + len("2023-04-25")).send_keys("2024-02-30")
    wait_for(lambda: shown(browser, "#error-bar"), "the error bar")
    assert text_of(browser, "#error-bar").startswith(f"第 {line} 行：")
    assert "2024-02-30" in text_of(browser, "#error-bar")
    assert js(browser, ERROR_LINES) == [line]
    assert shown(browser, "#preview-note")  # the last good pages stay, said to be the last good ones
    screenshot(browser, "4-error")
    select_in_editor(browser, 0, 0)
    browser.find_element("css selector", "#error-bar").click()
    assert caret_line(browser) == line
    select_in_editor(browser, start, start + len("2024-02-30")).send_keys("2023-04-25")
    wait_for(lambda: not shown(browser, "#error-bar"), "the error bar to go")
    assert editor_text(browser) == source
    assert js(browser, ERROR_LINES) == []


def completion_keys(browser: object) -> list[str]:
    wait_for(lambda: shown(browser, "#completion"), "the key list")
    return js(browser, COMPLETION_KEYS)


def test_completion_offers_the_keys_of_the_place(browser: object, imported: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def ask() -> None:
        ActionChains(browser).key_down(Keys.CONTROL).send_keys(" ").key_up(Keys.CONTROL).perform()

    source = editor_text(browser)
    end_of_date = source.index("\n", source.index("成文日期: "))
    editor = select_in_editor(browser, end_of_date, end_of_date)
    editor.send_keys(Keys.ENTER)  # an empty line at the top level: the document's keys, in both languages
    ask()
    keys = completion_keys(browser)
    assert {"标题", "title", "主送机关", "addressees"} <= set(keys) and "小标题" not in keys
    assert keys.index("主送机关") < keys.index("addressees")  # the language the source is written in first
    screenshot(browser, "5-completion")
    editor.send_keys(Keys.ESCAPE)
    assert not shown(browser, "#completion")
    editor.send_keys("主")  # a key's first character at a key's place opens the list by itself
    assert completion_keys(browser) == ["主送机关"]
    editor.send_keys(Keys.ENTER)
    line = caret_line(browser)
    assert editor_text(browser).split("\n")[line - 1] == "主送机关: "
    section = editor_text(browser).index("\n", editor_text(browser).index("- 小标题: "))
    select_in_editor(browser, section, section).send_keys(Keys.ENTER)  # inside the first part of 正文
    ask()
    keys = completion_keys(browser)
    assert {"段落", "内容", "小标题"} <= set(keys) and "标题" not in keys
    editor.send_keys(Keys.ESCAPE)


def test_an_input_method_composing_is_left_alone_until_it_commits(browser: object, imported: str) -> None:
    """Pinyin being composed is no text yet: no preview is sent and no key list opens until 标 is chosen."""
    from selenium.webdriver.common.keys import Keys

    source = editor_text(browser)
    end_of_date = source.index("\n", source.index("成文日期: "))
    js(browser, "performance.clearResourceTimings();")  # the requests counted from here
    select_in_editor(browser, end_of_date, end_of_date).send_keys(Keys.ENTER)
    wait_for(lambda: js(browser, PREVIEWS_SENT) == 1, "the preview of the new line")
    js(browser, "performance.clearResourceTimings();")
    for typed in ("b", "bi", "bia", "biao"):
        browser.execute_cdp_cmd(
            "Input.imeSetComposition", {"text": typed, "selectionStart": len(typed), "selectionEnd": len(typed)}
        )
    time.sleep(1.2)  # past the pause that sends a preview
    assert js(browser, PREVIEWS_SENT) == 0 and not shown(browser, "#completion")
    browser.execute_cdp_cmd("Input.insertText", {"text": "标"})
    assert completion_keys(browser) == ["标题"]
    wait_for(lambda: js(browser, PREVIEWS_SENT) == 1, "the preview of the committed text")


def test_a_ledger_makes_an_update_to_download(browser: object, server: Server, downloads: Path) -> None:
    open_page(browser, server)
    browser.find_element("css selector", "#progress-open").click()
    browser.find_element("css selector", "#ledger-input").send_keys(str(ROOT / "data" / "ledger-2023-10.yaml"))
    browser.find_element("css selector", "#previous-input").send_keys(str(ROOT / "data" / "ledger.yaml"))
    browser.find_element("css selector", "#progress-submit").click()
    wait_for(lambda: shown(browser, "#progress-panel"), "the update's panel")
    summary = text_of(browser, ".progress-summary")
    assert "本期新完成6项" in summary
    diff = js(browser, "return [...document.querySelectorAll('.progress-diff li')].map(l => l.textContent);")
    assert diff[0] == "ledger.yaml（截至 2023-04-25） → ledger-2023-10.yaml（截至 2023-10-31）"
    assert "逾期" in text_of(browser, ".progress-warnings")
    assert previewed(browser) > 1
    assert "groups:" not in editor_text(browser) and "本期新完成6项" in editor_text(browser)
    screenshot(browser, "6-progress")
    docx = download(browser, downloads, "#download-docx", ".docx")
    assert summary in "".join(paragraph.text for paragraph in read_docx(str(docx)).paragraphs)


def preview_of_edit(browser: object, edit: Callable[[], object]) -> int:
    """``edit()`` done and the preview it sends answered: the page count shown, or 0 for an error."""
    js(browser, "performance.clearResourceTimings();")
    edit()
    wait_for(lambda: js(browser, PREVIEWS_SENT) >= 1, "the edit's preview")
    wait_for(lambda: not text_of(browser, "#status-busy"), "the preview's answer")
    return 0 if shown(browser, "#error-bar") else previewed(browser)


def sealed_page(pdf: Path) -> tuple[int, list[tuple[float, float, float, float]], list[tuple[float, float]]]:
    """``pdf``'s page count, and of its one page with images the images' boxes and where the organ's name
    stands on it."""
    with pdfplumber.open(pdf) as document:
        pictured = [page for page in document.pages if page.images]
        assert len(pictured) == 1, [page.page_number for page in pictured]
        boxes = [(image["x0"], image["top"], image["x1"], image["bottom"]) for image in pictured[0].images]
        organ = [((m["x0"] + m["x1"]) / 2, (m["top"] + m["bottom"]) / 2) for m in pictured[0].search("济南市人民政府")]
        return len(document.pages), boxes, organ


def test_an_image_the_server_no_longer_has_is_asked_for_again(browser: object, server: Server, tmp_path: Path) -> None:
    open_page(browser, server)
    kept = {"seal-city.png": "0" * 64}  # uploaded before the server restarted, say
    js(browser, "localStorage.setItem('docgen.source', arguments[0]);", SEALED.read_text(encoding="utf-8"))
    js(browser, "localStorage.setItem('docgen.images', JSON.stringify(arguments[0]));", kept)
    browser.refresh()
    wait_for(lambda: shown(browser, "#image-hint"), "the hint to upload the image again")
    assert text_of(browser, "#image-hint .image-hint-text") == "请重新上传印章图片：seal-city.png"
    assert js(browser, IMAGES_LISTED) == [] and js(browser, "return localStorage.getItem('docgen.images');") == "{}"
    posing = tmp_path / "seal-city.png"
    posing.write_text("这不是图片", encoding="utf-8")
    browser.find_element("css selector", "#image-hint .image-hint-open").click()
    browser.find_element("css selector", "#image-input").send_keys(str(posing))
    wait_for(lambda: shown(browser, "#images-panel .images-error"), "the upload's refusal")
    assert "seal-city.png" in text_of(browser, "#images-panel .images-error")  # the server's reason, naming it
    assert js(browser, IMAGES_LISTED) == []


def test_seal_images_uploaded_in_their_panel_seal_the_document(
    browser: object, server: Server, downloads: Path
) -> None:
    open_page(browser, server)
    source = SEALED.read_text(encoding="utf-8")
    seal_line = source[: source.index("seal: seal-city.png")].count("\n") + 1
    assert preview_of_edit(browser, lambda: js(browser, TYPE_SOURCE, source)) == 0
    assert "seal-city.png" in text_of(browser, "#error-bar") and js(browser, ERROR_LINES) == [seal_line]
    assert (
        text_of(browser, "#image-hint .image-hint-text") == "源文件用到印章图片 seal-city.png，请先在“印章图片”中上传"
    )
    assert shown(browser, "#preview-note")  # nothing to show yet, and why
    screenshot(browser, "7-seal-missing")
    browser.find_element("css selector", "#image-hint .image-hint-open").click()
    assert shown(browser, "#images-panel") and shown(browser, "#images-panel .images-empty")
    chosen = "\n".join(str(EXAMPLES / name) for name in ("seal-city.png", "seal-office.png"))  # two at once
    pages = preview_of_edit(browser, lambda: browser.find_element("css selector", "#image-input").send_keys(chosen))
    assert pages > 1 and not shown(browser, "#image-hint")
    listed = wait_for(
        lambda: (images := js(browser, IMAGES_LISTED)) and all(width for _name, width in images) and images,
        "the thumbnails",
    )
    assert [name for name, _width in listed] == ["seal-city.png", "seal-office.png"]
    assert text_of(browser, "#images-open") == "印章图片（2）"
    wait_for(lambda: js(browser, PAGE_LOADED, 2), "the sealed page's image")
    screenshot(browser, "7-seals")
    browser.refresh()  # the images are kept beside the source, and sent with its preview
    assert previewed(browser) == pages and not shown(browser, "#error-bar")
    assert [name for name, _width in js(browser, IMAGES_LISTED)] == ["seal-city.png", "seal-office.png"]

    count, seals, organ = sealed_page(download(browser, downloads, "#download-pdf", ".pdf"))
    assert count == pages and len(seals) == 1  # on the signature's page, the seal over the organ's name
    assert any(x0 < x < x1 and top < y < bottom for x0, top, x1, bottom in seals for x, y in organ)

    start = source.index("seal-city.png")
    browser.find_element("css selector", "#images-open").click()
    select_in_editor(browser, start, start + len("seal-city.png"))
    insert = "#images-panel li[data-name='seal-office.png'] .image-insert"
    assert preview_of_edit(browser, lambda: browser.find_element("css selector", insert).click()) == pages
    assert editor_text(browser).split("\n")[seal_line - 1] == "seal: seal-office.png"
    remove = "#images-panel li[data-name='seal-office.png'] .image-remove"
    assert preview_of_edit(browser, lambda: browser.find_element("css selector", remove).click()) == 0
    assert (
        text_of(browser, "#image-hint .image-hint-text") == "源文件用到印章图片 seal-office.png，请先在“印章图片”中上传"
    )
    assert [name for name, _width in js(browser, IMAGES_LISTED)] == ["seal-city.png"]
    dropped = base64.b64encode((EXAMPLES / "seal-office.png").read_bytes()).decode()
    assert preview_of_edit(browser, lambda: js(browser, DROP_FILE, "seal-office.png", dropped)) == pages  # on the page
    assert [name for name, _width in js(browser, IMAGES_LISTED)] == ["seal-city.png", "seal-office.png"]


def test_a_dropped_notice_that_cannot_be_read_says_so_and_the_message_stays(browser: object, server: Server) -> None:
    """Dropped on the page (no dialog open), the refusal goes to the status line, and is not cleared."""
    open_page(browser, server)
    damaged = base64.b64encode(b"PK\x03\x04 not a Word file").decode()
    js(browser, DROP_FILE, "通知.docx", damaged)
    wait_for(lambda: "error" in js(browser, STATUS_CLASSES), "the refusal in the status line")
    assert "通知.docx" in text_of(browser, "#status-message")
