"""`docgen serve` over real HTTP: a server started as a user starts it, answered as the page asks it, and
measured as the other tests measure docgen's files. The refusals of #21: no token on a non-local bind, a
100 MB upload, a zip bomb posing as a .docx, a path as a file name, a foreign page's request, each refused
with a message, and the server still serving after all of them."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pdfplumber
import pypdf
import pytest
import yaml
from docx import Document as WordDocument

from docgen.limits import MiB
from serving import Server, start_server
from support import ROOT

SAMPLE = (ROOT / "data" / "report.yaml").read_text(encoding="utf-8")
SAMPLE_TITLE = "中共济南市委关于十二届省委第一轮巡视集中整改进展情况的通报"
SEAL = ROOT / "examples" / "seal-city.png"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    with start_server(tmp_path_factory.mktemp("serve"), "--workers", "2", "--max-upload-mb", "30") as running:
        yield running


@pytest.fixture(scope="module")
def sample_job(server: Server) -> dict:
    status, answer = server.json("POST", "/api/preview", {"source": SAMPLE, "syntax": "yaml"})
    assert status == 200, answer
    return answer


def test_the_sample_previews_as_its_29_pages(server: Server, sample_job: dict) -> None:
    assert sample_job["pages"] == 29
    assert sample_job["title"] == SAMPLE_TITLE
    assert sample_job["web_notice"] is None
    status, headers, png = server.get(f"/api/jobs/{sample_job['job']}/pages/29.png?width=640")
    assert status == 200 and headers["content-type"] == "image/png"
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.width == 600  # rounded to the nearest 100 px, so a pane's widths make few images
    assert abs(image.height / image.width - 297 / 210) < 0.01  # A4
    assert image.convert("L").getextrema()[0] < 64  # there is ink on the last page (the signature)


def test_the_downloads_are_the_documents_docgen_build_writes(server: Server, sample_job: dict) -> None:
    job = sample_job["job"]
    status, headers, pdf = server.get(f"/api/jobs/{job}/files/pdf")
    assert status == 200 and "attachment" in headers["content-disposition"]
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 29
    assert "整改进展情况的通报" in reader.pages[0].extract_text().replace("\n", "")
    status, _headers, docx = server.get(f"/api/jobs/{job}/files/docx")
    assert status == 200
    paragraphs = [p.text for p in WordDocument(io.BytesIO(docx)).paragraphs]
    assert any("整改进展情况的通报" in text for text in paragraphs)
    status, _headers, ofd = server.get(f"/api/jobs/{job}/files/ofd")
    assert status == 200 and zipfile.ZipFile(io.BytesIO(ofd)).read("OFD.xml").startswith(b"<?xml")


def test_the_check_measures_the_preview_on_the_grid(server: Server, sample_job: dict) -> None:
    status, report = server.json("GET", f"/api/jobs/{sample_job['job']}/check")
    assert status == 200
    assert report["passed"] is True and report["grid"]["ok"] is True
    assert "22" in report["grid"]["text"] and "28" in report["grid"]["text"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_finding_names_the_pages_it_was_measured_on(language: str) -> None:
    from docgen.check.findings import Finding, Severity, collapse, page_place, pages_of
    from docgen.i18n import _, set_language

    set_language(language)
    try:
        assert pages_of(page_place(7)) == [7]
        assert pages_of(_("e.g. {place}").format(place=page_place(12))) == [12]
        assert pages_of(_("the fullest, {place}").format(place=page_place(3))) == [3]
        assert pages_of(_("body")) == []
        many = [Finding("7.5", Severity.REQUIRED, "r", page_place(page), "m", "e") for page in range(2, 12)]
        assert pages_of(collapse(many)[0].where) == [2, 3, 4, 5, 6, 7]  # the pages it shows, not "(10 in all)"
    finally:
        set_language("en")


def test_a_bad_date_is_an_error_at_its_line_and_column(server: Server) -> None:
    source = SAMPLE.replace("date: 2023-04-25", "date: 2023-02-30", 1)
    line = next(number for number, text in enumerate(source.splitlines(), 1) if text.startswith("date: 2023-02-30"))
    status, answer = server.json("POST", "/api/preview", {"source": source, "syntax": "yaml"})
    assert status == 422
    assert answer["error"]["line"] == line and answer["error"]["column"] == len("date: ") + 1
    assert "2023-02-30" in answer["error"]["message"]
    assert "/jobs/" not in answer["error"]["message"]  # the server's folders are none of the user's business


def test_a_markdown_draft_previews(server: Server) -> None:
    draft = "---\norgan: 某市人民政府\ndate: 2024-01-01\n---\n# 关于做好有关工作的通知\n\n## 总体要求\n\n正文。\n"
    status, answer = server.json("POST", "/api/preview", {"source": draft, "syntax": "markdown"})
    assert status == 200 and answer["title"] == "关于做好有关工作的通知" and answer["pages"] == 1
    bad = draft.replace("2024-01-01", "2024-13-01")
    status, answer = server.json("POST", "/api/preview", {"source": bad, "syntax": "markdown"})
    assert status == 422 and answer["error"]["line"] == 3


def test_a_classified_document_is_never_offered_as_a_web_notice(server: Server) -> None:
    classified = SAMPLE.replace("title:", "header:\n  secrecy: 秘密\ntitle:", 1)
    status, answer = server.json("POST", "/api/preview", {"source": classified, "syntax": "yaml"})
    assert status == 200 and "秘密" in answer["web_notice"]
    status, _headers, body = server.get(f"/api/jobs/{answer['job']}/files/html")
    assert status == 403 and "秘密" in json.loads(body)["error"]["message"]
    assert server.get(f"/api/jobs/{answer['job']}/files/pdf")[0] == 200  # the printed document is fine


def test_a_pasted_notice_is_imported_with_each_decision_at_its_line(server: Server) -> None:
    text = (ROOT / "data" / "sample-notice.txt").read_text(encoding="utf-8")
    status, answer = server.post_form("/api/import", {"text": text})
    assert status == 200
    assert answer["lines"] == text.splitlines()
    title_line = answer["lines"].index(SAMPLE_TITLE) + 1
    assert any(entry["line"] == title_line for entry in answer["report"])
    assert all(entry["line"] is None or 1 <= entry["line"] <= len(answer["lines"]) for entry in answer["report"])
    assert answer["guesses"] == sum(entry["unsure"] for entry in answer["report"])
    status, preview = server.json("POST", "/api/preview", {"source": answer["source"], "syntax": "yaml"})
    assert status == 200 and preview["pages"] == 29


def test_an_uploaded_ledger_makes_the_update_and_its_diff(server: Server) -> None:
    files = {"ledger": ("ledger-2023-10.yaml", (ROOT / "data" / "ledger-2023-10.yaml").read_bytes())}
    files["previous"] = ("ledger.yaml", (ROOT / "data" / "ledger.yaml").read_bytes())
    status, answer = server.post_form("/api/progress", {"table": "1"}, files)
    assert status == 200, answer
    assert "本期新完成6项" in answer["summary"]
    assert answer["diff"][0] == "ledger.yaml（截至 2023-04-25） → ledger-2023-10.yaml（截至 2023-10-31）"
    assert any(warning.startswith("ledger-2023-10.yaml:") for warning in answer["warnings"])
    assert answer["source"].startswith("# 由 `docgen progress ledger-2023-10.yaml --as-of 2023-10-31` 生成。")
    assert "\n标题: " in answer["source"]  # the keys in Chinese, as imports and starters have them
    status, preview = server.json("POST", "/api/preview", {"source": answer["source"], "syntax": "yaml"})
    assert status == 200
    status, _headers, docx = server.get(f"/api/jobs/{preview['job']}/files/docx")
    assert any("本期新完成6项" in p.text for p in WordDocument(io.BytesIO(docx)).paragraphs)


def test_an_upload_over_the_limit_is_refused_as_it_arrives(server: Server) -> None:
    status, answer = server.post_form("/api/import", {}, {"file": ("big.txt", b"0" * (100 * MiB))})
    assert status == 413 and "30 MB" in answer["error"]["message"]
    assert server.json("GET", "/healthz") == (200, {"ok": True})


def test_a_zip_bomb_posing_as_a_docx_is_refused(server: Server) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<" + b"a" * (1024 * MiB))  # a GiB inflated, ~1 MB packed
    status, answer = server.post_form("/api/import", {}, {"file": ("通知.docx", bomb.getvalue())})
    assert status == 422 and "通知.docx" in answer["error"]["message"]
    assert server.json("GET", "/healthz") == (200, {"ok": True})


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\..\\boot.ini", "/etc/passwd.txt", "..txt"])
def test_a_file_name_with_a_path_in_it_is_refused(server: Server, name: str) -> None:
    status, answer = server.post_form("/api/import", {}, {"file": (name, "标题".encode())})
    assert status == 400 and answer["error"]["message"]


def test_a_file_docgen_does_not_read_is_refused_by_its_kind(server: Server) -> None:
    status, answer = server.post_form("/api/import", {}, {"file": ("notice.exe", b"MZ")})
    assert status == 415 and ".docx" in answer["error"]["message"]


def test_no_request_reaches_a_file_by_its_path(server: Server) -> None:
    for path in ("/api/jobs/../../etc/passwd/check", "/api/jobs/%2e%2e%2f%2e%2e%2fetc/files/pdf",
                 "/static/../../../../etc/passwd", "/api/jobs/" + "0" * 32 + "/files/pdf"):  # fmt: skip
        status, _headers, body = server.get(path)
        assert status == 404 and b"root:" not in body


def test_another_site_s_page_and_another_host_name_are_refused(server: Server) -> None:
    status, _answer = server.json("POST", "/api/preview", {"source": SAMPLE}, headers={"Origin": "http://evil.example"})
    assert status == 403
    status, _headers, _body = server.get("/api/info", headers={"Host": f"rebound.example:{server.port}"})
    assert status == 421


def test_every_answer_keeps_the_page_to_its_own_server(server: Server) -> None:
    status, headers, page = server.get("/")
    assert status == 200 and b"<html" in page.lower()
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    static = sorted((ROOT / "src" / "docgen" / "serve" / "static").iterdir())
    assert any(path.suffix == ".js" for path in static)
    for path in static:
        status, headers, served = server.get(f"/static/{path.name}")
        assert status == 200 and headers["cache-control"] == "no-cache" and served == path.read_bytes()
        assert b"http://" not in served and b"https://" not in served and b"//cdn" not in served  # nothing elsewhere


def test_a_non_local_bind_without_a_token_does_not_start(tmp_path: Path) -> None:
    started = subprocess.run(
        [sys.executable, "-m", "docgen.cli", "serve", "--host", "0.0.0.0", "--port", "0", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=60, env={"DOCGEN_LANG": "en", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert started.returncode == 2 and "--token" in started.stderr and "Traceback" not in started.stderr


def test_a_non_local_bind_serves_only_requests_with_its_token(tmp_path: Path) -> None:
    with start_server(tmp_path, "--host", "0.0.0.0", "--token", "s3cret", "--workers", "1") as guarded:
        assert guarded.json("GET", "/healthz")[0] == 200  # says nothing about anyone's work
        assert guarded.json("GET", "/api/info")[0] == 401
        assert guarded.json("GET", "/api/info", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert guarded.json("GET", "/api/info", headers={"Authorization": "Bearer s3cret"})[0] == 200
        status, headers, _body = guarded.get("/?token=s3cret")
        assert status == 303 and headers["location"] == "/"
        cookie = headers["set-cookie"].split(";")[0]
        assert "HttpOnly" in headers["set-cookie"] and "SameSite=Strict" in headers["set-cookie"]
        assert guarded.json("GET", "/api/info", headers={"Cookie": cookie})[0] == 200
        # Beside cookies of other programs on the same host, one of them malformed to Python's http.cookies.
        others = f"_xsrf=2|a7f|b; bad key=1; {cookie}; theme=dark"
        assert guarded.json("GET", "/api/info", headers={"Cookie": others})[0] == 200
        assert guarded.post_form("/api/import", {"text": "x"})[0] == 401


def test_an_uploaded_seal_is_drawn_where_the_source_names_it(server: Server) -> None:
    example = (ROOT / "examples" / "file.yaml").read_text(encoding="utf-8")
    status, answer = server.json("POST", "/api/preview", {"source": example, "syntax": "yaml"})
    assert status == 422 and "seal-city.png" in answer["error"]["message"]  # no images on the server yet
    status, seal = server.post_form("/api/images", {}, {"file": ("seal-city.png", SEAL.read_bytes())})
    assert status == 200 and seal["name"] == "seal-city.png" and (seal["width"], seal["height"]) == (600, 600)
    assert seal["id"] == hashlib.sha256(SEAL.read_bytes()).hexdigest()
    images = {"seal-city.png": seal["id"]}
    status, answer = server.json("POST", "/api/preview", {"source": example, "syntax": "yaml", "images": images})
    assert status == 200
    status, _headers, pdf = server.get(f"/api/jobs/{answer['job']}/files/pdf")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert [len(page.images) for page in document.pages].count(1) == 1  # the seal, on the signature's page
    status, headers, image = server.get(f"/api/images/{seal['id']}")
    assert status == 200 and image == SEAL.read_bytes() and headers["content-type"] == "image/png"
    assert "sandbox" in headers["content-security-policy"]


def test_an_image_that_is_no_seal_is_refused_when_uploaded(server: Server) -> None:
    script = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, data in (("seal.png", b"8BPS\0\1"), ("seal.svg", script)):
        status, answer = server.post_form("/api/images", {}, {"file": (name, data)})
        assert status == 422 and answer["error"]["message"].startswith(name)
    status, _answer = server.post_form("/api/images", {}, {"file": ("seal.gif", b"GIF89a")})
    assert status == 415


def test_an_image_the_server_no_longer_has_is_named_for_upload_again(server: Server) -> None:
    example = (ROOT / "examples" / "file.yaml").read_text(encoding="utf-8")
    body = {"source": example, "syntax": "yaml", "images": {"seal-city.png": "0" * 64}}
    status, answer = server.json("POST", "/api/preview", body)
    assert status == 422 and answer["error"]["image"] == "seal-city.png"
    for name in ("../seal-city.png", ".seal.png", "a/b.png"):
        body["images"] = {name: "0" * 64}
        assert server.json("POST", "/api/preview", body)[0] == 400


def test_a_job_over_its_time_limit_is_stopped_and_the_server_goes_on(tmp_path: Path) -> None:
    long = yaml.safe_load(SAMPLE)
    long["sections"] = [copy.deepcopy(section) for _ in range(20) for section in long["sections"]]  # 500 pages
    with start_server(tmp_path, "--workers", "1", "--time-limit", "0.5") as hurried:
        status, answer = hurried.json("POST", "/api/preview", {"source": yaml.safe_dump(long, allow_unicode=True)})
        assert status == 422 and answer["error"]["message"].startswith("此请求：用时超过")
        assert hurried.json("GET", "/api/info")[0] == 200
        status, answer = hurried.json("POST", "/api/preview", {"source": "title: [", "syntax": "yaml"})
        assert status == 422 and answer["error"]["line"] == 2  # the next job is served, in a child of its own


def test_what_a_killed_server_left_in_its_workdir_goes_at_the_next_start(tmp_path: Path) -> None:
    mine = tmp_path / "notes.txt"
    mine.write_text("the user's own file", encoding="utf-8")
    left = tmp_path / "docgen-serve" / "jobs" / ("f" * 32)
    left.mkdir(parents=True)
    (left / "document.pdf").write_bytes(b"%PDF-")
    with start_server(tmp_path, "--workers", "1") as again:
        assert not left.exists() and (tmp_path / "docgen-serve" / "jobs").is_dir()
        assert again.get(f"/api/jobs/{'f' * 32}/files/pdf")[0] == 404
    assert not (tmp_path / "docgen-serve").exists()  # a server stopped as a user stops it cleans up
    assert mine.read_text(encoding="utf-8") == "the user's own file"  # and leaves alone what isn't its own


def _descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (read from Linux's /proc: each one's parent)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended meanwhile
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_a_server_killed_outright_leaves_no_worker_behind(tmp_path: Path) -> None:
    """A SIGKILL runs no clean-up: the workers see the server's end of their lifeline close, and leave."""
    with start_server(tmp_path, "--workers", "2") as killed:
        below = _descendants(killed.process.pid)
        assert len(below) >= 3  # the fork server and its two warm workers
        killed.process.kill()
        killed.process.wait()
        deadline = time.monotonic() + 10
        while (left := {pid for pid in below if Path(f"/proc/{pid}").exists()}) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not left
