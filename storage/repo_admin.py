"""Repository queries of administration (`core.admin.store.AdminStore`): one transaction per call;
the rule runs inside it (`step`), the change and its audit row are written together."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.access.models import Desk
from core.access.rules import Permission, parse_permissions
from core.admin.inputs import AuditFilter, EmployeeFilter
from core.admin.models import AuditChange, AuditLine, DeskLine, EmployeeLine, RoleLine
from core.admin.store import (
    AuditRecord,
    EmployeeState,
    EmployeeWrite,
    Facts,
    NewEmployeeRecord,
    NewRoleRecord,
    RoleState,
    RoleWrite,
)
from core.errors import NotFound, ValidationFailed
from storage.engine import read, write
from storage.tables import DeskRow, EmployeeDeskRow, EmployeeRow, RoleRow
from storage.tables_access import AttemptCounterRow
from storage.tables_admin import AdminAuditRow

E, R, ED, D = EmployeeRow.__table__.c, RoleRow.__table__.c, EmployeeDeskRow.__table__.c, DeskRow.__table__.c
A = AdminAuditRow.__table__.c
ACCESS_COLUMNS = {"role_id", "mask_phone", "mask_email", "mask_country", "read_only", "active", "must_change_password"}
ROLE_ACCESS = {"permissions", "mask_phone", "mask_email", "mask_country", "read_only"}
_ADMIN = R.permissions.contains(Permission.MANAGE_USERS.value, autoescape=True)

_EMPLOYEES = (
    select(
        E.id,
        E.login,
        E.full_name,
        E.mobile,
        E.active,
        E.totp_secret.is_not(None).label("totp"),
        E.must_change_password,
        E.mask_phone,
        E.mask_email,
        E.mask_country,
        E.read_only,
        E.version,
        R.code.label("role"),
        R.name.label("role_name"),
    )  # fmt: skip
    .join(RoleRow, R.id == E.role_id)
    .order_by(E.login)
)
_ONE_EMPLOYEE = _EMPLOYEES.where(E.id == bindparam("id"))
_DESKS_OF = (
    select(ED.employee_id, D.id, D.name)
    .join(DeskRow, D.id == ED.desk_id)
    .where(ED.employee_id.in_(bindparam("ids", expanding=True)))
    .order_by(D.id)
)
_MEMBERS = select(E.role_id, func.count()).group_by(E.role_id)
_ROLES = select(RoleRow).order_by(R.code)
_DESK_MEMBERS = select(ED.desk_id, func.count()).group_by(ED.desk_id)
_DESK_ROWS = select(D.id, D.name, D.timezone, D.version).order_by(D.name)
_ACTIVE_ADMINS = select(E.id, E.role_id).join(RoleRow, R.id == E.role_id).where(E.active.is_(True), _ADMIN)
# S4: how many employees of a role belong to several desks (a role losing all_desks may not keep them)
_ON_SEVERAL_DESKS = select(func.count()).select_from(
    select(ED.employee_id)
    .join(EmployeeRow, E.id == ED.employee_id)
    .where(E.role_id == bindparam("role_id"))
    .group_by(ED.employee_id)
    .having(func.count() > 1)
    .subquery()
)

# The access generation of each database, per process (core.access.session re-reads who it acts as).
_GENERATION: dict[str, int] = {}


def _lines(conn: Connection, rows: list) -> list[EmployeeLine]:  # type: ignore[type-arg]
    desks: dict[int, list[Desk]] = {}
    if rows:
        for employee_id, desk_id, name in conn.execute(_DESKS_OF, {"ids": [r.id for r in rows]}):
            desks.setdefault(employee_id, []).append(Desk(id=desk_id, name=name))
    return [
        EmployeeLine(
            id=r.id,
            login=r.login,
            full_name=r.full_name,
            mobile=r.mobile,
            role=r.role,
            role_name=r.role_name,
            desks=desks.get(r.id, []),
            active=r.active,
            second_factor="totp" if r.totp else "sms",
            must_change_password=r.must_change_password,
            mask_phone=r.mask_phone,
            mask_email=r.mask_email,
            mask_country=r.mask_country,
            read_only=r.read_only,
            version=r.version,
        )  # fmt: skip
        for r in rows
    ]


def _employee(conn: Connection, employee_id: int) -> EmployeeLine | None:
    rows = conn.execute(_ONE_EMPLOYEE, {"id": employee_id}).all()
    return _lines(conn, rows)[0] if rows else None


def _roles(conn: Connection) -> list[RoleLine]:
    members = dict(conn.execute(_MEMBERS).all())
    return [
        RoleLine(
            id=r.id,
            code=r.code,
            name=r.name,
            permissions=sorted(parse_permissions(r.permissions)),
            mask_phone=r.mask_phone,
            mask_email=r.mask_email,
            mask_country=r.mask_country,
            read_only=r.read_only,
            members=members.get(r.id, 0),
            version=r.version,
        )  # fmt: skip
        for r in conn.execute(_ROLES)
    ]


def _facts(conn: Connection) -> Facts:
    return Facts({r.code: r for r in _roles(conn)}, dict(conn.execute(select(D.id, D.name)).all()))


def _audit(conn: Connection, record: AuditRecord) -> None:
    conn.execute(
        insert(AdminAuditRow).values(
            at=record.at,
            actor_id=record.actor_id,
            actor=record.actor[:64],
            action=record.action,
            target=record.target[:100],
            changes=json.dumps([[c.field, c.old, c.new] for c in record.changes], ensure_ascii=False),
        )  # fmt: skip
    )


class AdminQueries:
    engine: Engine

    def _bump(self) -> None:
        key = self._admin_store_key()
        _GENERATION[key] = _GENERATION.get(key, 0) + 1

    def access_generation(self) -> int:
        return _GENERATION.get(self._admin_store_key(), 0)

    def _admin_store_key(self) -> str:
        """The database's URL text, rendered once: `access_generation` runs on every operation."""
        key = self.__dict__.get("_admin_url")
        if key is None:
            key = self.__dict__["_admin_url"] = str(self.engine.url)
        return key

    def admin_employees(self, flt: EmployeeFilter, desk_ids: list[int] | None) -> list[EmployeeLine]:
        query = _EMPLOYEES
        if flt.role is not None:
            query = query.where(R.code == flt.role)
        if flt.active is not None:
            query = query.where(E.active.is_(flt.active))
        if flt.desk_id is not None:
            query = query.where(E.id.in_(select(ED.employee_id).where(ED.desk_id == flt.desk_id)))
        if desk_ids is not None:
            query = query.where(E.id.in_(select(ED.employee_id).where(ED.desk_id.in_(desk_ids or [-1]))))
        with read(self.engine) as conn:
            return _lines(conn, conn.execute(query).all())

    def admin_employee(self, employee_id: int) -> EmployeeLine | None:
        with read(self.engine) as conn:
            return _employee(conn, employee_id)

    def admin_facts(self) -> Facts:
        with read(self.engine) as conn:
            return _facts(conn)

    def admin_add_employee(self, step: Callable[[Facts], NewEmployeeRecord]) -> EmployeeLine:
        with write(self.engine) as conn:
            rec = step(_facts(conn))
            if conn.scalar(select(E.id).where(E.login == rec.login)) is not None:
                raise ValidationFailed(f"Login '{rec.login}' is taken.", field="login")
            employee_id = conn.execute(
                insert(EmployeeRow).values(
                    login=rec.login,
                    full_name=rec.full_name,
                    password_hash=rec.password_hash,
                    role_id=rec.role_id,
                    mobile=rec.mobile,
                    totp_secret=rec.totp_secret,
                    created_at=rec.audit.at,
                    must_change_password=rec.must_change_password,
                )  # fmt: skip
            ).inserted_primary_key[0]
            if rec.desk_ids:
                conn.execute(
                    insert(EmployeeDeskRow), [{"employee_id": employee_id, "desk_id": d} for d in rec.desk_ids]
                )
            _audit(conn, rec.audit)
            line = _employee(conn, employee_id)
        assert line is not None
        return line

    def admin_change_employee(
        self, employee_id: int, step: Callable[[EmployeeState], EmployeeWrite | None]
    ) -> EmployeeLine:
        with write(self.engine) as conn:
            conn.execute(select(E.id).where(E.id == employee_id).with_for_update()).first()
            line = _employee(conn, employee_id)
            if line is None:
                raise NotFound(f"No employee with id {employee_id}.")
            admins = conn.execute(_ACTIVE_ADMINS.with_for_update(of=EmployeeRow.__table__)).all()
            besides = sum(1 for a in admins if a.id != employee_id)
            change = step(EmployeeState(line, _facts(conn), besides))
            if change is None:
                return line
            self._write_employee(conn, employee_id, change)
            line = _employee(conn, employee_id)
        self._bump()
        assert line is not None
        return line

    def _write_employee(self, conn: Connection, employee_id: int, change: EmployeeWrite) -> None:
        values: dict[str, object] = dict(change.values)
        if values or change.desk_ids is not None:
            values["version"] = E.version + 1
        if ACCESS_COLUMNS & set(values) or change.desk_ids is not None:
            values["access_version"] = E.access_version + 1
        if change.end_sessions:
            values["auth_version"] = E.auth_version + 1
        if values:
            conn.execute(update(EmployeeRow).where(E.id == employee_id).values(**values))
        if change.desk_ids is not None:
            conn.execute(delete(EmployeeDeskRow).where(ED.employee_id == employee_id))
            if change.desk_ids:
                conn.execute(
                    insert(EmployeeDeskRow), [{"employee_id": employee_id, "desk_id": d} for d in change.desk_ids]
                )
        if change.unlock_prefix:
            conn.execute(
                delete(AttemptCounterRow).where(AttemptCounterRow.key.startswith(change.unlock_prefix, autoescape=True))
            )
        _audit(conn, change.audit)

    def admin_roles(self) -> list[RoleLine]:
        with read(self.engine) as conn:
            return _roles(conn)

    def admin_add_role(self, step: Callable[[Facts], NewRoleRecord]) -> RoleLine:
        with write(self.engine) as conn:
            rec = step(_facts(conn))
            conn.execute(
                insert(RoleRow).values(
                    code=rec.code,
                    name=rec.name,
                    permissions=rec.permissions,
                    read_only=rec.read_only,
                    **{f"mask_{k}": v for k, v in rec.masks.items()},
                )  # fmt: skip
            )
            _audit(conn, rec.audit)
            return next(r for r in _roles(conn) if r.code == rec.code)

    def admin_change_role(self, role_id: int, step: Callable[[RoleState], RoleWrite | None]) -> RoleLine | None:
        with write(self.engine) as conn:
            conn.execute(select(R.id).where(R.id == role_id).with_for_update()).first()
            facts = _facts(conn)
            line = next((r for r in facts.roles.values() if r.id == role_id), None)
            if line is None:
                raise NotFound(f"No role with id {role_id}.")
            admins = conn.execute(_ACTIVE_ADMINS.with_for_update(of=EmployeeRow.__table__)).all()
            several = conn.scalar(_ON_SEVERAL_DESKS, {"role_id": role_id}) or 0
            change = step(RoleState(line, facts, sum(1 for a in admins if a.role_id != role_id), several))
            if change is None:
                return line
            if change.delete:
                try:
                    conn.execute(delete(RoleRow).where(R.id == role_id))
                except IntegrityError:
                    raise ValidationFailed("The role is in use.", field="role") from None
            else:
                conn.execute(update(RoleRow).where(R.id == role_id).values(**change.values, version=R.version + 1))
                if ROLE_ACCESS & set(change.values):
                    conn.execute(
                        update(EmployeeRow).where(E.role_id == role_id).values(access_version=E.access_version + 1)
                    )
            _audit(conn, change.audit)
            after = None if change.delete else next(r for r in _roles(conn) if r.id == role_id)
        self._bump()
        return after

    def admin_desks(self) -> list[DeskLine]:
        with read(self.engine) as conn:
            members = dict(conn.execute(_DESK_MEMBERS).all())
            rows = conn.execute(_DESK_ROWS).all()
        return [
            DeskLine(id=r.id, name=r.name, members=members.get(r.id, 0), timezone=r.timezone, version=r.version)
            for r in rows
        ]

    def admin_add_desk(self, name: str, audit: AuditRecord) -> DeskLine:
        with write(self.engine) as conn:
            if conn.scalar(select(D.id).where(D.name == name)) is not None:
                raise ValidationFailed(f"A desk '{name}' exists already.", field="name")
            desk_id = conn.execute(insert(DeskRow).values(name=name)).inserted_primary_key[0]
            _audit(conn, audit)
        return DeskLine(id=desk_id, name=name, members=0)

    def admin_rename_desk(self, desk_id: int, name: str, audit: Callable[[str], AuditRecord]) -> DeskLine:
        with write(self.engine) as conn:
            row = conn.execute(select(D.name, D.timezone, D.version).where(D.id == desk_id).with_for_update()).first()
            if row is None:
                raise NotFound(f"No desk with id {desk_id}.")
            old = row.name
            if old != name:
                if conn.scalar(select(D.id).where(D.name == name)) is not None:
                    raise ValidationFailed(f"A desk '{name}' exists already.", field="name")
                conn.execute(update(DeskRow).where(D.id == desk_id).values(name=name))
                _audit(conn, audit(old))
            members = conn.scalar(select(func.count()).select_from(EmployeeDeskRow).where(ED.desk_id == desk_id))
        self._bump()
        return DeskLine(id=desk_id, name=name, members=members or 0, timezone=row.timezone, version=row.version)

    def admin_audit(self, flt: AuditFilter, lo: datetime | None, hi: datetime | None) -> list[AuditLine]:
        query = select(AdminAuditRow).order_by(A.id.desc()).limit(flt.limit)
        if flt.actor:
            query = query.where(A.actor == flt.actor)
        if flt.action:
            query = query.where(A.action == flt.action)
        if flt.target:
            query = query.where(A.target == flt.target)
        if lo is not None:
            query = query.where(A.at >= lo)
        if hi is not None:
            query = query.where(A.at <= hi)
        with read(self.engine) as conn:
            rows = conn.execute(query).all()
        return [
            AuditLine(
                id=r.id,
                at=r.at,
                actor=r.actor,
                action=r.action,
                target=r.target,
                changes=[AuditChange(field=f, old=o, new=n) for f, o, n in json.loads(r.changes)],
            )  # fmt: skip
            for r in rows
        ]

    def set_own_password(self, employee_id: int, password_hash: str, audit: AuditRecord) -> None:
        with write(self.engine) as conn:
            conn.execute(
                update(EmployeeRow)
                .where(E.id == employee_id)
                .values(
                    password_hash=password_hash,
                    must_change_password=False,
                    version=E.version + 1,
                    access_version=E.access_version + 1,
                )  # fmt: skip
            )
            _audit(conn, audit)
        self._bump()
