"""What administrators send, with the limits every input obeys (core.shapes).

Edits name only what changes (a field left out stays as it is) and carry the version read, so a
change made meanwhile by someone else answers Conflict instead of being overwritten.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.shapes import Day, Flag, Id, Name, Shape, Version, text

LOGIN_LEN = 32
PASSWORD_LEN = 200
ROLE_CODE_LEN = 32
DESKS_MAX = 50
PERMISSIONS_MAX = 50
AUDIT_LIMIT_MAX = 1000

Login = text(LOGIN_LEN)
Password = text(PASSWORD_LEN)
RoleCode = text(ROLE_CODE_LEN)
Mobile = text(50)
Mask = Literal["role", "masked", "shown"]  # an employee's: follow the role, or override it
RoleMask = Literal["default", "masked", "shown"]  # a role's: follow the contacts permission, or decide
Tri = Literal["role", "yes", "no"]
DeskIds = list[Id]


class EmployeeFilter(Shape):
    desk_id: Id | None = None
    role: RoleCode | None = None
    active: Flag | None = None


class NewEmployee(Shape):
    login: Login
    full_name: Name
    password: Password
    role: RoleCode
    desk_ids: DeskIds = Field(default_factory=list, max_length=DESKS_MAX)
    mobile: Mobile | None = None
    totp: Flag = False


class EmployeeEdit(Shape):
    full_name: Name | None = None
    mobile: Mobile | None = None
    role: RoleCode | None = None
    desk_ids: DeskIds | None = Field(default=None, max_length=DESKS_MAX)
    mask_phone: Mask | None = None
    mask_email: Mask | None = None
    mask_country: Mask | None = None
    read_only: Tri | None = None
    expected_version: Version


class ActiveEdit(Shape):
    active: Flag
    expected_version: Version


class PasswordReset(Shape):
    """A temporary password: the employee must choose their own at the next sign-in."""

    password: Password
    expected_version: Version


class SecondFactorEdit(Shape):
    channel: Literal["sms", "totp"]
    expected_version: Version


class OwnPassword(Shape):
    password: Password


class NewRole(Shape):
    code: RoleCode
    name: Name
    permissions: list[Name] = Field(default_factory=list, max_length=PERMISSIONS_MAX)
    copy_from: RoleCode | None = None  # start from this role's permissions, masks and read-only


class RoleEdit(Shape):
    name: Name | None = None
    permissions: list[Name] | None = Field(default=None, max_length=PERMISSIONS_MAX)
    mask_phone: RoleMask | None = None
    mask_email: RoleMask | None = None
    mask_country: RoleMask | None = None
    read_only: Flag | None = None
    expected_version: Version


class DeskName(Shape):
    name: Name


class ZoneEdit(Shape):
    """A desk's or a region's time zone (IANA, e.g. `Asia/Omsk`; None: the console's); the calling
    hours of their clients follow it (K16)."""

    timezone: text(64) | None = None  # type: ignore[valid-type]
    expected_version: Version


class AuditFilter(Shape):
    actor: Login | None = None
    action: Name | None = None
    target: Name | None = None
    start: Day | None = None
    end: Day | None = None
    limit: int = Field(default=200, strict=True, ge=1, le=AUDIT_LIMIT_MAX)
