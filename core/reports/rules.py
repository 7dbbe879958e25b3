"""Report rules: periods in the operator's time zone (weeks start on Monday), quick choices, the
buckets of R2, which results count as reached and as success, conversions, percentiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import ValidationFailed

# Results of a dial that did not reach anyone (K1); every other result of a call is "reached".
UNREACHED: tuple[str, ...] = ("not_reached", "call_dropped")
# Results counted as a successful call unless the filter or the settings say otherwise.
DEFAULT_SUCCESS: tuple[str, ...] = ("agreed", "card_product", "visit_to_client")
# R6: results that mean the client agreed to a visit or a product; a visit entry counts too.
AGREED: tuple[str, ...] = ("agreed", "card_product", "visit_to_client", "changed_visit_date")
PERCENTILES = ((1, 2), (9, 10))  # the median and the 90th percentile as fractions a/b
MAX_BUCKETS = 400  # a year and a month by day; SQLite allows 500 terms in one compound SELECT
QUICK_PERIODS: tuple[str, ...] = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month")


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def quick_period(name: str, today: date) -> tuple[date, date]:
    """The quick choices of the period filter, as (first day, last day)."""
    if name == "today":
        return today, today
    if name == "yesterday":
        day = today - timedelta(days=1)
        return day, day
    if name == "this_week":
        return week_start(today), week_start(today) + timedelta(days=6)
    if name == "last_week":
        start = week_start(today) - timedelta(days=7)
        return start, start + timedelta(days=6)
    if name == "this_month":
        return month_start(today), _next_month(today) - timedelta(days=1)
    if name == "last_month":
        end = month_start(today) - timedelta(days=1)
        return month_start(end), end
    raise ValidationFailed(f"Unknown period '{name}'; use one of {', '.join(QUICK_PERIODS)}.", field="period")


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def local_midnight(day: date, tz: str) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def period_bounds(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    """[from, to) in UTC for the local days start..end, both included."""
    return local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz)


def bucket_starts(start: date, end: date, granularity: str) -> list[date]:
    """The first local day of each day / week (Monday) / month / year touching start..end."""
    if granularity == "day":
        first, step = start, lambda d: d + timedelta(days=1)
    elif granularity == "week":
        first, step = week_start(start), lambda d: d + timedelta(days=7)
    elif granularity == "month":
        first, step = month_start(start), _next_month
    elif granularity == "year":
        first, step = date(start.year, 1, 1), lambda d: date(d.year + 1, 1, 1)
    else:
        raise ValidationFailed(f"Unknown granularity '{granularity}'.", field="granularity")
    days = [first]
    while step(days[-1]) <= end:
        days.append(step(days[-1]))
        if len(days) > MAX_BUCKETS:
            raise ValidationFailed("Too many periods: choose a shorter period or a coarser step.", field="granularity")
    return days


@dataclass(frozen=True)
class Bucket:
    index: int
    start: date  # its first local day (for a week: the Monday, even before the period starts)
    lo: datetime  # UTC, clipped to the period
    hi: datetime


def buckets(start: date, end: date, granularity: str, tz: str) -> list[Bucket]:
    """R2's periods with their UTC bounds, clipped to the filter's period."""
    lo_all, hi_all = period_bounds(start, end, tz)
    firsts = bucket_starts(start, end, granularity)
    bounds = [max(local_midnight(d, tz), lo_all) for d in firsts] + [hi_all]
    return [Bucket(i, firsts[i], bounds[i], bounds[i + 1]) for i in range(len(firsts))]


def rate(part: int, whole: int) -> float:
    """A share rounded to 4 places; 0 when there is nothing to divide."""
    return round(part / whole, 4) if whole else 0.0


def percentile(values: list[int], a: int, b: int) -> float:
    """Linear-interpolation percentile a/b (as PostgreSQL's percentile_cont); the reference for the store."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos, rest = divmod(a * (len(ordered) - 1), b)
    upper = ordered[pos + 1] if rest else 0
    return (ordered[pos] * (b - rest) + upper * rest) / b


def success_set(chosen: list[str] | None, known: set[str]) -> tuple[str, ...]:
    """The result codes counted as success: the filter's, else the default; unknown codes refused."""
    codes = tuple(chosen) if chosen else DEFAULT_SUCCESS
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationFailed(f"Unknown result code(s) for success: {', '.join(unknown)}.", field="success")
    return codes
