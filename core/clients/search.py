"""What a search query means (F1, F2): the index lookups it runs, each served by an index."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.clients.card_rules import email_key
from core.clients.names import fold, is_latin, prefix_upper_bound
from core.clients.phones import looks_like_phone, min_phone_digits, try_normalize_phone
from core.digits import ascii_digits, is_digits
from core.errors import ValidationFailed

_NOT_DIGIT = re.compile(r"[^0-9]")
MAX_CLIENT_ID = 2**31 - 1  # client.id is a 32-bit INTEGER: a larger number names no client


@dataclass(frozen=True)
class Lookup:
    kind: str  # phone | id | passport | email | name | latin | tag | tag_name
    value: str
    high: str | None = None  # upper bound of a name range
    tag: str | None = None  # tag_name: the tag the named clients carry


def plan(query: str, region: str) -> list[Lookup]:
    """The lookups for a query; a digits-only query may be a phone, an id and a passport at once.

    Any text is a query: digits of other scripts count as digits, other characters as text.
    """
    text = ascii_digits(query).strip()
    if not text:
        return []
    if text.startswith("#"):  # M7: `#tag`, `#tag surname`
        return _tag_plan(text)
    if "@" in text:
        return [Lookup("email", email_key(text))]
    lowered = text.casefold()
    for prefix in ("id:", "id "):
        if lowered.startswith(prefix) and is_digits(lowered[len(prefix) :].strip()):
            number = lowered[len(prefix) :].strip()
            return [Lookup("id", number)] if 0 < int(number) <= MAX_CLIENT_ID else []
    if looks_like_phone(text):
        lookups = []
        digits = _NOT_DIGIT.sub("", text)  # text holds ASCII digits only (ascii_digits)
        plus = text.startswith("+")
        # shape first: a short digit string (an id, say) is never a phone: no parse at all
        phone = try_normalize_phone(text, region) if plus or len(digits) >= min_phone_digits(region) else None
        if phone:
            lookups.append(Lookup("phone", phone))
        if len(digits) == 10 and not text.lstrip().startswith("+"):
            lookups.append(Lookup("passport", digits))
        if len(digits) <= 12 and is_digits(text) and 0 < int(digits) <= MAX_CLIENT_ID:
            lookups.append(Lookup("id", digits))
        if not lookups:
            raise ValidationFailed(f"'{text}' is not a valid phone number, CRM id or passport.", field="query")
        return lookups
    key = fold(text)
    if is_latin(key):
        return [Lookup("name", key, prefix_upper_bound(key)), Lookup("latin", key, prefix_upper_bound(key))]
    return [Lookup("name", key, prefix_upper_bound(key))]


def _tag_plan(text: str) -> list[Lookup]:
    from core.work.rules import tag_key

    head, _, rest = text.partition(" ")
    tag = tag_key(head)
    key = fold(rest) if rest.strip() else ""
    if not key:
        return [Lookup("tag", tag)]
    return [Lookup("tag_name", key, prefix_upper_bound(key), tag=tag)]
