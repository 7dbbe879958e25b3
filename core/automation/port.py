"""Automation's part of the Console port: rules edited by employees with `manage_automation`."""

from __future__ import annotations

from typing import Protocol

from core.automation.inputs import RuleDraft
from core.automation.models import Firing, Rule


class AutomationPort(Protocol):
    def automation_rules(self) -> list[Rule]: ...
    def automation_rule(self, rule_id: int) -> Rule: ...
    def add_automation_rule(self, draft: RuleDraft) -> Rule:
        """Checked before it is saved: an unknown trigger, field, type, template or employee is a
        ValidationFailed naming the part."""
        ...

    def edit_automation_rule(self, rule_id: int, draft: RuleDraft) -> Rule: ...
    def enable_automation_rule(self, rule_id: int, enabled: bool = True) -> Rule: ...
    def delete_automation_rule(self, rule_id: int) -> None: ...
    def automation_firings(
        self, rule_id: int | None = None, client_id: int | None = None, limit: int = 100
    ) -> list[Firing]:
        """The latest firings (of a rule, of a client) on clients of my desks."""
        ...
