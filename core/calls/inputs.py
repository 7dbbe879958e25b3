"""What the operator sends about a call: its state, the visit, the result (K1-K17), with limits."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.errors import ValidationFailed
from core.shapes import (
    ANSWERS_MAX,
    CHOICES_MAX,
    TIMEZONE_REQUIRED,
    Code,
    Comment,
    Flag,
    Id,
    Moment,
    PhoneText,
    Shape,
    is_aware,
)

Answer = Annotated[int, Field(strict=True, ge=1, le=9)]


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
    script_version: int | None = Field(default=None, ge=0, le=2**31 - 1, strict=True)  # None: the current one


def require_aware_times(call: CallResult) -> None:
    """The Moment rule again, for a CallResult built without validation (`model_construct`)."""
    for name in ("started_at", "ended_at", "next_at", "visit_at"):
        moment = getattr(call, name)
        if moment is not None and not is_aware(moment):
            raise ValidationFailed(TIMEZONE_REQUIRED, field=name)
