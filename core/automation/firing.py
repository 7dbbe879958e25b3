"""How a rule fires: the rules of an event read, the trigger and the conditions checked, the effects
planned from the client's facts, one firing per rule written by the store (once per event). The
periodic sweep turns the timed triggers into events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from core.automation import rules
from core.automation.rules import EffectKind, EffectSpec, Event, Trigger, TriggerSpec
from core.automation.store import ClientFacts, FiringPlan, RuleRecord
from core.clients.card_rules import client_text, render_template
from core.clock import DEFAULT_TZ
from core.delivery.templates import render
from core.errors import ValidationFailed
from core.jobs.models import NewJob
from core.outbox import NewEmail, NewSms
from core.tasks.rules import remind_at
from core.tasks.store import TaskDraft
from core.vocab import SmsPurpose
from core.work.store import ActionRecord

if TYPE_CHECKING:
    from core.repository import Repository

EVENT_JOB = "automation.event"
SWEEP_JOB = "automation.sweep"


@dataclass(frozen=True)
class Parsed:
    trigger: TriggerSpec
    conditions: list[tuple[str, str, list[str]]]
    effects: list[EffectSpec]


def parse(record: RuleRecord) -> Parsed:
    """A saved rule (checked when it was saved) back into its parts."""
    spec = json.loads(record.spec)
    t = spec["trigger"]
    trigger = TriggerSpec(
        Trigger(t["kind"]),
        value=t.get("value"),
        amount=Decimal(t["amount"]) if t.get("amount") is not None else None,
        currency=t.get("currency"),
        days=t.get("days"),
    )
    conditions = [(c["field"], c["op"], list(c.get("values", []))) for c in spec.get("conditions", [])]
    effects = [EffectSpec(**{**e, "kind": EffectKind(e["kind"])}) for e in spec.get("effects", [])]
    return Parsed(trigger, conditions, effects)


def sweep_job(now: datetime, since: datetime | None = None) -> NewJob:
    """The periodic sweep at `now`; one per five-minute slot (its dedupe key), so restarts and
    several savers never start a second chain."""
    slot = int(now.timestamp() // rules.SWEEP_EVERY.total_seconds())
    since = since or now - rules.SWEEP_EVERY
    return NewJob(kind=SWEEP_JOB, payload={"since": since.isoformat()}, run_after=now, dedupe_key=f"{SWEEP_JOB}:{slot}")


def run_event(repo: Repository, event: Event, now: datetime, tz: str = DEFAULT_TZ) -> int:
    """Every enabled rule of the event's trigger that it meets fires once; how many fired now."""
    records = repo.automation_rules(event.trigger.value)
    if not records:
        return 0
    facts = repo.automation_client(event.client_id)
    if facts is None:
        return 0
    fired = 0
    for record in records:
        rule = parse(record)
        if not rules.answers(rule.trigger, event):
            continue
        if rule.conditions:
            try:
                resolved = rules.check_conditions(rule.conditions, now, tz)
            except ValidationFailed:
                continue  # a field the views no longer know: the rule cannot match
            if not repo.automation_matches(event.client_id, tuple(resolved)):
                continue
        fired += repo.automation_fire(plan(repo, record, rule, event, facts, now))
    return fired


def plan(
    repo: Repository, record: RuleRecord, rule: Parsed, event: Event, facts: ClientFacts, now: datetime
) -> FiringPlan:
    """What the rule's effects write for this client now; what cannot be done is said in the summary."""
    assert record.id is not None
    people = [e for e in rule.effects if e.kind in (EffectKind.TASK, EffectKind.ACTION, EffectKind.HAND_TO)]
    named = {e.employee_id for e in people if e.employee_id} | {facts.responsible_id, record.author_id}
    active = repo.assignable(sorted(i for i in named if i), None) if people else set()
    out = FiringPlan(rule_id=record.id, event=event, at=now, summary="")
    done: list[str] = []
    for effect in rule.effects:
        done.append(_effect(repo, out, effect, record, facts, active, now))
    out.summary = rules.summary(record.name, done)
    return out


