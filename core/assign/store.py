"""What auto-assignment needs from a store (the pick itself happens inside the client's insert)."""

from __future__ import annotations

from typing import Protocol

from core.assign.models import AssignRule, RuleEdit


class AssignStore(Protocol):
    def assign_rules(self, desk_ids: tuple[int, ...] | None) -> list[AssignRule]: ...
    def set_assign_rule(self, desk_id: int, edit: RuleEdit) -> AssignRule | None:
        """None: no such desk."""
        ...

    def set_manager_regions(
        self, employee_id: int, region_ids: list[int], desk_ids: tuple[int, ...] | None = None
    ) -> bool:
        """False: no such employee (on one of `desk_ids`, when given)."""
        ...
