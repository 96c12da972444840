"""Published notices into docgen sources: `docgen import`.

Reads one paragraph per line (as portals and most copy-pastes give it; the DOCX and web-page
readers hand over their paragraphs the same way), recognises what each line is, and writes the
YAML source. Numbers typed in the text (一、 （一） 1. （1） 一是) become
structure; what can't be classified stays as a plain paragraph, never dropped. Each decision
is reported with how sure it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from docgen.errors import DocgenError
from docgen.i18n import N_, _
from docgen.limits import read_or_refuse
from docgen.source import keys
from docgen.source.loader import ENCLOSED_KEYS, TRAILING_PUNCTUATION, TYPED_LABEL
from docgen.text.cjk import full_width_marks
from docgen.text.numbering import chinese_date, heading_label, parse_chinese_numeral
from docgen.text.rules import DATE, DOCUMENT_NUMBER, document_number_problem
from docgen.text.structure import ITEM, RUN_IN_END, split_measures

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_LINE = 100_000
_NUMERAL = "一二三四五六七八九十"

PAGE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天]$")
META = re.compile(r"^(发布日期|发布时间|信息来源|来源|编辑|责任编辑)\s*[:：]\s*(.*)$")
_META_LABEL = re.compile(r"(发布日期|发布时间|信息来源|来源|责任编辑|编辑)\s*[:：]")
LEVEL1 = re.compile(rf"^([{_NUMERAL}]+)、(.+)$")
LEVEL2 = re.compile(rf"^[（(]([{_NUMERAL}]+)[）)](.+)$")
LEVEL3 = re.compile(r"^(\d{1,4})[.．、](?!\d)(.+)$")  # four digits, as heading labels go (numbering.label_level)
LEVEL4 = re.compile(r"^[（(](\d{1,4})[）)](.+)$")
LABEL_LIKE = re.compile(rf"^(?:[{_NUMERAL}]+、|[（(][{_NUMERAL}\d]+[）)]|\d+[.．、](?!\d))")  # read or not
CONTACT_START = re.compile(r"(联系方式|联系电话|联系人|邮政信箱|电子邮箱|通讯地址)：")
ATTACHMENT = re.compile(r"^附\s*件[：:]")
NOTE = re.compile(r"[（(](.+)[)）]")  # 附注, the line in parentheses under the date
ATTACHMENT_PAGE = re.compile(r"附\s*件\s*\d*[：:]?")  # the label alone on the first line of an attachment
COPY_TO = re.compile(r"^(抄送|抄报)[：:](.*)$")
PRINTED = re.compile(r"(\S+)\s+(\S+)印发")  # 印发机关 and 印发日期 on one line of the 版记
# The table of metadata government portals print above a document (gov.cn's 索引号 block), copied
# as label and value cells separated by tabs: "索 引 号：\t000014349/2019-00007\t主题分类：\t…".
PORTAL_FIELDS = frozenset({"索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词"})


class Line(str):
    """A line of the notice and how it looked in the file it came from (a DOCX's formatting): set in
    large red type (the 发文机关标志), or opening with a run-in heading in a face of its own that ends
    at ``heading_end``. Plain text has no looks; structure alone decides there."""

    mark: bool
    heading_end: int | None

    def __new__(cls, text: str, mark: bool = False, heading_end: int | None = None) -> Line:
        line = super().__new__(cls, text)
        line.mark, line.heading_end = mark, heading_end
        return line


def _looks_of(line: str) -> tuple[bool, int | None]:
    return (line.mark, line.heading_end) if isinstance(line, Line) else (False, None)


@dataclass
class _Section:
    heading: str
    level: int
    text: str | None = None
    body: list[object] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the typed numbers of its children
    label: str = ""  # as typed: 一、 （一） 1. 1、 （1）

    def as_yaml(self) -> dict[str, object]:
        data: dict[str, object] = {"heading": self.heading, "number": self.label}
        if self.text:
            data["text"] = self.text
        if _runs_on(self):
            data["continuous_numbering"] = True
        if self.body:
            data["body"] = [child.as_yaml() if isinstance(child, _Section) else child for child in self.body]
        return data


def _runs_on(section: _Section) -> bool:
    """Numbers two levels down continue across this section's subsections (part 二 of the sample)."""
    subsections = [child for child in section.body if isinstance(child, _Section)]
    firsts = [child.numbers[0] for child in subsections if child.numbers]
    return len(firsts) > 1 and firsts[1] > 1


class Decision(str):
    """A line of the import's report, in the interface's language, knowing whether it is a guess to check
    and which of the notice's lines it is about (``lines``: first and last, 1-based; None for the whole)."""

    unsure: bool
    lines: tuple[int, int] | None

    def __new__(cls, text: str, unsure: bool, lines: tuple[int, int] | None = None) -> Decision:
        decision = super().__new__(cls, text)
        decision.unsure = unsure
        decision.lines = lines
        return decision


def _decided(message: str, /, **fields: object) -> Decision:
    """The report line ``message`` (an English msgid) with ``fields``, translated; unsure when the
    English says so, whatever language the line is shown in. Its lines are the ``number`` it names,
    or the ``first`` to ``last`` of a range."""
    first = fields.get("number", fields.get("first"))
    lines = (first, fields.get("last", first)) if isinstance(first, int) else None
    return Decision(_(message).format(**fields), unsure="(unsure)" in message or "(guess" in message, lines=lines)


# A paragraph before the first heading (preamble) or after the body (closing), sure or a guess.
_OUTSIDE_SECTIONS = {
    (False, False): N_("line {number}: preamble paragraph (sure)"),
    (False, True): N_("line {number}: preamble paragraph (guess: its label is no heading number)"),
    (True, False): N_("line {number}: closing paragraph (sure)"),
    (True, True): N_("line {number}: closing paragraph (guess: its label is no heading number)"),
}
_AFTER_THE_DATE = N_("line {number}: after the date, kept as a closing paragraph (unsure): {text}")


@dataclass
class ImportResult:
    source: dict[str, object]
    report: list[str]  # one line per decision: line number, kind, how sure (Decision, or a plain note)
    kept: list[str] = field(default_factory=list)  # text docgen can't place yet, kept as comments

    def guesses(self) -> int:
        """How many of the report's decisions are guesses to check."""
        return sum(isinstance(line, Decision) and line.unsure for line in self.report)

    def named_in(self, language: str) -> ImportResult:
        """This import with the source's keys named in ``language`` (keys.ENGLISH or keys.CHINESE)."""
        return self if language == keys.ENGLISH else replace(self, source=keys.with_chinese_keys(self.source))

    def yaml_text(self, origin: str) -> str:
        """The source as YAML, headed by comments (in the interface's language) on what the import did."""
        kept = _("# kept from the text, not yet printed by docgen: {line}\n")
        numbers = _KEPT_NUMBERS if _keeps_numbers(self.source) else _COMPUTED_NUMBERS
        header = "".join(kept.format(line=line) for line in self.kept) + (
            _("# Imported by docgen from {origin}.\n").format(origin=origin) + _(numbers) + _(_PUNCTUATION)
        )
        return header + yaml.safe_dump(self.source, allow_unicode=True, sort_keys=False, width=10**9, indent=2)


_KEPT_NUMBERS = N_(
    "# Numbers (一、 （一） 1. 一是) are computed from the structure; a 'number' keeps the one the\n"
    "# notice was published with where that differs (a skipped level, numbers running on).\n"
)
_COMPUTED_NUMBERS = N_("# Numbers (一、 （一） 1. 一是) are computed from the structure and never typed here.\n")
_PUNCTUATION = N_(
    "# Punctuation is full-width per GB/T 15834 where the text had half-width , : ; ( ) and\n"
    "# nested title marks < > inside 《》 became 〈 〉.\n"
)

_NUMBER = {"number", keys.SECTION.chinese("number"), keys.ITEM.chinese("number")}
_NUMBERED = {"heading", "problem", keys.SECTION.chinese("heading"), keys.ITEM.chinese("problem")}


def _keeps_numbers(value: object) -> bool:
    """Whether a heading or item anywhere in ``value`` (its keys in either language) keeps its published number."""
    if isinstance(value, dict):
        own = bool(_NUMBER & value.keys()) and bool(_NUMBERED & value.keys())
        return own or any(_keeps_numbers(child) for child in value.values())
    return isinstance(value, list) and any(_keeps_numbers(child) for child in value)


def read_notice_bytes(path: Path) -> bytes:
    """The bytes of a file to import: a huge one refused unread, an empty one refused, each by name."""
    raw = read_or_refuse(path, MAX_IMPORT_BYTES, _("the notice"))
    if not raw.strip():
        raise DocgenError(_("{path}: the file is empty").format(path=path))
    return raw


def read_text(path: Path) -> tuple[list[str], str | None]:
    """The lines of ``path``, and a note when it was not UTF-8; a clear error for what isn't text."""
    raw = read_notice_bytes(path)
    if b"\x00" in raw[:65536]:
        raise DocgenError(
            _(
                "{path}: this is a binary file, not text; docgen import reads .txt, .docx and .html (.htm) files "
                "(an old .doc or a .wps: save it as .docx first)"
            ).format(path=path)
        )
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        if _has_utf8_chinese(raw):
            raise DocgenError(
                _("{path}:{line}: mixed encodings: some lines are UTF-8, this one is not").format(path=path, line=line)
            ) from None
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DocgenError(
                _("{path}:{line}: neither UTF-8 nor GB18030 (GBK) text").format(path=path, line=line)
            ) from None
        note = _("the file is not UTF-8; it was read as GB18030 (GBK)")
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            too_long = _("{path}:{line}: a line of {length:,} characters is not a paragraph of a notice")
            raise DocgenError(too_long.format(path=path, line=number, length=len(line)))
    return lines, note


def _has_utf8_chinese(raw: bytes) -> bool:
    """Whether some line is valid UTF-8 with Chinese in it (so the file mixes encodings)."""
    for line in raw.splitlines():
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= char <= "\u9fff" for char in decoded):
            return True
    return False


