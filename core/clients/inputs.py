"""What employees send about clients: the card edits and the new client, with their limits (core.shapes).

Every text and list has a maximum (the OpenAPI document shows it), ids and numbers are strict
integers in range, and every time of day carries its time zone.
"""

from __future__ import annotations

from pydantic import Field

from core.shapes import (
    EMAILS_MAX,
    PHONES_MAX,
    Code,
    Comment,
    Day,
    EmailText,
    Id,
    Name,
    PassportText,
    PhoneText,
    Reason,
    Shape,
    Version,
)


class PersonalEdit(Shape):
    """The personal block (S7). `expected_version` guards against lost updates."""

    surname: Name
    first_name: Name
    patronymic: Name = ""
    birth_date: Day | None = None
    region_id: Id | None = None
    town_id: Id | None = None
    expected_version: Version
    reason: Reason | None = None
    comment: Comment | None = None


class PhoneInput(Shape):
    id: Id | None = None  # None adds a phone
    number: PhoneText
    kind: Code = "mobile"


class EmailInput(Shape):
    id: Id | None = None
    address: EmailText


class ContactEdit(Shape):
    """The contact block: numbers and e-mails; every changed value gets an audit row (C10)."""

    phones: list[PhoneInput] = Field(default_factory=list, max_length=PHONES_MAX)
    emails: list[EmailInput] = Field(default_factory=list, max_length=EMAILS_MAX)
    expected_version: Version
    reason: Reason | None = None
    comment: Comment | None = None


class PhoneStrike(Shape):
    phone_id: Id
    reason: Code
    comment: Comment | None = None
    expected_version: Version


class NewClient(Shape):
    """The new potential client questionnaire (K17)."""

    surname: Name
    first_name: Name
    patronymic: Name = ""
    birth_date: Day | None = None
    client_type: Code = "interested"
    region_id: Id | None = None
    town_id: Id | None = None
    passport_series: PassportText | None = None
    passport_number: PassportText | None = None
    phones: list[PhoneText] = Field(default_factory=list, max_length=PHONES_MAX)
    email: EmailText | None = None
    referrer_id: Id | None = None
    comment: Comment | None = None
