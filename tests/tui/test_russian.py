"""The Russian console says everything in Russian: the palette, the Ctrl+C hint, result codes, the
call's help title, the campaign under its script's Russian name."""

from __future__ import annotations

from textual.command import CommandPalette

from tests.tui import call_world, world
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tests.tui.test_call_flow import take_next
from tui import format as fmt
from tui.dialogs.help import HelpDialog
from tui.screens.card import CardScreen

call_template, db = call_world.call_template, call_world.db


async def test_palette_and_ctrl_c_speak_russian(make_app) -> None:
    app = make_app("operator", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: bool(app._notifications), "a notification")
        (note,) = list(app._notifications)
        assert note.message == "Выход из консоли — клавиша ^q." and note.title == "Хотите выйти?"
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "zzzz")
        await until(pilot, lambda: "Ничего не найдено" in screen_text(app), "no matches, in Russian")
        assert "No matches" not in screen_text(app)


def test_result_codes_of_the_history_are_translated() -> None:
    from tui.i18n import set_language

    set_language("ru")
    assert fmt.result("visited") == "Посетил офис"


async def test_the_call_shows_the_scripts_russian_name_and_its_own_help_title(make_app) -> None:
    app = make_app("operator", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await pilot.press("3")
        await until(pilot, lambda: app.screen is call)
        script = call.session.start.script
        assert script is not None and script.name
        assert f"Кампания: {script.name}" in " ".join(screen_text(app).split())
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpDialog))
        text = screen_text(app)
        assert "Справка: Звонок" in text and "Справка: Позвонить" not in text


async def test_the_campaign_picker_names_each_campaign_by_its_scripts_russian_name(make_app, db) -> None:
    from tests.tui.test_call_keys import open_card
    from tui.dialogs.campaign_pick import CampaignPickDialog

    app = make_app("operator", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "Иванов")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, CampaignPickDialog))
        shown = [choice.label for choice in app.screen.query_one("#campaigns").choices]
        wanted = [fmt.campaign(c.name, c.script_name) for c in app.screen.campaigns]
        assert shown == wanted and all(c.script_name for c in app.screen.campaigns)
        assert "Deposit retention" not in screen_text(app) and "Halva cross-sell" not in screen_text(app)
