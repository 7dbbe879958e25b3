"""Small but misleading messages: what the history note says once all is loaded, the saved call's
hint said once, the lockout's duration and remedy on the sign-in screen."""

from __future__ import annotations

from tests.tui import call_world, world
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tests.tui.test_call_flow import in_form, press, saved, take_next
from tui.screens.card import CardScreen

call_template, db = call_world.call_template, call_world.db


async def test_the_history_note_says_all_are_loaded_only_when_they_are(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("3")
        await settle(pilot)
        total = app.screen.history_total
        text = screen_text(app)
        assert f"All {total} entries." in text and "older ones load" not in text
        app.open_card(world.KUZNETSOVA)  # a long history: pages load as the cursor moves
        await until(pilot, lambda: app.screen.card is not None and app.screen.card.id == world.KUZNETSOVA)
        await pilot.press("3")
        await settle(pilot)
        assert "50 of 121 entries; older ones load as you move down." in screen_text(app)


async def test_a_saved_call_says_what_n_does_once(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "2")  # Call dropped
        await in_form(pilot)
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        assert screen_text(app).count("n: the next client") == 1


async def test_the_lockout_names_its_duration_and_how_to_lift_it(make_app, db) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for password in ["wrong-password"] * 5 + [world.PASSWORD]:  # the right one comes too late
            await settle(pilot)
            await type_text(pilot, "operator")
            await pilot.press("enter")
            await type_text(pilot, password)
            await pilot.press("enter")
            await settle(pilot)
            if password != world.PASSWORD:
                app.screen.restart()
        text = " ".join(screen_text(app).split())
        assert "wait 15 min" in text, text
        assert "crm users passwd LOGIN" in text, text
