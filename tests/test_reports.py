"""R1, R2, R6 on a hand-made data set (tests/report_world.py), on SQLite and PostgreSQL: the right
answers are written here. Boundaries in Moscow time, Monday weeks, empty periods, the desk rule,
permissions."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from core.console import LocalConsole
from core.errors import PermissionDenied, ValidationFailed
from core.reports.models import ReportFilter
from core.reports.rules import percentile
from tests import report_world
from tests.helpers import Crm
from tests.report_world import MARCH, ReportData


@pytest.fixture
def data(crm: Crm) -> ReportData:
    return report_world.build(crm)


@pytest.fixture
def admin(crm: Crm, data: ReportData) -> LocalConsole:
    return crm.console("boss", role="admin")


def march(**extra: object) -> ReportFilter:
    return ReportFilter(start=MARCH[0], end=MARCH[1], **extra)  # type: ignore[arg-type]


def calls_table(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(r.employee, r.calls, r.reached, r.successful, r.share, r.talk_average, r.talk_total) for r in report.rows]


def test_calls_per_employee(admin: LocalConsole) -> None:
    report = admin.report_calls(march())
    assert calls_table(report) == [
        ("Ann R", 1, 1, 0, 0.0, 600.0, 600),
        ("Bob R", 3, 2, 1, 0.3333, 240.0, 720),  # the 23:30 Moscow call of March 31 is in, 00:30 April 1 is not
        ("Cat R", 1, 1, 1, 1.0, 60.0, 60),
    ]
    t = report.total
    assert (t.calls, t.reached, t.successful, t.share, t.talk_average, t.talk_total) == (5, 4, 2, 0.4, 276.0, 1380)
    assert report.success == ["agreed", "card_product", "visit_to_client"]


def test_the_success_set_is_configurable(admin: LocalConsole) -> None:
    report = admin.report_calls(march(success=["think", "refused"]))
    assert [(r.employee, r.successful, r.share) for r in report.rows] == [
        ("Ann R", 1, 1.0),
        ("Bob R", 1, 0.3333),
        ("Cat R", 0, 0.0),
    ]
    with pytest.raises(ValidationFailed, match="Unknown result code"):
        admin.report_calls(march(success=["no_such_result"]))


def test_calls_filtered_by_campaign_employee_channel_desk(admin: LocalConsole, data: ReportData) -> None:
    assert calls_table(admin.report_calls(march(campaign_id=data.campaign))) == [("Bob R", 2, 1, 1, 0.5, 210.0, 420)]
    assert [r.employee for r in admin.report_calls(march(employee_id=data.cat)).rows] == ["Cat R"]
    assert [(r.employee, r.calls) for r in admin.report_calls(march(channel="interested")).rows] == [
        ("Ann R", 1),
        ("Bob R", 1),
    ]
    assert [r.employee for r in admin.report_calls(march(desk_id=data.desk_b)).rows] == ["Cat R"]


def test_first_calls_median_and_90th_percentile(admin: LocalConsole) -> None:
    report = admin.report_first_calls(march())
    assert [(r.group, r.clients, r.median, r.p90) for r in report.by_employee] == [
        ("Bob R", 2, 2100.0, 3300.0),
        ("Cat R", 1, 1800.0, 1800.0),
    ]
    assert [(r.group, r.clients, r.median, r.p90) for r in report.by_desk] == [
        ("Desk B", 1, 1800.0, 1800.0),
        ("Main desk", 2, 2100.0, 3300.0),
    ]
    assert (report.total.clients, report.total.median, report.total.p90) == (3, 1800.0, 3240.0)
    assert report.not_called == 1  # c5, created at 23:00 Moscow on March 31
    assert (percentile([600, 1800, 3600], 1, 2), percentile([600, 1800, 3600], 9, 10)) == (1800.0, 3240.0)


def test_the_portable_percentile_equals_percentile_cont(crm: Crm, admin: LocalConsole, data: ReportData) -> None:
    if crm.engine_name != "postgresql":
        pytest.skip("percentile_cont exists on PostgreSQL only")
    sql = text(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.9) WITHIN GROUP (ORDER BY d) "
        "FROM (VALUES (600), (1800), (3600)) AS t(d)"
    )
    with crm.engine.connect() as conn:
        median, p90 = conn.execute(sql).one()
    total = admin.report_first_calls(march()).total
    assert (total.median, total.p90) == (pytest.approx(median), pytest.approx(p90))


def test_periods_by_week_start_on_monday(admin: LocalConsole) -> None:
    report = admin.report_periods(march(granularity="week"))
    assert [(r.start, r.calls, r.reached, r.new_clients) for r in report.rows] == [
        (date(2025, 2, 24), 0, 0, 0),  # the week of March 1 (a Saturday) starts on Monday, February 24
        (date(2025, 3, 3), 4, 3, 3),
        (date(2025, 3, 10), 0, 0, 0),
        (date(2025, 3, 17), 0, 0, 0),
        (date(2025, 3, 24), 0, 0, 0),
        (date(2025, 3, 31), 1, 1, 1),
    ]
    assert report.rows[1].results == {"agreed": 1, "not_reached": 1, "card_product": 1, "think": 1}
    assert report.rows[5].results == {"refused": 1}
    assert report.result_codes == ["not_reached", "think", "refused", "agreed", "card_product"]


def test_periods_by_day_month_year_and_the_moscow_day(admin: LocalConsole) -> None:
    days = admin.report_periods(march()).rows
    assert len(days) == 31
    last = days[-1]
    assert (last.start, last.calls, last.new_clients, last.results) == (date(2025, 3, 31), 1, 1, {"refused": 1})
    months = admin.report_periods(ReportFilter(start=date(2025, 2, 1), end=date(2025, 4, 30), granularity="month"))
    assert [(r.start, r.calls, r.new_clients) for r in months.rows] == [
        (date(2025, 2, 1), 1, 1),
        (date(2025, 3, 1), 5, 4),
        (date(2025, 4, 1), 1, 0),  # 00:30 Moscow on April 1
    ]
    year = admin.report_periods(ReportFilter(start=date(2025, 1, 1), end=date(2025, 12, 31), granularity="year"))
    assert [(r.start, r.calls, r.new_clients) for r in year.rows] == [(date(2025, 1, 1), 7, 5)]


def test_an_empty_period(admin: LocalConsole) -> None:
    june = ReportFilter(start=date(2025, 6, 1), end=date(2025, 6, 30))
    assert admin.report_calls(june).rows == []
    assert admin.report_calls(june).total.calls == 0
    periods = admin.report_periods(june)
    assert len(periods.rows) == 30 and all(r.calls == r.new_clients == 0 for r in periods.rows)
    first = admin.report_first_calls(june)
    assert (first.by_employee, first.total.clients, first.total.median, first.not_called) == ([], 0, 0.0, 0)
    funnel = admin.report_funnel(june)
    assert (funnel.by_channel, funnel.by_campaign, funnel.total.new, funnel.total.reached_rate) == ([], [], 0, 0.0)


def funnel_rows(rows) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(r.group, r.new, r.reached, r.agreed, r.product) for r in rows]


def test_funnel_by_channel_and_campaign(admin: LocalConsole, data: ReportData) -> None:
    report = admin.report_funnel(march())
    assert funnel_rows(report.by_channel) == [
        ("interested", 1, 1, 0, 0),
        ("internet", 2, 2, 2, 1),
        ("recommended", 1, 0, 0, 0),
    ]
    t = report.total
    assert (t.new, t.reached, t.agreed, t.product) == (4, 3, 2, 1)
    assert (t.reached_rate, t.agreed_rate, t.product_rate, t.overall_rate) == (0.75, 0.6667, 0.5, 0.25)
    # on the campaign's list: c1 (agreed in it) and c2 (reached only outside it)
    assert funnel_rows(report.by_campaign) == [("R campaign x", 2, 1, 1, 0)]
    assert funnel_rows(admin.report_funnel(march(desk_id=data.desk_b)).by_channel) == [("internet", 1, 1, 1, 1)]


def test_the_desk_rule(crm: Crm, data: ReportData) -> None:
    lead = crm.console("lead", role="desk_lead")  # the Main desk only, no all-desks permission
    assert [r.employee for r in lead.report_calls(march()).rows] == ["Ann R", "Bob R"]
    assert [r.group for r in lead.report_first_calls(march()).by_desk] == ["Main desk"]
    assert lead.report_funnel(march()).total.new == 3
    assert [d.name for d in lead.report_choices().desks] == ["Main desk"]
    with pytest.raises(PermissionDenied, match="your own desks"):
        lead.report_calls(march(desk_id=data.desk_b))


def test_reports_need_the_permission(crm: Crm, data: ReportData) -> None:
    operator = crm.console("op", role="operator")
    for call in (operator.report_calls, operator.report_periods, operator.report_funnel, operator.report_first_calls):
        with pytest.raises(PermissionDenied, match="may not see reports"):
            call(march())
    with pytest.raises(PermissionDenied):
        operator.report_choices()
    viewer = crm.console("viewer", role="report_viewer")
    assert viewer.report_calls(march()).total.calls == 4  # the Main desk's calls
    with pytest.raises(PermissionDenied, match="may not export reports"):
        viewer.export_report("calls", march(), "csv")
    assert crm.count("report_export") == 0


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        ReportFilter(start=date(2025, 3, 2), end=date(2025, 3, 1))


def test_a_year_by_day_and_too_many_periods(admin: LocalConsole) -> None:
    year = admin.report_periods(ReportFilter(start=date(2024, 3, 1), end=date(2025, 2, 28)))
    assert len(year.rows) == 365 and sum(r.calls for r in year.rows) == 1  # February 28, 2025
    with pytest.raises(ValidationFailed, match="Too many periods"):
        admin.report_periods(ReportFilter(start=date(2, 1, 1), end=date(3, 12, 1)))


def test_percentiles_of_many_first_calls_match_the_reference(crm: Crm, admin: LocalConsole, data: ReportData) -> None:
    from datetime import timedelta

    from sqlalchemy import insert

    from storage.engine import write
    from storage.tables import ClientRow, ContactRow

    delays = [60, 120, 300, 900, 3600, 7200, 86_400, 45]
    created = report_world.utc(4, 10, 9)
    with write(crm.engine) as conn:
        for n, delay in enumerate(delays):
            client = conn.execute(
                insert(ClientRow).values(
                    surname=f"Процентилев{n}",
                    first_name="К",
                    name_key=f"процентилев{n} к",
                    name_latin=f"protsentilev{n} k",
                    client_type="internet",
                    desk_id=data.main_desk,
                    created_at=created,
                )
            ).inserted_primary_key[0]
            for later in (delay + 600, delay):  # the earlier of the two is the first call
                at = created + timedelta(seconds=later)
                conn.execute(
                    insert(ContactRow).values(
                        client_id=client, kind="call", at=at, result="think", employee_id=data.ann
                    )
                )
    april = admin.report_first_calls(ReportFilter(start=date(2025, 4, 1), end=date(2025, 4, 30)))
    assert (april.total.clients, april.total.median, april.total.p90) == (
        8,
        percentile(delays, 1, 2),  # 600.0
        percentile(delays, 9, 10),  # 30_960.0: 0.9 * 7 = 6.3 -> 7200 + 0.3 * (86400 - 7200)
    )
    assert [(r.group, r.clients) for r in april.by_employee] == [("Ann R", 8)]
    if crm.engine_name == "postgresql":
        values = ", ".join(f"({d})" for d in delays)
        sql = text(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d), percentile_cont(0.9) WITHIN GROUP (ORDER BY d) "
            f"FROM (VALUES {values}) AS t(d)"
        )
        with crm.engine.connect() as conn:
            assert tuple(conn.execute(sql).one()) == pytest.approx((april.total.median, april.total.p90))
