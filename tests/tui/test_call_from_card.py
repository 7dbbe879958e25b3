"""A call started from the card, in the console (K16, C16)."""

from __future__ import annotations

from tests.tui import call_world, world
from tests.tui.call_world import (
    calls,
)
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tui.dialogs.call_result import ResultDialog
from tui.dialogs.outcome import OutcomeDialog
from tui.screens.call import CallScreen
from tui.screens.calls import CallsScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world

T0 = world.T0
HALVA_ROW, DEPOSIT_ROW = 1, 0  # the lists are sorted by name: Deposit retention, Halva cross-sell, Halva spring


async def take_next(pilot, row: int = HALVA_ROW) -> CallScreen:  # type: ignore[no-untyped-def]
    """F3, the list, Enter: the next client's call starts with the outcome question."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("f3")
    await until(pilot, lambda: isinstance(app.screen, CallsScreen) and bool(app.screen.lists), "the call lists")
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, OutcomeDialog), "the outcome question")
    screen = app.screen_stack[-2]
    assert isinstance(screen, CallScreen)
    return screen


async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def in_form(pilot) -> ResultDialog:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: isinstance(pilot.app.screen, ResultDialog) and bool(pilot.app.screen.session.options))
    return pilot.app.screen


async def saved(pilot, call: CallScreen) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: call.session.saved is not None and pilot.app.screen is call, "the call saved")


# --- from the card ------------------------------------------------------------------------------------------


async def test_from_the_card_d_starts_a_call_in_the_campaign_chosen(make_app, db) -> None:
    from tui.dialogs.campaign_pick import CampaignPickDialog
    from tui.screens.card import CardScreen

    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "Иванов")
        await press(pilot, "enter", "enter")  # search, then open the first card
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        card = app.screen
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, CampaignPickDialog))
        listing = app.screen.query_one("#campaigns")
        assert [(c.label, c.note) for c in listing.choices] == [
            ("Deposit retention", "new on the list"),
            ("Halva cross-sell", "new on the list"),
        ]
        assert "Halva cross-sell" in screen_text(app)
        await press(pilot, "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
        call = app.screen_stack[-2]
        assert isinstance(call, CallScreen) and call.session.start.campaign == "Halva cross-sell"
        await press(pilot, "2", "ctrl+s")
        await saved(pilot, call)
        await press(pilot, "escape")
        await until(pilot, lambda: app.screen is card and card.history and card.history[0].result == "call_dropped")
        assert calls(db, world.IVANOV)[0].result == "call_dropped"


async def test_visit_to_client_by_sme_staff_with_its_date(make_app, db) -> None:
    from storage.users import add_employee

    add_employee(db, "smeuser", "Лебедев Олег Ильич", world.PASSWORD, "sme", ["Main desk"], "+79001000009", T0)
    app = make_app("smeuser")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        assert app.screen.query_one("#outcomes").choice("visit_to_client").available
        await press(pilot, "6")  # Visit to client
        form = await in_form(pilot)
        assert app.focused.id == "visit-date"
        await type_text(pilot, "12.03.2025")
        await press(pilot, "tab")
        await type_text(pilot, "11:00")
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert row.result == "visit_to_client"
        assert row.visit_at is not None and row.visit_at.strftime("%d.%m.%Y") == "12.03.2025"
        assert form.session.saved is not None