def _effect(repo: Repository, out: FiringPlan, effect: EffectSpec, record: RuleRecord, facts: ClientFacts,
            active: set[int], now: datetime) -> str:  # fmt: skip
    responsible = facts.responsible_id if facts.responsible_id in active else None
    due = now + timedelta(minutes=effect.due_minutes)
    if effect.kind is EffectKind.SMS:
        return _sms(repo, out, effect, facts, now)
    if effect.kind is EffectKind.EMAIL:
        return _email(repo, out, effect, facts, now)
    if effect.kind is EffectKind.TASK:
        assignee = effect.employee_id if effect.employee_id in active else None
        assignee = assignee or responsible or (record.author_id if record.author_id in active else None)
        if assignee is None:
            return f"task '{effect.title}' not set: nobody active to set it for"
        author = record.author_id if record.author_id in active else assignee
        text = f"CRM id {facts.client_id}"
        out.tasks.append(
            TaskDraft(effect.title or "", text, author, assignee, (), due, remind_at(due, 0), None, DEFAULT_TZ)
        )
        return f"task '{effect.title}' for employee {assignee}"
    if effect.kind is EffectKind.ACTION:
        employee = effect.employee_id if effect.employee_id in active else responsible
        out.actions.append(ActionRecord(facts.client_id, effect.action_type or "", due, employee,
                                        f"Rule '{record.name}'", None, now))  # fmt: skip
        return f"action '{effect.action_type}'"
    if effect.kind is EffectKind.HAND_TO:
        target = repo.automation_head_of_sales(facts.desk_id) if effect.head_of_sales else effect.employee_id
        if target is None or (not effect.head_of_sales and target not in active):
            return "not handed over: " + (
                "no head of sales on the desk" if effect.head_of_sales else "employee inactive"
            )
        out.responsible_id, out.handed_by = target, record.author_id
        return f"handed to employee {target}" + (" (head of sales)" if effect.head_of_sales else "")
    out.tags.append(effect.tag or "")
    return f"tag #{effect.tag}"


def _fields(facts: ClientFacts) -> dict[str, str]:
    return {"first_name": facts.first_name, "patronymic": facts.patronymic, "full_name": facts.full_name}


def _sms(repo: Repository, out: FiringPlan, effect: EffectSpec, facts: ClientFacts, now: datetime) -> str:
    template = next((t for t in repo.sms_templates() if t.code == effect.template), None)
    if template is None:
        return f"SMS '{effect.template}' not sent: no such template"
    if facts.do_not_disturb or facts.mobile is None:
        return f"SMS '{effect.template}' not sent: " + ("do not disturb" if facts.do_not_disturb else "no mobile")
    text = render_template(client_text(template.texts, facts.language, template.text), _fields(facts))
    out.sms.append(NewSms(facts.mobile, text, SmsPurpose.CLIENT, now, client_id=facts.client_id,
                          template_code=template.code))  # fmt: skip
    return f"SMS '{template.code}'"


def _email(repo: Repository, out: FiringPlan, effect: EffectSpec, facts: ClientFacts, now: datetime) -> str:
    """The e-mail template in the client's language (else Russian) to the card's first e-mail."""
    template = repo.email_templates().get(effect.template or "")  # reference data, cached
    if template is None:
        return f"e-mail '{effect.template}' not sent: no such template"
    if facts.do_not_disturb or facts.email is None:
        return f"e-mail '{effect.template}' not sent: " + ("do not disturb" if facts.do_not_disturb else "no e-mail")
    subject, body = render(template, facts.language, **_fields(facts))
    out.emails.append(NewEmail(facts.email, subject, body, SmsPurpose.CLIENT.value, now, client_id=facts.client_id,
                               template_code=template.code))  # fmt: skip
    return f"e-mail '{template.code}'"


def sweep(repo: Repository, since: datetime, now: datetime) -> int:
    """The timed triggers' events in [since, now) queued as event jobs; the next sweep queued while
    a timed rule is enabled. How many events were queued."""
    timed = repo.automation_rules(Trigger.ACTION_OVERDUE.value) + repo.automation_rules(Trigger.NO_CONTACT.value)
    if not timed:
        return 0  # the chain stops; saving a timed rule starts it again
    parsed = [parse(r).trigger for r in timed]
    overdue = [t for t in parsed if t.kind is Trigger.ACTION_OVERDUE]
    types = None if any(t.value is None for t in overdue) else frozenset(t.value for t in overdue if t.value)
    days = sorted({t.days for t in parsed if t.kind is Trigger.NO_CONTACT and t.days})
    events = repo.automation_due(since, now, types, bool(overdue), days)
    for event in events:
        repo.enqueue_job(NewJob(kind=EVENT_JOB, payload=event.payload()), now)
    repo.enqueue_job(sweep_job(now + rules.SWEEP_EVERY, since=now), now)
    return len(events)
