"""A saved portal page (``.html``/``.htm``) as the lines of the notice it shows.

A clerk's "save page as" holds the notice among the portal's chrome: menus, breadcrumbs,
share and 打印/关闭 buttons, QR codes, related links, footers, scripts. This module finds the
article body — the block that holds most of the page's Chinese prose, with the content ids
and classes portals use (gov.cn's ``UCAP-CONTENT``, TRS's ``TRS_Editor``, ``zoom``…) as hints
— and gives it one paragraph per line, as a copy from the browser would, for
``importer.import_lines``. Before the body come the portal's 索引号 table (label and value
cells separated by tabs, the form ``importer.portal_row`` reads) and, when the body does not
repeat them, the title shown above the article and its 发布日期 / 来源 lines.

The page is parsed by libxml2's HTML parser with network access off and without its
huge-document mode: an HTML parser loads no DTD, so no entity of the page's own is expanded.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import lxml.html
from lxml import etree

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.importer.text import MAX_LINE, portal_row, read_notice_bytes

# Elements that are never the notice's text.
_DROPPED = ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "canvas", "svg",
            "form", "button", "input", "select", "textarea", "nav", "header", "footer", "aside", "head")  # fmt: skip
# Ids and classes of page chrome: a whole word of the id or class, lowercase (share-box, BreadcrumbNav…).
_CHROME = re.compile(
    r"(?:^|[-_\s])(nav|navbar|menu|breadcrumb\w*|crumbs?|position|location|weizhi|dqwz|share\w*|bdshare\w*|"
    r"print\w*|close|qr\w*|ewm|erweima|code_?img|related|xglj|xgwz|xg|footer|foot|bottom|header|top|topbar|"
    r"banner|sidebar|side|toolbar|tools|pagination|page_?turn|fontsize|font_?size|zihao|back_?top|gotop)"
    r"(?:$|[-_\s])",
    re.IGNORECASE,
)
# Ids and classes portals give their article body (gov.cn, TRS and common CMSs): strong hints.
_CONTENT = re.compile(
    r"^(ucap-content|pages_content|trs_editor|zoom|article-content|article_content|articlecontent|art_con|"
    r"con_txt|content_txt|zwnr|zw|text_content|view_content|detail-content|detail_content|news_content|"
    r"v_news_content|wzcon|mainText|main-text)$",
    re.IGNORECASE,
)
_BLOCKS = frozenset({"p", "div", "td", "th", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "tbody", "thead",
                     "tfoot", "section", "article", "main", "center", "blockquote", "pre", "address", "body",
                     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "figcaption", "caption"})  # fmt: skip
_TITLE = re.compile(r"(?:^|[-_\s])(title|biaoti|bt|tit|headline)(?:$|[-_\s])", re.I)
_CHINESE = re.compile(r"[\u3400-\u9fff]")
_NOT_CHINESE = re.compile(r"[^\u3400-\u9fff]+")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")  # HTML's white space and &nbsp;; 　 (U+3000) is text
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# 发布日期 / 来源 as portals print them near the title: "发布时间：2023-04-25 10:30  来源：市政府办公室".
_META_LABELS = {"发布日期": "发布日期", "发布时间": "发布日期", "日期": "发布日期", "时间": "发布日期",
                "信息来源": "信息来源", "文章来源": "来源", "来源": "来源"}  # fmt: skip
_META = re.compile(rf"({'|'.join(sorted(_META_LABELS, key=len, reverse=True))})\s*[:：]\s*")
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def html_lines(path: Path) -> tuple[list[str], list[str]]:
    """The notice's lines on the page saved at ``path``, and notes on what was done to get them."""
    text, notes = _decoded(path)
    root = _parsed(path, text)
    page = _Page(root)
    lines = page.portal_rows() + page.heading_lines() + page.body_lines
    if not any(_CHINESE.search(line) for line in lines):
        raise DocgenError(_("{path}: found no Chinese text on this page; is it a saved notice?").format(path=path))
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            too_long = _("{path}: paragraph {number} has {length:,} characters; not a paragraph of a notice")
            raise DocgenError(too_long.format(path=path, number=number, length=len(line)))
    return lines, notes + page.notes


def _decoded(path: Path) -> tuple[str, list[str]]:
    """The page's text: its BOM, else its <meta> charset, else UTF-8, else GB18030 (GBK)."""
    raw = read_notice_bytes(path)
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if raw.startswith(bom):
            return _decode(path, raw, encoding), []
    if b"\x00" in raw[:65536]:
        raise DocgenError(_("{path}: this is a binary file, not a web page (.html)").format(path=path))
    declared = _declared_encoding(raw)
    if declared:
        try:
            return raw.decode(declared), []
        except UnicodeDecodeError:
            pass
    try:
        said = _("the page says {encoding}, but it is UTF-8; read as UTF-8")
        return raw.decode("utf-8"), [said.format(encoding=declared)] if declared else []
    except UnicodeDecodeError:
        pass
    text = _decode(path, raw, "gb18030")
    if declared:
        return text, [_("the page says {encoding} but is not UTF-8; read as GB18030 (GBK)").format(encoding=declared)]
    return text, [_("the page is not UTF-8; read as GB18030 (GBK)")]


