"""Recurrence, reminder times and overdue marks at fixed instants (no store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ValidationFailed
from core.tasks import recurrence, rules
from core.tasks.models import Person, Task, TaskStatus

BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_keeps_the_wall_clock_across_summer_time() -> None:
    before = utc(2025, 3, 29, 8, 0)  # 09:00 in Berlin (CET)
    assert recurrence.following("daily", before, BERLIN) == utc(2025, 3, 30, 7, 0)  # 09:00 CEST


def test_weekly_is_seven_days_later() -> None:
    assert recurrence.following("weekly", utc(2025, 3, 10, 6), "Europe/Moscow") == utc(2025, 3, 17, 6)


def test_monthly_on_the_31st_falls_on_month_ends_and_comes_back() -> None:
    rule = recurrence.anchored("monthly", utc(2025, 1, 31, 7), "Europe/Moscow")
    assert rule == "monthly:31" and recurrence.shown(rule) == "monthly"
    feb = recurrence.following(rule, utc(2025, 1, 31, 7), "Europe/Moscow")
    assert feb == utc(2025, 2, 28, 7)
    assert recurrence.following(rule, feb, "Europe/Moscow") == utc(2025, 3, 31, 7)


def test_a_cron_rule_runs_in_the_zone() -> None:
    friday = utc(2025, 3, 14, 7)  # 10:00 Moscow, Friday
    assert recurrence.following("cron: 0 9 * * 1-5", friday, "Europe/Moscow") == utc(2025, 3, 17, 6)


def test_a_task_done_late_gets_its_next_deadline_ahead() -> None:
    now = utc(2025, 3, 13, 12)
    assert recurrence.next_deadline("daily", utc(2025, 3, 10, 6), now, "Europe/Moscow") == utc(2025, 3, 14, 6)


@pytest.mark.parametrize("rule", ["hourly", "cron: 61 * * * *", "cron: * *", "cron:"])
def test_bad_rules_are_refused_with_the_field(rule: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        recurrence.normalise(rule)
    assert refused.value.field == "repeat"


def test_rules_are_normalised() -> None:
    assert recurrence.normalise(" Weekly ") == "weekly"
    assert recurrence.normalise("cron:  0 9  * * 1") == "cron: 0 9 * * 1"
    assert recurrence.normalise("") is None


def _task(status: TaskStatus, deadline: datetime) -> Task:
    me = Person(id=1, name="A")
    return Task(
        id=1,
        title="t",
        text="",
        author=me,
        assignee=me,
        watchers=[],
        deadline=deadline,
        remind_at=rules.remind_at(deadline, 30),
        status=status,
        created_at=deadline - timedelta(days=1),
    )


def test_overdue_is_an_open_task_past_its_deadline() -> None:
    deadline = utc(2025, 3, 10, 12)
    assert not rules.is_overdue(_task(TaskStatus.OPEN, deadline), deadline)
    assert rules.is_overdue(_task(TaskStatus.OPEN, deadline), deadline + timedelta(seconds=1))
    assert not rules.is_overdue(_task(TaskStatus.DONE, deadline), deadline + timedelta(days=1))
    assert rules.remind_at(deadline, 30) == utc(2025, 3, 10, 11, 30)


def test_croniter_is_imported_only_when_a_cron_rule_is_met() -> None:
    """Its import runs `file` on the interpreter; no process that starts a console or the API
    should pay for that (or start a child process) before a cron rule is used."""
    import subprocess
    import sys

    probe = (
        "import resource, sys\n"
        "import api.app, core.console, storage.sql_repository, tui.app\n"
        "print('croniter' in sys.modules, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "from core.tasks.recurrence import normalise\n"
        "print(normalise('cron: 0 9 * * 1-5'), 'croniter' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "False 0"
    assert out[1] == "cron: 0 9 * * 1-5 True"
