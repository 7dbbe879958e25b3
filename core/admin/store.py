"""What administration needs from a store (`storage.repo_admin`).

Each change is one call and one transaction: the store reads the state the rule needs (locked
where it counts, e.g. the active administrators), calls the core `step` with it, and writes what
the step returns together with its audit row; an error raised by the step writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.admin.inputs import AuditFilter, EmployeeFilter
from core.admin.models import AuditChange, AuditLine, DeskLine, EmployeeLine, RegionLine, RoleLine


@dataclass
class AuditRecord:
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    target: str
    changes: list[AuditChange]


@dataclass
class Facts:
    """Reference the rules check against: roles by code, desks by id."""

    roles: dict[str, RoleLine]
    desks: dict[int, str]


@dataclass
class EmployeeState:
    line: EmployeeLine
    facts: Facts
    admins_besides: int  # other active employees whose role has MANAGE_USERS


@dataclass
class EmployeeWrite:
    audit: AuditRecord
    values: dict[str, object] = field(default_factory=dict)  # employee columns
    desk_ids: list[int] | None = None
    end_sessions: bool = False  # a new password or a disabled account: every token dies
    unlock_prefix: str | None = None  # clear the sign-in counters whose key starts so


@dataclass
class NewEmployeeRecord:
    login: str
    full_name: str
    password_hash: str
    role_id: int
    desk_ids: list[int]
    mobile: str | None
    totp_secret: str | None
    must_change_password: bool
    audit: AuditRecord


@dataclass
class RoleState:
    line: RoleLine
    facts: Facts
    admins_outside: int  # active employees with MANAGE_USERS in other roles
    on_several_desks: int = 0  # S4: employees of the role on more than one desk


@dataclass
class RoleWrite:
    audit: AuditRecord
    values: dict[str, object] = field(default_factory=dict)  # role columns
    delete: bool = False


@dataclass
class NewRoleRecord:
    code: str
    name: str
    permissions: str
    masks: dict[str, bool | None]
    read_only: bool
    audit: AuditRecord


class AdminStore(Protocol):
    def admin_employees(self, flt: EmployeeFilter, desk_ids: list[int] | None) -> list[EmployeeLine]:
        """Employees by the filter; with `desk_ids`, only those of one of these desks."""
        ...

    def admin_employee(self, employee_id: int) -> EmployeeLine | None: ...
    def admin_facts(self) -> Facts: ...
    def admin_add_employee(self, step: Callable[[Facts], NewEmployeeRecord]) -> EmployeeLine:
        """ValidationFailed (field login) when the login is taken."""
        ...

    def admin_change_employee(
        self, employee_id: int, step: Callable[[EmployeeState], EmployeeWrite | None]
    ) -> EmployeeLine:
        """NotFound for an unknown id; None from the step writes nothing."""
        ...

    def admin_roles(self) -> list[RoleLine]: ...
    def admin_add_role(self, step: Callable[[Facts], NewRoleRecord]) -> RoleLine: ...
    def admin_change_role(self, role_id: int, step: Callable[[RoleState], RoleWrite | None]) -> RoleLine | None:
        """None when the step deleted the role."""
        ...

    def admin_desks(self) -> list[DeskLine]: ...
    def admin_add_desk(self, name: str, audit: AuditRecord) -> DeskLine:
        """ValidationFailed (field name) when a desk of that name exists."""
        ...

    def admin_rename_desk(self, desk_id: int, name: str, audit: Callable[[str], AuditRecord]) -> DeskLine:
        """`audit` gets the old name."""
        ...

    def admin_set_desk_timezone(
        self, desk_id: int, zone: str | None, decide: Callable[[DeskLine], AuditRecord | None]
    ) -> DeskLine:
        """NotFound for an unknown id; `decide` sees the desk as stored (locked), None writes nothing."""
        ...

    def admin_regions(self) -> list[RegionLine]: ...
    def admin_set_region_timezone(
        self, region_id: int, zone: str | None, decide: Callable[[RegionLine], AuditRecord | None]
    ) -> RegionLine:
        """As `admin_set_desk_timezone`, for a region."""
        ...

    def admin_audit(self, flt: AuditFilter, lo: datetime | None, hi: datetime | None) -> list[AuditLine]: ...
    def set_own_password(self, employee_id: int, password_hash: str, audit: AuditRecord) -> None:
        """The employee's own new password; clears must_change_password; other tokens stay."""
        ...
