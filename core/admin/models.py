"""What administration answers: employees, roles, desks, permissions explained, the audit log."""

from __future__ import annotations

from datetime import datetime

from core.access.models import Desk
from core.shapes import Shape


class PermissionInfo(Shape):
    code: str
    text: str  # a short English msgid; the console translates it


class EmployeeLine(Shape):
    """An employee as administration sees them; masks and read-only are None where the role decides."""

    id: int
    login: str
    full_name: str
    mobile: str | None
    role: str
    role_name: str
    desks: list[Desk]
    active: bool
    second_factor: str  # "sms" or "totp"
    must_change_password: bool
    mask_phone: bool | None
    mask_email: bool | None
    mask_country: bool | None
    read_only: bool | None
    version: int


class RoleLine(Shape):
    """A role; a mask of None follows the contacts permission (masked without `view_contacts`)."""

    id: int
    code: str
    name: str
    permissions: list[str]
    mask_phone: bool | None
    mask_email: bool | None
    mask_country: bool | None
    read_only: bool
    members: int
    version: int


class DeskLine(Shape):
    id: int
    name: str
    members: int
    timezone: str | None = None  # IANA zone of its clients' calling hours; None: the console's
    version: int = 1


class RegionLine(Shape):
    """A region and the IANA zone of its clients' calling hours (None: the desk's, then the console's)."""

    id: int
    name: str
    timezone: str | None
    version: int


class SecondFactor(Shape):
    """After a switch: the channel, and for TOTP the provisioning URI to scan (shown once)."""

    login: str
    channel: str
    provisioning_uri: str | None = None


class AuditChange(Shape):
    field: str
    old: str | None
    new: str | None


class AuditLine(Shape):
    """One administrative change: who, when, what, old -> new. Never a password."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    changes: list[AuditChange]
