"""What automation needs from a store: rules as records, the facts of a client a rule acts on, one
firing with all its effects in one transaction (claimed once per rule and event), the due events
of the periodic sweep."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.automation.models import Firing
from core.automation.rules import Event
from core.jobs.models import NewJob
from core.outbox import NewEmail, NewSms
from core.tasks.store import TaskDraft
from core.work.rules import Resolved
from core.work.store import ActionRecord


@dataclass(frozen=True)
class RuleRecord:
    id: int | None
    name: str
    enabled: bool
    trigger: str  # core.automation.rules.Trigger: the index the events look rules up by
    spec: str  # JSON: {"trigger": …, "conditions": […], "effects": […]} as written
    author_id: int | None
    author: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ClientFacts:
    client_id: int
    desk_id: int | None
    responsible_id: int | None
    first_name: str
    patronymic: str
    full_name: str
    language: str | None
    mobile: str | None  # the first active mobile, E.164
    do_not_disturb: bool
    email: str | None = None  # the first e-mail


@dataclass
class FiringPlan:
    """Everything one firing writes; `summary` goes on the card's history."""

    rule_id: int
    event: Event
    at: datetime
    summary: str
    sms: list[NewSms] = field(default_factory=list)
    emails: list[NewEmail] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    responsible_id: int | None = None  # hand the client to
    handed_by: int | None = None  # the hand-over's author on record: the rule's author
    tags: list[str] = field(default_factory=list)


class AutomationStore(Protocol):
    def automation_rules(self, trigger: str | None = None) -> list[RuleRecord]:
        """Every rule (None), or the enabled rules of a trigger, in id order."""
        ...

    def automation_rule(self, rule_id: int) -> RuleRecord | None: ...
    def save_automation_rule(self, record: RuleRecord, at: datetime, sweep: NewJob | None) -> int:
        """Insert (id None) or update the rule; `sweep` (the periodic job of timed triggers) is
        queued in the same transaction."""
        ...

    def delete_automation_rule(self, rule_id: int) -> bool: ...
    def automation_firings(
        self, rule_id: int | None, client_id: int | None, desk_ids: tuple[int, ...] | None, limit: int
    ) -> list[Firing]: ...

    def automation_client(self, client_id: int) -> ClientFacts | None: ...
    def automation_matches(self, client_id: int, conditions: tuple[Resolved, ...]) -> bool:
        """Whether the client meets the conditions: the views' query with the client's id added."""
        ...

    def automation_head_of_sales(self, desk_id: int | None) -> int | None: ...
    def automation_fire(self, plan: FiringPlan) -> bool:
        """Claim (rule, event key) and write the effects and the history entry with it; False when
        that rule fired for that event already (nothing written)."""
        ...

    def automation_due(
        self, since: datetime, now: datetime, overdue_types: frozenset[str] | None, overdue: bool, days: list[int]
    ) -> list[Event]:
        """Events of the timed triggers in [since, now): actions that became overdue (of the types;
        None: any) and clients who reached `days` without contact."""
        ...
