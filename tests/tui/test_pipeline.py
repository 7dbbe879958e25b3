"""F7 Pipeline at 80x24 by keyboard only: the Actions table with overdue ones marked in words,
the view tabs switched with one key, Enter opens the client, the card's last action and tags,
a view saved and tagged in bulk, plain mode in ASCII."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from core.work.inputs import ListQuery, NewAction
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, type_text, until
from tests.tui.fit import cut
from tui.i18n import _
from tui.screens.card import CardScreen
from tui.screens.work.pipeline import PipelineScreen, _action_cells, _client_cells


def plan(db: Engine) -> None:
    boss = world.signed_in(db, "boss")
    boss.add_action(world.PETROVA, NewAction(type="call", due_at=world.T0 - timedelta(hours=2)))
    boss.add_action(world.IVANOV, NewAction(type="consultation", due_at=world.T0 + timedelta(days=1)))


async def test_actions_views_and_tags_by_keyboard(make_app, db: Engine) -> None:
    plan(db)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "F7 Pipeline" in screen_text(app)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen) and app.screen.rows, "the Actions table")
        screen = app.screen
        text = screen_text(app)
        assert "All actions" in text and "Overdue" in text and "OVERDUE" in text and "1-2 of 2" in text
        await pilot.press("ctrl+t")  # the next tab: Overdue
        await until(pilot, lambda: len(screen.rows) == 1, "the overdue tab")
        assert screen.rows[0].client_id == world.PETROVA
        await pilot.press("ctrl+o")  # sort by the next column
        await shows(pilot, "sorted by type")
        await pilot.press("enter")  # opens the client
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None, "the card")
        await shows(pilot, "Last action: Call 10.03.2025 10:00 (OVERDUE)")
        await pilot.press("t")
        await shows(pilot, "Tags of")
        await type_text(pilot, "#vip frozen")
        await pilot.press("enter")
        await shows(pilot, "Tags: #frozen #vip")
        await pilot.press("escape")  # back to the pipeline
        await until(pilot, lambda: app.screen is screen, "the pipeline again")
        await pilot.press("ctrl+l")  # the clients' list
        await until(pilot, lambda: screen.subject == "clients" and screen.rows, "the clients")
        await pilot.press("shift+tab")  # from the table up to the conditions line
        assert app.focused is screen.query_one("#filter")
        await type_text(pilot, "tag eq vip")
        await pilot.press("enter")
        await until(pilot, lambda: [r.id for r in screen.rows] == [world.PETROVA], "the tagged client")
        await pilot.press("ctrl+s")
        await shows(pilot, "Name of the view")
        await type_text(pilot, "VIPs")
        await pilot.press("enter")
        await shows(pilot, "View 'VIPs' saved.")
        assert "VIPs" in screen_text(app)
        await pilot.press("ctrl+g")
        await shows(pilot, "Tag for every client")
        await type_text(pilot, "called")
        await pilot.press("enter")
        await shows(pilot, "#called added to 1 clients.")
        await pilot.press("ctrl+t")  # from the last tab back to the first
        await until(pilot, lambda: screen.tab == 0 and len(screen.rows) > 1, "All clients")


async def test_plain_mode_marks_the_tab_in_ascii(make_app, db: Engine) -> None:
    plan(db)
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen) and app.screen.rows)
        tabs = str(app.screen.query_one("#view-tabs").render())
        assert tabs.startswith(">All actions") and tabs.isascii()


async def test_a_wrong_condition_is_said_and_kept(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen))
        screen = app.screen
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#filter")
        await type_text(pilot, "passport eq 1")
        await pilot.press("enter")
        await shows(pilot, "Unknown field")
        assert screen.query_one("#filter").value == "passport eq 1"


async def test_the_clients_list_says_the_order_it_shows_and_names_the_stage(make_app, db: Engine) -> None:
    """Without a sort asked for, a date range orders the rows by its column: the status line says
    that column (it said 'id'), Ctrl+O moves on from it; the stage is a word, not its code."""
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen))
        screen = app.screen
        await pilot.press("ctrl+l")  # the clients
        await until(pilot, lambda: screen.subject == "clients" and screen.rows, "the clients' list")
        await shows(pilot, "sorted by id")
        text = screen_text(app)
        assert "Lead" in text and " lead " not in text
        assert "Space" not in text.splitlines()[-1]  # Space marks actions: not offered on clients
        await pilot.press("shift+tab")
        await type_text(pilot, "created_at gt -3650d")
        await pilot.press("enter")
        await shows(pilot, "sorted by creation")
        await pilot.press("ctrl+o")  # the column after the one shown
        await shows(pilot, "sorted by last contact")


@pytest.mark.parametrize(("lang", "plain"), [("en", False), ("en", True), ("ru", False), ("ru", True)])
async def test_both_lists_fit_80_columns(make_app, db: Engine, lang: str, plain: bool) -> None:
    """Every cell whole (the Desk column was cut, the table scrolled sideways) and the key line on
    one row (it took two; in Russian the Back and Help keys fell off)."""
    plan(db)
    boss = world.signed_in(db, "boss")
    app = make_app("boss", lang=lang, plain=plain)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen) and len(app.screen.rows) == 2)
        screen = app.screen
        query = ListQuery(limit=10)
        actions = [c for a in boss.list_actions(query).items for c in _action_cells(a, app.zone)]
        assert _("OVERDUE") in actions  # said in words
        assert not (found := cut(app, actions, plain)), found
        await pilot.press("ctrl+l")
        await until(pilot, lambda: screen.subject == "clients" and screen.rows, "the clients")
        await settle(pilot)
        clients = boss.list_clients(query).items
        cells = [c for s in clients for c in _client_cells(s)]
        assert any(s.desk for s in clients) and all(s.full_name in cells for s in clients)  # names whole
        assert not (found := cut(app, cells, plain)), found
        await pilot.press("ctrl+l")  # the same key goes back
        await until(pilot, lambda: screen.subject == "actions", "the actions again")
