"""The view rules at fixed instants: every operator, relative dates, the derived dates' fields,
overdue, tags; and the same conditions through the store on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.errors import ValidationFailed
from core.work import rules
from core.work.rules import Op, Resolved, Subject

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
TZ = "Europe/Moscow"


def one(field: str, op: str, *values: str, subject: Subject = Subject.CLIENTS) -> Resolved:
    (resolved,) = rules.resolve(subject, [(field, op, list(values))], NOW, TZ)
    return resolved


@pytest.mark.parametrize(
    ("op", "values", "typed"),
    [
        ("eq", ["7"], (7,)),
        ("ne", ["7"], (7,)),
        ("lt", ["7"], (7,)),
        ("gt", ["7"], (7,)),
        ("between", ["3", "9"], (3, 9)),
        ("empty", [], ()),
    ],
)
def test_each_operator_types_its_values(op: str, values: list[str], typed: tuple) -> None:
    assert one("responsible_id", op, *values) == Resolved("responsible_id", Op(op), typed)


@pytest.mark.parametrize("field", ["last_note_at", "last_call_at", "last_contact_at", "last_deposit_at"])
def test_derived_dates_take_relative_and_calendar_bounds(field: str) -> None:
    assert one(field, "lt", "-30d").values == (NOW - timedelta(days=30),)
    assert one(field, "gt", "+2w").values == (NOW + timedelta(weeks=2),)
    assert one(field, "lt", "-6h").values == (NOW - timedelta(hours=6),)
    # a calendar day is read in the console's zone: Moscow midnight is 21:00 UTC the day before
    lo, hi = one(field, "between", "2025-01-01", "2025-01-31").values
    assert lo == datetime(2024, 12, 31, 21, 0, tzinfo=UTC)
    assert hi == datetime(2025, 1, 31, 21, 0, tzinfo=UTC) - timedelta(microseconds=1)
    assert one(field, "gt", "today").values == (datetime(2025, 3, 9, 21, 0, tzinfo=UTC),)
    assert one(field, "empty").values == ()


def test_a_time_without_its_zone_or_garbage_is_refused() -> None:
    for value in ("2025-01-01T10:00:00", "yesterday", "-30x", "30d"):
        with pytest.raises(ValidationFailed):
            one("last_call_at", "lt", value)
    assert one("created_at", "gt", "2025-01-01T10:00:00+03:00").values == (datetime(2025, 1, 1, 7, tzinfo=UTC),)


def test_fields_operators_and_arity_come_from_the_whitelist() -> None:
    with pytest.raises(ValidationFailed, match="Unknown field"):
        one("passport_number", "eq", "1")  # not a view field, whatever the table has
    with pytest.raises(ValidationFailed, match="Unknown field"):
        one("id; DROP TABLE client", "eq", "1")
    with pytest.raises(ValidationFailed, match="Unknown operator"):
        one("id", "like", "1")
    with pytest.raises(ValidationFailed, match="does not take"):
        one("lifecycle", "lt", "lead")
    with pytest.raises(ValidationFailed, match="takes 2"):
        one("id", "between", "1")
    with pytest.raises(ValidationFailed, match="takes 0"):
        one("id", "empty", "1")
    with pytest.raises(ValidationFailed, match="not a valid value"):
        one("id", "eq", "x")
    with pytest.raises(ValidationFailed, match="not a valid value"):
        one("do_not_disturb", "eq", "1")
    assert one("birth_date", "lt", "1990-01-01").values == (date(1990, 1, 1),)


def test_overdue_is_decided_at_the_instant() -> None:
    due = NOW - timedelta(minutes=1)
    assert rules.is_overdue(due, None, NOW)
    assert not rules.is_overdue(due, NOW - timedelta(hours=1), NOW)  # done: never overdue
    assert not rules.is_overdue(NOW, None, NOW)  # due exactly now: not yet
    assert one("overdue", "eq", "true", subject=Subject.ACTIONS).values == (True, NOW)
    with pytest.raises(ValidationFailed, match="does not take"):
        one("overdue", "ne", "true", subject=Subject.ACTIONS)


def test_tags_are_keys() -> None:
    assert rules.tag_key("#VIP") == "vip"
    assert rules.tag_key(" Frozen-Q1 ") == "frozen-q1"
    assert one("tag", "eq", "#Retention").values == ("retention",)
    for bad in ("", "#", "two words", "x" * 41, "a,b"):
        with pytest.raises(ValidationFailed):
            rules.tag_key(bad)


def test_sort_is_whitelisted() -> None:
    assert rules.check_sort(Subject.ACTIONS, None) == "due_at"
    assert rules.check_sort(Subject.CLIENTS, "last_contact_at") == "last_contact_at"
    with pytest.raises(ValidationFailed):
        rules.check_sort(Subject.CLIENTS, "passport_number")


def test_without_a_sort_a_range_orders_the_list() -> None:
    """A range on a sortable column is served in that column's index order (a first page at any
    density); an equality or a tag keeps the default."""
    ranged = rules.resolve(Subject.CLIENTS, [("tag", "eq", ["vip"]), ("last_contact_at", "lt", ["-30d"])], NOW, TZ)
    assert rules.check_sort(Subject.CLIENTS, None, ranged) == "last_contact_at"
    assert rules.check_sort(Subject.CLIENTS, "surname", ranged) == "surname"
    assert rules.check_sort(Subject.CLIENTS, None, [one("responsible_id", "eq", "3")]) == "id"
    assert rules.check_sort(Subject.CLIENTS, None, [one("birth_date", "lt", "1990-01-01")]) == "id"
