"""F9 Reports at 80x24 by keyboard only: the chart and the numbers, other reports, a saved XLSX,
plain mode in ASCII, and the place hidden without the permission."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.widgets import Select

from core.reports.models import PaymentsReport, SalesReport
from tests.tui.conftest import SIZE, screen_text, settle, shows, until
from tests.tui.fit import cut
from tui.format import short_name
from tui.i18n import _
from tui.screens.report_texts import CORE_TEXTS, FORMATS, PERIODS, REPORTS, STEPS, cell_text, column_label
from tui.screens.reports import ReportsScreen
from tui.screens.search import SearchScreen
from tui.widgets.report_chart import ReportChart


async def test_reports_by_keyboard_at_80x24(make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "F9 Reports" in screen_text(app)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen), "the Reports place")
        screen = app.screen
        await until(pilot, lambda: screen.data is not None, "the calls report")
        text = screen_text(app)
        assert "Calls per employee" in text and "01.03.2025" in text and "31.03.2025" in text  # this month
        row = next(r for r in screen.data.rows if r.employee.startswith("Смирнова"))
        assert (row.calls, row.reached, row.successful) == (123, 2, 1)  # Kuznetsova's long history too
        assert "Смирнова О. П." in text and "123 calls, 2 reached, 0.8% successful." in text
        assert screen.query_one(ReportChart).drawn[0] == "bar"
        # the funnel: the Report choice is focused; open it, three down, Enter
        await pilot.press("enter", "down", "down", "down", "enter")
        await until(pilot, lambda: screen.report == "funnel" and screen.data is not None, "the funnel")
        await shows(pilot, "Funnel by channel")
        await pilot.press("ctrl+n")
        await shows(pilot, "Funnel by campaign")
        # activity by period: the Report choice still has the focus; one up from the funnel
        assert app.focused is screen.query_one("#report")
        await pilot.press("enter", "up", "enter")
        await until(pilot, lambda: screen.report == "periods", "the periods report")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: (tmp_path / "periods_2025-03-01_2025-03-31.xlsx").exists(), "the saved file")
        await shows(pilot, "Saved")  # the file is written before the status line says so
        sheet = load_workbook(tmp_path / "periods_2025-03-01_2025-03-31.xlsx").active
        assert isinstance(sheet.cell(row=3, column=2).value, int)
        assert screen.query_one(ReportChart).drawn[0] == "line"


async def test_a_custom_period_typed_in(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.data is not None)
        screen = app.screen
        await pilot.press("tab", "tab")  # Report -> Period -> From
        assert app.focused is screen.query_one("#from")
        await pilot.press("ctrl+a", *"02.03.2025", "enter")  # noqa: B026 - keys
        await until(pilot, lambda: screen.data.filter.start.day == 2, "the typed first day")
        assert screen.query_one("#period").value == "custom"
        await pilot.press("ctrl+a", *"xx", "enter")  # noqa: B026
        await shows(pilot, "Type the day as DD.MM.YYYY.")


async def test_plain_mode_draws_in_ascii(make_app) -> None:
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.data is not None)
        chart = str(app.screen.query_one("#chart-text").render())
        assert "|####" in chart
        assert all(ch.isascii() or ch.isalpha() for ch in chart)  # names may be Cyrillic; no drawing glyphs


async def test_the_place_needs_the_permission(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Reports" not in screen_text(app)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_russian(make_app) -> None:
    app = make_app("boss", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.data is not None)
        text = screen_text(app)
        assert "Звонки по сотрудникам" in text and "Отчёты" in text


async def test_a_file_saved_in_russian_has_russian_titles(make_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    app = make_app("boss", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        await pilot.press("ctrl+s")
        saved = tmp_path / "calls_2025-03-01_2025-03-31.xlsx"
        await until(pilot, saved.exists, "the saved file")
        await shows(pilot, _("Saved {path}").split("{")[0].strip())
    book = load_workbook(saved)
    assert book.sheetnames == ["Звонки по сотрудникам"]
    assert book.active.cell(row=2, column=1).value == "Сотрудник"
    assert isinstance(book.active.cell(row=3, column=2).value, int)


async def _open_reports(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f9")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReportsScreen) and pilot.app.screen.data is not None)


@pytest.mark.parametrize("plain", [False, True], ids=["modern", "16-colour"])
def test_reports_snapshot(make_app, snap_compare, plain: bool) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app("boss", plain=plain), terminal_size=SIZE, run_before=_open_reports)


async def test_the_success_set_from_the_settings(make_app) -> None:
    app = make_app("boss")
    app.settings.report_success = ["think"]
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        assert app.screen.data.success == ["think"]


def _add_money(engine) -> None:  # type: ignore[no-untyped-def]
    """Two of the boss's clients deposit in March 2025 (this month for the app): 2 000.00 USD over
    Visa and Skrill, 300.00 EUR over Visa; one withdrawal of 100.00 USD."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from sqlalchemy import insert, select, update

    from storage.engine import write
    from storage.tables import ClientRow, EmployeeRow
    from storage.tables_trading import MoneyRequestRow, TradingAccountRow

    at = datetime(2025, 3, 5, 10, tzinfo=UTC)
    with write(engine) as conn:
        boss = conn.scalar(select(EmployeeRow.id).where(EmployeeRow.login == "boss"))
        clients = list(conn.scalars(select(ClientRow.id).order_by(ClientRow.id).limit(2)))
        conn.execute(update(ClientRow).where(ClientRow.id.in_(clients)).values(responsible_id=boss))
        for n, (client, currency, system, kind, amount) in enumerate(
            [
                (clients[0], "USD", "Visa", "deposit", "1500.00"),
                (clients[1], "USD", "Skrill", "deposit", "500.00"),
                (clients[1], "EUR", "Visa", "deposit", "300.00"),
                (clients[0], "USD", "Visa", "withdrawal", "100.00"),
            ]
        ):
            account = conn.execute(
                insert(TradingAccountRow).values(
                    client_id=client,
                    number=f"T-{n}",
                    currency=currency,
                    balance=Decimal(0),
                    equity=Decimal(0),
                    margin=Decimal(0),
                    opened_at=at,
                    updated_at=at,
                )  # fmt: skip
            ).inserted_primary_key[0]
            conn.execute(
                insert(MoneyRequestRow).values(
                    client_id=client,
                    account_id=account,
                    kind=kind,
                    payment_system=system,
                    amount=Decimal(amount),
                    currency=currency,
                    status="executed",
                    created_at=at,
                    decided_at=at,
                )  # fmt: skip
            )


