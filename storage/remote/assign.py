"""Auto-assignment's part of the remote Console (`core.assign.port.AssignPort` over HTTP)."""

from __future__ import annotations

from core.assign.models import AssignRule, RegionsEdit, RuleEdit
from storage.remote.base import RemoteBase


class RemoteAssign(RemoteBase):
    def assign_rules(self) -> list[AssignRule]:
        return self._get("/assign/rules", list[AssignRule])

    def set_assign_rule(self, desk_id: int, edit: RuleEdit) -> AssignRule:
        return self._send("PUT", f"/assign/rules/{int(desk_id)}", AssignRule, edit)

    def set_manager_regions(self, employee_id: int, edit: RegionsEdit) -> None:
        self._send("PUT", f"/assign/regions/{int(employee_id)}", None, edit)
