"""F6 My work at 80x24 by keyboard only: the sections with their counts, Enter opens the client's
card, C starts the call through the card's path, a digit jumps to a section, T opens Tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from core.tasks.inputs import NewTask
from core.work.inputs import NewAction
from storage.engine import write
from storage.tables import ClientRow
from tests.tui import call_world, world
from tests.tui.conftest import SIZE, screen_text, settle, until
from tui.screens.mywork import MyWorkScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: clients on campaign lists


def plan_the_day(engine: Engine) -> dict[str, int]:
    operator = world.signed_in(engine, "operator")
    me = operator.whoami().id
    late = operator.add_action(world.IVANOV, NewAction(type="call", due_at=world.T0 - timedelta(hours=2)))
    soon = operator.add_action(world.IVANOV, NewAction(type="consultation", due_at=world.T0 + timedelta(hours=3)))
    boss = world.signed_in(engine, "boss")
    task = boss.create_task(NewTask(title="Ring the Petrovs", assignee_id=me, deadline=world.T0 + timedelta(hours=1)))
    with write(engine) as conn:
        live = {"lifecycle": "live", "online_until": world.T0 + timedelta(minutes=5), "responsible_id": me}
        conn.execute(update(ClientRow).where(ClientRow.id == world.IVANOV).values(**live))
    return {"late": late.id, "soon": soon.id, "task": task.id}


async def open_my_work(pilot, app) -> MyWorkScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f6")
    await until(pilot, lambda: isinstance(app.screen, MyWorkScreen) and app.screen.work is not None, "My work")
    return app.screen


async def test_my_work_by_keyboard_enter_opens_the_card_and_c_calls(make_app, db: Engine) -> None:
    from tui.dialogs.campaign_pick import CampaignPickDialog
    from tui.screens.card import CardScreen
    from tui.screens.tasks import TasksScreen

    plan_the_day(db)
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot, app)
        text = screen_text(app)
        for line in (
            "Overdue · 1",
            "Due today · 1",
            "Call-backs · 0",
            "My tasks · 1",
            "To check · 0",
            "Online now · 1",
        ):
            assert line in text, text
        assert "Today, 10.03.2025: 4 to do" in text and "!10:00" in text and "Ring the Petrovs" in text
        name = screen.rows[1].client  # the cursor starts on the first line of a section: the overdue one
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None, "the card")
        assert app.screen.card.id == world.IVANOV and app.screen.card.full_name == name
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back in My work")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CampaignPickDialog), "the campaign choice")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back in My work")
        await pilot.press("4", "enter")  # the tasks' section: a task opens the Tasks place
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the Tasks place")
        await pilot.press("f6")
        await until(pilot, lambda: app.screen is screen, "My work again")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "T: the Tasks place")


async def test_my_work_in_russian_plain_ascii_within_80_columns(make_app, db: Engine) -> None:
    plan_the_day(db)
    app = make_app("operator", plain=True, lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot, app)
        text = screen_text(app)
        assert "Просроченные | 1" in text and "Мои задачи | 1" in text and "Сегодня, 10.03.2025: дел - 4" in text
        assert all(ch.isascii() or ch.isalpha() for ch in text), text  # Cyrillic words; no drawing glyphs
        assert all(len(line) <= 80 for line in text.splitlines())


async def test_an_empty_day_says_so(make_app, db: Engine) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot, app)
        assert "Today, 10.03.2025: nothing to do" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: "Choose a line of a section." in screen_text(app), "a hint")
        assert app.screen is screen


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_my_work_snapshot(snap_compare, make_app, db: Engine, lang: str) -> None:
    plan_the_day(db)

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_my_work(pilot, pilot.app)
        await settle(pilot)

    assert snap_compare(make_app("operator", lang=lang), terminal_size=SIZE, run_before=run)


async def test_the_palette_offers_my_work_and_tasks_and_the_bar_fits_in_russian(make_app, db: Engine) -> None:
    from textual.command import CommandPalette

    from tui.screens.tasks import TasksScreen

    app = make_app("boss", lang="ru")  # every place of the bar: reports too
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = screen_text(app).splitlines()[1]
        assert bar.rstrip().endswith("F9 Отчёты") and len(bar) <= 80  # the whole bar, nothing cut
        for query, place in (("Задачи", TasksScreen), ("Моя работа", MyWorkScreen)):
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
            await pilot.press(*query.split()[0])  # its first word
            await until(pilot, lambda q=query: q in screen_text(app), query)
            await pilot.press("enter")
            await until(pilot, lambda p=place: isinstance(app.screen, p), query)
