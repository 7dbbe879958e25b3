"""What an employee sends to define an automation rule, with its limits (core.shapes)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from core.automation.rules import MAX_DAYS, MAX_DUE_MINUTES, MAX_EFFECTS
from core.shapes import Code, Flag, Id, Shape, text
from core.trading.models import Amount
from core.work.inputs import ConditionIn
from core.work.rules import MAX_CONDITIONS, TAG_LEN

__all__ = ["ConditionIn", "EffectIn", "RuleDraft", "TriggerIn"]

Days = Annotated[int, Field(strict=True, ge=1, le=MAX_DAYS)]
Minutes = Annotated[int, Field(strict=True, ge=0, le=MAX_DUE_MINUTES)]


class TriggerIn(Shape):
    """WHEN: `kind` (core.automation.rules.Trigger) and its parameter."""

    kind: text(40, 1)  # type: ignore[valid-type]
    value: text(100) | None = None  # type: ignore[valid-type] - lifecycle, action type, result, tag
    amount: Amount | None = None  # deposit: at least this much
    currency: text(3) | None = None  # type: ignore[valid-type]
    days: Days | None = None  # no contact for this many days


class EffectIn(Shape):
    """THEN: one effect (core.automation.rules.EffectKind) and what it needs."""

    kind: text(20, 1)  # type: ignore[valid-type]
    template: Code | None = None
    title: text(200) | None = None  # type: ignore[valid-type]
    action_type: Code | None = None
    employee_id: Id | None = None
    head_of_sales: Flag = False
    tag: text(TAG_LEN + 1) | None = None  # type: ignore[valid-type]
    due_minutes: Minutes = 60


class RuleDraft(Shape):
    name: text(100, 1)  # type: ignore[valid-type]
    enabled: Flag = True
    trigger: TriggerIn
    conditions: list[ConditionIn] = Field(default=[], max_length=MAX_CONDITIONS)  # IF: as in views
    effects: list[EffectIn] = Field(default=[], max_length=MAX_EFFECTS)


class RuleSwitch(Shape):
    enabled: Flag
