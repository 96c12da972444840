"""The interface's language: Chinese by default, English on request.

Messages are written in English in the code, inside `_("...")` (or `ngettext` for counts), and
translated from the zh_CN catalog in docgen/locale (`make catalogs` extracts and compiles it).
Chinese is spoken whatever the locale says, English when DOCGEN_LANG, LC_ALL, LC_MESSAGES or LANG
(the first one set, in that order) asks for it (en, en_US.UTF-8, …), or `docgen --lang en`.
Placeholders are str.format fields: `_("cannot read {path}").format(path=path)`, never an
f-string inside `_()`, whose text would not be the catalog's.
"""

from __future__ import annotations

import gettext
import importlib
import os
import weakref
from collections.abc import Mapping
from pathlib import Path

import click

DOMAIN = "docgen"
LOCALE_DIR = Path(__file__).parent / "locale"
CHINESE = "zh"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
_CATALOG_OF = {CHINESE: "zh_CN"}
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """English when DOCGEN_LANG (or else the locale) names it, Chinese otherwise: also for C/POSIX."""
    wanted = environ.get("DOCGEN_LANG") or next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")
    return ENGLISH if wanted.lower().startswith("en") else CHINESE


def _translations(language: str) -> gettext.NullTranslations:
    catalog = _CATALOG_OF.get(language)
    if catalog is None:
        return gettext.NullTranslations()  # English: the msgids themselves
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog], fallback=True)


_language = language_from_environment()
_current = _translations(_language)


def set_language(language: str) -> None:
    """Speak LANGUAGE ("zh" or "en") from now on, in this process and the workers it forks."""
    global _language, _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _language, _current = language, _translations(language)


def language() -> str:
    return _language


def _(message: str) -> str:
    """MESSAGE in the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for COUNT, in the current language (Chinese has one form)."""
    return _current.ngettext(singular, plural, count)


def N_(message: str) -> str:  # gettext's own name for it, and the extractor's keyword
    """Mark MESSAGE for the catalog without translating it yet (click help, translated when shown)."""
    return message


_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
_help_msgids: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()
_CLICK_HELP_OPTION = "Show this message and exit."  # click's msgid for its --help option's help


def speak(language: str, command: click.Command) -> None:
    """Speak LANGUAGE from now on: docgen's messages, COMMAND's help (its subcommands', its
    options') and click's own words (Usage:, Options:, its errors), which it reads through gettext."""
    set_language(language)
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    _translate_help(command)


def _translate_help(command: click.Command) -> None:
    """The help of COMMAND and of everything under it, from the English it was declared in (N_)."""
    # click makes a command's --help option when it is first shown, with its help in that run's language.
    shown_help = getattr(command, "_help_option", None)
    helped: list[click.Command | click.Parameter] = [command, *command.params, *([shown_help] if shown_help else [])]
    for item in helped:
        # The --help option may first be made in the environment's language: its English is click's own.
        english = _help_msgids.setdefault(item, _CLICK_HELP_OPTION if item is shown_help else item.help or "")
        if english:
            item.help = _(english)
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _translate_help(subcommand)
