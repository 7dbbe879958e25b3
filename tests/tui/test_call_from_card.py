"""A call started from the card, in the console (K16, C16)."""

from __future__ import annotations

from tests.tui import call_world, world
from tests.tui.call_steps import in_form, press, saved, take_next
from tests.tui.call_world import (
    calls,
)
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tui.dialogs.outcome import OutcomeDialog
from tui.screens.call import CallScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world

T0 = world.T0
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