def normalise(text: str) -> str:
    """GB/T 15834 full-width marks in Chinese text (the rule `docgen lint` applies), and nested
    < > in 《》 as 〈 〉."""
    text = full_width_marks(text.replace("\t", "　"))  # cells of a table pasted as text
    text = re.sub(r"^\((\d+)\)", r"（\1）", text)  # a level-4 label
    return re.sub(r"《([^《》]*)<([^<>]*)>([^《》]*)》", r"《\1〈\2〉\3》", text)


def import_lines(path: Path, lines: list[str], notes: list[str]) -> ImportResult:
    """Classify the paragraphs ``lines`` of the notice read from ``path``."""
    report = [_decided(N_("note: {note}"), note=note) for note in notes]
    numbered = [(number, text) for number, line in enumerate(lines, start=1) if (text := _cleaned_line(line))]
    source: dict[str, object] = {}
    publication: dict[str, object] = {}
    kept: list[str] = []
    body_start = _head(numbered, source, publication, report, kept)
    end = _trailing_metadata(numbered, body_start, publication, report, kept)
    signed = _signature_at(numbered, body_start, end, first=True)
    _body(numbered[body_start : signed.first if signed else end], source, report)
    if signed:
        _sign(source, signed, numbered, report)
        _after_signature(numbered[signed.date_index + 1 : end], source, report, kept)
    elif source.get("kind") == "纪要" and "date" not in source:
        _minutes_signature(numbered[body_start:end], source, report)
    if publication:
        source["publication"] = publication
    _order(source)
    _refuse_without_title_or_date(path, numbered, body_start, source)
    return ImportResult(source, report, kept)


