"""What automation answers: rules as saved, and their firings."""

from __future__ import annotations

from datetime import datetime

from core.automation.inputs import EffectIn, TriggerIn
from core.shapes import Shape
from core.work.models import Condition


class Rule(Shape):
    id: int
    name: str
    enabled: bool
    trigger: TriggerIn
    conditions: list[Condition]
    effects: list[EffectIn]
    author_id: int | None
    author: str | None
    created_at: datetime
    updated_at: datetime


class Firing(Shape):
    """A rule fired once for an event: what it did, as written on the card's history."""

    id: int
    rule_id: int
    rule: str
    client_id: int
    event_key: str
    at: datetime
    summary: str
