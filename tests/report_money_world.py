"""Money for the reports' hand-made data set (tests/report_world.py), with the right answers in
tests/test_report_money.py. March 2025 in Moscow (UTC+3); managers: bob for c1, c2, c4; cat for c3.

Executed unless said (decided_at, UTC):
  c1 USD Visa deposit   100.00  02-20 10:00  (c1's first deposit: before March)
  c1 USD Visa deposit   250.50  03-03 10:00  repeat
  c1 EUR Skrill deposit 300.00  03-10 10:00  repeat (EUR)
  c2 USD Visa deposit   500.00  03-05 10:00  first
  c2 USD Visa deposit   200.00  03-06 10:00  bonus: not a sale nor a payment; in R2 as a bonus
  c2 USD Skrill deposit 249.50  03-12 10:00  repeat
  c2 USD Visa withdrawal 150.00 03-20 10:00
  c4 USD Visa withdrawal  60.00 03-15 10:00
  c3 EUR Skrill deposit 1000.00 03-31 20:30  (23:30 Moscow on the last day: March) first
  c3 EUR Skrill deposit   50.00 03-31 21:30  (00:30 Moscow on April 1: not March)
  c4 USD Bank wire deposit 700.00 pending, created 03-08; c4 USD Visa deposit 80.00 rejected 03-09
Trades (opened, UTC): c1 EURUSD 0.10 @ 1.08 03-03; c2 XAUUSD 0.50 @ 2050 03-07 bonus;
  c3 USDJPY 1.00 @ 150 03-31 20:45 (23:45 Moscow); c1 EURUSD 2.00 @ 1.1 04-01 00:00 (April).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, update

from storage.engine import write
from storage.tables import ClientRow
from storage.tables_trading import MoneyRequestRow, TradeRow, TradingAccountRow
from tests.report_world import ReportData, utc


def build(engine, data: ReportData) -> None:  # type: ignore[no-untyped-def]
    c = data.clients
    with write(engine) as conn:
        for tag, who in (("c1", data.bob), ("c2", data.bob), ("c4", data.bob), ("c3", data.cat)):
            conn.execute(update(ClientRow).where(ClientRow.id == c[tag]).values(responsible_id=who))
        accounts: dict[tuple[str, str], int] = {}
        for tag, currency in (("c1", "USD"), ("c1", "EUR"), ("c2", "USD"), ("c3", "EUR"), ("c4", "USD")):
            accounts[tag, currency] = conn.execute(
                insert(TradingAccountRow).values(
                    client_id=c[tag],
                    number=f"R-{tag}-{currency}",
                    currency=currency,
                    balance=Decimal(0),
                    equity=Decimal(0),
                    margin=Decimal(0),
                    opened_at=utc(2, 1, 0),
                    updated_at=utc(2, 1, 0),
                )  # fmt: skip
            ).inserted_primary_key[0]

        def money(tag: str, currency: str, kind: str, system: str, amount: str, at: datetime,
                  status: str = "executed", bonus: bool = False) -> None:  # fmt: skip
            conn.execute(
                insert(MoneyRequestRow).values(
                    client_id=c[tag],
                    account_id=accounts[tag, currency],
                    kind=kind,
                    payment_system=system,
                    amount=Decimal(amount),
                    currency=currency,
                    status=status,
                    bonus=bonus,
                    created_at=at,
                    decided_at=None if status == "pending" else at,
                )  # fmt: skip
            )

        money("c1", "USD", "deposit", "Visa", "100.00", utc(2, 20, 10))
        money("c1", "USD", "deposit", "Visa", "250.50", utc(3, 3, 10))
        money("c1", "EUR", "deposit", "Skrill", "300.00", utc(3, 10, 10))
        money("c2", "USD", "deposit", "Visa", "500.00", utc(3, 5, 10))
        money("c2", "USD", "deposit", "Visa", "200.00", utc(3, 6, 10), bonus=True)
        money("c2", "USD", "deposit", "Skrill", "249.50", utc(3, 12, 10))
        money("c2", "USD", "withdrawal", "Visa", "150.00", utc(3, 20, 10))
        money("c4", "USD", "withdrawal", "Visa", "60.00", utc(3, 15, 10))
        money("c3", "EUR", "deposit", "Skrill", "1000.00", utc(3, 31, 20, 30))
        money("c3", "EUR", "deposit", "Skrill", "50.00", utc(3, 31, 21, 30))
        money("c4", "USD", "deposit", "Bank wire", "700.00", utc(3, 8, 10), status="pending")
        money("c4", "USD", "deposit", "Visa", "80.00", utc(3, 9, 10), status="rejected")

        def trade(
            tag: str, currency: str, symbol: str, volume: str, price: str, at: datetime, bonus: bool = False
        ) -> None:
            conn.execute(
                insert(TradeRow).values(
                    account_id=accounts[tag, currency],
                    ticket=f"R-{symbol}-{at:%m%d%H%M}",
                    symbol=symbol,
                    side="buy",
                    volume=Decimal(volume),
                    open_price=Decimal(price),
                    opened_at=at,
                    bonus=bonus,
                )  # fmt: skip
            )

        trade("c1", "USD", "EURUSD", "0.10", "1.08", utc(3, 3, 11))
        trade("c2", "USD", "XAUUSD", "0.50", "2050", utc(3, 7, 11), bonus=True)
        trade("c3", "EUR", "USDJPY", "1.00", "150", utc(3, 31, 20, 45))
        trade("c1", "USD", "EURUSD", "2.00", "1.1", utc(4, 1, 0))
