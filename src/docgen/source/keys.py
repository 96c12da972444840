"""The keys of a source, in English and in Chinese: one documented Chinese name for every key.

A source names its keys in one language, English (``title``) or Chinese (``标题``), never both;
the reader takes either and refuses a source that mixes them. Each mapping of the source has
its table here (:data:`DOCUMENT`, :data:`HEADER`, …), which the loader checks keys against. A
table also knows what each key's value may be (a text, a list, a mapping), so a misspelled key
is answered only with keys whose value fits, and what the mappings under a key are, so a whole
source can be renamed (:func:`with_chinese_keys`, what ``docgen import --keys zh`` writes).

The names, mapping by mapping (English, then Chinese; tests/source/test_chinese_keys.py holds
this list to the tables):

- document: title 标题, organ 发文机关, organs 联合发文机关, date 成文日期, addressees 主送机关,
  preamble 开头, sections 正文, closing 结尾, contact 联系方式, publication 发布信息, kind 格式,
  header 版头, attendance 参会人员, attachments 附件, note 附注, colophon 版记, seal 印章,
  seals 联合印章, signer 签名, enclosed 转发文件
- header: copy_number 份号, secrecy 密级, urgency 紧急程度, mark 发文机关标志, mark_suffix 标志后缀,
  number 发文字号, signers 签发人
- colophon: copy_to 抄送机关, printer 印发机关, print_date 印发日期
- attachment: title 标题, body 内容
- signer: title 职务, seal 签名章
- section: heading 小标题, text 段落, body 内容, continuous_numbering 连续编号, number 序号
- item: problem 问题, lead 引导词, measures 整改措施, number 序号
- table_entry: table 表格
- table: header 表头, rows 行, widths 列宽, totals 合计行, caption 表题, landscape 横排
- publication: published 发布日期, source 来源, editor 编辑

``enclosed`` (the document a 转发/印发 notice passes on) takes the document's names for its keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

TEXT = frozenset({"text"})
TEXTS = frozenset({"text", "list"})  # one text, or a list of them
LIST = frozenset({"list"})
MAPPING = frozenset({"mapping"})
ENGLISH = "en"
CHINESE = "zh"


@dataclass(frozen=True)
class Key:
    """One key of a mapping: its Chinese name, what its value may be, and the table of the mappings
    its value holds (itself a mapping, or a list of them), by that table's name in :data:`TABLES`."""

    chinese: str
    holds: frozenset[str]
    inner: str | None = None


class KeyTable(tuple[str, ...]):
    """The English keys of one mapping of the source, in the order a person reads them (iterated
    and searched like the tuple of names the loader checks keys against), each with its :class:`Key`."""

    name: str  # its name in TABLES, by which a Key names the mappings it holds
    keys: Mapping[str, Key]
    english: Mapping[str, str]  # Chinese name → English key

    def __new__(cls, name: str, keys: dict[str, Key]) -> KeyTable:
        table = super().__new__(cls, keys)
        table.name = name
        table.keys = MappingProxyType(keys)
        table.english = MappingProxyType({key.chinese: english for english, key in keys.items()})
        return table

    def named(self, language: str) -> tuple[str, ...]:
        """The keys as a source in ``language`` writes them."""
        return tuple(self) if language == ENGLISH else tuple(self.keys[key].chinese for key in self)

    def chinese(self, key: str) -> str:
        return self.keys[key].chinese


