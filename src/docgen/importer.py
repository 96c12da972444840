"""Plain-text notices into docgen sources: `docgen import`.

Reads one paragraph per line (as portals and most copy-pastes give it), recognises what each
line is, and writes the YAML source. Numbers typed in the text (一、 （一） 1. （1） 一是) become
structure; what can't be classified stays as a plain paragraph, never dropped. Each decision
is reported with how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from docgen.cjk import full_width_marks
from docgen.errors import DocgenError
from docgen.limits import read_limited
from docgen.numbering import enumeration_label, parse_chinese_numeral, year_digits
from docgen.rules import CHINESE_DATE, DATE, DOCUMENT_NUMBER, document_number_problem

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_LINE = 100_000
_NUMERAL = "一二三四五六七八九十"

PAGE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天]$")
META = re.compile(r"^(发布日期|信息来源|来源|编辑|责任编辑)\s*[:：]\s*(.+)$")
LEVEL1 = re.compile(rf"^([{_NUMERAL}]+)、(.+)$")
LEVEL2 = re.compile(rf"^[（(]([{_NUMERAL}]+)[）)](.+)$")
LEVEL3 = re.compile(r"^(\d+)[.．](?!\d)(.+)$")
LEVEL4 = re.compile(r"^[（(](\d+)[）)](.+)$")
ITEM = re.compile(r"^(针对|关于)“(.+?)”的问题：(.*)$")
CONTACT_START = re.compile(r"(联系方式|联系电话|联系人|邮政信箱|电子邮箱|通讯地址)：")
RUN_IN_END = re.compile(r"[。！？]")
ATTACHMENT = re.compile(r"^附\s*件[：:]")
NOTE = re.compile(r"[（(](.+)[)）]")  # 附注, the line in parentheses under the date
# The table of metadata government portals print above a document (gov.cn's 索引号 block), copied
# as label and value cells separated by tabs: "索 引 号：\t000014349/2019-00007\t主题分类：\t…".
PORTAL_FIELDS = frozenset({"索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词"})


@dataclass
class _Section:
    heading: str
    level: int
    text: str | None = None
    body: list[object] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the typed numbers of its children

    def as_yaml(self) -> dict[str, object]:
        data: dict[str, object] = {"heading": self.heading}
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


@dataclass
class ImportResult:
    source: dict[str, object]
    report: list[str]  # one line per decision: line number, kind, how sure
    kept: list[str] = field(default_factory=list)  # text docgen can't place yet, kept as comments

    def yaml_text(self, origin: str) -> str:
        kept = "".join(f"# kept from the text, not yet printed by docgen: {line}\n" for line in self.kept)
        header = kept + (
            f"# Imported by docgen from {origin}.\n"
            "# Numbers (一、 （一） 1. 一是) are computed from the structure and never typed here.\n"
            "# Punctuation is full-width per GB/T 15834 where the text had half-width , : ; ( ) and\n"
            "# nested title marks < > inside 《》 became 〈 〉.\n"
        )
        return header + yaml.safe_dump(self.source, allow_unicode=True, sort_keys=False, width=10**9, indent=2)


def read_text(path: Path) -> tuple[list[str], str | None]:
    """The lines of ``path``, and a note when it was not UTF-8; a clear error for what isn't text."""
    try:
        size, raw = read_limited(path, MAX_IMPORT_BYTES)  # a huge file is refused unread
    except OSError as error:
        raise DocgenError(f"{path}: cannot read: {error.strerror}") from None
    if raw is None:
        raise DocgenError(f"{path}: {size:,} bytes is more than a notice ({MAX_IMPORT_BYTES:,} at most)")
    if not raw.strip():
        raise DocgenError(f"{path}: the file is empty")
    if b"\x00" in raw[:65536]:
        raise DocgenError(f"{path}: this is a binary file, not text (for a Word file, save it as .txt first)")
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        if _has_utf8_chinese(raw):
            raise DocgenError(f"{path}:{line}: mixed encodings: some lines are UTF-8, this one is not") from None
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise DocgenError(f"{path}:{line}: neither UTF-8 nor GB18030 (GBK) text") from None
        note = "the file is not UTF-8; it was read as GB18030 (GBK)"
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise DocgenError(f"{path}:{number}: a line of {len(line):,} characters is not a paragraph of a notice")
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


