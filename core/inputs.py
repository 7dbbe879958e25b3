"""What employees send: the inputs of the Console port, with their limits (core.shapes).

Every text and list has a maximum (the OpenAPI document shows it), ids and numbers are strict
integers in range, and every time of day carries its time zone.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.errors import ValidationFailed
from core.shapes import (
    ANSWERS_MAX,
    CHOICES_MAX,
    EMAILS_MAX,
    PHONES_MAX,
    TIMEZONE_REQUIRED,
    Code,
    Comment,
    Day,
    EmailText,
    Flag,
    Id,
    Moment,
    Name,
    PassportText,
    PhoneText,
    Reason,
    Shape,
    Version,
    is_aware,
)

Answer = Annotated[int, Field(strict=True, ge=1, le=9)]


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


class CallState(Shape):
    """What happened in the call so far; the server replays `answers` through the script."""

    answers: list[Answer] = Field(default_factory=list, max_length=ANSWERS_MAX)  # answers (1-9) in order
    objections: list[Code] = Field(default_factory=list, max_length=CHOICES_MAX)  # objection-bank codes (K7)
    reached: Flag = False  # K1 "Reached": the operator talks to the client or a third party
    products: list[Id] = Field(default_factory=list, max_length=CHOICES_MAX)  # offered products chosen (O4)


class VisitChoice(Shape):
    region_id: Id
    town_id: Id
    office_id: Id
    slot_id: Id


class VisitSms(Shape):
    """O3. `send=None`: the default (ticked unless the visit is today). `number`: the card's mobile if None."""

    send: Flag | None = None
    number: PhoneText | None = None


class CallResult(Shape):
    """Everything `save_call` writes in one transaction (K15)."""

    client_id: Id
    campaign_id: Id
    phone_id: Id | None = None
    started_at: Moment
    ended_at: Moment | None = None  # None: now
    state: CallState = Field(default_factory=CallState)  # offered products: state.products
    result: Code
    reason: Code | None = None
    preset: Code | None = None  # e.g. "will_call_himself" (K4)
    comment: Comment | None = None
    next_at: Moment | None = None  # call back / think; None: the default date
    visit: VisitChoice | None = None  # agreed, changed visit date, self-pickup
    visit_at: Moment | None = None  # visit to client (K13)
    sms: VisitSms = Field(default_factory=VisitSms)


def require_aware_times(call: CallResult) -> None:
    """The Moment rule again, for a CallResult built without validation (`model_construct`)."""
    for name in ("started_at", "ended_at", "next_at", "visit_at"):
        moment = getattr(call, name)
        if moment is not None and not is_aware(moment):
            raise ValidationFailed(TIMEZONE_REQUIRED, field=name)
