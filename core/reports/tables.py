"""Each report as plain tables (title, typed columns, rows): what the screen, the CLI and the files show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.reports.models import (
    CallsReport,
    FirstCallsReport,
    FunnelReport,
    PaymentsReport,
    PeriodsReport,
    SalesReport,
)
from core.vocab import CLIENT_TYPE_LABELS, ClientType

# kinds: text, int, float (seconds with a fraction), rate (a share 0..1), seconds, date,
# money (a Decimal of 2 places; its currency is in the row's "Currency" column), lots (a Decimal)
Column = tuple[str, str]  # (label msgid, or a result code for R2's result columns; kind)
Cell = str | int | float | Decimal | date | None


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: int | None = None  # the column a chart draws, by its label column 0
    chart_by: int | None = None  # the column (a currency) that splits the chart: no sum across it


CALLS_COLUMNS: list[Column] = [
    ("Employee", "text"),
    ("Calls", "int"),
    ("Reached", "int"),
    ("Successful", "int"),
    ("Success share", "rate"),
    ("Average talk", "seconds"),
    ("Total talk", "seconds"),
]
DELAY_COLUMNS: list[Column] = [("Clients", "int"), ("Median", "seconds"), ("90th percentile", "seconds")]
FUNNEL_COLUMNS: list[Column] = [
    ("New clients", "int"),
    ("Reached", "int"),
    ("Agreed / visited", "int"),
    ("Product", "int"),
    ("Reached, share", "rate"),
    ("Agreed, share", "rate"),
    ("Product, share", "rate"),
    ("New to product", "rate"),
]


# the row labels that are msgids, not data: a file translates them (core.reports.files)
FIXED_TEXTS = frozenset({"All", "(no employee)", "(no desk)", *CLIENT_TYPE_LABELS.values()})


def channel_label(code: str) -> str:
    try:
        return CLIENT_TYPE_LABELS[ClientType(code)]
    except ValueError:
        return code


def calls_tables(report: CallsReport) -> list[Table]:
    rows = [
        [r.employee, r.calls, r.reached, r.successful, r.share, r.talk_average, r.talk_total]
        for r in [*report.rows, report.total]
    ]
    return [Table("Calls per employee", CALLS_COLUMNS, rows, chart=1)]


def first_calls_tables(report: FirstCallsReport) -> list[Table]:
    def rows(items: list) -> list[list[Cell]]:  # type: ignore[type-arg]
        return [[r.group, r.clients, r.median, r.p90] for r in items]

    return [
        Table("First calls per employee", [("Employee", "text"), *DELAY_COLUMNS], rows(report.by_employee), chart=2),
        Table(
            "First calls per desk", [("Desk", "text"), *DELAY_COLUMNS], rows([*report.by_desk, report.total]), chart=2
        ),
    ]


def periods_tables(report: PeriodsReport) -> list[Table]:
    columns: list[Column] = [("Period", "date"), ("Calls", "int"), ("Reached", "int"), ("New clients", "int")]
    columns += [(code, "int") for code in report.result_codes]
    rows = [
        [r.start, r.calls, r.reached, r.new_clients, *(r.results.get(c, 0) for c in report.result_codes)]
        for r in report.rows
    ]
    tables = [Table("Activity by period", columns, rows, chart=1)]
    if report.money:
        money = [
            [
                m.start,
                m.currency,
                m.deposits,
                m.deposit_sum,
                m.deposit_sum - m.bonus_sum,
                m.withdrawals,
                m.withdrawal_sum,
                m.lots,
                m.lots - m.bonus_lots,
                m.volume,
                m.volume - m.bonus_volume,
            ]  # fmt: skip
            for m in report.money
        ]
        tables.append(Table("Money by period", PERIOD_MONEY_COLUMNS, money, chart=3, chart_by=1))  # type: ignore[arg-type]
    return tables


PERIOD_MONEY_COLUMNS: list[Column] = [
    ("Period", "date"),
    ("Currency", "text"),
    ("Deposits", "int"),
    ("Deposits, sum", "money"),
    ("Without bonuses", "money"),
    ("Withdrawals", "int"),
    ("Withdrawals, sum", "money"),
    ("Lots", "lots"),
    ("Lots without bonuses", "lots"),
    ("Trade volume", "money"),
    ("Volume without bonuses", "money"),
]
SALES_COLUMNS: list[Column] = [
    ("Employee", "text"),
    ("Currency", "text"),
    ("Clients", "int"),
    ("First deposits", "int"),
    ("First deposits, sum", "money"),
    ("Repeat deposits", "int"),
    ("Repeat deposits, sum", "money"),
    ("Deposits", "int"),
    ("Deposits, sum", "money"),
]
SALES_CLIENT_COLUMNS: list[Column] = [
    ("Employee", "text"),
    ("Client", "text"),
    ("Currency", "text"),
    ("First deposit", "money"),
    ("Repeat deposits", "int"),
    ("Repeat deposits, sum", "money"),
    ("Deposits, sum", "money"),
]
PAYMENT_COLUMNS: list[Column] = [
    ("Payment system", "text"),
    ("Currency", "text"),
    ("Deposits", "int"),
    ("Deposits, sum", "money"),
    ("Share of deposits", "rate"),
    ("Withdrawals", "int"),
    ("Withdrawals, sum", "money"),
    ("Share of withdrawals", "rate"),
]


def sales_tables(report: SalesReport) -> list[Table]:
    rows: list[list[Cell]] = [
        [
            r.employee,
            r.currency,
            r.clients,
            r.first_count,
            r.first_sum,
            r.repeat_count,
            r.repeat_sum,
            r.total_count,
            r.total_sum,
        ]  # fmt: skip
        for r in [*report.rows, *report.totals]
    ]
    clients: list[list[Cell]] = [
        [r.employee, r.client, r.currency, r.first_sum, r.repeat_count, r.repeat_sum, r.total_sum]
        for r in report.clients
    ]
    return [
        Table("Sales per employee", SALES_COLUMNS, rows, chart=8, chart_by=1),
        Table("Sales per client", SALES_CLIENT_COLUMNS, clients),
    ]


def payments_tables(report: PaymentsReport) -> list[Table]:
    rows: list[list[Cell]] = [
        [
            r.system,
            r.currency,
            r.deposits,
            r.deposit_sum,
            r.deposit_share,
            r.withdrawals,
            r.withdrawal_sum,
            r.withdrawal_share,
        ]  # fmt: skip
        for r in [*report.rows, *report.totals]
    ]
    return [Table("Payment systems", PAYMENT_COLUMNS, rows, chart=3, chart_by=1)]


def funnel_tables(report: FunnelReport) -> list[Table]:
    def rows(items: list, labels: bool) -> list[list[Cell]]:  # type: ignore[type-arg]
        return [
            [
                channel_label(r.group) if labels else r.group,
                r.new,
                r.reached,
                r.agreed,
                r.product,
                r.reached_rate,
                r.agreed_rate,
                r.product_rate,
                r.overall_rate,
            ]
            for r in items
        ]

    return [
        Table(
            "Funnel by channel",
            [("Channel", "text"), *FUNNEL_COLUMNS],
            rows([*report.by_channel, report.total], True),
            chart=1,
        ),
        Table("Funnel by campaign", [("Campaign", "text"), *FUNNEL_COLUMNS], rows(report.by_campaign, False), chart=1),
    ]


def tables_of(report: str, data: object) -> list[Table]:
    makers = {
        "calls": calls_tables,
        "first_calls": first_calls_tables,
        "periods": periods_tables,
        "funnel": funnel_tables,
        "sales": sales_tables,
        "payments": payments_tables,
    }
    return makers[report](data)  # type: ignore[operator]


def funnel_steps(report: FunnelReport) -> list[tuple[str, int]]:
    """The funnel as four bars."""
    t = report.total
    return [("New clients", t.new), ("Reached", t.reached), ("Agreed / visited", t.agreed), ("Product", t.product)]
