"""Roles, permissions, desks and masking (SPEC S3-S6): who may see and do what."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    VIEW_CONTACTS = "view_contacts"  # S5: unmasked phones and e-mails
    EDIT_PERSONAL = "edit_personal"  # S6: the personal block
    EDIT_CONTACTS = "edit_contacts"  # S6: the contact block
    SEND_SMS = "send_sms"
    COMMENT = "comment"
    CREATE_CLIENT = "create_client"
    ENTER_RECOMMENDATION = "enter_recommendation"  # C9: office staff only
    WORK_CALLS = "work_calls"
    CHANGE_VISIT_DATE = "change_visit_date"  # K9: not for the contact centre
    SME = "sme"  # K11, K13: SME staff
    CONTROL_GROUP = "control_group"  # K11: "negative information"
    ALL_DESKS = "all_desks"  # S4: sees every desk
    MANAGE_USERS = "manage_users"
    EXPORT = "export"  # M9
    VIEW_REPORTS = "view_reports"  # R1-R6: the Reports place and its API
    EXPORT_REPORTS = "export_reports"  # R5: report files (CSV, XLSX, HTML), audited
    HAND_OVER = "hand_over"  # C17: give clients to another manager
    MERGE_CLIENTS = "merge_clients"  # F3: the duplicates list and merging two cards
    EXECUTE_PAYMENTS = "execute_payments"  # M3: the deposit and withdrawal queue
    IMPORT_CLIENTS = "import_clients"  # M9: cards from spreadsheets
    MANAGE_CAMPAIGNS = "manage_campaigns"  # K16: campaigns, their scripts, lists and recycling
    MANAGE_AUTOMATION = "manage_automation"  # M8: automation rules
    VIEW_FLOOR = "view_floor"  # issue 14: the live floor (F5)


ALL_PERMISSIONS = frozenset(Permission)

# What a head of a desk does: everything but administration and the specialised work (SME, the
# control group, C9: entering a recommendation is for office staff only).
_HEAD = ALL_PERMISSIONS - {
    Permission.MANAGE_USERS, Permission.SME, Permission.CONTROL_GROUP, Permission.ENTER_RECOMMENDATION,
}  # fmt: skip
# The seed's sales manager (001): works the clients of their desk, contacts shown.
_SALES = frozenset({
    Permission.VIEW_CONTACTS, Permission.EDIT_PERSONAL, Permission.EDIT_CONTACTS, Permission.SEND_SMS,
    Permission.COMMENT, Permission.CREATE_CLIENT, Permission.WORK_CALLS,
})  # fmt: skip

# S3: the roles a new database starts with; administrators may edit them and add others. The seed's
# two defaults (001: administration staff, sales managers) next to the bank's. S4: only
# administration staff (and the administrator) see every desk; a supervisor sees their own desks.
DEFAULT_ROLES: dict[str, tuple[str, frozenset[Permission]]] = {
    "admin": ("Administrator", ALL_PERMISSIONS),
    "administration": ("Administration staff", _HEAD),
    "sales_manager": ("Sales manager", _SALES),
    "supervisor": ("Supervisor", _HEAD - {Permission.ALL_DESKS}),
    "operator": (
        "Contact-centre operator",
        frozenset(
            {
                Permission.EDIT_PERSONAL,
                Permission.EDIT_CONTACTS,
                Permission.SEND_SMS,
                Permission.COMMENT,
                Permission.CREATE_CLIENT,
                Permission.WORK_CALLS,
            }
        ),
    ),
    "office": (
        "Office specialist",
        frozenset(
            {
                Permission.VIEW_CONTACTS,
                Permission.EDIT_PERSONAL,
                Permission.EDIT_CONTACTS,
                Permission.SEND_SMS,
                Permission.COMMENT,
                Permission.CREATE_CLIENT,
                Permission.ENTER_RECOMMENDATION,
                Permission.WORK_CALLS,
                Permission.CHANGE_VISIT_DATE,
            }
        ),
    ),
    "sme": (
        "SME manager",
        frozenset(
            {
                Permission.VIEW_CONTACTS,
                Permission.EDIT_CONTACTS,
                Permission.SEND_SMS,
                Permission.COMMENT,
                Permission.CREATE_CLIENT,
                Permission.WORK_CALLS,
                Permission.CHANGE_VISIT_DATE,
                Permission.SME,
            }
        ),
    ),
    "control": (
        "Active control group",
        frozenset({Permission.VIEW_CONTACTS, Permission.COMMENT, Permission.WORK_CALLS, Permission.CONTROL_GROUP}),
    ),
}

MASK = "*"


def heads_desks(me: object) -> bool:
    """A head of their desks (a supervisor; administration staff and the administrator head every
    desk): the one who hands clients over (C17) also sets the desks' assignment rules (M1) and
    shares views (M5). The test is the permission, not the role's name."""
    perms = getattr(me, "permissions", None) or ()
    return Permission.ALL_DESKS in perms or Permission.HAND_OVER in perms


def mask_phone(number: str) -> str:
    """S5: `+79123456789` -> `+7 *** ***-**-89`: the country code and the last two digits stay,
    enough to tell a client's phones apart and to read back, not to dial or to write down."""
    from core.clients.phones import format_phone

    if is_masked_phone(number):  # masked already (a stored answer read again): as it is
        return number
    shown = format_phone(number)
    code_end = shown.find(" ") if shown.startswith("+") else 0
    digits = [i for i, ch in enumerate(shown) if ch.isdigit() and i >= max(code_end, 0)]
    keep = set(digits[-2:])
    return "".join(MASK if i in digits and i not in keep else ch for i, ch in enumerate(shown))


def phone_tail(number: str) -> str:
    """S5 in a list of clients (search, hand-over, duplicates): `+79123456789` -> `**89`, only the
    last two digits; the list reads "Call …89" and dials by the phone's id, never by the number."""
    digits = [ch for ch in number if ch.isdigit()]
    return MASK * 2 + "".join(digits[-2:])


def is_masked_phone(number: str | None) -> bool:
    return bool(number) and MASK in number  # type: ignore[operator]


def desk_visible(desk_id: int | None, desks: list[int] | None) -> bool:
    """S4: `desks` are the reader's (None: every desk). A client of no desk is nobody's to see."""
    return desks is None or desk_id in desks


def parse_permissions(text: str) -> frozenset[Permission]:
    """Permissions are stored as a comma-separated list; unknown names are ignored."""
    known = {p.value for p in Permission}
    return frozenset(Permission(p) for p in (s.strip() for s in text.split(",")) if p in known)


def format_permissions(perms: frozenset[Permission] | set[Permission]) -> str:
    return ",".join(sorted(p.value for p in perms))


def mask_email(address: str) -> str:
    """`ivan.petrov@mail.ru` -> `i***@m***.ru`: enough to recognise, not to write to."""
    local, _, domain = address.partition("@")
    host, _, tld = domain.rpartition(".")
    masked_host = (host[:1] + "***") if host else "***"
    return f"{local[:1]}***@{masked_host}.{tld}" if tld else f"{local[:1]}***@***"
