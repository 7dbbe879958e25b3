"""The console's gettext catalogue (`crm`) for the texts core renders itself, such as report files:
`translator("ru")` gives the catalogue's Russian, any other language the English msgid.

The catalogue is the one the console uses (`tui/locale`, installed beside `core`); it is read as
files, so core imports nothing of the console."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "crm"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "tui" / "locale"
LANGUAGES = ("en", "ru")
DEFAULT = "en"


def language_of(requested: str | None) -> str:
    """`ru`, `ru-RU`, `ru_RU.UTF-8`, an Accept-Language list (`ru-RU,ru;q=0.9,en;q=0.8`): the first
    known language; else English."""
    for part in (requested or "").split(","):
        code = part.split(";")[0].strip().replace("_", "-").split("-")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


@cache
def translator(language: str) -> Callable[[str], str]:
    if language_of(language) == DEFAULT:
        return lambda text: text
    found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language_of(language)], fallback=True)
    return lambda text: found.gettext(text) if text else text
