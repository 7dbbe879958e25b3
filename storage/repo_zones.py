"""The time zones of desks and regions (administration): one locked read, the rule, the write and
its audit row in one transaction; the calling hours' cached zone list is read again after it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, bindparam, func, select, update

from core.admin.models import DeskLine, RegionLine
from core.admin.store import AuditRecord
from core.errors import NotFound
from storage import reference_cache
from storage.engine import read, write
from storage.repo_admin import _audit
from storage.tables import DeskRow, EmployeeDeskRow, RegionRow

D = DeskRow.__table__.c
G = RegionRow.__table__.c
_DESK = (
    select(D.id, D.name, D.timezone, D.version, func.count(EmployeeDeskRow.__table__.c.employee_id).label("members"))
    .outerjoin(EmployeeDeskRow.__table__, EmployeeDeskRow.__table__.c.desk_id == D.id)
    .where(D.id == bindparam("id"))
    .group_by(D.id, D.name, D.timezone, D.version)
)
_LOCK_DESK = select(D.id).where(D.id == bindparam("id")).with_for_update()
_SET_DESK = update(DeskRow).where(D.id == bindparam("row_id")).values(timezone=bindparam("zone"), version=D.version + 1)
_REGIONS = select(G.id, G.name, G.timezone, G.version).order_by(G.name)
_REGION = select(G.id, G.name, G.timezone, G.version).where(G.id == bindparam("id")).with_for_update()
_SET_REGION = (
    update(RegionRow).where(G.id == bindparam("row_id")).values(timezone=bindparam("zone"), version=G.version + 1)
)


def _desk_line(row) -> DeskLine:  # type: ignore[no-untyped-def]
    return DeskLine(id=row.id, name=row.name, members=row.members, timezone=row.timezone, version=row.version)


def _region_line(row) -> RegionLine:  # type: ignore[no-untyped-def]
    return RegionLine(id=row.id, name=row.name, timezone=row.timezone, version=row.version)


class ZoneQueries:
    engine: Engine

    def admin_set_desk_timezone(
        self, desk_id: int, zone: str | None, decide: Callable[[DeskLine], AuditRecord | None]
    ) -> DeskLine:
        with write(self.engine) as conn:
            if conn.scalar(_LOCK_DESK, {"id": desk_id}) is None:
                raise NotFound(f"No desk with id {desk_id}.")
            line = _desk_line(conn.execute(_DESK, {"id": desk_id}).one())
            audit = decide(line)
            if audit is None:
                return line
            conn.execute(_SET_DESK, {"row_id": desk_id, "zone": zone})
            _audit(conn, audit)
        reference_cache.changed()
        return line.model_copy(update={"timezone": zone, "version": line.version + 1})

    def admin_regions(self) -> list[RegionLine]:
        with read(self.engine) as conn:
            return [_region_line(r) for r in conn.execute(_REGIONS)]

    def admin_set_region_timezone(
        self, region_id: int, zone: str | None, decide: Callable[[RegionLine], AuditRecord | None]
    ) -> RegionLine:
        with write(self.engine) as conn:
            row = conn.execute(_REGION, {"id": region_id}).first()
            if row is None:
                raise NotFound(f"No region with id {region_id}.")
            line = _region_line(row)
            audit = decide(line)
            if audit is None:
                return line
            conn.execute(_SET_REGION, {"row_id": region_id, "zone": zone})
            _audit(conn, audit)
        reference_cache.changed()
        return line.model_copy(update={"timezone": zone, "version": line.version + 1})
