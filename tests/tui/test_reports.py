"""F9 Reports at 80x24 by keyboard only: the chart and the numbers, other reports, a saved XLSX,
plain mode in ASCII, and the place hidden without the permission."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.tui.conftest import SIZE, screen_text, settle, shows, until
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
        assert "Смирнова Ольга" in text and "123 calls, 2 reached, 0.8% successful." in text
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
        assert "Saved" in screen_text(app)
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
