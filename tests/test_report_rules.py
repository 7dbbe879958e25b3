"""core.reports.rules: quick periods, Monday weeks, the R2 buckets in Moscow time, percentiles."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import ValidationFailed
from core.reports.rules import bucket_starts, buckets, percentile, period_bounds, quick_period, success_set

WEDNESDAY = date(2025, 3, 12)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("today", (WEDNESDAY, WEDNESDAY)),
        ("yesterday", (date(2025, 3, 11), date(2025, 3, 11))),
        ("this_week", (date(2025, 3, 10), date(2025, 3, 16))),  # Monday to Sunday
        ("last_week", (date(2025, 3, 3), date(2025, 3, 9))),
        ("this_month", (date(2025, 3, 1), date(2025, 3, 31))),
        ("last_month", (date(2025, 2, 1), date(2025, 2, 28))),
    ],
)
def test_quick_periods(name: str, expected: tuple[date, date]) -> None:
    assert quick_period(name, WEDNESDAY) == expected


def test_last_month_in_january_and_this_month_in_december() -> None:
    assert quick_period("last_month", date(2025, 1, 15)) == (date(2024, 12, 1), date(2024, 12, 31))
    assert quick_period("this_month", date(2024, 12, 5)) == (date(2024, 12, 1), date(2024, 12, 31))
    with pytest.raises(ValidationFailed, match="Unknown period"):
        quick_period("fortnight", WEDNESDAY)


def test_a_moscow_day_in_utc() -> None:
    assert period_bounds(date(2025, 3, 31), date(2025, 3, 31), "Europe/Moscow") == (
        datetime(2025, 3, 30, 21, 0, tzinfo=UTC),
        datetime(2025, 3, 31, 21, 0, tzinfo=UTC),
    )


def test_weeks_start_on_monday_and_are_clipped_to_the_period() -> None:
    assert bucket_starts(date(2025, 3, 1), date(2025, 3, 16), "week") == [
        date(2025, 2, 24),
        date(2025, 3, 3),
        date(2025, 3, 10),
    ]
    first = buckets(date(2025, 3, 1), date(2025, 3, 16), "week", "Europe/Moscow")[0]
    assert (first.start, first.lo, first.hi) == (
        date(2025, 2, 24),
        datetime(2025, 2, 28, 21, 0, tzinfo=UTC),  # March 1 in Moscow, not the Monday
        datetime(2025, 3, 2, 21, 0, tzinfo=UTC),
    )
    assert bucket_starts(date(2024, 11, 15), date(2025, 2, 1), "month")[-1] == date(2025, 2, 1)
    assert bucket_starts(date(2024, 11, 15), date(2026, 1, 1), "year") == [
        date(2024, 1, 1),
        date(2025, 1, 1),
        date(2026, 1, 1),
    ]


def test_percentile_interpolates_like_percentile_cont() -> None:
    assert percentile([], 1, 2) == 0.0
    assert percentile([5], 9, 10) == 5.0
    assert percentile([10, 20, 30, 40], 1, 2) == 25.0
    assert percentile([10, 20, 30, 40], 9, 10) == 37.0  # 0.9 * 3 = 2.7: 30 + 0.7 * 10


def test_success_set() -> None:
    assert success_set(None, {"agreed", "card_product", "visit_to_client"}) == (
        "agreed",
        "card_product",
        "visit_to_client",
    )
    assert success_set(["think"], {"think"}) == ("think",)
    with pytest.raises(ValidationFailed, match="Unknown result code"):
        success_set(["nope"], {"think"})
