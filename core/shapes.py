"""Field types of the Console port's shapes, with the limits every input obeys.

Inputs are strict where JSON has the type (a number is not "123", a flag is not 0, an id is not
1.0) and take dates and times only as ISO 8601 text (JSON has no date type) or as date objects.
A time of day must carry its time zone: `2025-03-10T12:00:00+03:00` or `…Z`, never a bare
`2025-03-10T12:00:00` (that would be read in some zone nobody chose).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**31 - 1  # the stores use 32-bit keys: anything else names nothing

# Maxima of text fields (characters) and lists (items); README "Limits" lists them.
NAME_LEN = 100  # surname, first name, patronymic
CODE_LEN = 100  # codes: client type, result, reason, preset, template, objection, phone kind
PHONE_LEN = 50  # a phone number as typed, with spaces and brackets
EMAIL_LEN = 254  # RFC 5321
PASSPORT_LEN = 20  # series (4 digits) or number (6 digits), spaces allowed
REASON_LEN = 500  # the reason written for an edit of the card
COMMENT_LEN = 2000  # comments: the same as the domain rule (core.clients.operations.MAX_COMMENT)
PHONES_MAX = 10  # phones of a new client or of one contact edit
EMAILS_MAX = 10
ANSWERS_MAX = 200  # script answers of one call
CHOICES_MAX = 50  # objections or products of one call


TIMEZONE_REQUIRED = "A time needs its time zone offset, e.g. 2025-03-10T12:00:00+03:00."


def is_aware(value: datetime) -> bool:
    return value.tzinfo is not None and value.utcoffset() is not None


class Shape(BaseModel):
    model_config = {"extra": "forbid"}


def _iso_only(value: Any) -> Any:
    if isinstance(value, str | date):
        return value
    raise PydanticCustomError("iso_text", "Write dates and times as ISO 8601 text.")


def _aware(value: datetime) -> datetime:
    if not is_aware(value):
        raise PydanticCustomError("timezone_required", TIMEZONE_REQUIRED)
    return value


def text(max_length: int, min_length: int = 0) -> Any:
    """A strict string field of at most `max_length` characters."""
    return Annotated[str, Field(strict=True, min_length=min_length or None, max_length=max_length)]


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Version = Annotated[int, Field(strict=True, ge=0, le=MAX_ID)]
Flag = Annotated[bool, Field(strict=True)]
Day = Annotated[date, BeforeValidator(_iso_only)]
Moment = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_aware)]
Name = text(NAME_LEN)
Code = text(CODE_LEN)
PhoneText = text(PHONE_LEN)
EmailText = text(EMAIL_LEN)
PassportText = text(PASSPORT_LEN)
Reason = text(REASON_LEN)
Comment = text(COMMENT_LEN)
