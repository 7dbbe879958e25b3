"""Rules of the money reports (R2's money part, R3 sales, R4 payment systems): which requests count,
what a lot is worth, shares as Decimal; every sum keeps its currency, none is added across currencies."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from core.reports.models import (
    PaymentRow,
    PaymentsReport,
    PeriodMoneyRow,
    ReportFilter,
    SalesClientRow,
    SalesReport,
    SalesRow,
)
from core.reports.port import MoneyAggregate, PaymentAggregate, SalesAggregate, SalesAggregates, TradeAggregate
from core.reports.rules import Bucket

COUNTED_STATUS = "executed"  # only executed requests are money that moved
DEPOSIT, WITHDRAWAL = "deposit", "withdrawal"
# The units of one lot by the symbol's base (its first three letters); any other symbol: 100,000.
LOT_UNITS: dict[str, int] = {"XAU": 100, "XAG": 5_000}
STANDARD_LOT = 100_000
SALES_CLIENTS_MAX = 1_000  # R3's per-client table: the largest first, cut there
ZERO = Decimal("0.00")
SHARE_PLACES = Decimal("0.0001")
ALL = "All"


def quote_currency(symbol: str) -> str:
    """The currency a symbol is quoted in (EURUSD: USD): the currency of its notional."""
    return symbol[3:6]


def share(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole to 4 places (banker's rounding); 0 when there is nothing to divide."""
    if not whole:
        return Decimal("0.0000")
    return (part / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_EVEN)


def cents(value: int | None) -> Decimal:
    """An integer of hundredths (how the store sums money exactly on both engines) as Decimal."""
    return Decimal(int(value or 0)).scaleb(-2)


def _sales_row(a: SalesAggregate) -> SalesRow:
    return SalesRow(
        employee_id=a.employee_id,
        employee=a.employee,
        currency=a.currency,
        clients=a.clients,
        first_count=a.first_count,
        first_sum=a.first_sum,
        repeat_count=a.repeat_count,
        repeat_sum=a.repeat_sum,
        total_count=a.first_count + a.repeat_count,
        total_sum=a.first_sum + a.repeat_sum,
    )


def sales_report(flt: ReportFilter, found: SalesAggregates) -> SalesReport:
    clients = [
        SalesClientRow(
            employee_id=a.employee_id,
            employee=a.employee,
            client_id=a.client_id or 0,
            client=a.client,
            currency=a.currency,
            first_sum=a.first_sum,
            repeat_count=a.repeat_count,
            repeat_sum=a.repeat_sum,
            total_sum=a.first_sum + a.repeat_sum,
        )
        for a in found.by_client
    ]
    return SalesReport(
        filter=flt,
        rows=[_sales_row(a) for a in found.by_employee],
        totals=[_sales_row(a) for a in found.totals],
        clients=clients,
        clients_complete=found.complete,
    )


def payments_report(flt: ReportFilter, found: list[PaymentAggregate]) -> PaymentsReport:
    """Per system and currency with its share of the currency's in and out; a total per currency."""
    totals: dict[str, list] = {}  # type: ignore[type-arg]
    for a in found:
        t = totals.setdefault(a.currency, [0, ZERO, 0, ZERO])
        t[0], t[1], t[2], t[3] = t[0] + a.deposits, t[1] + a.deposit_sum, t[2] + a.withdrawals, t[3] + a.withdrawal_sum
    rows = [
        PaymentRow(
            system=a.system,
            currency=a.currency,
            deposits=a.deposits,
            deposit_sum=a.deposit_sum,
            withdrawals=a.withdrawals,
            withdrawal_sum=a.withdrawal_sum,
            deposit_share=share(a.deposit_sum, totals[a.currency][1]),
            withdrawal_share=share(a.withdrawal_sum, totals[a.currency][3]),
        )
        for a in found
    ]
    whole = [
        PaymentRow(
            system=ALL,
            currency=currency,
            deposits=n_in,
            deposit_sum=s_in,
            withdrawals=n_out,
            withdrawal_sum=s_out,
            deposit_share=Decimal("1.0000") if s_in else Decimal("0.0000"),
            withdrawal_share=Decimal("1.0000") if s_out else Decimal("0.0000"),
        )
        for currency, (n_in, s_in, n_out, s_out) in sorted(totals.items())
    ]
    return PaymentsReport(filter=flt, rows=rows, totals=whole)


def period_money(
    periods: list[Bucket], money: list[MoneyAggregate], trades: list[TradeAggregate]
) -> list[PeriodMoneyRow]:
    """One row per period and currency that had money or trades, in period then currency order."""
    keys = sorted({(m.bucket, m.currency) for m in money} | {(t.bucket, t.currency) for t in trades})
    by_money = {(m.bucket, m.currency): m for m in money}
    by_trade = {(t.bucket, t.currency): t for t in trades}
    starts = {b.index: b.start for b in periods}
    rows = []
    for key in keys:
        m, t = by_money.get(key), by_trade.get(key)
        rows.append(
            PeriodMoneyRow(
                start=starts[key[0]],
                currency=key[1],
                deposits=m.deposits if m else 0,
                deposit_sum=m.deposit_sum if m else ZERO,
                bonus_sum=m.bonus_sum if m else ZERO,
                withdrawals=m.withdrawals if m else 0,
                withdrawal_sum=m.withdrawal_sum if m else ZERO,
                lots=t.lots if t else ZERO,
                bonus_lots=t.bonus_lots if t else ZERO,
                volume=t.volume if t else ZERO,
                bonus_volume=t.bonus_volume if t else ZERO,
            )
        )
    return rows