def _refuse_without_title_or_date(path: Path, lines: list[tuple[int, str]], body_start: int, source: dict) -> None:
    """A notice has a title at its top and a 成文日期 under its signature: the error names the line
    where each was looked for."""
    if not lines:
        raise DocgenError(
            _("{path}:1: the file holds no text; expected a notice, one paragraph per line").format(path=path)
        )
    if "title" not in source:
        number = lines[min(body_start, len(lines) - 1)][0]
        raise DocgenError(
            _(
                "{path}:{line}: expected the title here (the first lines, before the 主送 and the body), "
                "found “{text}”; is this a notice?"
            ).format(path=path, line=number, text=lines[min(body_start, len(lines) - 1)][1][:20])
        )
    if "date" not in source:
        raise DocgenError(
            _(
                "{path}:{line}: found no 成文日期 under a signature; expected the issuing organ's name "
                "on a line of its own after the body and the date under it (2023年4月25日 or 二〇二三年四月二十五日)"
            ).format(path=path, line=lines[-1][0])
        )


def _head(lines: list[tuple[int, str]], source: dict, publication: dict, report: list[str], kept: list[str]) -> int:
    """Page date, portal metadata, the 版头 (份号, 密级, 紧急程度, the mark, 发文字号 and 签发人), title
    (one or more consecutive lines), 主送; returns where the body starts.

    Lines read as a title before the 发文字号 were the 版头's mark when title lines follow it (9704's
    order); when none follow, they were the title, as portals print the number under it."""
    title: list[str] = []
    before_number: list[tuple[int, str]] = []
    marked: list[tuple[int, str]] = []  # lines set as the mark is (a DOCX's large red type)
    index = 0
    for index, (number, line) in enumerate(lines):
        if _looks_of(line)[0] and not title:
            marked.append((number, line))
        elif (issue := _issue_number(line)) and (title or not before_number):
            before_number = [*before_number, *zip(_title_numbers(lines, index, len(title)), title, strict=True)]
            title = []
            _head_number(issue, number, source, report, kept)
        elif _header_element(line, number, source, report):
            pass
        elif not title and "date" not in source and (dated := _organ_and_date(line)):
            source["organ"], source["date"] = dated  # 纪要 (10.3): organ left, date right, under 第N期
            report.append(_decided(N_("line {number}: the organ and the date under the number (sure)"), number=number))
        elif PAGE_DATE.match(line):
            report.append(_decided(N_("line {number}: the portal's page date (certain)"), number=number))
        elif (row := portal_row(line)) is not None:
            _portal_metadata(row, number, source, publication, report, kept)
        elif META.match(line):
            _publication_line(line, number, publication, report, kept)
        elif _is_addressee_line(line) and (title or before_number):
            # One entry, the separators as written: 、 within a kind of organ, ， between kinds.
            source["addressees"] = [normalise(line)[:-1]]
            report.append(_decided(N_("line {number}: 主送机关 (sure)"), number=number))
            index += 1
            break
        elif _is_body(line) or (title and not _continues_title(lines, index, title)):
            break
        else:
            title.append(normalise(line))
            title_line = (
                N_("line {number}: title (continued) (sure)") if len(title) > 1 else N_("line {number}: title (sure)")
            )
            report.append(_decided(title_line, number=number))
    else:
        index = len(lines)
    issue = source.get("header", {}).get("number", "")
    if marked:  # the file's own looks say what the mark is
        title = [*(line for _, line in before_number), *title]
        _mark(marked, source, report)
    elif before_number and not title and not ISSUE_NUMBER.fullmatch(issue):  # the number printed under the title
        title = [line for _, line in before_number]
    elif before_number:
        _mark(before_number, source, report)
    if not title and source.get("kind") == "命令":  # an order prints no title (10.2): its mark and number name it
        title = ["".join(line for _, line in marked or before_number) + issue]
    if title:
        source["title"] = title if len(title) > 1 else title[0]
    return index


# 版头 elements on lines of their own (7.2.1–7.2.3) and the numbers of orders and minutes (10.2, 10.3).
COPY_NUMBER = re.compile(r"\d{6}")
SECRECY = re.compile(r"(?:绝密|机密|秘密)(?:★\S{0,8})?")
URGENCY = re.compile(r"特急|加急")
ISSUE_NUMBER = re.compile(r"第\d{1,6}[号期]")
# 000015　济政办函〔2023〕21号 (a letter's 份号 beside its number), 济政呈〔2023〕3号　签发人：张明华 (7.2.5)
NUMBER_LINE = re.compile(r"(?:(\d{6})\s+)?(\S+?号|第\d{1,6}[号期])(?:\s*签发人[：:]\s*(.+))?")


def _issue_number(line: str) -> re.Match[str] | None:
    """The 发文字号 line (with a 份号 before it or 签发人 after it), or an order's or minutes' 第N号/第N期."""
    match = NUMBER_LINE.fullmatch(line)
    if match and (DOCUMENT_NUMBER.match(match.group(2)) or ISSUE_NUMBER.fullmatch(match.group(2))):
        return match
    return None


