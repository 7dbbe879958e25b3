"""Phone numbers in any written form -> E.164 (SPEC F1), with phonenumbers."""

from __future__ import annotations

import phonenumbers

from core.digits import ascii_digits, is_digits
from core.errors import ValidationFailed

DEFAULT_REGION = "RU"


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
    number = _parse(text, region)
    if number is None:
        raise ValidationFailed(f"'{text.strip()}' is not a valid phone number.", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    number = _parse(text, region)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """Only digits, spaces, +, -, parentheses and dots."""
    stripped = ascii_digits(text).strip()
    return bool(stripped) and all(is_digits(ch) or ch in " +-().\t" for ch in stripped)


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
