"""The fast path for local written forms of Russian numbers answers what phonenumbers answers."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.clients.phones import fast_ru, min_phone_digits, parse_e164, try_normalize_phone
from core.clients.search import plan

SEPARATORS = st.sampled_from(["", " ", "-", "(", ")", ".", "\t", " (", ") ", "--"])
PREFIXES = st.sampled_from(["", "8", "7", "+7", "+7 ", "8 ", "8(", "+7(", "+ 7", "+8", "+", "78", "(8)"])


@st.composite
def written_numbers(draw: st.DrawFn) -> str:
    """A prefix and 9-12 digits (mostly a Russian national number), separators anywhere between."""
    first = draw(st.sampled_from("0123456789" + "39" * 6 + "4"))
    rest = draw(st.text("0123456789", min_size=8, max_size=11))
    digits = first + rest
    out = draw(PREFIXES)
    for ch in digits:
        out += draw(SEPARATORS) + ch
    return out + draw(st.sampled_from(["", " ", ")", "-", "."]))


@settings(max_examples=3000, deadline=None)
@given(written_numbers())
@example("8 912 345-67-89")
@example("+7 (912) 3456789")
@example("9123456789")
@example("79123456789")
@example("+7 495 123-45-67")
@example("+7 930 0001234")  # a gap in the mobile ranges
def test_the_fast_path_equals_phonenumbers(text: str) -> None:
    decided, e164 = fast_ru(text.strip())
    if decided:  # else the fast path does not know the form and phonenumbers decides
        assert e164 == parse_e164(text, "RU")
    assert try_normalize_phone(text, "RU") == parse_e164(text, "RU")


@pytest.mark.parametrize(
    "text", ["8 912 345-67-89", "+7 (912) 3456789", "9123456789", "79123456789", "89123456789", "+7 495 123-45-67"]
)
def test_the_local_forms_take_the_fast_path(text: str) -> None:
    assert fast_ru(text) == (True, parse_e164(text, "RU"))
    assert parse_e164(text, "RU") is not None


@pytest.mark.parametrize(
    "text", ["4510123456", "4510 123456", "9300001234", "8 930 000-12-34", "0123456789", "+7 512 345-67-89"]
)
def test_invalid_local_forms_are_decided_too(text: str) -> None:
    assert fast_ru(text) == (True, None)
    assert parse_e164(text, "RU") is None


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 10 ** (min_phone_digits("RU") - 1) - 1).map(str))
def test_a_short_digit_string_is_no_phone(digits: str) -> None:
    assert parse_e164(digits, "RU") is None  # what phonenumbers would say, so skipping it loses nothing
    assert "phone" not in {lookup.kind for lookup in plan(digits, "RU")}


def test_a_short_digit_string_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.clients.phones

    def refuse(*_args: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(core.clients.phones.phonenumbers, "parse", refuse)
    assert [lookup.kind for lookup in plan("123456", "RU")] == ["id"]
    assert [lookup.kind for lookup in plan("8 912 345-67-89", "RU")] == ["phone"]
    assert [lookup.kind for lookup in plan("4510 123456", "RU")] == ["passport"]
    assert [lookup.kind for lookup in plan("1234 567890", "RU")] == ["passport"]
