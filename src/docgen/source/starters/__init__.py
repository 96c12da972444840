"""Starter sources for ``docgen new KIND``: one commented YAML per kind, in Chinese, that builds as it is.

In a starter, lines beginning ``## `` explain, and lines beginning ``# `` are the optional elements,
commented out: taking the ``# `` away enables one, and all of them enabled together build too
(tests/source/test_new.py). The document starters name their keys in Chinese (source/keys.py); with
English keys asked for, each key is given its English name, which one Chinese name always has. The
整改进展 starter is a ledger (data/ledger.yaml's shape) for ``docgen progress``, whose keys are English.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen.errors import DocgenError
from docgen.i18n import _
from docgen.source import keys

# Each kind and its starter's file in this folder.
KINDS = {
    "通知": "notice",
    "通报": "bulletin",
    "请示": "request",
    "报告": "report",
    "函": "letter",
    "纪要": "minutes",
    "命令": "order",
    "意见": "opinion",
    "转发通知": "forward",
    "整改进展": "progress",
}
LEDGER = "整改进展"
# A key at the start of a line, after a comment's "# " and list dashes: `  # - 标题: …` names 标题.
_KEY = re.compile(r"^(?P<lead> *(?:# )? *(?:- )*)(?P<key>[^\s#:\-\[\]{}'\"][^\s:]*)(?=:(?:\s|$))", re.MULTILINE)


def starter_text(kind: str, key_language: str = keys.CHINESE) -> str:
    """The starter of ``kind`` (a key of :data:`KINDS`), its keys in ``key_language``."""
    from importlib import resources  # docgen new alone reads a starter; every command's help names the kinds

    text = resources.files(__name__).joinpath(f"{KINDS[kind]}.yaml").read_text(encoding="utf-8")
    return text if key_language == keys.CHINESE else _with_english_keys(text)


def write_starter(kind: str, target: Path, key_language: str = keys.CHINESE) -> None:
    """Write the starter of ``kind`` to ``target``, which must not exist yet."""
    text = starter_text(kind, key_language)
    try:
        with target.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        message = _("{target} exists already; docgen new does not overwrite a file: name another with -o")
        raise DocgenError(message.format(target=target)) from None
    except OSError as error:
        raise DocgenError(_("cannot write {target}: {reason}").format(target=target, reason=error.strerror)) from None


def english_names() -> dict[str, str]:
    """Each Chinese key name and the English key it stands for, in every mapping of a source."""
    return {key.chinese: english for table in keys.TABLES.values() for english, key in table.keys.items()}


def _with_english_keys(text: str) -> str:
    names = english_names()
    return _KEY.sub(lambda match: match["lead"] + names.get(match["key"], match["key"]), text)
