"""R2's money part, R3 sales and R4 payment systems on the hand-made data set (tests/report_world.py
and tests/report_money_world.py), on SQLite and PostgreSQL: the right answers are written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.console import LocalConsole
from core.errors import PermissionDenied
from core.reports.models import ReportFilter
from tests import report_money_world, report_world
from tests.helpers import Crm
from tests.report_world import MARCH, ReportData


@pytest.fixture
def data(crm: Crm) -> ReportData:
    found = report_world.build(crm)
    report_money_world.build(crm.engine, found)
    return found


@pytest.fixture
def admin(crm: Crm, data: ReportData) -> LocalConsole:
    return crm.console("boss", role="admin")


def march(**extra: object) -> ReportFilter:
    return ReportFilter(start=MARCH[0], end=MARCH[1], **extra)  # type: ignore[arg-type]


def D(text: str) -> Decimal:  # noqa: N802
    return Decimal(text)


def sales(rows) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (
            r.employee,
            r.currency,
            r.clients,
            r.first_count,
            r.first_sum,
            r.repeat_count,
            r.repeat_sum,
            r.total_count,
            r.total_sum,
        )  # fmt: skip
        for r in rows
    ]


def test_sales_per_manager_first_and_repeat_deposits_per_currency(admin: LocalConsole) -> None:
    report = admin.report_sales(march())
    assert sales(report.rows) == [
        ("Bob R", "EUR", 1, 0, D("0.00"), 1, D("300.00"), 1, D("300.00")),  # c1's first deposit was in February
        ("Bob R", "USD", 2, 1, D("500.00"), 2, D("500.00"), 3, D("1000.00")),  # the bonus is no sale
        ("Cat R", "EUR", 1, 1, D("1000.00"), 0, D("0.00"), 1, D("1000.00")),  # 23:30 Moscow on March 31
    ]
    assert sales(report.totals) == [
        ("All", "EUR", 2, 1, D("1000.00"), 1, D("300.00"), 2, D("1300.00")),
        ("All", "USD", 2, 1, D("500.00"), 2, D("500.00"), 3, D("1000.00")),
    ]
    assert [
        (r.employee, r.client, r.currency, r.first_sum, r.repeat_count, r.repeat_sum, r.total_sum)
        for r in report.clients
    ] == [  # fmt: skip
        ("Bob R", "Отчётов1 Клиент", "EUR", D("0.00"), 1, D("300.00"), D("300.00")),
        ("Bob R", "Отчётов1 Клиент", "USD", D("0.00"), 1, D("250.50"), D("250.50")),
        ("Bob R", "Отчётов2 Клиент", "USD", D("500.00"), 1, D("249.50"), D("749.50")),
        ("Cat R", "Отчётов3 Клиент", "EUR", D("1000.00"), 0, D("0.00"), D("1000.00")),
    ]
    assert report.clients_complete


def test_sales_filtered_by_employee_desk_channel(admin: LocalConsole, data: ReportData) -> None:
    assert [r.employee for r in admin.report_sales(march(employee_id=data.cat)).rows] == ["Cat R"]
    assert [r.employee for r in admin.report_sales(march(desk_id=data.desk_b)).rows] == ["Cat R"]
    interested = admin.report_sales(march(channel="interested"))  # c2 only
    assert sales(interested.rows) == [("Bob R", "USD", 1, 1, D("500.00"), 1, D("249.50"), 2, D("749.50"))]
    assert sales(admin.report_sales(march(campaign_id=data.campaign)).totals) == [  # c1 and c2 are on its list
        ("All", "EUR", 1, 0, D("0.00"), 1, D("300.00"), 1, D("300.00")),
        ("All", "USD", 2, 1, D("500.00"), 2, D("500.00"), 3, D("1000.00")),
    ]


def test_payment_systems_in_and_out_with_shares_per_currency(admin: LocalConsole) -> None:
    report = admin.report_payments(march())
    assert [
        (
            r.system,
            r.currency,
            r.deposits,
            r.deposit_sum,
            r.withdrawals,
            r.withdrawal_sum,
            r.deposit_share,
            r.withdrawal_share,
        )  # fmt: skip
        for r in report.rows
    ] == [
        ("Skrill", "EUR", 2, D("1300.00"), 0, D("0.00"), D("1.0000"), D("0.0000")),
        ("Skrill", "USD", 1, D("249.50"), 0, D("0.00"), D("0.2495"), D("0.0000")),
        ("Visa", "USD", 2, D("750.50"), 2, D("210.00"), D("0.7505"), D("1.0000")),  # no bonus, pending, rejected
    ]
    assert [
        (r.system, r.currency, r.deposits, r.deposit_sum, r.withdrawals, r.withdrawal_sum) for r in report.totals
    ] == [
        ("All", "EUR", 2, D("1300.00"), 0, D("0.00")),
        ("All", "USD", 3, D("1000.00"), 2, D("210.00")),
    ]


def money_rows(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (
            r.start,
            r.currency,
            r.deposits,
            r.deposit_sum,
            r.bonus_sum,
            r.withdrawals,
            r.withdrawal_sum,
            r.lots,
            r.bonus_lots,
            r.volume,
            r.bonus_volume,
        )  # fmt: skip
        for r in report.money
    ]


def test_periods_with_deposits_withdrawals_and_trade_volume_with_and_without_bonuses(admin: LocalConsole) -> None:
    month = admin.report_periods(march(granularity="month"))
    z = D("0.00")
    assert money_rows(month) == [
        (date(2025, 3, 1), "EUR", 2, D("1300.00"), z, 0, z, z, z, z, z),
        (date(2025, 3, 1), "JPY", 0, z, z, 0, z, D("1.00"), z, D("15000000.00"), z),  # USDJPY: quoted in yen
        # 0.10 EURUSD @ 1.08 (10,800) and the bonus trade 0.50 XAUUSD @ 2050 x 100 oz (102,500)
        (
            date(2025, 3, 1),
            "USD",
            4,
            D("1200.00"),
            D("200.00"),
            2,
            D("210.00"),
            D("0.60"),
            D("0.50"),
            D("113300.00"),
            D("102500.00"),
        ),  # fmt: skip
    ]
    by_day = admin.report_periods(march())
    last_day = [r for r in money_rows(by_day) if r[0] == date(2025, 3, 31)]
    assert last_day == [  # 23:30 and 23:45 Moscow on March 31 belong to that day; 00:30 April 1 does not
        (date(2025, 3, 31), "EUR", 1, D("1000.00"), z, 0, z, z, z, z, z),
        (date(2025, 3, 31), "JPY", 0, z, z, 0, z, D("1.00"), z, D("15000000.00"), z),
    ]


def test_an_empty_period_has_no_money(admin: LocalConsole) -> None:
    empty = ReportFilter(start=date(2025, 4, 2), end=date(2025, 4, 30))
    assert admin.report_periods(empty).money == []
    report = admin.report_sales(empty)
    assert (report.rows, report.totals, report.clients, report.clients_complete) == ([], [], [], True)
    payments = admin.report_payments(empty)
    assert (payments.rows, payments.totals) == ([], [])


def test_the_desk_rule_and_the_permission(crm: Crm, data: ReportData) -> None:
    lead = crm.console("lead", role="desk_lead")  # the Main desk only
    assert [(r.employee, r.currency) for r in lead.report_sales(march()).rows] == [("Bob R", "EUR"), ("Bob R", "USD")]
    assert [(r.system, r.currency) for r in lead.report_payments(march()).rows] == [
        ("Skrill", "EUR"),
        ("Skrill", "USD"),
        ("Visa", "USD"),
    ]
    assert [r.deposit_sum for r in lead.report_payments(march()).totals] == [D("300.00"), D("1000.00")]
    assert {r.currency for r in lead.report_periods(march(granularity="month")).money} == {"EUR", "USD"}
    with pytest.raises(PermissionDenied, match="your own desks"):
        lead.report_sales(march(desk_id=data.desk_b))
    operator = crm.console("op", role="operator")
    for call in (operator.report_sales, operator.report_payments):
        with pytest.raises(PermissionDenied, match="may not see reports"):
            call(march())


def test_sales_and_payments_as_typed_xlsx_csv_and_html(admin: LocalConsole) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(admin.export_report("sales", march(), "xlsx").content))
    assert book.sheetnames == ["Sales per employee", "Sales per client"]
    rows = list(book["Sales per employee"].iter_rows(values_only=True))
    assert rows[1][:4] == ("Employee", "Currency", "Clients", "First deposits")
    assert rows[3] == ("Bob R", "USD", 2, 1, 500, 2, 500, 3, 1000)
    assert isinstance(rows[3][2], int) and isinstance(rows[3][4], int | float)
    assert book["Sales per employee"].cell(row=4, column=5).number_format == "#,##0.00"
    payments = load_workbook(io.BytesIO(admin.export_report("payments", march(), "xlsx").content)).active
    cells = list(payments.iter_rows(min_row=3, values_only=True))
    assert cells[1] == ("Skrill", "USD", 1, 249.5, 0.2495, 0, 0, 0)
    assert payments.cell(row=4, column=5).number_format == "0.0%"
    lines = list(csv.reader(io.StringIO(admin.export_report("payments", march(), "csv").content.decode("utf-8-sig"))))
    assert lines[3] == ["Visa", "USD", "2", "750.50", "0.7505", "2", "210.00", "1.0000"]
    page = admin.export_report("periods", march(granularity="month"), "html").content.decode()
    assert "Money by period" in page and "15 000 000.00" in page
    page = admin.export_report("sales", march(), "html").content.decode()
    assert "Deposits, sum, EUR" in page and "Deposits, sum, USD" in page  # a chart per currency, never mixed


def test_the_client_table_keeps_the_largest_clients(crm: Crm, data: ReportData) -> None:
    from storage.repo_report_money import ReportMoneyQueries

    admin = crm.console("boss", role="admin")
    q = admin._query(march())
    found = ReportMoneyQueries.report_sales(admin.repo, q, 2)  # type: ignore[arg-type]
    assert [(a.client, a.currency, a.first_sum + a.repeat_sum) for a in found.by_client] == [
        ("Отчётов2 Клиент", "USD", D("749.50")),
        ("Отчётов3 Клиент", "EUR", D("1000.00")),
    ]
    assert not found.complete and admin.report_sales(march()).clients_complete


def test_a_deposit_is_credited_to_the_manager_of_its_moment(crm: Crm, data: ReportData, admin: LocalConsole) -> None:
    """c2 goes from Bob to Cat on March 10 (C17): its first deposit (03-05) stays Bob's, the repeat
    one (03-12) is Cat's; the employee filter follows the same credit."""
    from core.custody.inputs import HandOver
    from tests.report_world import utc

    crm.clock.advance(seconds=(utc(3, 10, 10) - crm.clock.now()).total_seconds())
    assert admin.hand_over(HandOver(to_employee_id=data.cat, client_ids=[data.clients["c2"]])).count == 1
    assert sales(admin.report_sales(march()).rows) == [
        ("Bob R", "EUR", 1, 0, D("0.00"), 1, D("300.00"), 1, D("300.00")),
        ("Bob R", "USD", 2, 1, D("500.00"), 1, D("250.50"), 2, D("750.50")),  # c2's first deposit, c1's repeat
        ("Cat R", "EUR", 1, 1, D("1000.00"), 0, D("0.00"), 1, D("1000.00")),
        ("Cat R", "USD", 1, 0, D("0.00"), 1, D("249.50"), 1, D("249.50")),  # c2's deposit after the hand-over
    ]
    cat = admin.report_sales(march(employee_id=data.cat))
    assert [(r.employee, r.currency, r.total_sum) for r in cat.rows] == [
        ("Cat R", "EUR", D("1000.00")),
        ("Cat R", "USD", D("249.50")),
    ]
    assert [(r.employee, r.client, r.total_sum) for r in cat.clients if r.currency == "USD"] == [
        ("Cat R", "Отчётов2 Клиент", D("249.50"))
    ]
