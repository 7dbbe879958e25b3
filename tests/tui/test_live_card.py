"""The live card at 80x24: while a card, the search results or the F8 queue are open, the
platform's events show without a key press — the stage goes Lead -> Demo, the online mark comes
and goes (logout; the heartbeat timeout at a fixed clock), a new manual deposit joins the queue —
and the focus, the cursor and what is typed stay where they were."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, update
from textual.widgets import Input

from core.clock import FixedClock
from core.trading.inputs import Decision
from storage.engine import write
from storage.tables import DeskRow
from tests.trading_world import event
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, until
from tui.screens.card import CardScreen
from tui.screens.trading.deposits import DepositsScreen

PULSE_S = 0.05  # the poll's timer runs as in use, only faster; nothing is pressed to refresh


@pytest.fixture
def broker_desk(db: Engine) -> Engine:
    """The test world's desk as a broker's: its clients carry Lead/Demo/Live (C13)."""
    with write(db) as conn:
        conn.execute(update(DeskRow).values(broker=True))
    return db


def live_app(make_app):  # type: ignore[no-untyped-def]
    app = make_app("boss")
    app.settings.pulse_s = PULSE_S
    return app


def main_block(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#main-block").render())


async def test_a_registration_turns_the_open_card_from_lead_to_demo(make_app, broker_desk: Engine) -> None:  # type: ignore[no-untyped-def]
    feed = world.console_for(broker_desk)
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await shows(pilot, "Stage: Lead")
        card = app.screen
        assert isinstance(card, CardScreen)
        await pilot.press("3")  # the history tab, the cursor moved down: both must stay
        await until(pilot, lambda: card.tab == "history")
        table = card.query_one("#tab-table")
        await pilot.press("down", "down")
        focused, entry, rows = app.focused, table.current(), table.row_count
        assert table.cursor_row == 2
        feed.apply_event(event("registered", world.IVANOV, world.T0))
        await until(pilot, lambda: "Stage: Demo" in main_block(app), "the stage redrawn")
        await until(pilot, lambda: table.row_count == rows + 1, "the history read again")  # lead -> demo
        assert card.history[0].kind == "status" and card.history_total == rows + 1
        assert (app.focused, table.current(), card.tab) == (focused, entry, "history")  # the same entry
        assert "Stage: Lead" not in screen_text(app)


async def test_the_history_read_when_shown_after_a_change(make_app, broker_desk: Engine) -> None:  # type: ignore[no-untyped-def]
    """A change seen on another tab: the history tab reads itself again when it is opened."""
    feed = world.console_for(broker_desk)
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await shows(pilot, "Stage: Lead")
        card = app.screen
        assert isinstance(card, CardScreen)
        total = card.history_total
        feed.apply_event(event("registered", world.IVANOV, world.T0))
        await until(pilot, lambda: "Stage: Demo" in main_block(app), "the stage redrawn")
        assert card.history_stale and card.history_total == total  # not read while not shown
        await pilot.press("3")
        await until(pilot, lambda: card.query_one("#tab-table").row_count == total + 1, "the history read again")
        assert not card.history_stale


async def test_the_online_mark_comes_and_goes(make_app, broker_desk: Engine) -> None:  # type: ignore[no-untyped-def]
    feed = world.console_for(broker_desk)
    feed.apply_event(event("real_account", world.IVANOV, world.T0, account="L-1", currency="USD"))
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await shows(pilot, "Stage: Live")
        assert "[online]" not in main_block(app)
        feed.apply_event(event("login", world.IVANOV, world.T0))
        await until(pilot, lambda: "[online]" in main_block(app), "online after the login")
        feed.apply_event(event("logout", world.IVANOV, world.T0 + timedelta(seconds=1)))
        await until(pilot, lambda: "[online]" not in main_block(app), "offline after the logout")
        feed.apply_event(event("heartbeat", world.IVANOV, world.T0 + timedelta(seconds=2)))
        await until(pilot, lambda: "[online]" in main_block(app), "online after a heartbeat")
        app.clock.advance(seconds=303)  # the heartbeat (T0 + 2 s) is older than the timeout (300 s): no event
        await until(pilot, lambda: "[online]" not in main_block(app), "offline at the heartbeat timeout")


async def test_the_results_mark_follows_while_the_search_line_keeps_its_text(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    feed = world.console_for(db)
    feed.apply_event(event("real_account", world.IVANOV, world.T0, account="L-2", currency="USD"))
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Иванов")
        await shows(pilot, "Иванов Иван Иванович")
        line = app.screen.query_one("#query", Input)
        assert "[online]" not in screen_text(app) and app.focused is line
        feed.apply_event(event("login", world.IVANOV, world.T0))
        await shows(pilot, "[online]")
        assert (app.focused, line.value) == (line, "Иванов")
        await pilot.press(*" И")  # typing goes on undisturbed
        assert line.value == "Иванов И"


async def test_a_new_manual_deposit_joins_the_open_queue(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    feed = world.console_for(db)
    feed.apply_event(event("real_account", world.IVANOV, world.T0, account="L-3", currency="USD"))
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, DepositsScreen))
        await shows(pilot, "Pending requests: 0")
        feed.apply_event(event("deposit", world.IVANOV, world.T0, account="L-3", currency="USD",
                               amount=Decimal("700.00"), payment_system="Bank wire", status="requested",
                               manual=True))  # fmt: skip
        await shows(pilot, "Pending requests: 1")
        assert "+700.00 USD" in screen_text(app)


def queue_of(db: Engine, n: int) -> None:
    feed = world.console_for(db)
    feed.apply_event(event("real_account", world.IVANOV, world.T0, account="L-4", currency="USD"))
    for i in range(n):
        feed.apply_event(event("deposit", world.IVANOV, world.T0 + timedelta(seconds=i), account="L-4",
                               currency="USD", amount=Decimal(100 + i), payment_system="Bank wire",
                               status="requested", manual=True))  # fmt: skip


async def test_a_long_queue_keeps_the_status_line_and_the_cursor_on_its_request(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    """A queue longer than the screen scrolls in its table (the status line stays at 80x24); a
    request decided elsewhere above the cursor leaves the cursor on the request it was on."""
    queue_of(db, 30)
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await shows(pilot, "Pending requests: 30")
        queue = app.screen
        assert isinstance(queue, DepositsScreen)
        await pilot.press(*["down"] * 10)
        table = queue.query_one("#deposits")
        await until(pilot, lambda: table.cursor_row == 10)
        last = queue._current()
        colleague = world.signed_in(db, "boss", FixedClock(world.T0))
        colleague.decide_request(colleague.money_requests()[0].id, Decision(action="execute"))  # the oldest
        await shows(pilot, "Pending requests: 29")
        assert queue._current().id == last.id  # type: ignore[union-attr]
        await pilot.press("x")
        await until(pilot, lambda: "Executed: +110.00 USD" in screen_text(app), "the status line in sight")


async def test_a_card_opened_again_still_follows_the_platform(make_app, broker_desk: Engine) -> None:  # type: ignore[no-untyped-def]
    """Card screens are reused: one closed while its poll was out keeps polling when opened again."""
    feed = world.console_for(broker_desk)
    app = live_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for client in (world.PETROVA, world.IVANOV):
            app.open_card(client)
            await shows(pilot, "Stage: Lead")
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, CardScreen))
        app.open_card(world.PETROVA)
        await shows(pilot, "Stage: Lead")
        feed.apply_event(event("registered", world.PETROVA, world.T0))
        await until(pilot, lambda: "Stage: Demo" in main_block(app), "the reused card redrawn")