def import_file(path: Path) -> ImportResult:
    """A .docx (paragraphs, Word's own numbering, tables kept as text) or a plain-text notice."""
    if path.suffix.lower() == ".docx":
        from docgen.import_docx import docx_lines

        lines, notes = docx_lines(path)
        return import_lines(path, lines, notes)
    lines, note = read_text(path)
    return import_lines(path, lines, [note] if note else [])


def import_text(path: Path) -> ImportResult:
    lines, note = read_text(path)
    return import_lines(path, lines, [note] if note else [])


def import_lines(path: Path, lines: list[str], notes: list[str]) -> ImportResult:
    """Classify the paragraphs ``lines`` of the notice read from ``path``."""
    report = [f"note: {note}" for note in notes]
    numbered = [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
    source: dict[str, object] = {}
    publication: dict[str, object] = {}
    kept: list[str] = []
    body_start = _head(numbered, source, publication, report, kept)
    tail_start = _signature(numbered, body_start, source, publication, report)
    _body(numbered[body_start:tail_start], source, report)
    if publication:
        source["publication"] = publication
    _order(source)
    if "title" not in source or "date" not in source:
        missing = "title" if "title" not in source else "date (成文日期) under a signature"
        raise DocgenError(f"{path}: found no {missing}; is this a notice?")
    return ImportResult(source, report, kept)


def _head(lines: list[tuple[int, str]], source: dict, publication: dict, report: list[str], kept: list[str]) -> int:
    """Page date, title (one or more consecutive lines), portal metadata, 发文字号, 主送; returns
    where the body starts."""
    title: list[str] = []
    index = 0
    for index, (number, line) in enumerate(lines):
        if PAGE_DATE.match(line):
            report.append(f"line {number}: the portal's page date (certain)")
        elif (row := portal_row(line)) is not None:
            _portal_metadata(row, number, source, publication, report, kept)
        elif META.match(line):
            label, value = META.match(line).groups()
            key = {"发布日期": "published", "信息来源": "source", "来源": "source"}.get(label, "editor")
            publication[key] = _published(value.strip()) if key == "published" else value.strip()
            report.append(f"line {number}: {label} (certain)")
        elif DOCUMENT_NUMBER.match(line):
            _document_number(line, number, source, report, kept)
        elif _is_addressee_line(line) and title:
            # One entry, the separators as written: 、 within a kind of organ, ， between kinds.
            source["addressees"] = [normalise(line)[:-1]]
            report.append(f"line {number}: 主送机关 (sure)")
            index += 1
            break
        elif _is_body(line) or (title and not _continues_title(lines, index, title)):
            break
        else:
            title.append(line)
            report.append(f"line {number}: title{' (continued)' if len(title) > 1 else ''} (sure)")
    else:
        index = len(lines)
    if title:
        source["title"] = title if len(title) > 1 else title[0]
    return index


def _document_number(line: str, number: int, source: dict, report: list[str], kept: list[str]) -> None:
    problem = document_number_problem(line)
    if problem:  # the loader would refuse it: kept for the user to mend
        report.append(f"line {number}: 发文字号 (sure), kept as a comment: {problem}")
        kept.append(f"发文字号 {line} ({problem})")
    else:
        source["header"] = {"number": line.strip()}
        report.append(f"line {number}: 发文字号 (sure)")


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
            day = _date(value.replace(" ", ""))
            publication["published"] = day or value
        elif label == "发文字号" and DOCUMENT_NUMBER.match(value):
            _document_number(value, number, source, report, kept)
            continue
        report.append(f"line {number}: the portal's {label} (certain; the text's own is used where it has one)")


def _is_addressee_line(line: str) -> bool:
    """主送机关: a short list of organs ending with a colon, not a sentence that ends '如下：'."""
    return line.endswith(("：", ":")) and len(line) <= 40 and "如下" not in line and not _is_numbered(line)


def _continues_title(lines: list[tuple[int, str]], index: int, title: list[str]) -> bool:
    """A title goes on over the next line only when that line follows it directly, short and unfinished."""
    previous_number = lines[index - 1][0]
    return (
        lines[index - 1][1] == title[-1] and lines[index][0] == previous_number + 1
        and len(title) < 3 and not _ends_sentence(title[-1]) and len(lines[index][1]) <= 30
    )  # fmt: skip


def _is_numbered(line: str) -> bool:
    return any(pattern.match(line) for pattern in (LEVEL1, LEVEL2, LEVEL3, LEVEL4))


def _published(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def _ends_sentence(line: str) -> bool:
    return line.endswith(("。", "！", "？", "：", ":"))


def _is_body(line: str) -> bool:
    return len(line) > 40 or _is_numbered(line)


def _signature(lines: list[tuple[int, str]], start: int, source: dict, publication: dict, report: list[str]) -> int:
    """Date (Arabic or Chinese numerals) and the organ lines above it, at the end; returns where they begin."""
    end = len(lines)
    while end > start and META.match(lines[end - 1][1]):
        number, line = lines[end - 1]
        label, value = META.match(line).groups()
        publication["editor" if "编辑" in label else "source"] = value.strip()
        report.append(f"line {number}: {label} (certain)")
        end -= 1
    for index in range(end - 1, max(start, end - 4) - 1, -1):
        number, line = lines[index]
        date = _date(line)
        if not date:
            continue
        organs = []
        first = index
        while first > start and _looks_like_organ(lines[first - 1][1]):
            first -= 1
            organs.insert(0, lines[first][1])
        if not organs:
            continue
        source["organ" if len(organs) == 1 else "organs"] = organs[0] if len(organs) == 1 else organs
        source["date"] = date
        report.append(f"line {number}: 成文日期 (certain); lines {lines[first][0]}–{number - 1}: 署名 (sure)")
        for extra_number, extra in lines[index + 1 : end]:
            text = normalise(extra)
            if NOTE.fullmatch(text) and "note" not in source:
                source["note"] = NOTE.fullmatch(text).group(1)
                report.append(f"line {extra_number}: 附注, in parentheses under the date (sure)")
                continue
            report.append(f"line {extra_number}: after the date, kept as a closing paragraph (unsure): {extra[:20]}")
            source.setdefault("closing", []).append(text)
        return first
    return end


def _looks_like_organ(line: str) -> bool:
    """An organ's name: short, no sentence end, no spaces (a table row has them), not an attachment."""
    return (
        len(line) <= 30 and not RUN_IN_END.search(line) and not any(char.isspace() for char in line)
        and not ATTACHMENT.match(line) and not re.match(r"^\d+[.．]", line)
    )  # fmt: skip


def _date(line: str) -> date | None:
    """成文日期 in Arabic (2023年4月25日) or Chinese numerals (二〇二三年四月二十五日)."""
    try:
        match = DATE.fullmatch(line)
        if match and len(match.group(1)) == 4:
            return date(*(int(part) for part in match.groups()))
        match = CHINESE_DATE.fullmatch(line)
        if match:
            year, month, day = match.groups()
            return date(year_digits(year), parse_chinese_numeral(month), parse_chinese_numeral(day))
    except ValueError:  # 2023年2月30日: not a date, so not the 成文日期
        return None
    return None


def _body(lines: list[tuple[int, str]], source: dict, report: list[str]) -> None:
    root = _Section("", 0)
    stack = [root]
    preamble: list[str] = []
    closing: list[str] = []
    attachments = False
    for number, raw in lines:
        line = normalise(raw)
        attachments = bool(ATTACHMENT.match(line)) or (attachments and bool(re.match(r"^\d+[.．]", line)))
        if attachments:
            source.setdefault("attachments", []).append(_attachment_title(line))
            report.append(f"line {number}: 附件说明 (sure)")
            continue
        level, typed, rest = _level(line)
        if level:
            while stack[-1].level >= level:
                stack.pop()
            parent = stack[-1]
            if parent.level != level - 1:
                report.append(f"line {number}: level {level} under level {parent.level}: a level is skipped (unsure)")
            parent.numbers.append(typed)
            item = ITEM.match(rest) if level >= 2 else None
            if item and parent.level >= 1:
                parent.body.append(_item(item))
                report.append(f"line {number}: item {typed}, {item.group(1)}“…”的问题 (sure)")
                continue
            section = _section(rest, level)
            parent.body.append(section)
            stack.append(section)
            kind = "run-in heading" if section.text else "heading"
            report.append(f"line {number}: level-{level} {kind} (sure)")
            continue
        if len(stack) == 1:
            (closing if root.body else preamble).append(line)
            report.append(f"line {number}: {'closing' if root.body else 'preamble'} paragraph (sure)")
        elif line.startswith("特此") or (stack[-1].text and _looks_closing(line)):
            closing.append(line)
            report.append(f"line {number}: closing paragraph (guess: it follows a complete run-in section)")
        else:
            stack[-1].body.append(line)
            report.append(f"line {number}: paragraph of the section above (sure)")
    if preamble:
        source["preamble"] = preamble
    if root.body:
        source["sections"] = [child.as_yaml() for child in root.body if isinstance(child, _Section)]
    if closing:
        _closing(closing, source, report)


def _looks_closing(line: str) -> bool:
    return line.startswith(("欢迎", "特此", "以上", "如有", "请各")) or bool(CONTACT_START.search(line))


def _level(line: str) -> tuple[int, int, str]:
    for level, pattern in ((1, LEVEL1), (2, LEVEL2), (4, LEVEL4), (3, LEVEL3)):
        match = pattern.match(line)
        if match:
            typed, rest = match.groups()
            return level, int(typed) if typed.isdigit() else parse_chinese_numeral(typed), rest
    return 0, 0, line


def _section(rest: str, level: int) -> _Section:
    end = RUN_IN_END.search(rest)
    if end and end.end() < len(rest):
        return _Section(rest[: end.end()], level, text=rest[end.end() :])
    return _Section(rest, level)


def _item(match: re.Match[str]) -> dict[str, object]:
    lead, problem, rest = match.groups()
    item: dict[str, object] = {"problem": problem}
    if lead == "关于":
        item["lead"] = lead
    item["measures"] = _measures(rest)
    return item


def _measures(text: str) -> list[str]:
    """一是……二是……三是…… split into measures; text without 一是 is one measure."""
    if not text.startswith("一是"):
        return [text]
    measures, position, number = [], 2, 2
    while True:
        label = enumeration_label(number)
        found = text.find(label, position)
        while found != -1 and text[found - 1] not in "。；":
            found = text.find(label, found + 1)
        if found == -1:
            measures.append(text[position:])
            return measures
        measures.append(text[position:found])
        position, number = found + len(label), number + 1


def _closing(paragraphs: list[str], source: dict, report: list[str]) -> None:
    last = paragraphs[-1]
    contact = CONTACT_START.search(last)
    if contact:
        before, entries = last[: contact.start()], last[contact.start() :].rstrip("。")
        paragraphs = [*paragraphs[:-1], before] if before else paragraphs[:-1]
        pairs = [entry.split("：", 1) for entry in entries.split("；") if "：" in entry]
        source["contact"] = [{label: value} for label, value in pairs]
        report.append(f"contact line: {len(pairs)} entries (sure)")
    source["closing"] = paragraphs + source.get("closing", [])


def _attachment_title(line: str) -> str:
    """`附件：1.名称` or a later `2.名称` → 名称, without the label, number or trailing punctuation."""
    title = re.sub(r"^(?:附\s*件[：:])?\s*(?:\d+[.．、])?\s*", "", line)
    return title.rstrip("，。、；：,.;:")


def _order(source: dict) -> None:
    """Keys in the order a person reads the source."""
    order = (
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
    )
    ordered = {key: source[key] for key in order if key in source}
    source.clear()
    source.update(ordered)
