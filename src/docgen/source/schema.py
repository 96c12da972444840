"""The JSON Schema (draft-07) of a YAML source, for editors (yaml-language-server, VS Code): completion,
hover text in Chinese and validation while typing.

Generated from the loader's own tables, so the two cannot drift: each mapping's keys, in the loader's
order, are the loader's key tuples (a key the loader takes that has no description here, or a
description of a key the loader does not take, stops the generation); the enumerations (kinds,
urgencies, attendance labels, leads) and the patterns (dates, typed numbers, 发文字号) are the loader's;
sections nest as deep as the loader numbers them. A source names its keys in English or in Chinese
(source/keys.py), never both: the schema is two, one in each, and a source meets one of them.
``docgen schema`` prints it; ``src/docgen/source/source.schema.json`` is the same text, shipped (a
test compares them).

An editor sees YAML 1.2, where ``2023-04-25`` and ``000001`` are a string and a number; the loader
takes a number written plainly as text, so texts are strings or numbers. What the schema cannot say,
the loader still refuses, with its file:line:column: a calendar date that does not exist (2023-02-30),
a table row with more cells than its header, seals not one per organ, a 发文字号's year or serial out of
range, an image file that is missing or not allowed. The other way round, the schema asks for a copy
number in quotes ("000001"), which the loader also takes unquoted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from docgen.model import Kind, ProblemLead
from docgen.source import keys, loader
from docgen.text.numbering import CHINESE_DATE, LABEL_FORMS
from docgen.text.rules import DOCUMENT_NUMBER

Schema = dict[str, object]
DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "urn:docgen:source.schema.json"


class SchemaDrift(Exception):
    """The loader takes keys the schema does not describe, or the other way round (a programming error)."""


# What each key means, in the words of GB/T 9704 where it names the element; one table per mapping the
# loader reads, in no particular order (the loader's tuple gives the order).
DOCUMENT = {
    "title": "标题（7.3.1）：一段文字；要按自己的意思分行时，写成列表，每项一行",
    "organ": "发文机关（一个机关时）：署名用的机关全称或规范化简称；与 organs 二选一",
    "organs": "联合行文的各发文机关：列表，按署名次序；与 organ 二选一",
    "date": "成文日期（7.3.5.4）：2023-04-25 或 2023年4月25日；照录已印发的文件时也可写 二〇二三年四月二十五日",
    "addressees": "主送机关（7.3.2）：一个，或列表",
    "preamble": "正文开头、各部分之前的段落：一段文字，或列表，每项一段",
    "sections": "正文的各部分：列表，每项一个一级标题（一、）及其下的内容；序号自动编排，不要手写",
    "closing": "正文的结尾段落（如 特此通知。 妥否，请批示。），排在各部分之后",
    "contact": "联系方式等：列表，每项一个“名称: 内容”，如 联系电话: 0531-12345678",
    "publication": "网上公开（-f html）时页面上的发布日期、来源和编辑",
    "kind": "公文格式（第10章）：文件（默认）、信函、命令或纪要",
    "header": "版头（7.2）：份号、密级、紧急程度、发文机关标志、发文字号、签发人",
    "attendance": "纪要的出席、请假和列席人员（10.3）：列表，每项一个“出席: [姓名, …]”",
    "attachments": "附件（7.3.4）：列表，每项一个附件的标题（只列入附件说明），或带 body 另页印出的附件",
    "note": "附注（7.3.6），如 此件公开发布；印在成文日期下一行",
    "colophon": "版记（7.4）：抄送机关、印发机关和印发日期",
    "seal": "印章图片（PNG、JPEG 或 SVG），写相对本文件所在文件夹的路径；与 seals 二选一",
    "seals": "联合行文的印章图片：每个发文机关一个，按 organs 的次序；与 seal 二选一",
    "signer": "签发人签名章（7.3.5.3，命令用）：职务和签名章图片",
    "enclosed": "转发、印发的文件（转发通知用）：其标题、正文，及署名（机关和日期，同写或同不写）",
}
HEADER = {
    "copy_number": '份号（7.2.1）：六位阿拉伯数字，加引号写，如 "000001"',
    "secrecy": "密级和保密期限（7.2.2）：以 绝密、机密 或 秘密 开头，如 秘密★1年",
    "urgency": "紧急程度（7.2.3）：特急 或 加急",
    "mark": "发文机关标志（7.2.4）的机关名称：一个，或联合行文时的列表（上下排列）；不写时用发文机关",
    "mark_suffix": "发文机关标志中机关名称后的字：默认 文件（命令默认 命令，纪要默认 纪要，信函不加）；命令也可写 令",
    "number": "发文字号（7.2.5），如 济政发〔2023〕5号（年份用〔〕，序号不编虚位、不加第）；"
    "命令写 第15号，纪要写 第15期",
    "signers": "签发人（7.2.6，上行文用）：一个姓名，或列表",
}
COLOPHON = {
    "copy_to": "抄送机关（7.4.2）：列表（各项不加标点，句号自动加上），或以 。 结尾的一段文字",
    "printer": "印发机关（7.4.3）：与 print_date 同写",
    "print_date": "印发日期（7.4.3），如 2023-04-25：与 printer 同写",
}
ATTACHMENT = {
    "title": "附件标题：末尾不加标点",
    "body": "附件的内容，另页印出：段落、标题、表格",
}
SIGNER = {
    "title": "签发人职务，如 市长",
    "seal": "签名章图片（PNG、JPEG 或 SVG），相对本文件所在文件夹",
}
TABLE_ENTRY = {"table": "一张表格"}
TABLE = {
    "header": "表头：各列的名称",
    "rows": '表格的各行：每行一个列表，单元格数与表头相同；空单元格写 ""',
    "widths": "各列的相对宽度（正数，如 [1, 4, 3, 2]）；不写时按内容定宽",
    "totals": "合计行：单元格数与表头相同",
    "caption": "表题，印在表格上方",
    "landscape": "true：表格另页横排印出（第8章）",
}
SECTION = {
    "heading": "标题：不写序号（一、 （一） 1. （1） 自动编排）",
    "text": "紧接标题、同段排印的文字",
    "body": "标题下的内容：段落、下一级标题、表格或整改事项（problem）",
    "continuous_numbering": "true：下一级标题在各部分之间连续编号",
    "number": "照录已印发文件的序号，如 一、 （二） 3. （4）；不写时自动编排",
}
ITEM = {
    "problem": "整改事项的问题：印作 针对“……”的问题 或 关于“……”的问题",
    "lead": "问题的引导词：针对（默认）或 关于",
    "measures": "整改措施：列表，每项一条；一是、二是 自动编排，不要手写",
    "number": "照录已印发文件的序号；不写时自动编排",
}
ENCLOSED = {
    "title": "所转发、印发的文件的标题",
    "addressees": "所转发文件的主送机关",
    "preamble": "所转发文件正文开头的段落",
    "sections": "所转发文件正文的各部分",
    "closing": "所转发文件的结尾段落",
    "organ": "所转发文件的发文机关：与 date 同写",
    "organs": "所转发文件的各发文机关（联合行文）：与 date 同写",
    "date": "所转发文件的成文日期：与 organ 同写",
}
PUBLICATION = {
    "published": "发布日期，如 2023-04-25",
    "source": "来源，如 市委办公厅",
    "editor": "编辑",
}


def source_schema() -> Schema:
    """The schema of a source, as ``docgen schema`` prints it."""
    languages = (_Language(keys.ENGLISH), _Language(keys.CHINESE))
    definitions = {**_shared_definitions()}
    for language in languages:
        definitions.update(language.definitions())
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "docgen 公文源文件",
        "description": "docgen build 读取的 YAML 源文件：一份 GB/T 9704—2012 公文的内容。必须写标题（title）、"
        "发文机关（organ 或 organs）和成文日期（date）；键名全用英文或全用中文。",
        "definitions": definitions,
        "anyOf": [_ref(language.named("document")) for language in languages],
    }


def schema_text() -> str:
    """The schema as the shipped file holds it: UTF-8 JSON, Chinese as it is, a newline at the end."""
    return json.dumps(source_schema(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- building blocks


def _ref(name: str) -> Schema:
    return {"$ref": f"#/definitions/{name}"}


def _described(description: str, schema: Schema) -> Schema:
    """``schema`` with its description; a reference is wrapped, since draft-07 ignores $ref's siblings."""
    if "$ref" in schema:
        return {"description": description, "allOf": [schema]}
    return {"description": description, **schema}


