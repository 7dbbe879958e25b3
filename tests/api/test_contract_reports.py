"""The reports' part of the Console contract, local and remote, on both engines: the same figures
from both, 403 with a clear message without the permission, the desk rule, files and their audit."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.errors import PermissionDenied
from core.port import Console
from core.reports.models import ReportFilter
from tests import report_money_world, report_world
from tests.api.world import World
from tests.report_world import MARCH, ReportData

SignIn = Callable[[str], Console]
_built: dict[int, ReportData] = {}


@pytest.fixture
def data(world: World) -> Iterator[ReportData]:
    """The hand-made data set, added once to each engine's shared database (in March 2025, where
    the other API tests write nothing)."""
    if id(world) not in _built:
        _built[id(world)] = report_world.build(world.crm, prefix="k")
        report_money_world.build(world.crm.engine, _built[id(world)])
        world.crm.add_employee("klead", role="desk_lead")
    yield _built[id(world)]


def march(data: ReportData, **extra: object) -> ReportFilter:
    return ReportFilter(start=MARCH[0], end=MARCH[1], campaign_id=data.campaign, **extra)  # type: ignore[arg-type]


def test_the_same_figures_local_and_remote(sign_in: SignIn, world: World, data: ReportData) -> None:
    console = sign_in("adm")
    local = world.local("adm")
    flt = march(data)
    assert console.report_calls(flt) == local.report_calls(flt)
    assert [(r.employee, r.calls, r.reached, r.successful, r.talk_total) for r in console.report_calls(flt).rows] == [
        ("Bob K", 2, 1, 1, 420)
    ]
    assert console.report_first_calls(flt) == local.report_first_calls(flt)
    assert console.report_first_calls(flt).total.median == 2100.0
    weekly = ReportFilter(start=MARCH[0], end=MARCH[1], employee_id=data.bob, granularity="week")
    assert console.report_periods(weekly) == local.report_periods(weekly)
    assert [r.calls for r in console.report_periods(weekly).rows] == [0, 2, 0, 0, 0, 1]
    assert console.report_funnel(flt) == local.report_funnel(flt)
    assert [(r.group, r.new, r.reached, r.agreed) for r in console.report_funnel(flt).by_campaign] == [
        ("K campaign x", 2, 1, 1)
    ]
    assert console.report_choices() == local.report_choices()


def test_without_the_permission(sign_in: SignIn, data: ReportData) -> None:
    operator = sign_in("op_a")
    with pytest.raises(PermissionDenied, match="Your role may not see reports."):
        operator.report_calls(march(data))
    with pytest.raises(PermissionDenied, match="Your role may not see reports."):
        operator.export_report("calls", march(data), "csv")


def test_the_desk_rule(sign_in: SignIn, data: ReportData) -> None:
    lead = sign_in("klead")
    flt = ReportFilter(start=MARCH[0], end=MARCH[1])
    names = {r.employee for r in lead.report_calls(flt).rows}
    assert "Cat K" not in names and "Bob K" in names  # Cat works Desk B
    with pytest.raises(PermissionDenied, match="your own desks"):
        lead.report_calls(ReportFilter(start=MARCH[0], end=MARCH[1], desk_id=data.desk_b))


def test_an_xlsx_file_through_the_port_is_audited(sign_in: SignIn, world: World, data: ReportData) -> None:
    before = world.crm.count("report_export", login="klead")
    file = sign_in("klead").export_report("calls", march(data), "xlsx")
    assert file.filename == "calls_2025-03-01_2025-03-31.xlsx"
    rows = list(load_workbook(io.BytesIO(file.content)).active.iter_rows(min_row=3, values_only=True))
    assert rows[0] == ("Bob K", 2, 1, 1, 0.5, 210, 420)
    assert world.crm.count("report_export", login="klead") == before + 1
    russian = load_workbook(io.BytesIO(sign_in("klead").export_report("calls", march(data), "xlsx", "ru").content))
    assert russian.sheetnames == ["Звонки по сотрудникам"]
    assert next(russian.active.iter_rows(min_row=2, max_row=2, max_col=2, values_only=True)) == ("Сотрудник", "Звонки")


def test_http_answers_403_with_a_clear_message(world: World, data: ReportData) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.test_http import sign_in as http_sign_in

    body = {"start": "2025-03-01", "end": "2025-03-31"}
    with TestClient(create_app(world.target)) as http:
        operator = http_sign_in(http, world, "op_a")
        for path in ("calls", "first-calls", "periods", "funnel"):
            answer = http.post(f"/api/v1/reports/{path}", json=body, headers=operator)
            assert answer.status_code == 403, answer.text
            assert answer.json() == {"error": "forbidden", "message": "Your role may not see reports."}
        assert http.get("/api/v1/reports/choices", headers=operator).status_code == 403
        export = {"report": "calls", "format": "csv", "filter": body}
        assert http.post("/api/v1/reports/export", json=export, headers=operator).status_code == 403
        lead = http_sign_in(http, world, "klead")
        answer = http.post("/api/v1/reports/export", json=export, headers=lead)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/csv")
        assert 'filename="calls_2025-03-01_2025-03-31.csv"' in answer.headers["content-disposition"]
        russian = http.post(
            "/api/v1/reports/export", json=export, headers={**lead, "Accept-Language": "ru-RU,ru;q=0.9"}
        )
        assert russian.content.decode("utf-8-sig").splitlines()[0].startswith("Сотрудник,Звонки,Дозвонились")
        chosen = {**export, "lang": "en"}  # the parameter wins over the header
        english = http.post("/api/v1/reports/export", json=chosen, headers={**lead, "Accept-Language": "ru"})
        assert english.content.decode("utf-8-sig").startswith("Employee,Calls,Reached")
        wrong = http.post("/api/v1/reports/calls", json={"start": "2025-03-02", "end": "2025-03-01"}, headers=lead)
        assert wrong.status_code == 422


def test_the_money_reports_local_and_remote(sign_in: SignIn, world: World, data: ReportData) -> None:
    console, local, flt = sign_in("adm"), world.local("adm"), march(data)  # the campaign lists c1 and c2
    assert console.report_sales(flt) == local.report_sales(flt)
    assert [(r.employee, r.currency, r.first_sum, r.repeat_sum) for r in console.report_sales(flt).rows] == [
        ("Bob K", "EUR", Decimal("0.00"), Decimal("300.00")),
        ("Bob K", "USD", Decimal("500.00"), Decimal("500.00")),
    ]
    assert console.report_payments(flt) == local.report_payments(flt)
    assert [(r.system, r.currency, r.deposit_sum, r.withdrawal_sum) for r in console.report_payments(flt).rows] == [
        ("Skrill", "EUR", Decimal("300.00"), Decimal("0.00")),
        ("Skrill", "USD", Decimal("249.50"), Decimal("0.00")),
        ("Visa", "USD", Decimal("750.50"), Decimal("150.00")),
    ]
    monthly = flt.model_copy(update={"granularity": "month"})
    assert console.report_periods(monthly).money == local.report_periods(monthly).money
    assert [(m.currency, m.bonus_sum) for m in console.report_periods(monthly).money] == [
        ("EUR", Decimal("0.00")),
        ("USD", Decimal("200.00")),
    ]
    with pytest.raises(PermissionDenied, match="Your role may not see reports."):
        sign_in("op_a").report_sales(flt)
