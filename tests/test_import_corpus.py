"""Real published notices (tests/corpus/notices, sources cited in its README) import to a source
that builds, with the organ(s), date, title, 发文字号, top-level parts and 附注 the text shows.

Notices docgen does not yet import right are listed with the reason, as strict expected
failures: one that starts passing fails the run until it is taken off the list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docgen.compose import compose
from docgen.errors import DocgenError
from docgen.importer import import_file
from docgen.loader import load_document
from docgen.profile import Profile

CORPUS = Path(__file__).resolve().parent / "corpus" / "notices"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["notices"]

# The failure classes of tests/corpus/notices/DIAGNOSIS.md that are still open (issue #14).
_AFTER_DATE = "text after the signature and date (附件 pages, an enclosed document) is refused"
_ENCLOSED = "a 转发 notice is taken for the document it encloses"
_JOINT = "joint organs on one signature line are refused"
_DOCX_FORMAT = "the DOCX's formatting is ignored: its red mark line is taken for the title"
_NUMBERING = "published numbering is rewritten"
NOT_YET = {
    "03-yinfa-zhijiao-2019.txt": _AFTER_DATE,
    "12-tongbao-dudu-2018.txt": _AFTER_DATE,
    "13-zhuanfa-dizhen-1996.txt": _ENCLOSED,
    "14-zhuanfa-dizhen-1997.txt": _ENCLOSED,
    "15-zhuanfa-minzheng-1997.txt": _AFTER_DATE,
    "16-zhuanfa-xizang-1996.txt": _AFTER_DATE,
    "17-tongzhi-huaxue-1996.txt": _JOINT,
    "18-pifu-wujing-1996.txt": _JOINT,
    "21-tongzhi-haopai-2018.txt": _AFTER_DATE,
    "22-tongzhi-jiaocai-2018.txt": _NUMBERING,
    "23-yinfa-jiyuehua-2018.txt": _AFTER_DATE,
    "27-tongzhi-youeryuan-2019.docx": _DOCX_FORMAT,
    "28-tongzhi-huaxue-1996.docx": _JOINT,
    "29-tongzhi-haopai-2018.docx": _AFTER_DATE,
}


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
        "date": source["date"],
        "title": title,
        "number": (source.get("header") or {}).get("number"),
        "top_level_parts": len(source.get("sections", [])),
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
    assert compose(load_document(written), profile)  # import never writes a source build refuses
    expected = {key: entry[key] for key in ("organs", "date", "title", "number", "top_level_parts")}
    expected["note"] = entry["extras"]["note"]
    assert imported_facts(yaml.safe_load(written.read_text(encoding="utf-8"))) == expected
