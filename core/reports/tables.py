"""Each report as plain tables (title, typed columns, rows): what the screen, the CLI and the files show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.reports.models import CallsReport, FirstCallsReport, FunnelReport, PeriodsReport
from core.vocab import CLIENT_TYPE_LABELS, ClientType

# kinds: text, int, float (seconds with a fraction), rate (a share 0..1), seconds, date
Column = tuple[str, str]  # (label msgid, kind)
Cell = str | int | float | date | None


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: int | None = None  # the column a chart draws, by its label column 0


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
    return [Table("Activity by period", columns, rows, chart=1)]


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
    }
    return makers[report](data)  # type: ignore[operator]


def funnel_steps(report: FunnelReport) -> list[tuple[str, int]]:
    """The funnel as four bars."""
    t = report.total
    return [("New clients", t.new), ("Reached", t.reached), ("Agreed / visited", t.agreed), ("Product", t.product)]
