"""Tasks (M6) on both engines: set, done, accepted or returned; watchers; who may do what;
reminders and overdue marks at fixed instants; recurring tasks made by the worker exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.jobs.worker import Worker
from core.tasks.inputs import NewTask, TaskCheck, TaskDone
from core.tasks.models import TaskScope, TaskStatus
from storage.users import disable
from tests.helpers import Crm


@pytest.fixture
def team(crm: Crm):  # type: ignore[no-untyped-def]
    boss = crm.console("boss", role="supervisor")
    oper = crm.console("oper", role="operator")
    crm.add_employee("watcher", role="operator")
    crm.add_employee("stranger", role="operator", desks=("Other desk",))
    return crm, boss, oper


def ids(crm: Crm) -> dict[str, int]:
    return {login: crm.repo.employee_by_login(login).id for login in ("boss", "oper", "watcher", "stranger")}


def new_task(crm: Crm, assignee: str = "oper", minutes: int = 60, **extra: object) -> NewTask:
    people = ids(crm)
    values: dict[str, object] = {
        "title": "Call the new leads",
        "assignee_id": people[assignee],
        "deadline": crm.clock.now() + timedelta(minutes=minutes),
        **extra,
    }
    return NewTask.model_validate(values)


def test_a_task_is_done_by_the_assignee_and_accepted_by_its_author(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm, watcher_ids=[ids(crm)["watcher"]]))
    assert task.status == TaskStatus.OPEN and task.author.name == "Boss Testov"
    assert [w.name for w in task.watchers] == ["Watcher Testov"]
    assert [t.id for t in oper.tasks(TaskScope.MINE)] == [task.id]
    assert [t.id for t in boss.tasks(TaskScope.SET)] == [task.id]
    with pytest.raises(PermissionDenied):
        boss.complete_task(task.id, TaskDone())  # not the assignee
    crm.clock.advance(minutes=5)
    assert oper.complete_task(task.id, TaskDone(comment="called all")).status == TaskStatus.DONE
    with pytest.raises(Conflict):
        oper.complete_task(task.id, TaskDone())  # done already
    with pytest.raises(PermissionDenied):
        oper.check_task(task.id, TaskCheck(accept=True))  # not the author
    accepted = boss.check_task(task.id, TaskCheck(accept=True))
    assert accepted.status == TaskStatus.ACCEPTED and accepted.checked_at == crm.clock.now()
    assert oper.tasks(TaskScope.MINE) == []  # closed tasks leave the open list
    assert [t.id for t in oper.tasks(TaskScope.MINE, open_only=False)] == [task.id]
    card = boss.task(task.id)
    assert [(e.event, e.comment) for e in card.history] == [
        ("created", None),
        ("done", "called all"),
        ("accepted", None),
    ]


def test_a_returned_task_goes_back_open_with_the_comment(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm))
    oper.complete_task(task.id, TaskDone())
    with pytest.raises(ValidationFailed) as refused:
        boss.check_task(task.id, TaskCheck(accept=False))
    assert refused.value.field == "comment"
    back = boss.check_task(task.id, TaskCheck(accept=False, comment="two leads were not called"))
    assert back.status == TaskStatus.OPEN and back.returned and back.comment == "two leads were not called"
    assert oper.task(task.id).task.comment == "two leads were not called"


def test_a_task_set_for_oneself_is_accepted_when_done(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, _ = team
    task = boss.create_task(new_task(crm, assignee="boss"))
    assert boss.complete_task(task.id, TaskDone()).status == TaskStatus.ACCEPTED


def test_watchers_see_the_task_others_do_not(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm, watcher_ids=[ids(crm)["watcher"]]))
    watcher = crm.sign_in("watcher")
    assert [t.id for t in watcher.tasks(TaskScope.WATCHING)] == [task.id]
    assert watcher.task(task.id).task.id == task.id
    stranger = crm.sign_in("stranger")
    with pytest.raises(NotFound):
        stranger.task(task.id)


def test_tasks_go_to_active_employees_of_my_desks(team) -> None:  # type: ignore[no-untyped-def]
    crm, _, oper = team
    with pytest.raises(ValidationFailed) as other_desk:
        oper.create_task(new_task(crm, assignee="stranger"))
    assert other_desk.value.field == "assignee_id"
    disable(crm.engine, "watcher")
    with pytest.raises(ValidationFailed):
        oper.create_task(new_task(crm, assignee="watcher"))
    with pytest.raises(ValidationFailed) as past:
        oper.create_task(new_task(crm, minutes=-1))
    assert past.value.field == "deadline"
    names = [p.name for p in oper.task_assignees()]
    assert "Stranger Testov" not in names and "Watcher Testov" not in names and "Oper Testov" in names


def test_reminders_come_before_the_deadline_and_overdue_after_it(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm, minutes=60, remind_minutes=30))
    boss.create_task(new_task(crm, minutes=600, remind_minutes=30, title="Later"))
    assert oper.task_reminders().count == 0
    crm.clock.advance(minutes=29)
    assert oper.task_reminders().count == 0
    crm.clock.advance(minutes=1)  # 30 minutes before the deadline
    reminders = oper.task_reminders()
    assert reminders.count == 1 and [(r.id, r.overdue) for r in reminders.items] == [(task.id, False)]
    assert not oper.tasks(TaskScope.MINE)[0].overdue
    crm.clock.advance(minutes=31)
    assert oper.task_reminders().items[0].overdue
    assert oper.tasks(TaskScope.MINE)[0].overdue
    assert boss.task_reminders().count == 0  # the author is not reminded
    oper.complete_task(task.id, TaskDone())
    assert oper.task_reminders().count == 0


def test_a_recurring_task_done_makes_its_next_one_once(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm, minutes=60, repeat="daily"))
    assert task.repeat == "daily"
    oper.complete_task(task.id, TaskDone())
    worker = Worker(crm.repo, crm.clock)
    assert worker.run_until_idle() == 1
    open_ones = [t for t in oper.tasks(TaskScope.MINE) if t.status == TaskStatus.OPEN]
    assert [t.deadline for t in open_ones] == [task.deadline + timedelta(days=1)]
    crm.clock.advance(minutes=61)  # the first one's "due" job runs now: it finds the next made
    assert worker.run_until_idle() == 1
    assert len(oper.tasks(TaskScope.MINE)) == 2  # the done one (waiting for its check) and the next


def test_a_recurring_task_due_makes_its_next_one_without_being_done(team) -> None:  # type: ignore[no-untyped-def]
    crm, boss, oper = team
    task = boss.create_task(new_task(crm, minutes=60, repeat="cron: 0 9 * * 1-5"))
    worker = Worker(crm.repo, crm.clock)
    assert worker.run_until_idle() == 0  # not due yet
    crm.clock.advance(minutes=60)
    assert worker.run_until_idle() == 1
    deadlines = [t.deadline for t in oper.tasks(TaskScope.MINE)]
    assert deadlines[0] == task.deadline and len(deadlines) == 2
    assert deadlines[1].isoformat() == "2025-03-11T06:00:00+00:00"  # Tuesday 09:00 in Moscow
    oper.complete_task(task.id, TaskDone())  # late: the series has its next one already
    assert worker.run_until_idle() == 1
    assert len(oper.tasks(TaskScope.MINE)) == 2  # the open next one and the done one


def test_the_done_and_the_due_job_on_two_workers_make_one_next_task(team) -> None:  # type: ignore[no-untyped-def]
    import threading

    crm, boss, oper = team
    task = boss.create_task(new_task(crm, minutes=60, repeat="weekly"))
    crm.clock.advance(minutes=61)
    oper.complete_task(task.id, TaskDone())  # late: the "done" and the "due" job are both due now
    start = threading.Barrier(2)
    ran: list[int] = []

    def work(name: str) -> None:
        start.wait()
        ran.append(Worker(crm.repo, crm.clock, name=name, batch=1).run_until_idle())

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(ran) >= 2  # both jobs ran (one may have been retried after losing the race)
    nexts = [t for t in oper.tasks(TaskScope.MINE) if t.status == TaskStatus.OPEN]
    assert [t.deadline for t in nexts] == [task.deadline + timedelta(days=7)]