def _title_numbers(lines: list[tuple[int, str]], index: int, count: int) -> list[int]:
    """The line numbers of the ``count`` title lines just before ``index``."""
    return [number for number, _ in lines[index - count : index]]


def _head_number(issue: re.Match[str], number: int, source: dict, report: list[str], kept: list[str]) -> None:
    copy_number, document_number, signers = issue.groups()
    header = source.setdefault("header", {})
    if copy_number:
        header["copy_number"] = copy_number
        report.append(_decided(N_("line {number}: 份号 beside the 发文字号 (sure)"), number=number))
    if ISSUE_NUMBER.fullmatch(document_number):
        header["number"] = document_number
        report.append(_decided(N_("line {number}: the issue's number (sure)"), number=number))
    else:
        _document_number(document_number, number, source, report, kept)
    if signers:
        header["signers"] = [name for name in re.split(r"[、，,\s]+", signers.strip()) if name]
        report.append(_decided(N_("line {number}: 签发人 (sure)"), number=number))


def _header_element(line: str, number: int, source: dict, report: list[str]) -> bool:
    """份号, 密级 or 紧急程度 on a line of its own, into the 版头."""
    for key, pattern, name in (("copy_number", COPY_NUMBER, "份号"), ("secrecy", SECRECY, "密级"),
                               ("urgency", URGENCY, "紧急程度")):  # fmt: skip
        if pattern.fullmatch(line) and key not in source.get("header", {}):
            source.setdefault("header", {})[key] = line
            report.append(_decided(N_("line {number}: {name} (sure)"), number=number, name=name))
            return True
    return False


def _mark(lines: list[tuple[int, str]], source: dict, report: list[str]) -> None:
    """发文机关标志 and the format it shows: …文件 (文件, 文件 beside stacked names too), …令 over 第N号
    (命令), …纪要 over 第N期 (纪要), a name alone (信函, 10.1)."""
    names = [re.sub(r"^文件|文件$", "", line) for _, line in lines]
    header = source.setdefault("header", {})
    number = header.get("number", "")
    if any(name != line for name, (_, line) in zip(names, lines, strict=True)):
        kind = "文件"
    elif number.endswith("期") and names[-1].endswith("纪要"):
        kind, names[-1] = "纪要", names[-1][:-2]
    elif number.endswith("号") and ISSUE_NUMBER.fullmatch(number) and names[-1].endswith("令"):
        kind, names[-1] = "命令", names[-1].removesuffix("命令").removesuffix("令")
        header["mark_suffix"] = lines[-1][1][len(names[-1]) :]
    else:
        kind = "信函"
    header["mark"] = [name for name in names if name]
    source["kind"] = kind
    report.append(
        _decided(
            N_("lines {first}–{last}: 发文机关标志 of a {kind} (sure)"), first=lines[0][0], last=lines[-1][0], kind=kind
        )
    )


def _document_number(line: str, number: int, source: dict, report: list[str], kept: list[str]) -> None:
    problem = document_number_problem(line)
    if problem:  # the loader would refuse it: kept for the user to mend
        report.append(
            _decided(N_("line {number}: 发文字号 (sure), kept as a comment: {problem}"), number=number, problem=problem)
        )
        kept.append(f"发文字号 {line} ({problem})")
    else:
        source.setdefault("header", {})["number"] = line.strip()
        report.append(_decided(N_("line {number}: 发文字号 (sure)"), number=number))


def portal_row(line: str) -> dict[str, str] | None:
    """The label → value cells of one row of a portal's metadata table, or None for any other line."""
    cells = [cell.strip() for cell in line.split("\t")]
    if len(cells) % 2:  # a last label with no value: its tab went with the line's end
        cells.append("")
    labels = [re.sub(r"\s", "", label) for label in cells[::2]]
    if not all(label[-1:] in "：:" and label[:-1] in PORTAL_FIELDS for label in labels if label):
        return None
    return {label[:-1]: value for label, value in zip(labels, cells[1::2], strict=True)}


def _portal_metadata(
    row: dict[str, str], number: int, source: dict, publication: dict, report: list[str], kept: list[str]
) -> None:
    """What the portal's table says: its 发布日期 is the publication's; its 发文字号 is the document's
    when the text gives none (the text's own line, read later, wins); the rest the text itself says."""
    for label, value in row.items():
        if label == "发布日期" and value:
            _publication_date(value, number, publication, report, kept)
            continue
        if label == "发文字号" and DOCUMENT_NUMBER.match(value):
            _document_number(value, number, source, report, kept)
            continue
        portal = N_("line {number}: the portal's {label} (certain; the text's own is used where it has one)")
        report.append(_decided(portal, number=number, label=label))


def _is_addressee_line(line: str) -> bool:
    """主送机关: a short list of organs ending with a colon, not a sentence that ends '如下：'."""
    return line.endswith(("：", ":")) and 1 < len(line) <= 40 and "如下" not in line and not _is_numbered(line)


def _continues_title(lines: list[tuple[int, str]], index: int, title: list[str]) -> bool:
    """A title goes on over the next line only when that line follows it directly, short and unfinished."""
    previous_number = lines[index - 1][0]
    return (
        normalise(lines[index - 1][1]) == normalise(title[-1]) and lines[index][0] == previous_number + 1
        and len(title) < 3 and not _ends_sentence(title[-1]) and len(lines[index][1]) <= 30
        and not _ends_sentence(lines[index][1])
    )  # fmt: skip


