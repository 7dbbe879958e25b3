"""Automation's part of the remote Console (`core.automation.port.AutomationPort` over HTTP)."""

from __future__ import annotations

from typing import Any

from core.automation.inputs import RuleDraft, RuleSwitch
from core.automation.models import Firing, Rule
from storage.remote.base import RemoteBase


class RemoteAutomation(RemoteBase):
    def automation_rules(self) -> list[Rule]:
        return self._get("/automation/rules", list[Rule])

    def automation_rule(self, rule_id: int) -> Rule:
        return self._get(f"/automation/rules/{int(rule_id)}", Rule)

    def add_automation_rule(self, draft: RuleDraft) -> Rule:
        return self._send("POST", "/automation/rules", Rule, draft)

    def edit_automation_rule(self, rule_id: int, draft: RuleDraft) -> Rule:
        return self._send("PUT", f"/automation/rules/{int(rule_id)}", Rule, draft)

    def enable_automation_rule(self, rule_id: int, enabled: bool = True) -> Rule:
        return self._send("PUT", f"/automation/rules/{int(rule_id)}/enabled", Rule, RuleSwitch(enabled=enabled))

    def delete_automation_rule(self, rule_id: int) -> None:
        self._request("DELETE", f"/automation/rules/{int(rule_id)}")

    def automation_firings(
        self, rule_id: int | None = None, client_id: int | None = None, limit: int = 100
    ) -> list[Firing]:
        params: dict[str, Any] = {"limit": int(limit)}
        if rule_id is not None:
            params["rule_id"] = int(rule_id)
        if client_id is not None:
            params["client_id"] = int(client_id)
        return self._get("/automation/firings", list[Firing], **params)