async def test_sales_and_payment_systems_at_80x24(make_app, db) -> None:  # type: ignore[no-untyped-def]
    _add_money(db)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        screen = app.screen
        await pilot.press("enter", *["down"] * 4, "enter")  # calls -> sales
        await until(pilot, lambda: isinstance(screen.data, SalesReport), "the sales report")
        await shows(pilot, "Sales per employee")
        text = screen_text(app)
        assert "Волкова Ирина" in text and "2 000.00" in text and "USD" in text
        assert "Deposits: 300.00 EUR (1); 2 000.00 USD (2)." in text
        kind, title, labels, values = screen.query_one(ReportChart).drawn
        assert (kind, title, labels, values) == ("bar", "Deposits per employee, USD", ["Волкова"], [2000.0])
        await pilot.press("ctrl+n")
        await shows(pilot, "Sales per client")
        await pilot.press("enter", "down", "enter")  # sales -> payment systems
        await until(pilot, lambda: isinstance(screen.data, PaymentsReport), "the payments report")
        await shows(pilot, "Payment systems")
        assert "USD: in 2 000.00 (2), out 100.00 (1). Other currencies are in the table." in screen_text(app)
        assert screen.query_one(ReportChart).drawn[1:] == (
            "Deposits per payment system, USD",
            ["Skrill", "Visa"],
            [500.0, 1500.0],
        )
        screen.query_one("#report-table").focus()
        await pilot.press("down", "down")  # the rows are three lines high: the last one is below
        await shows(pilot, "75.0%")  # Visa's share of the USD deposits


