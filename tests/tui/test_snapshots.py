"""Snapshots of the main screens at 80x24, English and Russian (fixed clock, fixed data).

Update after an intended change of the look: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui import world
from tests.tui.conftest import SIZE, settle, type_text, until
from tui.screens.card import CardScreen


def steady(pilot: Pilot) -> None:
    """No blinking cursor in a picture."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


async def signed_out(pilot: Pilot) -> None:
    await settle(pilot)
    await type_text(pilot, "operator")
    steady(pilot)
    await settle(pilot)


async def results(pilot: Pilot) -> None:
    await settle(pilot)
    await type_text(pilot, "и")
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.screen.focused.id == "results")
    steady(pilot)


def card(tab_key: str | None = None):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.open_card(world.IVANOV)
        await until(pilot, lambda: isinstance(pilot.app.screen, CardScreen) and pilot.app.screen.card is not None)
        if tab_key:
            await pilot.press(tab_key)
            await settle(pilot)
        steady(pilot)

    return run


async def questionnaire(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f4")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "NewClientScreen")
    await type_text(pilot, "Орлова")
    steady(pilot)
    await settle(pilot)


async def help_on_search(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f1")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpDialog")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_sign_in(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app(lang=lang), terminal_size=SIZE, run_before=signed_out)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_search_results(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("operator", lang=lang), terminal_size=SIZE, run_before=results)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_card_personal_data_masked(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("operator", lang=lang), terminal_size=SIZE, run_before=card())


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_card_history(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("boss", lang=lang), terminal_size=SIZE, run_before=card("3"))


def test_card_sms(snap_compare, make_app) -> None:
    assert snap_compare(make_app("operator"), terminal_size=SIZE, run_before=card("2"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_new_client(snap_compare, make_app, lang: str) -> None:
    assert snap_compare(make_app("operator", lang=lang), terminal_size=SIZE, run_before=questionnaire)


def test_help(snap_compare, make_app) -> None:
    assert snap_compare(make_app("operator"), terminal_size=SIZE, run_before=help_on_search)


def test_card_on_a_16_colour_terminal(snap_compare, make_app) -> None:
    assert snap_compare(make_app("boss", plain=True), terminal_size=SIZE, run_before=card())