def _is_numbered(line: str) -> bool:
    return _level(line)[0] > 0


def _publication_date(value: str, number: int, publication: dict, report: list[str], kept: list[str]) -> None:
    """发布日期 as 2023-04-25 or 2023年4月25日 (a time after it passed over); anything else is kept as a
    comment, not as the date."""
    iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", value)
    written = DATE.match(value.replace(" ", ""))
    day = _date(f"{iso[1]}年{iso[2]}月{iso[3]}日") if iso else _date(written.group()) if written else None
    if day:
        publication["published"] = day
        report.append(_decided(N_("line {number}: 发布日期 (certain)"), number=number))
    else:
        no_date = N_("line {number}: 发布日期 '{value}' is no date, kept as a comment (unsure)")
        report.append(_decided(no_date, number=number, value=value[:20]))
        kept.append(f"发布日期 {value}")


def _ends_sentence(line: str) -> bool:
    return line.endswith(("。", "！", "？", "：", ":"))


def _is_body(line: str) -> bool:
    """Body text, never a title line: long, numbered, or a table's row of cells."""
    return len(line) > 40 or _is_numbered(line) or "\t" in line


def _cleaned(line: str) -> str:
    """A line without the spaces around it, the portal's mangled entities (&sp; for &nbsp;) and the
    invisible characters a copy from the web carries (zero-width spaces, direction marks, controls),
    which no document shows; a tab, between a table's cells, stays."""
    if not line.isprintable():  # a control or format character somewhere (or a tab): filter, slowly
        line = "".join(char for char in line if char == "\t" or unicodedata.category(char) not in ("Cc", "Cf"))
    return re.sub(r"&(?:nbsp|sp);", "", line).strip()


def _cleaned_line(line: str) -> str:
    """:func:`_cleaned`, keeping a DOCX line's looks where the cleaning moved no character of it."""
    text = _cleaned(line)
    mark, heading_end = _looks_of(line)
    if not (mark or heading_end):
        return text
    moved = len(line) - len(line.lstrip())
    kept = text == line.strip()
    return Line(text, mark, heading_end - moved if heading_end and kept else None)


def _trailing_metadata(
    lines: list[tuple[int, str]], start: int, publication: dict, report: list[str], kept: list[str]
) -> int:
    """The portal's 来源/编辑 lines at the very end go to the publication; returns where they begin."""
    end = len(lines)
    while end > start and META.match(lines[end - 1][1]):
        number, line = lines[end - 1]
        _publication_line(line, number, publication, report, kept)
        end -= 1
    return end


def _publication_line(line: str, number: int, publication: dict, report: list[str], kept: list[str]) -> None:
    """A portal's line of 发布日期, 来源, 编辑, one or several on a line (发布日期:2018-08-21 11:54:36 来源:)."""
    parts = _META_LABEL.split(line)[1:]  # label, value, label, value…
    for label, value in zip(parts[::2], parts[1::2], strict=True):
        value = value.strip()
        if not value:
            report.append(_decided(N_("line {number}: {label}, empty (certain)"), number=number, label=label))
        elif label in ("发布日期", "发布时间"):
            _publication_date(value, number, publication, report, kept)
        else:
            publication["editor" if "编辑" in label else "source"] = value
            report.append(_decided(N_("line {number}: {label} (certain)"), number=number, label=label))


@dataclass(frozen=True)
class _Signed:
    first: int  # index of the first organ line
    date_index: int
    organs: list[str]
    date: date


def _signature_at(lines: list[tuple[int, str]], start: int, end: int, first: bool) -> _Signed | None:
    """The 署名 and 成文日期 between ``start`` and ``end``: the first of the text when ``first`` (a notice
    is followed by its 附件 and the document it passes on, each maybe signed), else the last."""
    indices = range(start, end) if first else range(end - 1, start - 1, -1)
    for index in indices:
        day = _date(lines[index][1])
        if not day:
            continue
        organs: list[str] = []
        top = index
        while top > start and (names := _organ_names(lines[top - 1][1])):
            top -= 1
            organs[:0] = names
        if organs:
            return _Signed(top, index, organs, day)
    return None


def _sign(source: dict, signed: _Signed, lines: list[tuple[int, str]], report: list[str]) -> None:
    organs = signed.organs
    source["organ" if len(organs) == 1 else "organs"] = organs[0] if len(organs) == 1 else organs
    written = lines[signed.date_index][1]
    source["date"] = written if chinese_date(written) else signed.date  # kept as published
    number = lines[signed.date_index][0]
    signature = N_("line {number}: 成文日期 (certain); lines {first}–{last}: 署名 (sure)")
    report.append(_decided(signature, number=number, first=lines[signed.first][0], last=number - 1))


# How organs' names end (部, 委员会, 办公厅, 人民政府, 中心…): side by side on one line, names that
# end otherwise are a table row (单位　联系人), not a joint signature.
_ORGAN_ENDS = (*"部委局厅院办会府室处署行社所司团组队站", "中心", "军委")


def _minutes_signature(lines: list[tuple[int, str]], source: dict, report: list[str]) -> None:
    """Minutes are not signed (10.3): their organ is the one the mark names, their date the first
    the text gives (the meeting's), both guesses to be checked."""
    dated = next(((number, day) for number, line in lines if (day := _date_in(line))), None)
    if dated is None:
        return
    number, source["date"] = dated
    source["organ"] = source["header"]["mark"][0]
    report.append(
        _decided(
            N_("line {number}: 纪要 are unsigned; organ from the mark, date from this line (guess)"), number=number
        )
    )


