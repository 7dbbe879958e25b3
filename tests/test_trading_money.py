"""M3 and C15's money: executing a request racing with itself (exactly one wins, the balance moves
once), and no float anywhere on the money path (types at every layer, and the sources)."""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import Conflict
from core.trading.inputs import Decision
from core.trading.models import Money
from storage.tables import metadata
from tests.helpers import Crm, new_client
from tests.trading_world import event

ROOT = Path(__file__).resolve().parents[1]
MONEY_SOURCES = [
    "core/trading/models.py",
    "core/trading/rules.py",
    "core/trading/operations.py",
    "storage/repo_trading.py",
    "storage/repo_money.py",
    "storage/tables_trading.py",
]


def _pending(crm: Crm, amount: str = "75.25"):  # type: ignore[no-untyped-def]
    boss = crm.console("boss")
    card = new_client(boss)
    at = crm.clock.now()
    boss.apply_event(event("real_account", card.id, at, account=f"M-{card.id}", currency="EUR"))
    boss.apply_event(
        event("deposit", card.id, at, account=f"M-{card.id}", currency="EUR", amount=Decimal(amount),
              payment_system="Bank wire", status="requested", manual=True)
    )  # fmt: skip
    (request,) = boss.money_requests()
    return boss, card, request


def _race(crm: Crm, request_id: int, racers: int = 4) -> tuple[int, int]:
    """`racers` consoles execute the same request at once: (wins, conflicts)."""
    consoles = [crm.sign_in("boss") for _ in range(racers)]
    barrier = threading.Barrier(racers)
    wins: list[object] = []
    conflicts: list[Conflict] = []

    def run(console) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            wins.append(console.decide_request(request_id, Decision(action="execute")))
        except Conflict as exc:
            conflicts.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in consoles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(wins), len(conflicts)


def test_execution_racing_with_itself_exactly_one_wins(crm: Crm) -> None:
    boss, card, request = _pending(crm)
    assert _race(crm, request.id) == (1, 3)
    for _ in range(2):
        request = _more(crm, boss, card)
        assert _race(crm, request.id) == (1, 3)
    (account,) = boss.trading(card.id).accounts
    assert account.balance == Money(amount=Decimal("225.75"), currency="EUR")  # three requests, each once


def _more(crm: Crm, boss, card):  # type: ignore[no-untyped-def]
    boss.apply_event(
        event("deposit", card.id, crm.clock.now(), account=f"M-{card.id}", currency="EUR", amount=Decimal("75.25"),
              payment_system="Bank wire", status="requested", manual=True)
    )  # fmt: skip
    (request,) = boss.money_requests()
    return request


def test_money_is_decimal_at_every_layer(crm: Crm) -> None:
    boss, card, request = _pending(crm, "0.10")
    boss.apply_event(
        event("deposit", card.id, crm.clock.now(), account=f"M-{card.id}", currency="EUR", amount=Decimal("0.20"),
              payment_system="Visa", status="completed")
    )  # fmt: skip
    boss.decide_request(request.id, Decision(action="execute"))
    (account,) = boss.trading(card.id).accounts
    assert account.balance.amount == Decimal("0.30")  # 0.1 + 0.2, exactly
    for money in (account.balance, account.equity, account.margin, *(r.amount for r in boss.trading(card.id).requests)):
        assert type(money.amount) is Decimal
    (row,) = crm.rows("trading_account")
    assert type(row.balance) is Decimal
    for table in ("trading_account", "trade", "money_request"):
        for column in metadata.tables[table].columns:
            assert column.type.python_type is not float, (table, column.name)
    assert Money.model_json_schema()["properties"]["amount"]["anyOf"][1]["type"] == "string"  # JSON carries text


def test_currencies_are_never_mixed(crm: Crm) -> None:
    with pytest.raises(ValueError, match="Cannot add USD to EUR"):
        Money(amount=Decimal(1), currency="EUR") + Money(amount=Decimal(1), currency="USD")
    boss, card, _request = _pending(crm)
    out = boss.apply_event(
        event("deposit", card.id, crm.clock.now(), account=f"M-{card.id}", currency="USD", amount=Decimal("5"),
              payment_system="Visa", status="completed")
    )  # fmt: skip
    assert out.outcome == "applied"
    (failed,) = [r for r in boss.trading(card.id).requests if r.amount.currency == "USD"]
    assert (failed.status, failed.reason) == ("failed", "The currency differs from the account's.")
    assert boss.trading(card.id).accounts[0].balance.amount == Decimal("0.00")


def test_no_float_in_the_money_sources() -> None:
    for source in MONEY_SOURCES:
        text = (ROOT / source).read_text(encoding="utf-8")
        assert not re.search(r"float\(|: float|-> float|float\]|Float", text), source
