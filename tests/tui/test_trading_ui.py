"""C13-C15 and M3 in the console at 80x24: the card's trading tab (stage, online mark, accounts
with a low-balance mark, trades paged), the online mark in search, the deposits queue (execute
once, reject with a reason), plain mode in ASCII."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Engine

from tests.trading_world import event
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, until
from tui.screens.card import CardScreen
from tui.screens.trading.deposits import DepositsScreen


def broker_data(db: Engine, trades: int = 3) -> None:
    """Ivanov: Live, online, a USD account below the threshold with trades; a manual deposit waits."""
    feed = world.console_for(db)
    at = world.T0 - timedelta(minutes=1)
    c = world.IVANOV
    feed.apply_event(event("registered", c, at))
    feed.apply_event(event("real_account", c, at, account="R-100", currency="USD"))
    feed.apply_event(event("snapshot", c, at, account="R-100", currency="USD", balance=Decimal("42.50"),
                           equity=Decimal("40.10"), margin=Decimal("5"), margin_level=Decimal("802")))  # fmt: skip
    for i in range(trades):
        feed.apply_event(event("trade_opened", c, at + timedelta(seconds=i), account="R-100", ticket=f"T-{i}",
                               symbol="EURUSD", side="buy", volume=Decimal("0.10"), price=Decimal("1.08512")))  # fmt: skip
    feed.apply_event(event("login", c, world.T0))
    feed.apply_event(event("deposit", c, at, account="R-100", currency="USD", amount=Decimal("250.00"),
                           payment_system="Bank wire", status="requested", manual=True))  # fmt: skip


async def test_the_trading_tab(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    broker_data(db)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await settle(pilot)
        card = app.screen
        assert isinstance(card, CardScreen)
        await shows(pilot, "[online]")  # on the main block, a word
        await pilot.press("9")
        await until(pilot, lambda: card.tab == "trading")
        await shows(pilot, "Stage: Live  [online]")
        text = screen_text(app)
        assert "R-100" in text and "42.50 USD" in text and "[low balance]" in text
        await shows(pilot, "3 of 3 trades")
        assert "EURUSD" in screen_text(app) and "1.08512" in screen_text(app)
        await pilot.press("t")
        await shows(pilot, "Bank wire")
        assert "+250.00 USD" in screen_text(app)


async def test_trades_load_page_by_page(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    broker_data(db, trades=60)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await settle(pilot)
        await pilot.press("9")
        await shows(pilot, "50 of 60 trades")
        lower = app.screen.query_one("#trading-lower")
        lower.focus()
        await pilot.press("end")
        await shows(pilot, "60 of 60 trades")


async def test_the_online_mark_in_search(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    broker_data(db, trades=0)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"Иванов")
        await shows(pilot, "Иванов Иван Иванович")
        await shows(pilot, "[online]")  # under the name: long names wrap in their column


async def test_the_deposits_queue(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    broker_data(db, trades=0)
    feed = world.console_for(db)
    feed.apply_event(event("withdrawal", world.IVANOV, world.T0, account="R-100", currency="USD",
                           amount=Decimal("10.00"), payment_system="USDT", status="requested", manual=True))  # fmt: skip
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, DepositsScreen))
        await shows(pilot, "Pending requests: 2")
        await pilot.press("x")
        await until(pilot, lambda: "Executed: +250.00 USD" in status(app))
        await shows(pilot, "Pending requests: 1")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # no reason yet
        await until(pilot, lambda: "needs its reason" in screen_text(app))
        await pilot.press(*"KYC")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DepositsScreen))
        await shows(pilot, "Pending requests: 0")
        assert "Rejected: -10.00 USD" in status(app)
        await pilot.press("a")
        await shows(pilot, "All requests: 2")
        assert "KYC" in screen_text(app)
    sms = [i for i in world.console_for(db).repo.outbox(10) if i.client_id == world.IVANOV]
    assert any("KYC" in i.text for i in sms)


async def test_the_queue_without_the_permission(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert not isinstance(app.screen, DepositsScreen)


async def test_plain_mode_is_ascii(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    broker_data(db)
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await settle(pilot)
        await pilot.press("9")
        await shows(pilot, "[low balance]")
        assert all(ord(ch) < 128 or ch.isalpha() for ch in screen_text(app)), "non-ASCII glyph in plain mode"
        await pilot.press("f8")
        await shows(pilot, "Pending requests: 1")
        assert all(ord(ch) < 128 or ch.isalpha() for ch in screen_text(app))
