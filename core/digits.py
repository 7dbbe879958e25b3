"""Digits typed in any script: `str.isdigit()` is true for `¹` or `᧚`, which `int()` refuses.

Input is first brought to ASCII digits where Unicode says a character is a digit (Arabic-Indic
`٣`, fullwidth `３`, or NFKC-compatible like superscript `¹` and circled `①`); every other
character stays as typed, so it is text, never a number.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _ascii_digit(ch: str) -> str:
    if ch.isascii():
        return ch
    value = unicodedata.decimal(ch, None)
    if value is not None:
        return str(value)
    compatible = unicodedata.normalize("NFKC", ch)
    return compatible if is_digits(compatible) else ch


def ascii_digits(text: str) -> str:
    """`text` with every digit of another script written as ASCII 0-9."""
    return text if text.isascii() else "".join(_ascii_digit(ch) for ch in text)


def is_digits(text: str) -> bool:
    """Only ASCII 0-9 and at least one: safe for `int()`."""
    return text.isascii() and text.isdigit()
