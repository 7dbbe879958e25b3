"""The rules of actions, views and tags: which fields a view may filter on, with which operators,
what relative dates mean at an instant, what is overdue, what a tag is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.errors import ValidationFailed


class Subject(StrEnum):
    CLIENTS = "clients"
    ACTIONS = "actions"


class Op(StrEnum):
    EQ = "eq"  # =
    NE = "ne"  # ≠
    LT = "lt"  # <
    GT = "gt"  # >
    BETWEEN = "between"  # both bounds included
    EMPTY = "empty"  # is empty


class Kind(StrEnum):
    INT = "int"
    TEXT = "text"
    CODE = "code"
    BOOL = "bool"
    DAY = "day"
    MOMENT = "moment"
    TAG = "tag"


ORDERED = {Op.EQ, Op.NE, Op.LT, Op.GT, Op.BETWEEN, Op.EMPTY}
OPERATORS: dict[Kind, frozenset[Op]] = {
    Kind.INT: frozenset(ORDERED),
    Kind.TEXT: frozenset(ORDERED),
    Kind.CODE: frozenset({Op.EQ, Op.NE, Op.EMPTY}),
    Kind.BOOL: frozenset({Op.EQ}),
    Kind.DAY: frozenset(ORDERED),
    Kind.MOMENT: frozenset(ORDERED),
    Kind.TAG: frozenset({Op.EQ, Op.NE, Op.EMPTY}),
}
ARITY = {Op.EQ: 1, Op.NE: 1, Op.LT: 1, Op.GT: 1, Op.BETWEEN: 2, Op.EMPTY: 0}

# The whitelist: the only fields a view names. The store maps each to one column (or a tag lookup).
FIELDS: dict[Subject, dict[str, Kind]] = {
    Subject.CLIENTS: {
        "id": Kind.INT,
        "surname": Kind.TEXT,
        "client_type": Kind.CODE,
        "lifecycle": Kind.CODE,
        "language": Kind.CODE,
        "desk_id": Kind.INT,
        "responsible_id": Kind.INT,
        "region_id": Kind.INT,
        "town_id": Kind.INT,
        "birth_date": Kind.DAY,
        "created_at": Kind.MOMENT,
        "do_not_disturb": Kind.BOOL,
        "last_note_at": Kind.MOMENT,  # the seed's derived dates, kept on the client row
        "last_call_at": Kind.MOMENT,
        "last_contact_at": Kind.MOMENT,
        "last_deposit_at": Kind.MOMENT,  # no deposits yet: always empty until trading lands
        "tag": Kind.TAG,
    },
    Subject.ACTIONS: {
        "id": Kind.INT,
        "client_id": Kind.INT,
        "type": Kind.CODE,
        "employee_id": Kind.INT,
        "due_at": Kind.MOMENT,
        "done_at": Kind.MOMENT,
        "created_at": Kind.MOMENT,
        "desk_id": Kind.INT,  # the client's
        "done": Kind.BOOL,
        "overdue": Kind.BOOL,  # not done and due before now
    },
}
# Columns a list may be sorted by (every column the list shows).
SORTS: dict[Subject, tuple[str, ...]] = {
    Subject.CLIENTS: ("id", "surname", "created_at", "last_contact_at", "last_call_at", "last_note_at"),
    Subject.ACTIONS: ("id", "due_at", "type", "client", "employee", "done_at", "created_at"),
}
DEFAULT_SORT = {Subject.CLIENTS: "id", Subject.ACTIONS: "due_at"}
MAX_CONDITIONS = 20
PAGE_MAX = 500
_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dwh])$")
_UNITS = {"d": "days", "w": "weeks", "h": "hours"}
TAG_LEN = 40
_TAG = re.compile(r"^[\w-]+$")

# The funnel stages a new database starts with (seed 001); an administrator edits or adds others.
# M5: which of the client's derived dates a history entry of a kind moves (core.vocab.ContactKind);
# storage/activity.py keeps them on the client row in the entry's own transaction.
DATES_MOVED_BY: dict[str, tuple[str, ...]] = {
    "call": ("last_call_at", "last_contact_at"),
    "sms": ("last_contact_at",),
    "visit": ("last_contact_at",),
    "comment": ("last_note_at",),
}

DEFAULT_ACTION_TYPES: tuple[tuple[str, str], ...] = (
    ("call", "Call"),
    ("consultation", "Consultation"),
    ("practice_invitation", "Invitation to practise"),
    ("real_account", "Real account opened"),
    ("deposit", "Deposit"),
)


@dataclass(frozen=True)
class Resolved:
    """A condition checked and typed: what the store compiles into its one query."""

    field: str
    op: Op
    values: tuple[object, ...] = ()


def resolve(subject: Subject, conditions: list[tuple[str, str, list[str]]], now: datetime, tz: str) -> list[Resolved]:
    """Checks (field, operator, values) against the whitelist and types the values at `now`."""
    if len(conditions) > MAX_CONDITIONS:
        raise ValidationFailed(f"At most {MAX_CONDITIONS} conditions.", field="conditions")
    fields = FIELDS[subject]
    out: list[Resolved] = []
    for field, op_text, values in conditions:
        kind = fields.get(field)
        if kind is None:
            raise ValidationFailed(f"Unknown field '{field}'.", field="conditions")
        try:
            op = Op(op_text)
        except ValueError:
            raise ValidationFailed(f"Unknown operator '{op_text}'.", field="conditions") from None
        if op not in OPERATORS[kind]:
            raise ValidationFailed(f"The field '{field}' does not take '{op}'.", field="conditions")
        if len(values) != ARITY[op]:
            raise ValidationFailed(f"'{op}' takes {ARITY[op]} value(s).", field="conditions")
        typed = tuple(
            _typed(kind, v, now, tz, field, upper=(op == Op.BETWEEN and i == 1)) for i, v in enumerate(values)
        )
        if subject is Subject.ACTIONS and field == "overdue":  # decided at `now` (is_overdue)
            typed = (typed[0], now)
        out.append(Resolved(field, op, typed))
    return out


def _typed(kind: Kind, value: str, now: datetime, tz: str, field: str, upper: bool) -> object:
    bad = ValidationFailed(f"'{value}' is not a valid value of '{field}'.", field="conditions")
    value = value.strip()
    if kind is Kind.INT:
        if not value.isascii() or not value.lstrip("-").isdigit() or abs(int(value)) > 2**31 - 1:
            raise bad
        return int(value)
    if kind is Kind.BOOL:
        if value not in ("true", "false"):
            raise bad
        return value == "true"
    if kind is Kind.TAG:
        return tag_key(value)
    if kind in (Kind.TEXT, Kind.CODE):
        if not value or len(value) > 100:
            raise bad
        return value
    if kind is Kind.DAY:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise bad from None
    return moment(value, now, tz, upper, bad)


def moment(value: str, now: datetime, tz: str, upper: bool, bad: Exception) -> datetime:
    """An instant from ISO text; a bare date is its midnight in `tz` (the end of it as an upper
    bound of `between`); `today`, `-30d`, `+2w`, `-6h` are relative to `now`."""
    zone = ZoneInfo(tz)
    if value == "today":
        day = now.astimezone(zone).date()
        return _day_bound(day, zone, upper)
    rel = _RELATIVE.match(value)
    if rel:
        sign, amount, unit = rel.groups()
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        return now + delta if sign == "+" else now - delta
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return _day_bound(day, zone, upper)
        at = datetime.fromisoformat(value)
    except ValueError:
        raise bad from None
    if at.tzinfo is None:
        raise bad
    return at.astimezone(UTC)


def _day_bound(day: date, zone: ZoneInfo, upper: bool) -> datetime:
    """The day's first instant in `zone`, or its last as the upper bound of `between`."""
    if upper:
        return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC) - timedelta(microseconds=1)
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def check_sort(subject: Subject, sort: str | None, conditions: list[Resolved] | tuple[Resolved, ...] = ()) -> str:
    """The sort asked for; without one, the column of the first range condition that a list can be
    sorted by (its index then serves the page in order, however many rows match), else the default."""
    if not sort:
        ranged = (r.field for r in conditions if r.op in (Op.LT, Op.GT, Op.BETWEEN) and r.field in SORTS[subject])
        sort = next(ranged, DEFAULT_SORT[subject])
    if sort not in SORTS[subject]:
        raise ValidationFailed(f"A list of {subject} cannot be sorted by '{sort}'.", field="sort")
    return sort


def is_overdue(due_at: datetime, done_at: datetime | None, now: datetime) -> bool:
    """M4: an open action past its due time."""
    return done_at is None and due_at < now


def tag_key(text: str) -> str:
    """A tag as stored and searched: without '#', trimmed, casefolded; letters, digits, '_' and '-'."""
    key = text.strip().lstrip("#").casefold()
    if not key or len(key) > TAG_LEN or not _TAG.match(key):
        raise ValidationFailed(
            f"A tag is 1 to {TAG_LEN} letters, digits, '_' or '-' (got '{text[:TAG_LEN]}').", field="tag"
        )
    return key


def action_type_code(text: str) -> str:
    code = text.strip().casefold()
    if not code or len(code) > 40 or not re.match(r"^[a-z0-9_]+$", code):
        raise ValidationFailed("An action type code is 1 to 40 latin letters, digits or '_'.", field="code")
    return code
