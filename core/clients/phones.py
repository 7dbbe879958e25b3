"""Phone numbers in any written form -> E.164 (SPEC F1), with phonenumbers.

The local written forms of Russian numbers (`8 912 345-67-89`, `+7 (912) 3456789`, `9123456789`,
`79123456789`) take a fast path: the same answer as phonenumbers (tests/test_phones_fast.py), from
the library's own patterns, at a fraction of its 30-40 us a parse.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from core.digits import ascii_digits, is_digits
from core.errors import ValidationFailed

DEFAULT_REGION = "RU"


_RU = phonenumbers.PhoneMetadata.metadata_for_region("RU")
# National numbers not starting 7 or 8 are Russia's alone (Kazakhstan shares +7 with 7xx and 8xx
# numbers; 8xx holds toll-free and the trunk prefix): fixed line or mobile, or no number.
_RU_FAST = re.compile("|".join(d.national_number_pattern for d in (_RU.fixed_line, _RU.mobile)))
_SEPARATORS = str.maketrans("", "", " -().")
_PHONE_SHAPE = re.compile(r"[0-9 +\-().\t]+")  # what `looks_like_phone` accepts, ASCII digits only


def fast_ru(text: str) -> tuple[bool, str | None]:
    """(decided, E.164 or None) for a Russian number in a local written form; undecided forms go
    to phonenumbers. A national number not starting 7 or 8 is valid exactly when it matches the
    library's fixed-line or mobile pattern, so a miss is decided too (a passport, say)."""
    plus = text.startswith("+")
    digits = (text[1:] if plus else text).translate(_SEPARATORS)
    if not (digits.isascii() and digits.isdigit()):
        return False, None
    if len(digits) == 11 and (digits[0] == "7" or (digits[0] == "8" and not plus)):
        national = digits[1:]
    elif len(digits) == 10 and not plus:
        national = digits
    else:
        return False, None
    if national[0] in "78":  # +7 7xx and 8xx: Kazakhstan's too, toll-free and trunk forms
        return False, None
    return True, "+7" + national if _RU_FAST.fullmatch(national) else None


@lru_cache(maxsize=64)
def min_phone_digits(region: str) -> int:
    """Fewer digits than this, written without a plus, are no phone number of the region."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    lengths = metadata.general_desc.possible_length if metadata else ()
    return min(lengths) if lengths else 1


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    raw = ascii_digits(text).strip()
    digits = "".join(ch for ch in raw if is_digits(ch))
    if not digits:
        return None
    # Russian habit: a national number written with the trunk "8" and no plus.
    if region == "RU" and not raw.startswith("+") and len(digits) == 11 and digits[0] in "78":
        raw = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form or raise ValidationFailed with a message for the operator."""
    e164 = try_normalize_phone(text, region)
    if e164 is None:
        raise ValidationFailed(f"'{text.strip()}' is not a valid phone number.", field="phone")
    return e164


def try_normalize_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    if region == "RU":
        decided, e164 = fast_ru(ascii_digits(text).strip())
        if decided:
            return e164
    return parse_e164(text, region)


def parse_e164(text: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 by phonenumbers alone."""
    number = _parse(text, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """Only digits, spaces, +, -, parentheses and dots."""
    return _PHONE_SHAPE.fullmatch(ascii_digits(text).strip()) is not None


@lru_cache(maxsize=4096)  # a call shows its number at the start and again in the saved entry
def format_phone(e164: str) -> str:
    """The way operators read a number: +7 912 345-67-89."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(e164: str) -> bool:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
