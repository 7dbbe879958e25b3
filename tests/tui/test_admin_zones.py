"""Administration, desks and regions: their time zone by keyboard at 80x24 (Z on a desk; G the
regions, Enter on one), the confirmation of what changes, a bad name kept in the form with the
reason, a change made meanwhile shown next to what was typed."""

from __future__ import annotations

from core.admin.inputs import AuditFilter, ZoneEdit
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tests.tui.test_admin import open_admin
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.admin.desks import DesksScreen
from tui.screens.admin.zones import RegionsScreen, ZoneForm


async def _desks(pilot, app) -> DesksScreen:  # type: ignore[no-untyped-def]
    await open_admin(pilot, app)
    await pilot.press("k")
    await until(pilot, lambda: isinstance(app.screen, DesksScreen) and app.screen.lines, "the desks")
    return app.screen


async def _type_zone(pilot, app, zone: str) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(app.screen, ZoneForm), "the zone form")
    assert app.focused.id == "timezone"
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, zone)
    await pilot.press("ctrl+s")


async def test_a_desk_time_zone_by_keyboard(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        desks = await _desks(pilot, app)
        desk = desks.lines[0]
        assert "Time zone" in screen_text(app)
        await pilot.press("home", "z")
        await _type_zone(pilot, app, "Mars/Olympus")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ZoneForm) and "Unknown time zone" in screen_text(app))
        assert app.screen.query_one("#timezone").value == "Mars/Olympus"  # what was typed stays
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Asia/Omsk")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Time zone: - -> Asia/Omsk" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: app.screen is desks and desks.lines[0].timezone == "Asia/Omsk", "saved")
        await settle(pilot)
        assert "Asia/Omsk" in screen_text(app)
        (entry,) = app.get_console().admin_audit(AuditFilter(action="desk_timezone"))
        assert (entry.target, [(c.field, c.new) for c in entry.changes]) == (desk.name, [("timezone", "Asia/Omsk")])


async def test_a_region_time_zone_changed_meanwhile_shows_both(make_app, chief: str) -> None:
    app = make_app(chief)
    async with app.run_test(size=SIZE) as pilot:
        await _desks(pilot, app)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, RegionsScreen) and app.screen.lines, "the regions")
        region = app.screen.lines[0]
        await pilot.press("home", "enter")
        await until(pilot, lambda: isinstance(app.screen, ZoneForm), "the zone form")
        other = app.get_console()
        other.set_region_timezone(region.id, ZoneEdit(timezone="Asia/Tomsk", expected_version=region.version))
        await _type_zone(pilot, app, "Asia/Omsk")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: "Changed meanwhile" in screen_text(app), "both values")
        assert "Time zone: now Asia/Tomsk; yours Asia/Omsk" in " ".join(screen_text(app).split())
        assert app.screen.query_one("#timezone").value == "Asia/Omsk"  # what was typed stays