async def test_payment_systems_in_plain_mode(make_app, db) -> None:  # type: ignore[no-untyped-def]
    _add_money(db)
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        screen = app.screen
        await pilot.press("enter", *["down"] * 5, "enter")
        await until(pilot, lambda: isinstance(screen.data, PaymentsReport), "the payments report")
        chart = str(screen.query_one("#chart-text").render())
        assert "Visa" in chart and "|####" in chart and "1500" in chart
        assert chart.isascii()


@pytest.mark.parametrize(("lang", "plain"), [("en", False), ("en", True), ("ru", False), ("ru", True)])
async def test_every_choice_and_the_calls_table_fit_80_columns(make_app, lang: str, plain: bool) -> None:
    """Each choice whole in its field (the step showed "By", the Russian report and filter names were
    cut), the calls table without sideways scrolling (Average talk was off-screen), one key line row."""
    app = make_app("boss", lang=lang, plain=plain)
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        screen = app.screen
        table = screen.tables[0]
        values = [column_label(label) for label, _kind in table.columns]
        for row in table.rows:
            name = cell_text(row[0], "text")
            values.append(name if str(row[0]) in CORE_TEXTS else short_name(name))
            values += [cell_text(v, kind) for v, (_l, kind) in zip(row[1:], table.columns[1:], strict=True)]
        assert _("Average talk") in values and len(table.rows) > 1
        prompts = [_(text) for text in ("Any desk", "Any employee", "Any campaign", "Any channel")]
        assert not (found := cut(app, values + prompts, plain)), found
        for field, choices in (("step", STEPS), ("period", PERIODS), ("format", FORMATS), ("report", REPORTS)):
            for value, label in choices:
                screen.query_one(f"#{field}", Select).value = value
                await settle(pilot)
                assert not (found := cut(app, [_(label)], plain, tables=False)), (field, found)


@pytest.mark.parametrize("lang", ["en", "ru"])
async def test_every_report_table_fits_80_columns(make_app, db, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Each table of each report at 80x24: no sideways scroll bar, its title whole, the numbers of
    its first two rows whole (the funnel was 84 columns wide, money by period 124)."""
    _add_money(db)
    app = make_app("boss", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await _open_reports(pilot)
        screen = app.screen
        found: list[str] = []
        for name, _label in REPORTS:
            screen.query_one("#report", Select).value = name
            await until(pilot, lambda n=name: screen.report == n and screen.data is not None, name)
            await until(pilot, lambda n=name: type(screen.data).__name__.lower().startswith(n.split("_")[0]), name)
            for index, (number, _groups) in enumerate(screen.views):
                table = screen.tables[number]
                if index:
                    await pilot.press("ctrl+n")
                    await until(pilot, lambda i=index: screen.table_index == i, table.title)
                await settle(pilot)
                values = [_(table.title)]
                for row in table.rows[:2]:  # the rows the screen has room for
                    values += [cell_text(v, kind) for v, (_l, kind) in zip(row[1:], table.columns[1:], strict=True)]
                found += [f"{name}/{table.title}: {problem}" for problem in cut(app, values, plain=False)]
        assert not found, "\n".join(found)


def test_a_wide_activity_table_shows_its_results_on_pages() -> None:
    """R2 with a column per result (all twelve) in 79 columns: pages of columns, each beginning
    with the period, every result on one page, each page fitting."""
    from core.calls.catalogue import catalogue
    from tui.screens.report_texts import pages, shaped

    labels = ["Period", "Calls", "Reached", "New clients", *catalogue().codes]
    rows = [["01.03.2025", "1234", "567", "89", *(str(n * 11) for n in range(12))]]
    found = pages(labels, rows, 79)
    assert len(found) > 1 and all(page[0] == [0] for page in found)
    assert sorted(i for page in found for group in page[1:] for i in group) == list(range(1, len(labels)))
    assert all(shaped(labels, rows, page)[2] <= 79 for page in found)
    assert pages(labels[:4], [rows[0][:4]], 79) == [[[0], [1], [2], [3]]]  # fits: flat
