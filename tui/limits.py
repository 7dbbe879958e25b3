"""Input widgets stop at the maxima of the core inputs (core.shapes), so a form never builds a
request the models refuse."""

from __future__ import annotations

from core import shapes

_BY_ID = {
    "surname": shapes.NAME_LEN,
    "first-name": shapes.NAME_LEN,
    "patronymic": shapes.NAME_LEN,
    "birth-date": 20,
    "passport-series": shapes.PASSPORT_LEN,
    "passport-number": shapes.PASSPORT_LEN,
    "bureau-series": shapes.PASSPORT_LEN,
    "bureau-number": shapes.PASSPORT_LEN,
    "mobile": shapes.PHONE_LEN,
    "phone2": shapes.PHONE_LEN,
    "sms-number": shapes.PHONE_LEN,
    "email": shapes.EMAIL_LEN,
    "referrer": 10,  # a CRM id
    "reason": shapes.REASON_LEN,
    "comment": shapes.COMMENT_LEN,
    "strike-comment": shapes.COMMENT_LEN,
}
_BY_PREFIX = {"phone-": shapes.PHONE_LEN, "email-": shapes.EMAIL_LEN}


def max_length(widget_id: str) -> int:
    """The most characters the Input `widget_id` takes (0: no limit, Textual's default)."""
    if widget_id in _BY_ID:
        return _BY_ID[widget_id]
    return next((n for prefix, n in _BY_PREFIX.items() if widget_id.startswith(prefix)), 0)