def _organ_and_date(line: str) -> tuple[str, date | str] | None:
    """An organ's name and a 成文日期 side by side on one line (a 纪要's head), the date as written
    when in Chinese numerals."""
    parts = line.split()
    if len(parts) == 2 and _looks_like_organ(parts[0]) and (day := _date(parts[1])):
        return parts[0], parts[1] if chinese_date(parts[1]) else day
    return None


def _date_in(line: str) -> date | None:
    match = DATE.search(line)
    return _date(match.group()) if match else None


def _organ_names(line: str) -> list[str]:
    """The organs a signature line names: one, or several side by side (国务院办公厅　中央军委办公厅)."""
    names = line.split()
    if len(names) > 1 and all(_looks_like_organ(name) and name.endswith(_ORGAN_ENDS) for name in names):
        return names
    return [line] if _looks_like_organ(line) else []


def _after_signature(lines: list[tuple[int, str]], source: dict, report: list[str], kept: list[str]) -> None:
    """附注, 附件 pages, the document a 转发/印发 notice passes on and the 版记, in the order they come."""
    index = 0
    if lines and NOTE.fullmatch(normalise(lines[0][1])):
        source["note"] = NOTE.fullmatch(normalise(lines[0][1])).group(1)
        report.append(_decided(N_("line {number}: 附注, in parentheses under the date (sure)"), number=lines[0][0]))
        index = 1
    while index < len(lines):
        number, line = lines[index]
        if ATTACHMENT_PAGE.fullmatch(line):
            index = _attachment_page(lines, index, source, report)
        elif _colophon_line(line, number, source, report):
            index += 1
        elif "enclosed" not in source and not _has_attachment_pages(source):
            index = _enclosed(lines, index, source, report, kept)
        else:
            report.append(_decided(_AFTER_THE_DATE, number=number, text=line[:20]))
            source.setdefault("closing", []).append(normalise(line))
            index += 1


def _section_end(lines: list[tuple[int, str]], start: int) -> int:
    """Where what starts at ``start`` ends: at the next 附件 label or 版记 line."""
    end = start
    while end < len(lines) and not (ATTACHMENT_PAGE.fullmatch(lines[end][1]) or _is_colophon(lines[end][1])):
        end += 1
    return end


def _has_attachment_pages(source: dict) -> bool:
    return any(isinstance(attachment, dict) for attachment in source.get("attachments", []))


def _attachment_page(lines: list[tuple[int, str]], index: int, source: dict, report: list[str]) -> int:
    """`附件` or `附件2`, its title over one or more lines, its body; paired with its 附件说明 entry."""
    label_number, label = lines[index]
    title: list[str] = []
    start = index + 1
    while start < len(lines) and (not title or _continues_title(lines, start, title)) and not _is_body(lines[start][1]):
        title.append(lines[start][1])
        start += 1
    end = _section_end(lines, start)
    attachments = source.setdefault("attachments", [])
    digits = re.sub(r"\D", "", label)  # 附件2; a lone 附件 is the next one
    position = int(digits) - 1 if digits else sum(isinstance(entry, dict) for entry in attachments)
    # its 附件说明 entry, unless another page took that place already (附件1 twice)
    named = attachments[position] if 0 <= position < len(attachments) else None
    named = named if isinstance(named, str) else None
    own = normalise("".join(title)).rstrip(TRAILING_PUNCTUATION)
    if not (own or named):
        return _as_closing(lines, index, end, source, report)
    if named and own and own != named:  # one title prints in both places: the page's
        differs = N_("line {number}: 附件 {position} is “{own}”, its 附件说明 says “{named}” (unsure)")
        report.append(_decided(differs, number=label_number, position=position + 1, own=own, named=named))
    page: dict[str, object] = {}
    _body(lines[start:end], page, report, tables_at_top=True)
    entry = {"title": own or named, "body": _blocks(page)}
    if named is None:
        attachments.append(entry)
    else:
        attachments[position] = entry
    report.append(
        _decided(
            N_("line {number}: 附件 page {position}, its title and body (sure)"),
            number=label_number,
            position=position + 1,
        )
    )
    return end


def _blocks(part: dict) -> list[object]:
    """What _body read, as the body of an attachment: its paragraphs and sections in order."""
    contact = (
        ["；".join(f"{label}：{value}" for entry in part.get("contact", []) for label, value in entry.items()) + "。"]
        if part.get("contact")
        else []
    )
    titles = [f"附件：{title}" for title in part.get("attachments", []) if isinstance(title, str)]
    return [*part.get("preamble", []), *part.get("sections", []), *part.get("closing", []), *contact, *titles]


def _enclosed(lines: list[tuple[int, str]], index: int, source: dict, report: list[str], kept: list[str]) -> int:
    """The document a 转发/印发 notice passes on: its title, 主送, body and its own signature, if any."""
    end = _section_end(lines, index)
    part: dict[str, object] = {}
    body_start = index + _head(lines[index:end], part, {}, report, kept)
    signed = _signature_at(lines, body_start, end, first=False)
    _body(lines[body_start : signed.first if signed else end], part, report)
    if signed:
        _sign(part, signed, lines, report)
        for number, line in lines[signed.date_index + 1 : end]:
            report.append(
                _decided(
                    N_("line {number}: after the enclosed document's date, kept as its closing (unsure)"), number=number
                )
            )
            part.setdefault("closing", []).append(normalise(line))
    if "title" not in part:
        return _as_closing(lines, index, end, source, report)
    for key in [key for key in part if key not in ENCLOSED_KEYS]:
        value = part.pop(key)
        if key == "attachments":  # the enclosed document's own 附件说明 stays text
            part.setdefault("closing", []).extend(f"附件：{t}" for t in value if isinstance(t, str))
        elif key == "header":
            kept.append(f"发文字号 of the enclosed document: {value.get('number')}")
    source["enclosed"] = {key: part[key] for key in ENCLOSED_KEYS if key in part}
    passed_on = N_("lines {first}–{last}: the document the notice passes on (sure)")
    report.append(_decided(passed_on, first=lines[index][0], last=lines[end - 1][0]))
    return end


