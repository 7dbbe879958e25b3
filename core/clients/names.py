"""Search keys for names (SPEC F2): any case, `ё` = `е`, Cyrillic or Latin.

SQLite folds only ASCII, so keys are computed here and searched as byte ranges.
"""

from __future__ import annotations

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip


def fold(text: str) -> str:
    """Case-fold, `ё` -> `е`, collapse whitespace."""
    return " ".join(text.casefold().replace("ё", "е").split())


def name_key(surname: str, first_name: str, patronymic: str = "") -> str:
    """Key of "surname name patronymic": a prefix of it matches a surname or "surname name"."""
    return fold(" ".join(part for part in (surname, first_name, patronymic) if part))


def latin_key(folded: str) -> str:
    """Latin transliteration (ICAO-like) of a folded key, so `ivanov` finds `Иванов`."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in folded)


def is_latin(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (code-point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def full_name(surname: str, first_name: str, patronymic: str = "") -> str:
    return " ".join(part for part in (surname, first_name, patronymic) if part)
