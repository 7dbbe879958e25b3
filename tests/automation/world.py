"""The world of the automation tests: a supervisor who writes rules, a worker, helpers."""

from __future__ import annotations

from typing import Any

from core.automation.inputs import RuleDraft
from core.automation.models import Rule
from core.console import LocalConsole
from core.jobs.worker import Worker
from tests.helpers import Crm, new_client


class World:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.boss = crm.console("boss", role="admin")  # not a head of sales (core.automation.rules.HEAD_ROLES)
        self.worker = Worker(crm.repo, crm.clock, name="w1")

    def rule(self, trigger: dict[str, Any], effects: list[dict[str, Any]], conditions: list[dict[str, Any]] | None = None,
             name: str = "Rule", console: LocalConsole | None = None) -> Rule:  # fmt: skip
        draft = RuleDraft.model_validate(
            {"name": name, "trigger": trigger, "effects": effects, "conditions": conditions or []}
        )
        return (console or self.boss).add_automation_rule(draft)

    def client(self, **kw: object) -> int:
        return new_client(self.boss, allow_duplicate=True, **kw).id

    def run(self) -> int:
        return self.worker.run_until_idle()

    def history(self, client_id: int, kind: str = "automation") -> list[str]:
        return [h.comment or "" for h in self.boss.history(client_id) if h.kind == kind]

    def responsible(self, client_id: int) -> int | None:
        (row,) = self.crm.rows("client", id=client_id)
        return row.responsible_id

    def firings(self, rule_id: int | None = None) -> int:
        return self.crm.count("automation_firing", **({"rule_id": rule_id} if rule_id else {}))