def _as_closing(lines: list[tuple[int, str]], start: int, end: int, source: dict, report: list[str]) -> int:
    for number, line in lines[start:end]:
        report.append(_decided(_AFTER_THE_DATE, number=number, text=line[:20]))
        source.setdefault("closing", []).append(normalise(line))
    return end


def _is_colophon(line: str) -> bool:
    return bool(COPY_TO.match(line) or PRINTED.fullmatch(line))


def _colophon_line(line: str, number: int, source: dict, report: list[str]) -> bool:
    """版记: 抄送：…。 and `印发机关  2023年4月25日印发`."""
    copy_to = COPY_TO.match(line)
    if copy_to:
        text = normalise(copy_to.group(2)).rstrip("。，、；")
        source.setdefault("colophon", {})["copy_to"] = text + "。"
        report.append(_decided(N_("line {number}: 版记, 抄送 (sure)"), number=number))
        return True
    printed = PRINTED.fullmatch(line)
    if printed and (day := _date(printed.group(2))):
        source.setdefault("colophon", {}).update({"printer": printed.group(1), "print_date": day})
        report.append(_decided(N_("line {number}: 版记, 印发机关和印发日期 (sure)"), number=number))
        return True
    return False


def _looks_like_organ(line: str) -> bool:
    """An organ's name: short, no sentence end, no spaces (a table row has them), not an attachment."""
    return (
        len(line) <= 30 and not RUN_IN_END.search(line) and not any(char.isspace() for char in line)
        and not ATTACHMENT.match(line) and not re.match(r"^\d+[.．、]", line)
        and not line.startswith("特此") and not any(mark in line for mark in "：:")  # 特此通告; 联系电话：…
    )  # fmt: skip


def _date(line: str) -> date | None:
    """成文日期 in Arabic (2023年4月25日) or Chinese numerals (二〇二三年四月二十五日, 二00八年…)."""
    match = DATE.fullmatch(line)
    if match and len(match.group(1)) == 4:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:  # 2023年2月30日: not a date, so not the 成文日期
            return None
    return chinese_date(line)


def _body(lines: list[tuple[int, str]], source: dict, report: list[str], tables_at_top: bool = False) -> None:
    """Headings, items, paragraphs, 附件说明 and closing into ``source``; rows of tab-separated cells
    (a table pasted as text, or read from a DOCX or a web page) become a table where a table may
    stand: in a section, or anywhere in an attachment (``tables_at_top``)."""
    root = _Section("", 0)
    stack = [root]
    preamble: list[object] = []
    closing: list[str] = []
    attachments = False
    for number, raw in _with_tables(lines):
        if isinstance(raw, dict) and (len(stack) > 1 or tables_at_top):
            (stack[-1].body if len(stack) > 1 else preamble).append(raw)
            table = N_("line {number}: a table of {rows} rows under its header (sure)")
            report.append(_decided(table, number=number, rows=len(raw["table"]["rows"])))
            continue
        if isinstance(raw, dict):  # a notice's own preamble holds paragraphs only: the rows stay lines
            for row in [raw["table"]["header"], *raw["table"]["rows"]]:
                (closing if root.body else preamble).append("　".join(row))
            continue
        line = normalise(raw)
        attachments = bool(ATTACHMENT.match(line)) or (attachments and bool(re.match(r"^\d+[.．、]", line)))
        if attachments:
            if title := _attachment_title(line):  # a lone 附件： opens a list of numbered ones
                source.setdefault("attachments", []).append(title)
            report.append(_decided(N_("line {number}: 附件说明 (sure)"), number=number))
            continue
        level, typed, rest = _level(line)
        if level and TYPED_LABEL.match(rest):  # 1.一、…: no heading starts with a second label
            level = 0
        label = line[: len(line) - len(rest)]
        if level:
            while stack[-1].level >= level:
                stack.pop()
            parent = stack[-1]
            if parent.level != level - 1:
                skipped = N_("line {number}: level {level} under level {parent}: a level is skipped (unsure)")
                report.append(_decided(skipped, number=number, level=level, parent=parent.level))
            parent.numbers.append(typed)
            item = ITEM.match(rest) if level >= 2 else None
            if item and parent.level >= 1:
                parent.body.append({"number": label, **_item(item)})
                report.append(
                    _decided(
                        N_("line {number}: item {typed}, {lead}“…”的问题 (sure)"),
                        number=number,
                        typed=typed,
                        lead=item.group(1),
                    )
                )
                continue
            heading_end = _looks_of(raw)[1]
            section = _section(rest, level, heading_end - len(label) if heading_end else None)
            section.label = label
            parent.body.append(section)
            stack.append(section)
            kind = N_("run-in heading") if section.text else N_("heading")
            report.append(
                _decided(N_("line {number}: level-{level} {kind} (sure)"), number=number, level=level, kind=_(kind))
            )
            continue
        guess = bool(LABEL_LIKE.match(line))
        if len(stack) == 1:
            (closing if root.body else preamble).append(line)
            report.append(_decided(_OUTSIDE_SECTIONS[bool(root.body), guess], number=number))
        elif line.startswith("特此") or (stack[-1].text and _looks_closing(line)):
            closing.append(line)
            report.append(
                _decided(
                    N_("line {number}: closing paragraph (guess: it follows a complete run-in section)"), number=number
                )
            )
        else:
            stack[-1].body.append(line)
            above = (
                N_("line {number}: paragraph of the section above (guess: its label is no heading number)")
                if guess
                else N_("line {number}: paragraph of the section above (sure)")
            )
            report.append(_decided(above, number=number))
    if preamble:
        source["preamble"] = preamble
    if root.body:
        source["sections"] = [child.as_yaml() for child in root.body if isinstance(child, _Section)]
        _keep_published_numbers(source["sections"], 1, [0], None)
    if closing:
        _closing(closing, source, report)


