"""Auto-assignment's part of the Console port (M1): the desks' rules, the managers' regions."""

from __future__ import annotations

from typing import Protocol

from core.assign.models import AssignRule, RegionsEdit, RuleEdit


class AssignPort(Protocol):
    def assign_rules(self) -> list[AssignRule]:
        """The rule of every desk I may see."""
        ...

    def set_assign_rule(self, desk_id: int, edit: RuleEdit) -> AssignRule:
        """Needs the all-desks permission (supervisors, administrators)."""
        ...

    def set_manager_regions(self, employee_id: int, edit: RegionsEdit) -> None: ...
