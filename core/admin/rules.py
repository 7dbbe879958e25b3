"""The rules of administration: what each permission means, masking and read-only as they apply to
one employee (S5, S6), the last-administrator guard, names and passwords, the audit's old -> new."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from zoneinfo import available_timezones

from core.access.rules import Permission
from core.admin.models import AuditChange, AuditLine
from core.errors import ValidationFailed

# S3: every permission listed and explained (msgids: the console translates them).
PERMISSION_LABELS = {
    Permission.VIEW_CONTACTS: "See phones and e-mails unmasked (the default of the role's masking)",
    Permission.EDIT_PERSONAL: "Edit the personal block of a card (name, birth date, region)",
    Permission.EDIT_CONTACTS: "Edit phones and e-mails of a card",
    Permission.SEND_SMS: "Send SMS to clients",
    Permission.COMMENT: "Write comments on cards",
    Permission.CREATE_CLIENT: "Enter new clients",
    Permission.ENTER_RECOMMENDATION: "Enter recommendations (office staff)",
    Permission.WORK_CALLS: "Work campaign calls",
    Permission.CHANGE_VISIT_DATE: "Change the date of an office visit",
    Permission.SME: "Work with SME (small business) clients",
    Permission.CONTROL_GROUP: "Record negative information (the control group)",
    Permission.ALL_DESKS: "See every desk, not only one's own",
    Permission.MANAGE_USERS: "Administration: employees, roles, desks, the audit log",
    Permission.EXPORT: "Export data (also the audit log of administration)",
    Permission.VIEW_REPORTS: "See reports",
    Permission.EXPORT_REPORTS: "Take reports out as files",
    Permission.HAND_OVER: "Hand clients over to another manager",
    Permission.MERGE_CLIENTS: "See possible duplicates and merge two cards into one",
    Permission.EXECUTE_PAYMENTS: "Execute or reject deposit and withdrawal requests",
    Permission.IMPORT_CLIENTS: "Import clients from CSV and Excel files",
    Permission.MANAGE_CAMPAIGNS: "Manage campaigns: scripts, lists, recycling",
    Permission.MANAGE_AUTOMATION: "Manage automation rules (when, if, then)",
    Permission.VIEW_FLOOR: "See the live floor: who is signed in, their calls, the lists",
}

# The audit log's actions and changed fields (msgids: the console translates them).
AUDIT_ACTION_LABELS = {
    "employee_added": "Employee added",
    "employee_edited": "Employee changed",
    "employee_enabled": "Employee enabled",
    "employee_disabled": "Employee disabled",
    "password_reset": "Password reset",
    "employee_unlocked": "Sign-in unblocked",
    "second_factor": "Second factor switched",
    "own_password": "Own password changed",
    "role_added": "Role added",
    "role_edited": "Role changed",
    "role_deleted": "Role deleted",
    "desk_added": "Desk added",
    "desk_renamed": "Desk renamed",
    "desk_timezone": "Desk time zone changed",
    "region_timezone": "Region time zone changed",
}
AUDIT_FIELD_LABELS = {
    "name": "Name",
    "mobile": "Mobile",
    "role": "Role",
    "desks": "Desks",
    "mask_phone": "Phone",
    "mask_email": "E-mail",
    "mask_country": "Country",
    "read_only": "Read-only",
    "permissions": "Permissions",
    "copied_from": "Copied from",
    "active": "Active",
    "second_factor": "Second factor",
    "timezone": "Time zone",
}
# Values of the fields above that are words, not data (masks, read-only, active).
AUDIT_VALUE_LABELS = {
    "masked": "masked",
    "shown": "shown",
    "role": "as the role",
    "default": "by the contacts permission",
    "yes": "yes",
    "no": "no",
    "True": "yes",
    "False": "no",
}
WORD_FIELDS = frozenset({"mask_phone", "mask_email", "mask_country", "read_only", "active"})

MASKABLE = ("phone", "email", "country")
# S6: what a read-only employee loses; seeing, calling and commenting stay.
EDITING = frozenset({Permission.EDIT_PERSONAL, Permission.EDIT_CONTACTS})
LOGIN_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
ROLE_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
MIN_PASSWORD = 8


def effective_access(
    role_permissions: Iterable[str],
    role_masks: Mapping[str, bool | None],
    role_read_only: bool,
    own_masks: Mapping[str, bool | None],
    own_read_only: bool | None,
) -> tuple[list[str], list[str]]:
    """(permissions, masked fields) of one employee. A mask of the employee overrides the role's;
    a role's mask of None follows `view_contacts` (phone and e-mail masked without it, the country
    shown). Read-only (the employee's, else the role's) takes the editing permissions away. The
    result keeps `view_contacts` only when neither phone nor e-mail is masked, so every rule that
    reads that permission still holds."""
    perms = {p for p in role_permissions if p}
    sees = Permission.VIEW_CONTACTS in perms
    masked = []
    for field in MASKABLE:
        own, role = own_masks.get(field), role_masks.get(field)
        if own is not None:
            hide = own
        elif role is not None:
            hide = role
        else:
            hide = field != "country" and not sees
        if hide:
            masked.append(field)
    if "phone" in masked or "email" in masked:
        perms.discard(Permission.VIEW_CONTACTS)
    else:
        perms.add(Permission.VIEW_CONTACTS)
    if own_read_only if own_read_only is not None else role_read_only:
        perms -= EDITING
    return sorted(perms), masked


def check_permissions(names: Iterable[str]) -> list[str]:
    known = {p.value for p in Permission}
    wrong = sorted({n for n in names if n not in known})
    if wrong:
        raise ValidationFailed(f"Unknown permission: {', '.join(wrong)}.", field="permissions")
    return sorted(set(names))


def check_login(login: str) -> str:
    if not LOGIN_RE.match(login):
        raise ValidationFailed(
            "Login: 2-32 lower-case letters, digits, '.', '_' or '-', starting with a letter.", field="login"
        )
    return login


def check_role_code(code: str) -> str:
    if not ROLE_CODE_RE.match(code):
        raise ValidationFailed(
            "Role code: 2-32 lower-case letters, digits or '_', starting with a letter.", field="code"
        )
    return code


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD or password.strip() != password or not password:
        raise ValidationFailed(
            f"Password: at least {MIN_PASSWORD} characters, no spaces at either end.", field="password"
        )
    return password


def check_name(name: str, field: str = "full_name") -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("A name is required.", field)
    return name


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_zone(name: str | None) -> str | None:
    """An IANA time zone name (`Asia/Omsk`), as zoneinfo knows it; empty: None (the console's zone)."""
    name = (name or "").strip()
    if not name:
        return None
    if name not in _zones():
        raise ValidationFailed(f"Unknown time zone '{name}': write an IANA name such as Asia/Omsk.", field="timezone")
    return name


def check_desk_count(role_permissions: Iterable[str], desk_ids: Iterable[int]) -> None:
    """S4: only administration staff (a role that sees every desk) belong to several desks."""
    if len(set(desk_ids)) > 1 and Permission.ALL_DESKS not in set(role_permissions):
        raise ValidationFailed(
            "Only administration staff belong to several desks: choose one desk, or a role that sees every desk.",
            field="desk_ids",
        )


def keeps_an_admin(admins_besides: int, still_admin: bool) -> None:
    """The last active administrator may not be disabled nor lose MANAGE_USERS."""
    if not still_admin and admins_besides == 0:
        raise ValidationFailed(
            "This is the last active administrator: give another active employee a role with the "
            "administration permission first.",
            field="role",
        )


def mask_value(value: bool | None, inherit: str) -> str:
    return inherit if value is None else ("masked" if value else "shown")


def parse_mask(value: str, inherit: str) -> bool | None:
    return None if value == inherit else value == "masked"


def changes(old: Mapping[str, object], new: Mapping[str, object]) -> list[AuditChange]:
    """The fields that differ, as text (lists joined by ', ')."""

    def shown(value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, list | tuple | set | frozenset):
            return ", ".join(sorted(str(v) for v in value))
        return str(value)

    return [
        AuditChange(field=k, old=shown(old.get(k)), new=shown(new.get(k)))
        for k in new
        if shown(old.get(k)) != shown(new.get(k))
    ]


def audit_csv(lines: list[AuditLine]) -> bytes:
    """The audit log as CSV (UTF-8 with BOM for spreadsheets): one row per changed field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "target", "field", "old", "new"])
    for line in lines:
        for change in line.changes or [AuditChange(field="", old=None, new=None)]:
            writer.writerow(
                [line.id, line.at.isoformat(), line.actor, line.action, line.target, change.field,
                 change.old or "", change.new or ""]
            )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")
