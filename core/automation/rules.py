"""The rules of automation: triggers and their parameters, effects, the check of a rule before it
is saved, which events a rule answers, the history line of a firing. Conditions are the views'
(`core.work.rules.resolve` over clients): one condition language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from core.errors import ValidationFailed
from core.vocab import Lifecycle
from core.work import rules as work


class Trigger(StrEnum):
    LIFECYCLE = "lifecycle_changed"  # value: the new lifecycle (None: any)
    ACTION_DONE = "action_done"  # value: the action type (None: any)
    ACTION_OVERDUE = "action_overdue"  # value: the action type (None: any); from the sweep
    RESULT_SAVED = "result_saved"  # value: the call result (None: any)
    DEPOSIT = "deposit"  # amount and currency: an executed deposit of at least that much
    NO_CONTACT = "no_contact"  # days: no call, SMS or visit for that many days; from the sweep
    TAG_ADDED = "tag_added"  # value: the tag (None: any)


class EffectKind(StrEnum):
    SMS = "sms"  # template: an SMS template to the client's active mobile
    EMAIL = "email"  # template: an e-mail template to the client's first e-mail, in their language
    TASK = "task"  # title; employee_id (None: the client's responsible, else the rule's author)
    ACTION = "action"  # action_type; employee_id (None: the client's responsible)
    HAND_TO = "hand_to"  # employee_id, or head_of_sales: the head of the client's desk
    TAG = "tag"  # tag


TIMED = frozenset({Trigger.ACTION_OVERDUE, Trigger.NO_CONTACT})  # checked by the periodic sweep
SWEEP_EVERY = timedelta(minutes=5)
MAX_EFFECTS = 10
MAX_DAYS = 3650
MAX_DUE_MINUTES = 60 * 24 * 365
# The desk's head of sales: its active employee of the first of these roles (lowest id first).
HEAD_ROLES = ("head_of_sales", "supervisor")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Event:
    """Something that happened to a client; `key` names it (a rule fires once per rule and key)."""

    trigger: Trigger
    client_id: int
    key: str
    at: datetime
    value: str | None = None  # lifecycle, action type, result or tag
    amount: Decimal | None = None
    currency: str | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger.value,
            "client_id": self.client_id,
            "key": self.key,
            "at": self.at.isoformat(),
            "value": self.value,
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
        }

    @classmethod
    def of(cls, payload: dict[str, Any]) -> Event:
        amount = payload.get("amount")
        return cls(
            trigger=Trigger(payload["trigger"]),
            client_id=int(payload["client_id"]),
            key=str(payload["key"]),
            at=datetime.fromisoformat(payload["at"]).astimezone(UTC),
            value=payload.get("value"),
            amount=Decimal(amount) if amount is not None else None,
            currency=payload.get("currency"),
        )


@dataclass(frozen=True)
class TriggerSpec:
    kind: Trigger
    value: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    days: int | None = None


@dataclass(frozen=True)
class EffectSpec:
    kind: EffectKind
    template: str | None = None
    title: str | None = None
    action_type: str | None = None
    employee_id: int | None = None
    head_of_sales: bool = False
    tag: str | None = None
    due_minutes: int = 60


@dataclass(frozen=True)
class Known:
    """What a rule may name, read before it is saved."""

    lifecycles: frozenset[str] = frozenset(Lifecycle)
    action_types: frozenset[str] = frozenset()
    results: frozenset[str] = frozenset()
    templates: frozenset[str] = frozenset()
    email_templates: frozenset[str] = frozenset()
    employees: frozenset[int] = frozenset()  # active ones


@dataclass(frozen=True)
class Checked:
    trigger: TriggerSpec
    conditions: list[tuple[str, str, list[str]]] = field(default_factory=list)
    effects: list[EffectSpec] = field(default_factory=list)


def _bad(message: str, where: str) -> ValidationFailed:
    return ValidationFailed(message, field=where)


def check_trigger(kind: str, value: str | None, amount: str | None, currency: str | None, days: int | None,
                  known: Known) -> TriggerSpec:  # fmt: skip
    """The trigger as written, checked against what exists; a clear message names the part."""
    try:
        trigger = Trigger(kind)
    except ValueError:
        allowed = ", ".join(t.value for t in Trigger)
        raise _bad(f"Unknown trigger '{kind}' (one of: {allowed}).", "trigger.kind") from None
    value = (value or "").strip() or None
    if trigger is Trigger.DEPOSIT:
        if amount is None or currency is None:
            raise _bad("A deposit trigger needs an amount and a currency.", "trigger.amount")
        try:
            sum_ = Decimal(amount)
        except InvalidOperation:
            raise _bad(f"'{amount}' is not an amount.", "trigger.amount") from None
        if not sum_.is_finite() or sum_ < 0 or sum_ > Decimal(10**12):
            raise _bad(f"'{amount}' is not an amount.", "trigger.amount")
        if not _CURRENCY.match(currency):
            raise _bad(f"'{currency}' is not a currency code (three capital letters).", "trigger.currency")
        return TriggerSpec(trigger, amount=sum_, currency=currency)
    if trigger is Trigger.NO_CONTACT:
        if days is None or not 1 <= days <= MAX_DAYS:
            raise _bad(f"A no-contact trigger needs days from 1 to {MAX_DAYS}.", "trigger.days")
        return TriggerSpec(trigger, days=days)
    if value is not None:
        if trigger is Trigger.LIFECYCLE and value not in known.lifecycles:
            raise _bad(f"Unknown lifecycle '{value}'.", "trigger.value")
        if trigger in (Trigger.ACTION_DONE, Trigger.ACTION_OVERDUE) and value not in known.action_types:
            raise _bad(f"Unknown action type '{value}'.", "trigger.value")
        if trigger is Trigger.RESULT_SAVED and value not in known.results:
            raise _bad(f"Unknown call result '{value}'.", "trigger.value")
        if trigger is Trigger.TAG_ADDED:
            value = _tag(value, "trigger.value")
    return TriggerSpec(trigger, value=value)


def check_effect(index: int, spec: EffectSpec | dict[str, Any], known: Known) -> EffectSpec:
    where = f"effects[{index}]"
    raw = spec if isinstance(spec, dict) else spec.__dict__
    try:
        kind = EffectKind(raw["kind"])
    except ValueError:
        allowed = ", ".join(e.value for e in EffectKind)
        raise _bad(f"Unknown effect '{raw['kind']}' (one of: {allowed}).", f"{where}.kind") from None
    employee = raw.get("employee_id")
    if employee is not None and employee not in known.employees:
        raise _bad(f"No active employee {employee}.", f"{where}.employee_id")
    due = raw.get("due_minutes", 60)
    if not 0 <= due <= MAX_DUE_MINUTES:
        raise _bad(f"The due time is 0 to {MAX_DUE_MINUTES} minutes.", f"{where}.due_minutes")
    if kind is EffectKind.SMS:
        template = (raw.get("template") or "").strip()
        if template not in known.templates:
            raise _bad(f"Unknown SMS template '{template}'.", f"{where}.template")
        return EffectSpec(kind, template=template)
    if kind is EffectKind.EMAIL:
        template = (raw.get("template") or "").strip()
        if template not in known.email_templates:
            raise _bad(f"Unknown e-mail template '{template}'.", f"{where}.template")
        return EffectSpec(kind, template=template)
    if kind is EffectKind.TASK:
        title = (raw.get("title") or "").strip()
        if not title or len(title) > 200:
            raise _bad("A task needs a title of at most 200 characters.", f"{where}.title")
        return EffectSpec(kind, title=title, employee_id=employee, due_minutes=due)
    if kind is EffectKind.ACTION:
        code = (raw.get("action_type") or "").strip()
        if code not in known.action_types:
            raise _bad(f"Unknown action type '{code}'.", f"{where}.action_type")
        return EffectSpec(kind, action_type=code, employee_id=employee, due_minutes=due)
    if kind is EffectKind.HAND_TO:
        head = bool(raw.get("head_of_sales"))
        if (employee is None) == (not head):
            raise _bad("Hand the client to an employee or to the desk's head of sales.", f"{where}.employee_id")
        return EffectSpec(kind, employee_id=None if head else employee, head_of_sales=head)
    return EffectSpec(kind, tag=_tag(raw.get("tag") or "", f"{where}.tag"))


def _tag(text: str, where: str) -> str:
    try:
        return work.tag_key(text)
    except ValidationFailed as exc:
        raise _bad(exc.message, where) from None


def check_conditions(conditions: list[tuple[str, str, list[str]]], now: datetime, tz: str) -> list[work.Resolved]:
    """The views' check of conditions over clients (field, operator, values)."""
    try:
        return work.resolve(work.Subject.CLIENTS, conditions, now, tz)
    except ValidationFailed as exc:
        raise _bad(exc.message, "conditions") from None


def check_effects(effects: list[dict[str, Any]], known: Known) -> list[EffectSpec]:
    if not effects:
        raise _bad("A rule needs at least one effect.", "effects")
    if len(effects) > MAX_EFFECTS:
        raise _bad(f"At most {MAX_EFFECTS} effects.", "effects")
    return [check_effect(i, e, known) for i, e in enumerate(effects)]


def answers(trigger: TriggerSpec, event: Event) -> bool:
    """Whether a rule's trigger is met by the event (the conditions are checked after)."""
    if trigger.kind is not event.trigger:
        return False
    if trigger.kind is Trigger.DEPOSIT:
        return (
            event.amount is not None
            and event.currency == trigger.currency
            and trigger.amount is not None
            and event.amount >= trigger.amount
        )
    if trigger.kind is Trigger.NO_CONTACT:
        return event.value == str(trigger.days)
    return trigger.value is None or trigger.value == event.value


def summary(rule_name: str, done: list[str]) -> str:
    """The history line of a firing: the rule and what it did (no client data: names of templates,
    tags, action types and employees only)."""
    return (f"Rule '{rule_name}': " + "; ".join(done))[:2000]