def _declared_encoding(raw: bytes) -> str | None:
    """The charset of the page's <meta charset> or http-equiv Content-Type, as Python names it."""
    match = _CHARSET.search(raw[:8192])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
        return "gb18030"  # a superset: pages that say GB2312 use GBK's characters all the time
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DocgenError(
            _("{path}:{line}: neither UTF-8 nor GB18030 (GBK) text").format(path=path, line=line)
        ) from None


def _parsed(path: Path, text: str) -> etree._Element:
    # Bytes in a known encoding: a <meta charset> left in the text must not make libxml2 decode again.
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False, remove_comments=True,
                                  remove_pis=True)  # fmt: skip
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise DocgenError(_("{path}: not a readable web page: {error}").format(path=path, error=error)) from None
    return root


class _Page:
    """The parsed page: its portal table, its title and metadata lines, and its article body."""

    def __init__(self, root: etree._Element) -> None:
        self.notes: list[str] = []
        self.tables = [table for table in root.iter("table") if _is_portal_table(table)]
        _drop_chrome(root)
        self.body = _article(root)
        kept_images = sum(1 for _ in self.body.iter("img"))
        self.body_lines = _lines(self.body, skip=self.tables, notes=self.notes)
        if kept_images:
            left_out = _("{count} image(s) in the article were left out: docgen imports text only")
            self.notes.append(left_out.format(count=kept_images))
        self.root = root

    def portal_rows(self) -> list[str]:
        """The portal's 索引号 table, one row a line: label and value cells separated by tabs."""
        rows = []
        for table in self.tables:
            for row in table.iter("tr"):
                cells = [_squeezed(cell.text_content()) for cell in row if cell.tag in ("td", "th")]
                while cells and not cells[-1]:
                    cells.pop()
                line = "\t".join(cells)
                if len(cells) > 1 and portal_row(line) is not None:
                    rows.append(line)
        return rows

    def heading_lines(self) -> list[str]:
        """The title above the article and its 发布日期 / 来源 lines, unless the body gives them."""
        opening = _compact("".join(self.body_lines[:4]))
        title = self._title()
        lines = [title] if title and _compact(title) not in opening else []
        for label, value in self._metadata():
            if not any(line.startswith(label) for line in self.body_lines[:8]):
                lines.append(f"{label}：{value}")
        return lines

    def _title(self) -> str | None:
        """An h1 or h2 outside the body, else a block its portal calls a title, else the 标题 row."""
        headings = list(self.root.iter("h1", "h2")) + [
            element for element in self.root.iter() if isinstance(element.tag, str) and _TITLE.search(
                f"{element.get('id', '')} {element.get('class', '')}")
        ]  # fmt: skip
        for heading in headings:
            text = _squeezed(heading.text_content())
            if not _inside(heading, self.body) and _CHINESE.search(text) and len(text) <= 120:
                return text
        for line in self.portal_rows():
            title = (portal_row(line) or {}).get("标题")
            if title:
                return title
        return None

    def _metadata(self) -> list[tuple[str, str]]:
        """Labelled 发布日期 / 来源 values printed outside the body and outside the portal table."""
        found: dict[str, str] = {}
        for element in self.root.iter():
            if (
                not isinstance(element.tag, str)
                or _inside(element, self.body)
                or any(_inside(element, table) for table in self.tables)
            ):
                continue
            own = _squeezed(" ".join(filter(None, [element.text] + [child.tail for child in element])))
            for label, value in _labelled(own):
                found.setdefault(label, value)
        return list(found.items())


