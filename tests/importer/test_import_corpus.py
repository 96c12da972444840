"""Real published notices (tests/corpus/notices, sources cited in its README) import to a source
that builds, with the organ(s), date, title, 发文字号, top-level parts and 附注 the text shows.

Notices docgen does not yet import right are listed with the reason, as strict expected
failures: one that starts passing fails the run until it is taken off the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdfium2
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from docgen.cli import main
from docgen.compose.document import compose_paragraphs
from docgen.errors import DocgenError
from docgen.importer.dispatch import import_file
from docgen.importer.docx import docx_lines
from docgen.importer.text import META, normalise, portal_row, read_text
from docgen.profile import Profile
from docgen.source.loader import load_document
from docgen.text.numbering import chinese_date, label_level

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "notices"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["notices"]

# Notices docgen does not yet import right, each with the failure class of DIAGNOSIS.md it shows
# (none today; a notice added to the corpus that fails goes here until it is mended).
NOT_YET: dict[str, str] = {}


def cases() -> list[pytest.param]:
    return [
        pytest.param(entry, id=entry["file"], marks=pytest.mark.xfail(reason=NOT_YET[entry["file"]], strict=True))
        if entry["file"] in NOT_YET
        else pytest.param(entry, id=entry["file"])
        for entry in EXPECTED
    ]


def imported_facts(source: dict) -> dict[str, object]:
    title = source["title"] if isinstance(source["title"], str) else "".join(source["title"])
    note = source.get("note")
    return {
        "organs": source["organs"] if "organs" in source else [source["organ"]],
        "date": chinese_date(source["date"]) if isinstance(source["date"], str) else source["date"],
        "title": title,
        "number": (source.get("header") or {}).get("number"),
        # parts printed in the 一、 form: computed at level 1, or published so
        "top_level_parts": sum(label_level(part.get("number", "一、")) == 1 for part in source.get("sections", [])),
        "note": f"（{note}）" if note else None,
    }


@pytest.mark.parametrize("entry", cases())
def test_a_published_notice_imports_to_a_source_that_builds(entry: dict, tmp_path: Path, profile: Profile) -> None:
    path = CORPUS / entry["file"]
    try:
        result = import_file(path)
    except DocgenError as error:
        pytest.fail(f"refused: {error}")
    written = tmp_path / f"{path.stem}.yaml"
    written.write_text(result.yaml_text(path.name), encoding="utf-8")
    assert compose_paragraphs(load_document(written), profile)  # import never writes a source build refuses
    expected = {key: entry[key] for key in ("organs", "date", "title", "number", "top_level_parts")}
    expected["note"] = entry["extras"]["note"]
    assert imported_facts(yaml.safe_load(written.read_text(encoding="utf-8"))) == expected


def published_lines(path: Path) -> list[str]:
    """The notice's lines as published, less the portal's metadata (its 索引号 table, 发布日期 and 来源
    lines), which is the page's, not the document's."""
    lines = docx_lines(path)[0] if path.suffix == ".docx" else read_text(path)[0]
    return [line for line in map(str.strip, lines) if line and portal_row(line) is None and not META.match(line)]


def squashed(text: str) -> str:
    return re.sub(r"\s", "", text)


def docx_text(path: Path) -> str:
    return squashed("".join(text.text or "" for text in docx.Document(str(path)).element.body.iter(qn("w:t"))))


def pdf_text(path: Path) -> str:
    """The PDF's text as PDFium reads it, less the page numbers it reads into a paragraph that runs
    over a page break."""
    pdf = pypdfium2.PdfDocument(str(path))
    pages = "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    return squashed(re.sub(r"—\s*\d+\s*—", "", pages))


@pytest.mark.parametrize("entry", EXPECTED, ids=[entry["file"] for entry in EXPECTED])
def test_every_published_paragraph_comes_back_in_the_docx_and_the_pdf(entry: dict, tmp_path: Path) -> None:
    """Each line of the notice is in the built DOCX and PDF, word for word after GB/T 15834's full-width
    marks (the declared normalisation) and without the portal's &sp; debris; a 成文日期 in Chinese
    numerals too, printed as published."""
    path = CORPUS / entry["file"]
    written = tmp_path / f"{path.stem}.yaml"
    written.write_text(import_file(path).yaml_text(path.name), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(written), "-o", str(tmp_path), "-f", "docx,pdf"])
    assert result.exit_code == 0, result.output
    lines = [squashed(normalise(line).replace("&sp;", "")) for line in published_lines(path)]
    for text in (docx_text(written.with_suffix(".docx")), pdf_text(written.with_suffix(".pdf"))):
        assert [line for line in lines if line not in text] == []
