"""F1: any written form of a phone number normalises to one E.164 value."""

from __future__ import annotations

import pytest

from core.clients.phones import format_phone, looks_like_phone, normalize_phone, try_normalize_phone
from core.errors import ValidationFailed

WRITTEN_FORMS = [
    "8 912 345-67-89",
    "+7 (912) 3456789",
    "9123456789",
    "+79123456789",
    "8(912)345 67 89",
    "7 912 345 67 89",
    "  +7-912-345-67-89  ",
]


@pytest.mark.parametrize("written", WRITTEN_FORMS)
def test_every_written_form_gives_the_same_e164(written: str) -> None:
    assert normalize_phone(written) == "+79123456789"


def test_a_landline_with_area_code() -> None:
    assert normalize_phone("8 (4942) 31-20-45") == "+74942312045"


@pytest.mark.parametrize(
    "malformed",
    [
        "12345",  # too short
        "8 912 345-67-89-00",  # too long
        "+7 (000) 000-00-00",  # not a Russian number plan
        "phone",  # no digits
        "",  # nothing
        "   ",
    ],
)
def test_malformed_numbers_are_rejected_with_a_clear_message(malformed: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        normalize_phone(malformed)
    assert failure.value.field == "phone"
    assert failure.value.message == f"'{malformed.strip()}' is not a valid phone number."
    assert try_normalize_phone(malformed) is None


def test_looks_like_phone_only_for_phone_characters() -> None:
    assert looks_like_phone("+7 (912) 345-67-89")
    assert not looks_like_phone("Иванов")
    assert not looks_like_phone("ivan@mail.ru")
    assert not looks_like_phone("")


def test_format_for_reading() -> None:
    assert format_phone("+79123456789") == "+7 912 345-67-89"


def test_a_number_shown_again_is_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A call shows its number at its start and in the saved entry: parsed once (38-51 µs each)."""
    import phonenumbers

    from core.clients import phones

    parsed: list[str] = []
    real = phonenumbers.parse
    monkeypatch.setattr(phonenumbers, "parse", lambda *a, **k: parsed.append(a[0]) or real(*a, **k))
    first = phones.format_phone("+79123450001")
    assert phones.format_phone("+79123450001") == first == "+7 912 345-00-01"
    assert parsed == ["+79123450001"]