def _labelled(text: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs in "发布时间：2023-04-25 10:30 来源：市政府办公室"."""
    pairs = []
    matches = list(_META.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip()
        label = _META_LABELS[match.group(1)]
        if label == "发布日期":
            day = _DAY.match(value)
            if not day:
                continue
            year, month, dom = day.groups()
            value = f"{year}-{int(month):02d}-{int(dom):02d}"
        else:
            value = value.split(" ")[0]
        if value and len(value) <= 60:
            pairs.append((label, value))
    return pairs


def _is_portal_table(table: etree._Element) -> bool:
    """The portal's metadata table: its own rows (not a nested table's) are 索引号-style label cells."""
    rows = [row for row in table.iter("tr") if _nearest(row, "table") is table]
    labelled = 0
    for row in rows:
        cells = [_squeezed(cell.text_content()) for cell in row if cell.tag in ("td", "th")]
        while cells and not cells[-1]:
            cells.pop()
        labelled += len(cells) > 1 and portal_row("\t".join(cells)) is not None
    return labelled > 0 and labelled * 2 >= len(rows)


def _drop_chrome(root: etree._Element) -> None:
    """Take out what is page furniture by its tag, or by an id or class portals give furniture."""
    doomed = []
    for element in root.iter():
        if element.tag in _DROPPED or (element.tag not in ("html", "body") and _is_chrome(element)):
            doomed.append(element)
    for element in doomed:
        _remove(element)


def _is_chrome(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False  # comments and processing instructions are gone already (remove_comments, remove_pis)
    names = f"{element.get('id', '')} {element.get('class', '')}".strip()
    if not names or any(_CONTENT.match(name) for name in names.split()):
        return False
    if not _CHROME.search(names):
        return False
    # An id or class like "top" on a wrapper of the whole article is not chrome: keep what holds prose.
    return _chinese_count(element) < 200


def _remove(element: etree._Element) -> None:
    """Remove ``element`` but keep the text that follows it (its tail belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _article(root: etree._Element) -> etree._Element:
    """The article body: start from a content-hinted block holding most of the page's text (else
    the page), then go down while one child block holds nearly all of it."""
    body = root.find("body")
    node = body if body is not None else root
    total = _prose(node)
    hinted = [element for element in node.iter() if isinstance(element.tag, str) and _is_hinted(element)]
    best = max(hinted, key=_prose, default=None)
    if best is not None and _prose(best) * 2 >= total:
        node = best
    while True:
        children = [child for child in node if isinstance(child.tag, str) and child.tag in _BLOCKS]
        weights = [(_prose(child), child) for child in children]
        heavy = max(weights, key=lambda pair: pair[0], default=(0, None))
        if heavy[1] is None or heavy[0] < 0.85 * _prose(node) or _is_paragraph(heavy[1]):
            return node
        node = heavy[1]


def _is_hinted(element: etree._Element) -> bool:
    names = f"{element.get('id', '')} {element.get('class', '')}".split()
    return any(_CONTENT.match(name) for name in names)


def _prose(element: etree._Element) -> int:
    """Chinese characters of ``element`` outside links: menus and link lists weigh nothing."""
    count = _chinese_count(element)
    return count - sum(_chinese_count(link) for link in element.iter("a"))


def _chinese_count(element: etree._Element) -> int:
    return len(_NOT_CHINESE.sub("", element.text_content()))  # no list of millions of matches on a big page


def _is_paragraph(element: etree._Element) -> bool:
    """One paragraph: no block inside it holds text and no <br> breaks it into lines."""
    inner_blocks = any(
        child.tag in _BLOCKS and _CHINESE.search(child.text_content())
        for child in element.iterdescendants()
        if isinstance(child.tag, str)
    )
    return not inner_blocks and element.find(".//br") is None


def _lines(body: etree._Element, skip: list[etree._Element], notes: list[str]) -> list[str]:
    """The body's text, one block, <br> line or table row a line."""
    lines: list[str] = []
    current: list[str] = []
    tables = 0

    def flush() -> None:
        line = _squeezed("".join(current))
        if line:
            lines.append(line)
        current.clear()

    def walk(element: etree._Element) -> None:
        nonlocal tables
        if element.tag == "br":
            flush()
        elif element.tag == "table":
            if element not in skip:
                flush()
                tables += 1
                lines.extend(_table_rows(element))
        elif element.tag == "img":
            pass
        else:
            block = element.tag in _BLOCKS
            if block:
                flush()
            current.append(element.text or "")
            for child in element:
                if isinstance(child.tag, str):
                    walk(child)
                current.append(child.tail or "")
            if block:
                flush()

    walk(body)
    flush()
    if tables:
        as_lines = _("{count} table(s) in the article were kept as lines, one row a line, cells separated by tabs")
        notes.append(as_lines.format(count=tables))
    return lines


def _table_rows(table: etree._Element) -> list[str]:
    rows = []
    for row in table.iter("tr"):
        if _nearest(row, "table") is not table:
            continue  # a nested table's rows are read as part of its cell
        cells = [" ".join(_lines(cell, skip=[], notes=[])) for cell in row if cell.tag in ("td", "th")]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append("\t".join(cells))
    return rows


def _nearest(element: etree._Element, tag: str) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _inside(element: etree._Element, container: etree._Element) -> bool:
    while element is not None:
        if element is container:
            return True
        element = element.getparent()
    return False


def _squeezed(text: str) -> str:
    """Runs of HTML white space and &nbsp; as one space, none at the ends."""
    return _SPACES.sub(" ", text).strip()


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text)