# The keys a document shares with the one a 转发/印发 notice passes on.
_SHARED = {
    "title": Key("标题", TEXTS),
    "organ": Key("发文机关", TEXTS),
    "organs": Key("联合发文机关", TEXTS),
    "date": Key("成文日期", TEXT),
    "addressees": Key("主送机关", TEXTS),
    "preamble": Key("开头", TEXTS),
    "sections": Key("正文", LIST, "section"),
    "closing": Key("结尾", TEXTS),
}
DOCUMENT = KeyTable(
    "document",
    {
        **_SHARED,
        "contact": Key("联系方式", LIST),
        "publication": Key("发布信息", MAPPING, "publication"),
        "kind": Key("格式", TEXT),
        "header": Key("版头", MAPPING, "header"),
        "attendance": Key("参会人员", LIST),
        "attachments": Key("附件", LIST, "attachment"),
        "note": Key("附注", TEXT),
        "colophon": Key("版记", MAPPING, "colophon"),
        "seal": Key("印章", TEXT),
        "seals": Key("联合印章", TEXTS),
        "signer": Key("签名", MAPPING, "signer"),
        "enclosed": Key("转发文件", MAPPING, "enclosed"),
    },
)
ENCLOSED = KeyTable(
    "enclosed",
    {
        key: _SHARED[key]
        for key in ("title", "addressees", "preamble", "sections", "closing", "organ", "organs", "date")
    },
)
HEADER = KeyTable(
    "header",
    {
        "copy_number": Key("份号", TEXT),
        "secrecy": Key("密级", TEXT),
        "urgency": Key("紧急程度", TEXT),
        "mark": Key("发文机关标志", TEXTS),
        "mark_suffix": Key("标志后缀", TEXT),
        "number": Key("发文字号", TEXT),
        "signers": Key("签发人", TEXTS),
    },
)
COLOPHON = KeyTable(
    "colophon",
    {"copy_to": Key("抄送机关", TEXTS), "printer": Key("印发机关", TEXT), "print_date": Key("印发日期", TEXT)},
)
ATTACHMENT = KeyTable("attachment", {"title": Key("标题", TEXT), "body": Key("内容", LIST, "block")})
SIGNER = KeyTable("signer", {"title": Key("职务", TEXT), "seal": Key("签名章", TEXT)})
SECTION = KeyTable(
    "section",
    {
        "heading": Key("小标题", TEXT),
        "text": Key("段落", TEXT),
        "body": Key("内容", LIST, "block"),
        "continuous_numbering": Key("连续编号", TEXT),
        "number": Key("序号", TEXT),
    },
)
ITEM = KeyTable(
    "item",
    {
        "problem": Key("问题", TEXT),
        "lead": Key("引导词", TEXT),
        "measures": Key("整改措施", TEXTS),
        "number": Key("序号", TEXT),
    },
)
TABLE_ENTRY = KeyTable("table_entry", {"table": Key("表格", MAPPING, "table")})
TABLE = KeyTable(
    "table",
    {
        "header": Key("表头", TEXTS),
        "rows": Key("行", LIST),
        "widths": Key("列宽", LIST),
        "totals": Key("合计行", LIST),
        "caption": Key("表题", TEXT),
        "landscape": Key("横排", TEXT),
    },
)
PUBLICATION = KeyTable(
    "publication", {"published": Key("发布日期", TEXT), "source": Key("来源", TEXT), "editor": Key("编辑", TEXT)}
)
# A mapping in a body is a table entry when it has the table's key, an item when it has the problem's,
# a section otherwise (the loader's own test, docgen.source.loader._blocks).
BLOCKS = ((TABLE_ENTRY, "table"), (ITEM, "problem"), (SECTION, None))
TABLES: Mapping[str, KeyTable] = MappingProxyType(
    {
        table.name: table
        for table in (
            DOCUMENT,
            ENCLOSED,
            HEADER,
            COLOPHON,
            ATTACHMENT,
            SIGNER,
            SECTION,
            ITEM,
            TABLE_ENTRY,
            TABLE,
            PUBLICATION,
        )
    }
)


def block_table(names: set[str]) -> KeyTable:
    """The table of a mapping in a body whose keys (in either language) are ``names``."""
    for table, marker in BLOCKS:
        if marker is None or {marker, table.chinese(marker)} & names:
            return table
    raise AssertionError("BLOCKS ends with a table for any mapping")


def _inner_tables(inner: str, value: dict[str, object]) -> KeyTable:
    return block_table(set(value)) if inner == "block" else TABLES[inner]


def with_chinese_keys(source: dict[str, object], table: KeyTable = DOCUMENT) -> dict[str, object]:
    """``source`` (a document as YAML's safe loader builds it, keys in English) with every key in
    Chinese, in the same order; labels that are not keys (contact, attendance) are left as they are."""
    renamed: dict[str, object] = {}
    for english, value in source.items():
        key = table.keys.get(english)
        if key is None:  # not a key of this table: the loader will say so
            renamed[english] = value
            continue
        renamed[key.chinese] = _renamed(value, key.inner)
    return renamed


def _renamed(value: object, inner: str | None) -> object:
    if inner is None:
        return value
    if isinstance(value, dict):
        return with_chinese_keys(value, _inner_tables(inner, value))
    if isinstance(value, list):
        return [_renamed(item, inner) for item in value]
    return value


def places_of(name: str) -> list[tuple[KeyTable, str]]:
    """Every table with a key written ``name`` (in either language), and that key in English."""
    found = []
    for table in TABLES.values():
        english = name if name in table.keys else table.english.get(name)
        if english is not None:
            found.append((table, english))
    return found
