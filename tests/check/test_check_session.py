"""`docgen check` on a run of files: one LibreOffice process renders every DOCX, started before the PDFs
are read so that it works meanwhile, and each file's findings are what checking it alone gives."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest

from docgen.check import checker
from docgen.check.checker import check_file, check_files
from docgen.errors import DocgenError
from docgen.measure import office
from docgen.measure.office import TIMEOUT_SETTING, Rendering, libreoffice
from docgen.profile import Profile
from docgen.render.docx.writer import render_docx
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import ROOT, laid_out, processes_mentioning

pytestmark = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> dict[str, Path]:
    """docgen's DOCX and PDF of two examples, and a plain python-docx notice (findings when rendered)
    under the same file name as the order's DOCX, in another folder."""
    folder = tmp_path_factory.mktemp("files")
    made = {}
    for name in ("order", "letter"):
        laid = laid_out(load_document(ROOT / "examples" / f"{name}.yaml"), profile)
        made[f"{name}.docx"] = folder / f"{name}.docx"
        made[f"{name}.docx"].write_bytes(render_docx(laid, profile))
        made[f"{name}.pdf"] = folder / f"{name}.pdf"
        made[f"{name}.pdf"].write_bytes(render_pdf(laid, profile))
    plain = docx.Document()
    for text in ("关于开展安全检查的通知", "各单位：", "各单位要高度重视安全生产工作，认真开展自查。"):
        plain.add_paragraph(text)
    (folder / "other").mkdir()
    made["plain.docx"] = folder / "other" / "order.docx"
    buffer = io.BytesIO()
    plain.save(buffer)
    made["plain.docx"].write_bytes(buffer.getvalue())
    return made


def test_a_run_of_files_has_each_files_own_findings_from_one_libreoffice(
    files: dict[str, Path], profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = {path: check_file(path, profile) for path in files.values()}
    events: list[str] = []
    popen, read = office.subprocess.Popen, checker.check_pdf

    def counted_popen(command: list[str], **options: object) -> object:
        events.append("libreoffice started")
        return popen(command, **options)

    def noted_read(path: Path, profile: Profile) -> list:
        events.append(f"read {path.name}")
        return read(path, profile)

    monkeypatch.setattr(office.subprocess, "Popen", counted_popen)
    monkeypatch.setattr(checker, "check_pdf", noted_read)
    together = check_files(list(files.values()), profile)
    assert together == alone
    assert any(finding.where.startswith("as LibreOffice renders it") for finding in together[files["plain.docx"]])
    assert together[files["order.docx"]] == []  # the same name, its own rendering
    # One LibreOffice for the three DOCX, started before the PDFs were read; its three PDFs read after.
    assert events[0] == "libreoffice started" and events.count("libreoffice started") == 1
    assert events[1:3] == ["read order.pdf", "read letter.pdf"]
    assert sorted(events[3:]) == ["read letter.pdf", "read order-2.pdf", "read order.pdf"]


def test_a_run_out_of_time_names_the_files_not_rendered_and_leaves_nothing_behind(
    files: dict[str, Path], profile: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long = tmp_path / "long.docx"
    long.write_bytes(_with_paragraphs(files["plain.docx"].read_bytes(), 50_000))
    temporary = _private_temporary_folder(tmp_path, monkeypatch)
    monkeypatch.setenv(TIMEOUT_SETTING, "2")  # a second each DOCX would take LibreOffice far longer
    with pytest.raises(DocgenError, match="LibreOffice did not finish rendering") as raised:
        check_files([files["order.docx"], long], profile)
    assert str(long) in str(raised.value) and "within 4 s" in str(raised.value)
    assert list(temporary.iterdir()) == [] and processes_mentioning(str(temporary)) == []


def test_an_error_while_libreoffice_works_stops_it(
    files: dict[str, Path], profile: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = _private_temporary_folder(tmp_path, monkeypatch)
    unknown = tmp_path / "notes.txt"
    unknown.write_text("not a document", encoding="utf-8")
    with pytest.raises(DocgenError, match="docgen check reads"):
        check_files([files["order.docx"], unknown], profile)
    assert list(temporary.iterdir()) == [] and processes_mentioning(str(temporary)) == []


def test_a_rendering_gives_each_docx_its_own_pdf(files: dict[str, Path], tmp_path: Path) -> None:
    from docgen.layout.fonts import fontconfig_file, resolve_faces
    from docgen.measure.pdf import read_pdf
    from docgen.profile import load_profile

    profile = load_profile()
    ours = [files["order.docx"], files["plain.docx"], files["letter.docx"]]
    with Rendering(ours, fontconfig_file(profile, resolve_faces(profile)), tmp_path / "out") as rendering:
        pdfs = rendering.wait()
    assert [pdfs[path].name for path in ours] == ["order.pdf", "order-2.pdf", "letter.pdf"]
    texts = {path: "".join(line.text for page in read_pdf(pdfs[path]) for line in page.lines) for path in ours}
    assert "安全检查" in texts[files["plain.docx"]] and "安全检查" not in texts[files["order.docx"]]
    assert texts[files["letter.docx"]] and texts[files["letter.docx"]] != texts[files["order.docx"]]


def _with_paragraphs(data: bytes, count: int) -> bytes:
    """The DOCX ``data`` with ``count`` more paragraphs at the start of its body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "word/document.xml":
                paragraphs = "<w:p><w:r><w:t>检查</w:t></w:r></w:p>".encode() * count
                part = part.replace(b"<w:body>", b"<w:body>" + paragraphs, 1)
            target.writestr(name, part)
    return buffer.getvalue()


def _private_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where LibreOffice's folder (its profile, its own temporary files) is made: its processes name it."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return temporary
