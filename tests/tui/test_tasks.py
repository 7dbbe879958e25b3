"""Tasks (T in My work) at 80x24 by keyboard only, and the header's reminder: a task set for the operator
10 minutes ahead shows as a count in every header; done by the operator, accepted by its author."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from core.tasks.inputs import NewTask, TaskDone
from core.tasks.models import TaskStatus
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, type_text, until
from tui.screens.mywork import MyWorkScreen
from tui.screens.tasks import TasksScreen


async def to_tasks(pilot, app) -> None:  # type: ignore[no-untyped-def]
    """F6 My work, then T: the Tasks place."""
    await pilot.press("f6")
    await until(pilot, lambda: isinstance(app.screen, MyWorkScreen), "the My work place")
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the Tasks place")


def set_task(db: Engine, title: str = "Ring the Petrovs", minutes: int = 10) -> int:
    boss = world.signed_in(db, "boss")
    operator_id = boss.repo.employee_by_login("operator").id  # type: ignore[union-attr]
    task = boss.create_task(
        NewTask(title=title, assignee_id=operator_id, deadline=world.T0 + timedelta(minutes=minutes))
    )
    return task.id


async def test_the_header_counts_reminders_and_the_operator_marks_the_task_done(make_app, db: Engine) -> None:
    task_id = set_task(db)
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await shows(pilot, "Tasks: 1")  # on the Office, at once
        await to_tasks(pilot, app)
        await shows(pilot, "Ring the Petrovs")
        text = screen_text(app)
        assert "Tasks: 1" in text and "Волкова" in text and "to do" in text
        await pilot.press("d")
        await until(pilot, lambda: status(app) == "Marked done.", "marked done")
        await shows(pilot, "to check")
        await until(pilot, lambda: "Tasks: 1" not in screen_text(app), "the reminder gone")
    assert world.signed_in(db, "boss").task(task_id).task.status == TaskStatus.DONE


async def test_the_author_sets_a_task_and_returns_a_done_one(make_app, db: Engine) -> None:
    task_id = set_task(db, "Check the call list")
    world.signed_in(db, "operator").complete_task(task_id, TaskDone())
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await to_tasks(pilot, app)
        await pilot.press("s")
        await shows(pilot, "Check the call list")
        await pilot.press("r")
        await type_text(pilot, "two numbers left")
        await pilot.press("enter")
        await until(pilot, lambda: status(app).startswith("Returned to"), "returned")
        # a new task by keyboard: title, for whom (the choice opens with Enter), the deadline
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Weekly plan")
        await pilot.press("tab", "enter")
        await settle(pilot)
        await type_text(pilot, "Смирнова")
        await pilot.press("enter", "tab")
        await type_text(pilot, "11.03.2025 10:00")
        await pilot.press("tab", "tab")
        await type_text(pilot, "weekly")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: status(app).startswith("Task set for"), "the task set")
        await shows(pilot, "Weekly plan")
    card = world.signed_in(db, "operator").task(task_id)
    assert card.task.status == TaskStatus.OPEN and card.task.comment == "two numbers left"
    (weekly,) = [t for t in world.signed_in(db, "operator").tasks() if t.title == "Weekly plan"]
    assert weekly.repeat == "weekly" and weekly.deadline == world.T0 + timedelta(hours=22)  # 10:00 Moscow


async def test_one_reminder_call_however_many_screens(make_app, db: Engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core.console import LocalConsole

    calls: list[int] = []
    real = LocalConsole.task_reminders

    def counted(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self)

    monkeypatch.setattr(LocalConsole, "task_reminders", counted)
    set_task(db)
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await shows(pilot, "Tasks: 1")
        for key in ("f3", "f4", "f5", "f2", "f3"):  # every place has its own header
            await pilot.press(key)
            await settle(pilot)
        assert "Tasks: 1" in screen_text(app)
    assert len(calls) == 1  # the next one comes a minute later (tui.reminders.POLL_SECONDS)


async def test_the_tasks_place_in_russian_and_plain_ascii(make_app, db: Engine) -> None:
    set_task(db, "Перезвонить Петровым")
    app = make_app("operator", plain=True, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await shows(pilot, "Задачи: 1")
        await to_tasks(pilot, app)
        await shows(pilot, "Перезвонить Петровым")
        text = screen_text(app)
        assert "Мои" in text and "Срок" in text and "в работе" in text
        assert all(ch.isascii() or ch.isalpha() for ch in text)  # Cyrillic words; no drawing glyphs