def _keep_published_numbers(blocks: list, level: int, counter: list[int], run_on: list[int] | None) -> None:
    """Drop each typed ``number`` that compose would print anyway, counting as compose counts; the
    others stay, so the document prints the numbers it was published with (skipped levels, numbers
    running on across parts, 1、), never renumbered silently."""
    for block in blocks:
        if not isinstance(block, dict):
            continue
        counter[0] += 1
        if block.get("number") == heading_label(level, counter[0]):
            del block["number"]
        if "heading" in block:
            grandchildren = [0] if block.get("continuous_numbering") else None
            _keep_published_numbers(block.get("body", []), level + 1, run_on or [0], grandchildren)


def _with_tables(lines: list[tuple[int, str]]) -> list[tuple[int, str | dict]]:
    """``lines`` with each run of two or more rows of the same two or more tab-separated cells as one
    table (its first row the header), on the number of its first line."""
    grouped: list[tuple[int, str | dict]] = []
    index = 0
    while index < len(lines):
        cells = _cells(lines[index][1])
        end = index + 1
        while cells and end < len(lines) and len(_cells(lines[end][1])) == len(cells):
            end += 1
        if end - index >= 2 and all(cells):  # a header names every column
            header, *rows = (_cells(line) for _, line in lines[index:end])
            grouped.append((lines[index][0], {"table": {"header": header, "rows": rows}}))
        else:
            grouped.extend(lines[index:end])
        index = end
    return grouped


def _cells(line: str) -> list[str]:
    """The cells of a table row pasted as text (two or more, separated by tabs), or none."""
    cells = [normalise(cell.strip()) for cell in line.split("\t")]
    return cells if len(cells) >= 2 and any(cells) else []


def _looks_closing(line: str) -> bool:
    return line.startswith(("欢迎", "特此", "以上", "如有", "请各")) or bool(CONTACT_START.search(line))


def _level(line: str) -> tuple[int, int, str]:
    """The heading level and typed number of a numbered line; level 0 for a paragraph, which a
    label whose numeral is no number (一三、) leaves the line."""
    for level, pattern in ((1, LEVEL1), (2, LEVEL2), (4, LEVEL4), (3, LEVEL3)):
        match = pattern.match(line)
        if match:
            typed, rest = match.groups()
            number = int(typed) if typed.isdigit() else parse_chinese_numeral(typed)
            if number is not None:
                return level, number, rest
    return 0, 0, line


def _section(rest: str, level: int, heading_end: int | None = None) -> _Section:
    """A heading, run-in when text follows its first sentence, or where its own face ends (a DOCX)."""
    end = heading_end if heading_end and 0 < heading_end < len(rest) else None
    if end is None and (found := RUN_IN_END.search(rest)):
        end = found.end()
    if end and end < len(rest):
        return _Section(rest[:end], level, text=rest[end:])
    return _Section(rest, level)


def _item(match: re.Match[str]) -> dict[str, object]:
    lead, problem, rest = match.groups()
    item: dict[str, object] = {"problem": problem}
    if lead == "关于":
        item["lead"] = lead
    item["measures"] = split_measures(rest)
    return item


def _closing(paragraphs: list[str], source: dict, report: list[str]) -> None:
    last = paragraphs[-1]
    contact = CONTACT_START.search(last)
    if contact:
        before, entries = last[: contact.start()], last[contact.start() :].rstrip("。")
        paragraphs = [*paragraphs[:-1], before] if before else paragraphs[:-1]
        pairs = [entry.split("：", 1) for entry in entries.split("；") if "：" in entry]
        source["contact"] = [{label: value} for label, value in pairs]
        report.append(_decided(N_("contact line: {count} entries (sure)"), count=len(pairs)))
    source["closing"] = paragraphs + source.get("closing", [])


def _attachment_title(line: str) -> str:
    """`附件：1.名称` or a later `2.名称` → 名称, without the label, number or trailing punctuation."""
    title = re.sub(r"^(?:附\s*件[：:])?\s*(?:\d+[.．、])?\s*", "", line)
    return title.rstrip(TRAILING_PUNCTUATION)


def _order(source: dict) -> None:
    """Keys in the order a person reads the source."""
    order = (
        "kind",
        "header",
        "title",
        "organ",
        "organs",
        "date",
        "publication",
        "addressees",
        "preamble",
        "sections",
        "closing",
        "contact",
        "attachments",
        "note",
        "enclosed",
        "colophon",
    )
    ordered = {key: source[key] for key in order if key in source}
    ordered.update(source)  # a key not listed keeps its place after them, never dropped
    source.clear()
    source.update(ordered)
