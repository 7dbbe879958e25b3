"""Automation of the local Console: rules checked before they are saved, for employees with
`manage_automation`; each operation is one store call."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.automation import rules
from core.automation.firing import parse, sweep_job
from core.automation.inputs import ConditionIn, EffectIn, RuleDraft, TriggerIn
from core.automation.models import Firing, Rule
from core.automation.rules import TIMED, Known
from core.automation.store import RuleRecord
from core.calls.catalogue import catalogue
from core.clock import DEFAULT_TZ, as_utc
from core.errors import NotFound, ValidationFailed
from core.work.models import Condition

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.clock import Clock
    from core.repository import Repository

FIRINGS_MAX = 500


class AutomationOperations:
    repo: Repository
    clock: Clock
    timezone: str = DEFAULT_TZ

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def _desks(self) -> list[int] | None: ...
        def _require(self, permission: Permission, what: str) -> None: ...

    def _automation_record(self, rule_id: int) -> RuleRecord:
        self._require(Permission.MANAGE_AUTOMATION, "manage automation rules")
        found = self.repo.automation_rule(rule_id)
        if found is None:
            raise NotFound(f"No automation rule {rule_id}.")
        return found

    def automation_rules(self) -> list[Rule]:
        self._require(Permission.MANAGE_AUTOMATION, "manage automation rules")
        return [_rule(r) for r in self.repo.automation_rules()]

    def automation_rule(self, rule_id: int) -> Rule:
        return _rule(self._automation_record(rule_id))

    def add_automation_rule(self, draft: RuleDraft) -> Rule:
        self._require(Permission.MANAGE_AUTOMATION, "manage automation rules")
        return self._automation_save(None, draft, self.whoami().id or None)

    def edit_automation_rule(self, rule_id: int, draft: RuleDraft) -> Rule:
        return self._automation_save(rule_id, draft, self._automation_record(rule_id).author_id)

    def enable_automation_rule(self, rule_id: int, enabled: bool = True) -> Rule:
        found = self._automation_record(rule_id)
        draft = _draft(found)
        draft.enabled = enabled
        return self._automation_save(rule_id, draft, found.author_id)

    def delete_automation_rule(self, rule_id: int) -> None:
        self._automation_record(rule_id)
        self.repo.delete_automation_rule(rule_id)

    def automation_firings(
        self, rule_id: int | None = None, client_id: int | None = None, limit: int = 100
    ) -> list[Firing]:
        self._require(Permission.MANAGE_AUTOMATION, "manage automation rules")
        desks = self._desks()
        limit = max(1, min(limit, FIRINGS_MAX))
        return self.repo.automation_firings(rule_id, client_id, None if desks is None else tuple(desks), limit)

    def _automation_known(self, draft: RuleDraft) -> Known:
        named = sorted({e.employee_id for e in draft.effects if e.employee_id is not None})
        return Known(
            action_types=frozenset(t.code for t in self.repo.action_types() if t.active),
            results=frozenset(catalogue().codes),
            templates=frozenset(t.code for t in self.repo.sms_templates()),
            email_templates=frozenset(self.repo.email_templates()),
            employees=frozenset(self.repo.assignable(named, None)) if named else frozenset(),
        )

    def _automation_save(self, rule_id: int | None, draft: RuleDraft, author_id: int | None) -> Rule:
        name = draft.name.strip()
        if not name:
            raise ValidationFailed("A rule needs a name.", field="name")
        known = self._automation_known(draft)
        t = draft.trigger
        amount = str(t.amount) if t.amount is not None else None
        trigger = rules.check_trigger(t.kind, t.value, amount, t.currency, t.days, known)
        conditions = [(c.field, c.op, list(c.values)) for c in draft.conditions]
        now = self.clock.now()
        rules.check_conditions(conditions, now, self.timezone)
        effects = rules.check_effects([e.model_dump() for e in draft.effects], known)
        spec = {
            "trigger": {
                "kind": trigger.kind.value,
                "value": trigger.value,
                "amount": amount,
                "currency": trigger.currency,
                "days": trigger.days,
            },  # fmt: skip
            "conditions": [c.model_dump() for c in draft.conditions],
            "effects": [{**e.__dict__, "kind": e.kind.value} for e in effects],
        }
        record = RuleRecord(rule_id, name, draft.enabled, trigger.kind.value, json.dumps(spec, ensure_ascii=False),
                            author_id)  # fmt: skip
        sweep = sweep_job(now) if draft.enabled and trigger.kind in TIMED else None
        saved = self.repo.save_automation_rule(record, now, sweep)
        found = self.repo.automation_rule(saved)
        assert found is not None
        return _rule(found)


def _rule(r: RuleRecord) -> Rule:
    assert r.id is not None and r.created_at is not None and r.updated_at is not None
    spec = json.loads(r.spec)
    parsed = parse(r)
    t = parsed.trigger
    return Rule(
        id=r.id,
        name=r.name,
        enabled=r.enabled,
        trigger=TriggerIn(kind=t.kind.value, value=t.value, amount=t.amount, currency=t.currency, days=t.days),
        conditions=[Condition(**c) for c in spec.get("conditions", [])],
        effects=[
            EffectIn(**{k: v for k, v in e.__dict__.items() if v is not None} | {"kind": e.kind.value})
            for e in parsed.effects
        ],  # fmt: skip
        author_id=r.author_id,
        author=r.author,
        created_at=as_utc(r.created_at),
        updated_at=as_utc(r.updated_at),
    )


def _draft(r: RuleRecord) -> RuleDraft:
    rule = _rule(r)
    return RuleDraft(
        name=rule.name,
        enabled=rule.enabled,
        trigger=rule.trigger,
        conditions=[ConditionIn(**c.model_dump()) for c in rule.conditions],
        effects=rule.effects,
    )
