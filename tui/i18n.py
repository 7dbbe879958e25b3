"""English and Russian for every label and message (gettext catalogue `crm`).

`_()` looks the text up in the language chosen at start-up; `N_()` only marks a text for the
catalogue (class-level constants such as binding descriptions are translated when used).
Core error messages (English) are translated here too: fixed ones by the catalogue, formatted
ones (with a phone, a name, a number inside) by the patterns in `tui.errors`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "crm"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "ru")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def pick_language(requested: str | None = None, environ: dict[str, str] | None = None) -> str:
    """`--lang` / CRM_LANG (already in settings.lang), else the locale: LANGUAGE, LC_ALL, LC_MESSAGES, LANG."""
    env = os.environ if environ is None else environ
    candidates = [requested] if requested else []
    candidates += [env.get(name) for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    for value in candidates:
        if not value or value in ("C", "POSIX"):
            continue
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
        if requested and value == requested:
            continue  # an unknown --lang falls through to the locale
        return "en"
    return "en"


def set_language(language: str) -> None:
    global _current, _language
    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message) if message else message


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