def _text(*also: Schema) -> Schema:
    """A text value (the definition ``text``), which ``also`` constrains further."""
    return {"allOf": [_ref("text"), *also]} if also else _ref("text")


def _string(pattern: str, message: str) -> Schema:
    """A text that only a string can be (a date, a 发文字号), matching ``pattern``."""
    return {"type": "string", "pattern": pattern, "patternErrorMessage": message}


def _not_matching(pattern: str, message: str) -> Schema:
    """A text that does not match ``pattern`` (which is anchored at the start): a lookahead, so that
    an editor says ``message`` (it has no words of its own for a failed "not")."""
    return {"pattern": f"^(?!{pattern.removeprefix('^')})", "patternErrorMessage": message}


def _texts(each: Schema | None = None) -> Schema:
    """One text, or a non-empty list of them (the definition ``texts``, when each is a plain text)."""
    if each is None:
        return _ref("texts")
    return {"anyOf": [each, {"type": "array", "minItems": 1, "items": each}]}


def _fullmatch(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _either(*patterns: str) -> str:
    return "|".join(f"(?:{pattern})" for pattern in patterns)


def _flag() -> Schema:
    return {"type": "boolean"}


def _pair_list(label: Schema, value: Schema) -> Schema:
    """A list of one-pair mappings, ``- label: value``."""
    pair = {"type": "object", "minProperties": 1, "maxProperties": 1, "propertyNames": label}
    return {"type": "array", "items": {**pair, "additionalProperties": value}}


def _dates() -> tuple[Schema, Schema]:
    """A date as the loader reads it, and a 成文日期, which may also be written in Chinese numerals."""
    no_leading_zero = r"^\d{4}年[1-9]\d?月[1-9]\d?日$"  # the loader's 年月日 form less leading zeros (7.3.5.4)
    forms = (loader.ISO_DATE.pattern, no_leading_zero)
    message = "日期写作 2023-04-25 或 2023年4月25日（月、日不编虚位）"
    day = _string(_either(*forms), message)
    signing = _string(_either(*forms, _fullmatch(CHINESE_DATE.pattern)), message + "，或 二〇二三年四月二十五日")
    return day, signing


def _published_number() -> Schema:
    forms = _either(*(form.pattern for form, _level in LABEL_FORMS))
    return _string(_fullmatch(forms), "序号照已印发的写法：一、 （一） 1. 1、 或 （1）")


def _untrailed(message: str) -> Schema:
    """A text that does not end in punctuation (attachment titles, organs in a 抄送 list)."""
    marks = "".join("\\" + mark if mark in "\\]^-" else mark for mark in loader.TRAILING_PUNCTUATION)
    return _text({"pattern": f"[^{marks}]$", "patternErrorMessage": message})


def _shared_definitions() -> dict[str, Schema]:
    """What holds no keys, the same in either language."""
    return {
        # A string with something other than spaces, or a number written plainly (the loader takes it as text).
        "text": {"type": ["string", "number"], "pattern": r"\S"},
        "texts": _texts(_ref("text")),
        "paragraph": _described("一段文字", _text()),
        "image": _described("图片文件（PNG、JPEG 或 SVG），相对本文件所在文件夹", _text()),
        "row": {"type": "array", "items": {"anyOf": [{"type": "null"}, {"type": ["string", "number"]}]}},
    }


# ---------------------------------------------------------------- the mappings, in one language of keys


class _Language:
    """The schema's mappings with their keys named in one language (keys.ENGLISH or keys.CHINESE)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def named(self, definition: str) -> str:
        """The name of a definition in this language's half of the schema."""
        return f"{definition}_{self.language}"

    def ref(self, definition: str) -> Schema:
        return _ref(self.named(definition))

    def keys(self, table: tuple[str, ...], *english: str) -> list[str]:
        """``english`` keys of ``table`` as this language names them."""
        if self.language == keys.ENGLISH:
            return list(english)
        if not isinstance(table, keys.KeyTable):
            raise SchemaDrift(f"the loader's keys {table} have no Chinese names (source/keys.py)")
        return [table.chinese(key) for key in english]

    def mapping(
        self,
        what: str,
        table: tuple[str, ...],
        descriptions: Mapping[str, str],
        values: Mapping[str, Schema],
        required: Iterable[str] = (),
    ) -> Schema:
        """An object of exactly the keys the loader takes (``table``, in its order), each described.

        ``values`` gives each key's value schema; raises :class:`SchemaDrift` when the loader's keys and
        the descriptions or the values are not the same set.
        """
        english = tuple(table)
        for given, name in ((descriptions, "a description"), (values, "a value schema")):
            missing, extra = set(english) - set(given), set(given) - set(english)
            if missing or extra:
                raise SchemaDrift(
                    f"{what}: the loader takes {sorted(missing)} without {name} in source/schema.py, "
                    f"and {sorted(extra)} has {name} but the loader does not take it"
                )
        names = self.keys(table, *english)
        properties = {
            name: _described(descriptions[key], values[key]) for key, name in zip(english, names, strict=True)
        }
        schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = self.keys(table, *required)
        return schema

    def definitions(self) -> dict[str, Schema]:
        definitions: dict[str, Schema] = {
            "document": self.document(),
            "table_entry": self.mapping(
                "a table entry", keys.TABLE_ENTRY, TABLE_ENTRY, {"table": self.ref("table")}, ["table"]
            ),
            "table": self.table(),
            "item": self.item(),
            "attachment": self.attachment(),
        }
        for level in range(1, loader.MAX_HEADING_LEVEL + 1):
            definitions[f"section{level}"] = self.section(level)
            blocks = [_ref("paragraph"), self.ref("table_entry"), self.ref("item"), self.ref(f"section{level}")]
            definitions[f"blocks{level}"] = {"type": "array", "items": {"anyOf": blocks}}
        deepest = loader.MAX_HEADING_LEVEL + 1  # under a level-4 heading: no heading or item numbers left
        definitions[f"blocks{deepest}"] = {
            "type": "array",
            "items": {"anyOf": [_ref("paragraph"), self.ref("table_entry")]},
        }
        return {self.named(name): definition for name, definition in definitions.items()}

    def table(self) -> Schema:
        width = {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1000},
                {"type": "string", "pattern": r"^\s*(?:\d{1,3}(?:\.\d*)?|\.\d+)\s*$"},
            ]
        }
        values = {
            "header": _texts(),
            "rows": {"type": "array", "items": _ref("row")},
            "widths": {"type": "array", "items": width},
            "totals": _ref("row"),
            "caption": _text(),
            "landscape": _flag(),
        }
        return self.mapping("'table'", loader.TABLE_KEYS, TABLE, values, ["header", "rows"])

    def section(self, level: int) -> Schema:
        heading = _text(_not_matching(loader.TYPED_LABEL.pattern, "标题不写序号：一、 （一） 1. （1） 自动编排"))
        values = {
            "heading": heading,
            "text": _text(),
            "body": self.ref(f"blocks{level + 1}"),
            "continuous_numbering": _flag(),
            "number": _published_number(),
        }
        return self.mapping(f"a level-{level} section", loader.SECTION_KEYS, SECTION, values, ["heading"])

    def item(self) -> Schema:
        measure = _text(_not_matching(loader.TYPED_ENUMERATION.pattern, "措施不写 一是、二是：自动编排"))
        values = {
            "problem": _text(),
            "lead": {"enum": [lead.value for lead in ProblemLead]},
            "measures": _texts(each=measure),
            "number": _published_number(),
        }
        return self.mapping("an item", loader.ITEM_KEYS, ITEM, values, ["problem", "measures"])

    def attachment(self) -> Schema:
        title = _untrailed("附件标题末尾不加标点（7.3.4）")
        values = {"title": title, "body": self.ref("blocks1")}
        described = self.mapping("an attachment", loader.ATTACHMENT_KEYS, ATTACHMENT, values, ["title"])
        return {"anyOf": [title, described]}

    def document(self) -> Schema:
        day, signing = _dates()
        sections = {"type": "array", "items": self.ref("section1")}
        table = loader.DOCUMENT_KEYS
        values = {
            "title": _texts(),
            "organ": _texts(),
            "organs": _texts(),
            "date": signing,
            "addressees": _texts(),
            "preamble": _texts(),
            "sections": sections,
            "closing": _texts(),
            "contact": _pair_list(_text(), _text()),
            "publication": self.mapping(
                "'publication'",
                loader.PUBLICATION_KEYS,
                PUBLICATION,
                {"published": day, "source": _text(), "editor": _text()},
            ),
            "kind": {"enum": list(loader.KIND_NAMES)},
            "header": self.header(),
            "attendance": _pair_list({"enum": list(loader.ATTENDANCE)}, _texts()),
            "attachments": {"type": "array", "items": self.ref("attachment")},
            "note": _text(),
            "colophon": self.colophon(day),
            "seal": _ref("image"),
            "seals": _texts(each=_ref("image")),
            "signer": self.mapping(
                "'signer'", loader.SIGNER_KEYS, SIGNER, {"title": _text(), "seal": _ref("image")}, loader.SIGNER_KEYS
            ),
            "enclosed": self.enclosed(signing, sections),
        }
        document = self.mapping("the document", table, DOCUMENT, values, ["title", "date"])
        numbered_issues = [word for word, kind in loader.KIND_NAMES.items() if kind in (Kind.ORDER, Kind.MINUTES)]
        document_number = _string(
            DOCUMENT_NUMBER.pattern, "发文字号写作 济政发〔2023〕5号：机关代字、〔年份〕、序号加 号"
        )
        (kind, header), (number,) = self.keys(table, "kind", "header"), self.keys(loader.HEADER_KEYS, "number")
        return {
            **document,
            "oneOf": [{"required": self.keys(table, "organ")}, {"required": self.keys(table, "organs")}],
            "not": {"required": self.keys(table, "seal", "seals")},
            # Orders and minutes number their issues (第15号, 第15期); files and letters carry a 发文字号.
            "if": {"required": [kind], "properties": {kind: {"enum": numbered_issues}}},
            "else": {"properties": {header: {"properties": {number: document_number}}}},
        }

    def header(self) -> Schema:
        values = {
            # A string: YAML reads 000001 unquoted as a number (1, or 1.1's octal 1); the loader keeps its digits.
            "copy_number": _string(r"^\d{6}$", '份号是六位数字，加引号写，如 "000001"'),
            "secrecy": _string(f"^(?:{'|'.join(loader._SECRECY)})", "密级以 绝密、机密 或 秘密 开头，如 秘密★1年"),
            "urgency": {"enum": list(loader._URGENCIES)},
            "mark": _texts(),
            "mark_suffix": _text(),
            "number": _text(),
            "signers": _texts(),
        }
        return self.mapping("'header'", loader.HEADER_KEYS, HEADER, values)

    def colophon(self, day: Schema) -> Schema:
        listed = _untrailed("抄送列表中的机关名称不加标点，句号自动加上")
        one_text = _string("。$", "写成一段文字的抄送以 。 结尾（7.4.2）")
        values = {
            "copy_to": {"anyOf": [one_text, {"type": "array", "minItems": 1, "items": listed}]},
            "printer": _text(),
            "print_date": day,
        }
        table = loader._COLOPHON_KEYS
        colophon = self.mapping("'colophon'", table, COLOPHON, values)
        printer, print_date = self.keys(table, "printer", "print_date")
        return {**colophon, "dependencies": {printer: [print_date], print_date: [printer]}}

    def enclosed(self, signing: Schema, sections: Schema) -> Schema:
        values = {
            "title": _texts(),
            "addressees": _texts(),
            "preamble": _texts(),
            "sections": sections,
            "closing": _texts(),
            "organ": _texts(),
            "organs": _texts(),
            "date": signing,
        }
        table = loader.ENCLOSED_KEYS
        enclosed = self.mapping("'enclosed'", table, ENCLOSED, values, ["title"])
        organ, organs, date = self.keys(table, "organ", "organs", "date")
        signed = {"anyOf": [{"required": [organ]}, {"required": [organs]}]}
        return {
            **enclosed,
            "not": {"required": [organ, organs]},
            "dependencies": {organ: [date], organs: [date], date: signed},
        }
