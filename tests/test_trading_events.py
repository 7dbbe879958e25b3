"""I4, C13, C14: every kind of platform event through the core path, on both engines; a replay is a
no-op; events out of order; the lifecycle changes by events only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from core.trading.rules import TradingConfig
from tests.helpers import Crm, new_client
from tests.trading_world import event


@pytest.fixture
def broker(crm: Crm):  # type: ignore[no-untyped-def]
    console = crm.console("boss", role="supervisor")
    console.trading_config = TradingConfig(online_timeout_s=120)
    return console


def _lifecycle_history(console, client_id):  # type: ignore[no-untyped-def]
    return [(h.reason, h.result) for h in console.open_card(client_id).history if h.kind == "status" and h.reason]


def test_registration_then_real_account_moves_lead_demo_live(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    assert card.lifecycle == "lead"
    at = crm.clock.now()
    out = broker.apply_event(event("registered", card.id, at))
    assert (out.outcome, out.lifecycle) == ("applied", "demo")
    assert broker.open_card(card.id).lifecycle == "demo"
    broker.apply_event(event("real_account", card.id, at + timedelta(minutes=1), account="R-1", currency="USD"))
    assert broker.open_card(card.id).lifecycle == "live"
    assert _lifecycle_history(broker, card.id) == [("demo", "live"), ("lead", "demo")]
    assert [(a.number, a.demo, a.currency) for a in broker.trading(card.id).accounts] == [("R-1", False, "USD")]


def test_a_replayed_event_is_a_no_op(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-2", currency="USD"))
    deposit = event(
        "deposit",
        card.id,
        at,
        account="R-2",
        currency="USD",
        amount=Decimal("100.10"),
        payment_system="Visa",
        status="completed",
    )
    assert broker.apply_event(deposit).outcome == "applied"
    events_before = crm.count("platform_event")
    assert broker.apply_event(deposit).outcome == "duplicate"
    assert crm.count("platform_event") == events_before
    assert crm.count("money_request", client_id=card.id) == 1
    (account,) = broker.trading(card.id).accounts
    assert account.balance.amount == Decimal("100.10")


def test_a_real_account_before_registration_goes_straight_to_live(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-3", currency="EUR"))
    late = broker.apply_event(event("registered", card.id, at - timedelta(hours=1)))
    assert late.outcome == "applied" and late.lifecycle is None  # never backwards
    assert broker.open_card(card.id).lifecycle == "live"
    assert _lifecycle_history(broker, card.id) == [("lead", "live")]


def test_online_ends_at_logout_or_without_heartbeat(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker, surname="Онлайнов")
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-4", currency="USD"))
    assert broker.trading(card.id).online is False
    broker.apply_event(event("login", card.id, at))
    assert broker.trading(card.id).online is True
    assert [s.online for s in broker.search("Онлайнов")] == [True]
    crm.clock.advance(seconds=100)
    broker.apply_event(event("heartbeat", card.id, at + timedelta(seconds=100)))
    crm.clock.advance(seconds=119)
    assert broker.open_card(card.id).online is True
    crm.clock.advance(seconds=2)  # 221 s after login, 121 s after the heartbeat: the timeout is 120 s
    assert broker.open_card(card.id).online is False
    assert [s.online for s in broker.search("Онлайнов")] == [False]
    now = crm.clock.now()
    broker.apply_event(event("login", card.id, now))
    assert broker.trading(card.id).online is True
    stale = broker.apply_event(event("logout", card.id, now - timedelta(seconds=5)))
    assert stale.outcome == "ignored" and broker.trading(card.id).online is True  # older than the login
    broker.apply_event(event("logout", card.id, now + timedelta(seconds=1)))
    assert broker.trading(card.id).online is False


def test_online_needs_a_live_client(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    broker.apply_event(event("registered", card.id, crm.clock.now()))
    broker.apply_event(event("login", card.id, crm.clock.now()))
    assert broker.trading(card.id).online is False  # a demo client in the platform is not marked


def test_trades_and_snapshots(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-5", currency="USD"))
    broker.apply_event(
        event(
            "snapshot",
            card.id,
            at,
            account="R-5",
            currency="USD",
            balance=Decimal("1000"),
            equity=Decimal("1010.5"),
            margin=Decimal("50"),
            margin_level=Decimal("2021.00"),
        )
    )
    trade = {
        "account": "R-5",
        "symbol": "EURUSD",
        "side": "buy",
        "volume": Decimal("0.10"),
        "price": Decimal("1.08512"),
    }
    broker.apply_event(event("trade_opened", card.id, at + timedelta(minutes=1), ticket="T-1", **trade))
    broker.apply_event(event("trade_opened", card.id, at + timedelta(minutes=2), ticket="T-2", **trade))
    (account,) = broker.trading(card.id).accounts
    assert (account.open_positions, account.equity.amount, account.margin_level) == (
        2,
        Decimal("1010.50"),
        Decimal("2021.00"),
    )
    broker.apply_event(
        event(
            "trade_closed",
            card.id,
            at + timedelta(minutes=3),
            account="R-5",
            ticket="T-1",
            price=Decimal("1.08712"),
            profit=Decimal("20.00"),
        )
    )
    (account,) = broker.trading(card.id).accounts
    assert (account.open_positions, account.balance.amount) == (1, Decimal("1020.00"))
    page = broker.trades(account.id, offset=0, limit=1)
    assert (page.total, [t.ticket for t in page.trades]) == (2, ["T-2"])
    older = broker.trades(account.id, offset=1, limit=1).trades[0]
    assert (older.ticket, older.close_price, older.profit.amount) == ("T-1", Decimal("1.08712"), Decimal("20.00"))
    assert [t.ticket for t in broker.trades(account.id, open_only=True).trades] == ["T-2"]


def test_a_trade_closed_before_it_opened(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-6", currency="USD"))
    broker.apply_event(
        event("trade_closed", card.id, at, account="R-6", ticket="T-9", price=Decimal("2"), profit=Decimal("-5"))
    )
    broker.apply_event(
        event(
            "trade_opened",
            card.id,
            at - timedelta(minutes=5),
            account="R-6",
            ticket="T-9",
            symbol="XAUUSD",
            side="sell",
            volume=Decimal("1"),
            price=Decimal("1.5"),
        )
    )
    (account,) = broker.trading(card.id).accounts
    assert account.open_positions == 0
    assert broker.trades(account.id).total == 1


def test_unknown_client_and_foreign_account(broker, crm) -> None:  # type: ignore[no-untyped-def]
    at = crm.clock.now()
    assert broker.apply_event(event("registered", 999_999, at)).outcome == "unknown_client"
    mine, other = new_client(broker), new_client(broker, surname="Другой", phones=["+79123450000"])
    broker.apply_event(event("real_account", mine.id, at, account="R-7", currency="USD"))
    out = broker.apply_event(
        event(
            "deposit",
            other.id,
            at,
            account="R-7",
            currency="USD",
            amount=Decimal("5"),
            payment_system="Visa",
            status="completed",
        )
    )
    assert out.outcome == "ignored"
    assert crm.count("money_request") == 0


def test_events_refused_without_their_fields(broker, crm) -> None:  # type: ignore[no-untyped-def]
    card = new_client(broker)
    with pytest.raises(ValidationFailed, match="needs 'amount'"):
        broker.apply_event(
            event(
                "deposit",
                card.id,
                crm.clock.now(),
                account="R-8",
                currency="USD",
                payment_system="V",
                status="completed",
            )
        )
    with pytest.raises(ValidationFailed, match="above zero"):
        broker.apply_event(
            event(
                "withdrawal",
                card.id,
                crm.clock.now(),
                account="R-8",
                currency="USD",
                amount=Decimal("-1"),
                payment_system="V",
                status="completed",
            )
        )
    assert crm.count("platform_event") == 0


def test_every_kind_is_handled(broker, crm) -> None:  # type: ignore[no-untyped-def]
    from core.trading.models import EventKind

    card = new_client(broker)
    at = crm.clock.now()
    pay = {
        "account": "R-10",
        "currency": "USD",
        "payment_system": "Skrill",
        "status": "completed",
        "amount": Decimal("10"),
    }
    samples = {
        "registered": {},
        "real_account": {"account": "R-10", "currency": "USD"},
        "login": {},
        "heartbeat": {},
        "logout": {},
        "deposit": pay,
        "withdrawal": pay,
        "trade_opened": {
            "account": "R-10",
            "ticket": "T-100",
            "symbol": "EURUSD",
            "side": "buy",
            "volume": Decimal("1"),
            "price": Decimal("1.1"),
        },
        "trade_closed": {"account": "R-10", "ticket": "T-100", "price": Decimal("1.2"), "profit": Decimal("1")},
        "snapshot": {"account": "R-10", "currency": "USD", "balance": Decimal("11"), "equity": Decimal("11")},
    }
    assert set(samples) == {k.value for k in EventKind}
    for i, (kind, fields) in enumerate(samples.items()):
        assert broker.apply_event(event(kind, card.id, at + timedelta(seconds=i), **fields)).outcome == "applied", kind
    (account,) = broker.trading(card.id).accounts
    assert account.balance.amount == Decimal("11.00")
    assert [r.status for r in broker.trading(card.id).requests] == ["executed", "executed"]


def test_the_same_event_arriving_twice_at_once_applies_once(broker, crm) -> None:  # type: ignore[no-untyped-def]
    """Twins racing (a platform retrying before the first answer): the id's claim lets one through."""
    import threading

    card = new_client(broker)
    at = crm.clock.now()
    broker.apply_event(event("real_account", card.id, at, account="R-20", currency="USD"))
    twin = event("deposit", card.id, at, account="R-20", currency="USD", amount=Decimal("7.77"),
                 payment_system="Visa", status="completed")  # fmt: skip
    consoles = [crm.new_console() for _ in range(6)]
    barrier = threading.Barrier(len(consoles))
    outcomes: list[str] = []

    def run(console) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        outcomes.append(console.apply_event(twin).outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in consoles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["applied"] + ["duplicate"] * 5
    assert broker.trading(card.id).accounts[0].balance.amount == Decimal("7.77")
