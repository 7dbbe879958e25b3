"""K18 campaigns on the console at 80x24, by keyboard only: create one with a checked script, fill
its list from a saved view, pause it; a bad script file shows the checker's message and keeps
what was typed."""

from __future__ import annotations

from pathlib import Path

from core.calls.scripts import shipped_scripts
from core.work.inputs import ViewDraft
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.campaigns.form import CampaignForm
from tui.screens.campaigns.list import CampaignsScreen
from tui.screens.campaigns.members import MembersForm, RecycleForm


async def open_campaigns(pilot, app) -> CampaignsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, "Campaigns")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, CampaignsScreen), "the campaigns screen")
    await settle(pilot)
    return app.screen


async def fill_form(pilot, script: Path) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, "spring_calls")
    await pilot.press("tab")
    await type_text(pilot, "Spring calls")
    await pilot.press("tab", "tab")  # the desk stays the first of mine
    await type_text(pilot, str(script))
    await pilot.press("enter", "tab")
    await type_text(pilot, "10:00")
    await pilot.press("tab")
    await type_text(pilot, "19:00")


async def test_create_fill_from_a_view_and_pause(make_app, tmp_path: Path) -> None:
    script = tmp_path / "halva.toml"
    script.write_text(shipped_scripts()["halva_cross_sell"], encoding="utf-8")
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console = app.get_console()
        console.save_view(ViewDraft(name="Everyone", subject="clients"))
        screen = await open_campaigns(pilot, app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CampaignForm), "the form")
        await fill_form(pilot, script)
        assert "The script is fine." in screen_text(app)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        text = screen_text(app)
        assert "Name: - -> Spring calls" in text and "Calling from: - -> 10:00" in text
        assert "Script: a new version from" in text
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, CampaignsScreen) and screen.lines, "the new campaign")
        (made,) = [c for c in screen.lines if c.code == "spring_calls"]
        assert (made.call_start, made.call_end, made.script_version, made.active) == ("10:00", "19:00", 1, True)
        assert "10:00-19:00" in screen_text(app)

        await pilot.press("home", *["down"] * screen.lines.index(made), "a")
        await until(pilot, lambda: isinstance(app.screen, MembersForm), "the list form")
        await pilot.press("enter", "down", "enter")  # the view select: open, the first view, choose
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Add every client of the view 'Everyone'" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: "Added to the list:" in screen_text(app), "the number added")
        (made,) = [c for c in console.list_campaigns() if c.code == "spring_calls"]
        assert made.members > 0 and f"Added to the list: {made.members}" in screen_text(app)

        await pilot.press("enter")  # edit: the priority; no script file, the script stays
        await until(pilot, lambda: isinstance(app.screen, CampaignForm), "the form")
        await pilot.press(*["tab"] * 8)  # from the name: desk, script, hours from/to, retries, cap: the priority
        assert app.focused.id == "priority"  # type: ignore[union-attr]
        await type_text(pilot, "7")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert app.screen.details == "Priority (-100..100): 0 -> 7"  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, CampaignsScreen) and "Saved." in screen_text(app))
        (made,) = [c for c in console.list_campaigns() if c.code == "spring_calls"]
        assert (made.priority, made.script_version) == (7, 1)

        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "State: active -> paused" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: "paused" in screen_text(app), "paused")
        assert not next(c for c in console.list_campaigns() if c.code == "spring_calls").active


async def test_a_bad_script_shows_the_checker_and_keeps_what_was_typed(make_app, tmp_path: Path) -> None:
    script = tmp_path / "bad.toml"
    script.write_text('[[step]]\nid = "a"\nsay = "Hi"\ngo = "nowhere"\n', encoding="utf-8")
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_campaigns(pilot, app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CampaignForm), "the form")
        await fill_form(pilot, script)
        assert "The script has problems:" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CampaignForm), "no confirmation for a bad script"
        assert form.query_one("#name").value == "Spring calls"  # type: ignore[attr-defined]


async def test_remove_by_ids_and_recycle(make_app) -> None:
    from core.calls.campaigns import CampaignSpec
    from tests.tui import world

    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console = app.get_console()
        made = console.create_campaign(CampaignSpec(code="winter", name="Winter", desk_id=app.employee.desk_ids[0]))
        assert console.add_to_campaign(made.id, [world.IVANOV]) == 1
        screen = await open_campaigns(pilot, app)
        await pilot.press("home", *["down"] * [c.id for c in screen.lines].index(made.id))

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, MembersForm), "the list form")
        await type_text(pilot, f"{world.IVANOV}, x1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MembersForm) and "Not a client id: x1" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert f"Remove 1 clients: {world.IVANOV}" in app.screen.details  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(pilot, lambda: "Removed from the list: 1" in screen_text(app), "the number removed")

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, RecycleForm), "the recycling form")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        assert "Exhausted clients come back" in app.screen.details  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(pilot, lambda: "Back on the list: 0" in screen_text(app), "the number recycled")
        assert next(c for c in console.list_campaigns() if c.id == made.id).members == 0


async def test_the_list_shows_its_health_within_80_columns(make_app, db) -> None:  # type: ignore[no-untyped-def]
    """Per campaign: fresh, retry, exhausted and do-not-disturb counts, abbreviated with a legend."""
    from sqlalchemy import update

    from core.calls.campaigns import CampaignSpec
    from storage.engine import write
    from storage.tables import CampaignMemberRow
    from tests.tui import world

    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        console = app.get_console()
        made = console.create_campaign(CampaignSpec(code="health", name="Health", desk_id=app.employee.desk_ids[0]))
        assert console.add_to_campaign(made.id, [world.IVANOV, world.PETROVA]) == 2
        with write(db) as conn:
            conn.execute(update(CampaignMemberRow).where(CampaignMemberRow.client_id == world.PETROVA,
                                                         CampaignMemberRow.campaign_id == made.id)
                         .values(state="retry", attempts=1))  # fmt: skip
        screen = await open_campaigns(pilot, app)
        table = screen.query_one("#campaigns")
        row = table.get_row(str(made.id))
        assert row[3:9] == ["2", "0", "1", "1", "0", "0"]  # on the list, off; fresh, retry, exhausted, DND
        assert sum(c.width for c in list(table.columns.values())[:-1]) <= 80  # all but the desk
        text = screen_text(app)
        assert "Rtr" in text and "Rtr retry" in text and "DND do not disturb" in text


async def test_long_codes_and_names_keep_a_space_between_columns(make_app) -> None:
    """At 80x24 a code or name longer than its column is cut with … and never runs into the next."""
    from core.calls.campaigns import CampaignSpec

    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        desk = app.employee.desk_ids[0]
        app.get_console().create_campaign(
            CampaignSpec(code="autumn_cross_sell", name="Осенний обзвон: кросс-продажа", desk_id=desk)
        )
        await open_campaigns(pilot, app)
        (line,) = [t for t in screen_text(app).splitlines() if "autumn" in t]
        assert "autumn_cros… Осенний обзв… active" in line
