"""The time zones of desks and regions (K16: their clients' calling hours follow them); mixed into
`AdminOperations`. Each edit carries the version read (Conflict otherwise) and is audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.access.rules import Permission
from core.admin import rules
from core.admin.inputs import ZoneEdit
from core.admin.models import AuditChange, DeskLine, RegionLine
from core.admin.store import AuditRecord
from core.errors import Conflict, NotFound, ValidationFailed

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.repository import Repository

STALE_DESK = "Someone changed this desk meanwhile (now version {now}, you edited {was}): reopen and edit again."
STALE_REGION = "Someone changed this region meanwhile (now version {now}, you edited {was}): reopen and edit again."


class ZoneOperations:
    repo: Repository

    if TYPE_CHECKING:

        def _admin(self) -> EmployeeInfo: ...
        def _audit_record(self, action: str, target: str, changes: list[AuditChange]) -> AuditRecord: ...
        def _desks(self) -> list[int] | None: ...

    def set_desk_timezone(self, desk_id: int, edit: ZoneEdit) -> DeskLine:
        self._admin()
        mine = self._desks()
        if mine is not None and desk_id not in mine:
            raise NotFound(f"No desk with id {desk_id}.")
        zone = rules.check_zone(edit.timezone)

        def decide(line: DeskLine) -> AuditRecord | None:
            if line.version != edit.expected_version:
                raise Conflict(STALE_DESK.format(now=line.version, was=edit.expected_version), current=line)
            changed = rules.changes({"timezone": line.timezone}, {"timezone": zone})
            return self._audit_record("desk_timezone", line.name, changed) if changed else None

        return self.repo.admin_set_desk_timezone(desk_id, zone, decide)

    def admin_regions(self) -> list[RegionLine]:
        self._admin()
        return self.repo.admin_regions()

    def set_region_timezone(self, region_id: int, edit: ZoneEdit) -> RegionLine:
        """Regions serve every desk: only an administrator of every desk changes their zone."""
        me = self._admin()
        if Permission.ALL_DESKS not in me.permissions:
            raise ValidationFailed(
                "Only an administrator of every desk changes a region's time zone.", field="timezone"
            )
        zone = rules.check_zone(edit.timezone)

        def decide(line: RegionLine) -> AuditRecord | None:
            if line.version != edit.expected_version:
                raise Conflict(STALE_REGION.format(now=line.version, was=edit.expected_version), current=line)
            changed = rules.changes({"timezone": line.timezone}, {"timezone": zone})
            return self._audit_record("region_timezone", line.name, changed) if changed else None

        return self.repo.admin_set_region_timezone(region_id, zone, decide)
