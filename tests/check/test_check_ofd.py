"""`docgen check FILE.ofd` measures an OFD with the PDF's code: the same findings as its PDF twin,
and a misplaced head or a font not embedded found in the OFD itself."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from docgen.check.checker import check_file
from docgen.errors import DocgenError
from docgen.profile import Profile
from docgen.render.ofd.writer import render_ofd
from docgen.render.pdf.writer import render_pdf
from docgen.source.loader import load_document
from support import ROOT, laid_out


def _built(tmp_path: Path, profile: Profile, name: str) -> tuple[Path, Path]:
    laid = laid_out(load_document(ROOT / "examples" / f"{name}.yaml"), profile)
    pdf, ofd = tmp_path / f"{name}.pdf", tmp_path / f"{name}.ofd"
    pdf.write_bytes(render_pdf(laid, profile))
    ofd.write_bytes(render_ofd(laid, profile))
    return pdf, ofd


def _rules(findings: list) -> list[tuple[str, str, str]]:
    return [(f.clause, f.rule, f.measured) for f in findings]


@pytest.mark.parametrize("name", ["file", "letter"])
def test_an_ofd_gets_its_pdf_twins_findings(tmp_path: Path, profile: Profile, name: str) -> None:
    pdf, ofd = _built(tmp_path, profile, name)
    assert _rules(check_file(ofd, profile)) == _rules(check_file(pdf, profile))


def test_a_misplaced_mark_and_an_unembedded_font_are_found_in_the_ofd(tmp_path: Path, profile: Profile) -> None:
    _, ofd = _built(tmp_path, profile, "file")
    broken = tmp_path / "broken.ofd"
    with zipfile.ZipFile(ofd) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("PublicRes.xml"):
                data = re.sub(rb"<ofd:FontFile>[^<]*</ofd:FontFile>", b"", data, count=1)
            target.writestr(item, data)
    found = check_file(broken, profile)
    assert [f.rule for f in found] == ["font not embedded"]
    assert found[0].severity.value == "required"


def test_a_file_that_is_no_ofd_is_refused_by_name(tmp_path: Path, profile: Profile) -> None:
    fake = tmp_path / "fake.ofd"
    fake.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(DocgenError, match=re.escape(str(fake))):
        check_file(fake, profile)
