"""Employee administration for `crm users`: add, list, change password, role or desks, disable.

Every change but `add` raises the employee's `auth_version`: every token issued before dies at
its next use (core.access.tokens), so a new password, a lost desk or a disabled account takes effect at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from core.access.sign_in import hash_password, new_totp_secret
from core.access.throttle import LOGIN_AT_ADDRESS
from core.clients.phones import normalize_phone
from core.errors import NotFound, ValidationFailed
from storage.engine import read, write
from storage.reference import DEFAULT_DESK
from storage.tables import DeskRow, EmployeeDeskRow, EmployeeRow, RoleRow
from storage.tables_access import AttemptCounterRow

_LOGIN_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
MIN_PASSWORD = 3


@dataclass
class EmployeeLine:
    login: str
    full_name: str
    role: str
    desks: list[str]
    mobile: str | None
    active: bool
    totp: bool


def default_desk(engine: Engine) -> str:
    """The first desk: a new employee's when none is named (the demo names it in Russian)."""
    with engine.connect() as conn:
        return conn.scalar(select(DeskRow.name).order_by(DeskRow.id).limit(1)) or DEFAULT_DESK


def add_employee(
    engine: Engine,
    login: str,
    full_name: str,
    password: str,
    role: str,
    desks: list[str],
    mobile: str | None,
    now: datetime,
    totp: bool = False,
    create_desks: bool = True,
) -> str | None:
    """Create an employee; returns the TOTP secret when `totp` is asked for. `create_desks=False`
    (the command line) refuses a desk that does not exist rather than creating it from a typo."""
    if not _LOGIN_RE.match(login):
        raise ValidationFailed(
            "Login: 2-32 lower-case letters, digits, '.', '_' or '-', starting with a letter.", "login"
        )
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"Password: at least {MIN_PASSWORD} characters.", "password")
    if not full_name.strip():
        raise ValidationFailed("Full name is required.", "full_name")
    e164 = normalize_phone(mobile) if mobile else None
    if not e164 and not totp:
        raise ValidationFailed("A mobile number (for the sign-in code) or --totp is required.", "mobile")
    secret = new_totp_secret() if totp else None
    with write(engine) as conn:
        if conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login == login)):
            raise ValidationFailed(f"Login '{login}' is taken.", "login")
        role_id = conn.scalar(select(RoleRow.id).where(RoleRow.code == role))
        if role_id is None:
            roles = ", ".join(conn.scalars(select(RoleRow.code).order_by(RoleRow.code)))
            raise ValidationFailed(f"Unknown role '{role}'; roles: {roles}.", "role")
        desk_ids = []
        for name in desks:
            desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == name))
            if desk_id is None and not create_desks:
                known = ", ".join(conn.scalars(select(DeskRow.name).order_by(DeskRow.name)))
                raise ValidationFailed(f"Unknown desk '{name}'; desks: {known}.", "desk")
            if desk_id is None:
                desk_id = conn.execute(insert(DeskRow).values(name=name)).inserted_primary_key[0]
            desk_ids.append(desk_id)
        employee_id = conn.execute(
            insert(EmployeeRow).values(
                login=login,
                full_name=full_name.strip(),
                password_hash=hash_password(password),
                role_id=role_id,
                mobile=e164,
                totp_secret=secret,
                created_at=now,
            )
        ).inserted_primary_key[0]
        if desk_ids:
            conn.execute(insert(EmployeeDeskRow), [{"employee_id": employee_id, "desk_id": d} for d in desk_ids])
    return secret


def list_employees(engine: Engine) -> list[EmployeeLine]:
    with read(engine) as conn:
        rows = conn.execute(
            select(EmployeeRow, RoleRow.code.label("role"))
            .join(RoleRow, RoleRow.id == EmployeeRow.role_id)
            .order_by(EmployeeRow.login)
        ).all()
        desks: dict[int, list[str]] = {}
        for employee_id, name in conn.execute(
            select(EmployeeDeskRow.employee_id, DeskRow.name).join(DeskRow, DeskRow.id == EmployeeDeskRow.desk_id)
        ):
            desks.setdefault(employee_id, []).append(name)
    return [
        EmployeeLine(r.login, r.full_name, r.role, desks.get(r.id, []), r.mobile, r.active, r.totp_secret is not None)
        for r in rows
    ]


def _change(conn: Connection, login: str, **values: object) -> int:
    """Update the employee and end every session of theirs; their id."""
    employee_id = conn.scalar(
        update(EmployeeRow)
        .where(EmployeeRow.login == login)
        .values(**values, auth_version=EmployeeRow.auth_version + 1)
        .returning(EmployeeRow.id)
    )
    if employee_id is None:
        raise NotFound(f"No employee with login '{login}'.")
    return employee_id


def set_password(engine: Engine, login: str, password: str) -> None:
    """A new password; also lifts the blocks of this login at every address (core.access.throttle)."""
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"Password: at least {MIN_PASSWORD} characters.", "password")
    with write(engine) as conn:
        _change(conn, login, password_hash=hash_password(password))
        prefix = LOGIN_AT_ADDRESS.prefix(login.casefold())
        conn.execute(delete(AttemptCounterRow).where(AttemptCounterRow.key.startswith(prefix, autoescape=True)))


def disable(engine: Engine, login: str) -> None:
    with write(engine) as conn:
        _change(conn, login, active=False)


def set_role(engine: Engine, login: str, role: str) -> None:
    with write(engine) as conn:
        role_id = conn.scalar(select(RoleRow.id).where(RoleRow.code == role))
        if role_id is None:
            raise ValidationFailed(f"Unknown role '{role}'.", "role")
        _change(conn, login, role_id=role_id)


def set_desks(engine: Engine, login: str, desks: list[str]) -> None:
    with write(engine) as conn:
        employee_id = _change(conn, login)
        conn.execute(delete(EmployeeDeskRow).where(EmployeeDeskRow.employee_id == employee_id))
        for name in desks:
            desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == name))
            if desk_id is None:
                raise NotFound(f"No desk '{name}'.")
            conn.execute(insert(EmployeeDeskRow).values(employee_id=employee_id, desk_id=desk_id))
