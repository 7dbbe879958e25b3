"""Auto-assignment's operations of the local Console: who may see and edit the desks' rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission, heads_desks
from core.assign.models import AssignRule, RegionsEdit, RuleEdit
from core.errors import NotFound, PermissionDenied, ValidationFailed

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.assign.store import AssignStore
    from core.clients.models import Region


class AssignOperations:
    repo: AssignStore

    if TYPE_CHECKING:

        def whoami(self) -> EmployeeInfo: ...
        def regions(self) -> list[Region]: ...

    def _rule_editor(self, desk_id: int | None = None) -> tuple[int, ...] | None:
        """The desks whose rules and managers I set (None: every desk): a head of desks sets theirs."""
        me = self.whoami()
        if not heads_desks(me):
            raise PermissionDenied("Only a head of the desk sets its assignment rules.")
        mine = None if Permission.ALL_DESKS in me.permissions else tuple(me.desk_ids)
        if desk_id is not None and mine is not None and desk_id not in mine:
            raise NotFound("No such desk.")
        return mine

    def assign_rules(self) -> list[AssignRule]:
        me = self.whoami()
        return self.repo.assign_rules(None if Permission.ALL_DESKS in me.permissions else tuple(me.desk_ids))

    def set_assign_rule(self, desk_id: int, edit: RuleEdit) -> AssignRule:
        self._rule_editor(desk_id)
        rule = self.repo.set_assign_rule(desk_id, edit)
        if rule is None:
            raise NotFound("No such desk.")
        return rule

    def set_manager_regions(self, employee_id: int, edit: RegionsEdit) -> None:
        desks = self._rule_editor()
        known = {r.id for r in self.regions()}  # reference data (ClientOperations)
        if any(r not in known for r in edit.region_ids):
            raise ValidationFailed("No such region.", field="region_ids")
        if not self.repo.set_manager_regions(employee_id, sorted(set(edit.region_ids)), desks):
            raise NotFound("No such employee.")
