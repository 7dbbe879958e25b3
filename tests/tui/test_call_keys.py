"""Keys of the call flow (issue 17): every numbered list binds its numbers and what is highlighted
is what is chosen; moving the highlight never changes the chosen result (K14); the result form has
no hidden tab stop; greyed rows take the cursor and say why; and the short flows — a result with
its reason in three keys from the form — counted key by key."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox, Input

from tests.tui import call_world, world
from tests.tui.call_world import TODAY_15, calls, campaign_id
from tests.tui.conftest import SIZE, flat, screen_text, settle, status, type_text, until
from tests.tui.test_call_flow import DEPOSIT_ROW, in_form, press, saved, take_next
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.outcome import OutcomeDialog
from tui.screens.call import CallScreen
from tui.widgets.choice_list import ChoiceList

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


async def open_card(pilot, name: str):  # type: ignore[no-untyped-def]
    from tui.screens.card import CardScreen

    app = pilot.app
    await settle(pilot)
    await type_text(pilot, name)
    await press(pilot, "enter", "enter")  # search, then open the first card
    await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
    return app.screen


# --- defect 1: numbered lists bind their numbers --------------------------------------------------------


async def test_two_then_enter_in_the_campaign_picker_calls_and_saves_under_campaign_two(make_app, db) -> None:
    from tui.dialogs.campaign_pick import CampaignPickDialog

    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, "Иванов")
        await press(pilot, "d")
        await until(pilot, lambda: isinstance(app.screen, CampaignPickDialog))
        assert "1 Deposit retention" in screen_text(app) and "2 Halva cross-sell" in screen_text(app)
        await pilot.press("2", "enter")  # the operator's habit: the number, then Enter
        await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
        call = app.screen_stack[-2]
        assert isinstance(call, CallScreen) and call.session.start.campaign == "Halva cross-sell"
        assert call.session.draft.result is None  # the Enter chose no outcome by itself
        await press(pilot, "2", "ctrl+s")  # Call dropped
        await saved(pilot, call)
        assert calls(db, world.IVANOV)[0].campaign_id == campaign_id(db, call_world.HALVA)


async def test_the_objection_bank_binds_its_numbers(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "b")  # at the Halva offer, the bank
        await until(pilot, lambda: type(app.screen).__name__ == "ObjectionBankDialog")
        codes = [c.value for c in app.screen.query_one("#objections").choices]
        await press(pilot, "2")
        assert app.screen is call and list(call.session.run.objections_used) == [codes[1]]


# --- defect 2: K14 in the result form -------------------------------------------------------------------------


async def test_moving_the_highlight_keeps_the_result_and_a_change_asks_first(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1")  # the script chooses Agreed
        form = await in_form(pilot)
        results = form.query_one("#results")
        results.focus()
        await press(pilot, "up", "up")  # over Refused (greyed) to Will think about it
        assert results.highlighted_choice.value == "think"
        assert form.session.draft.result == "agreed"  # the highlight alone changes nothing
        await press(pilot, "enter")  # choosing another one: asks
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Change the result chosen earlier?" in screen_text(app)
        assert "Chosen earlier: Agreed" in flat(screen_text(app))
        await press(pilot, "n")
        assert app.screen is form and form.session.draft.result == "agreed"
        assert results.chosen == "agreed" and status(app) == "The result chosen earlier stays."
        results.focus()
        await press(pilot, "3")  # Call back, by its key: asks too
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await press(pilot, "y")
        assert app.screen is form and form.session.draft.result == "callback"
        assert results.chosen == "callback" and app.focused is form.query_one("#reasons")


# --- defect 6 and 10: no hidden tab stop; the reason's message clears; greyed rows take the cursor --------


async def test_tab_visits_only_fields_and_the_reason_message_clears(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)
        await press(pilot, "1")  # Not reached: its reasons
        form = await in_form(pilot)
        stops = []
        for _ in range(12):
            await press(pilot, "tab")
            stops.append(app.focused)
        assert [w for w in stops if not isinstance(w, (ChoiceList, Input, Checkbox, Button))] == []
        assert {"results", "reasons", "comment", "save", "cancel"} <= {w.id for w in stops}
        form.query_one("#reasons").focus()
        await press(pilot, "ctrl+s")
        assert status(app) == "Choose a reason."
        await press(pilot, "2")  # No answer
        assert form.session.draft.reason == "no_answer"
        assert "Choose a reason." not in status(app)


async def test_greyed_results_take_the_cursor_and_say_why(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)
        await press(pilot, "escape", "r")  # the form before talking
        form = await in_form(pilot)
        results = form.query_one("#results")
        assert app.focused is results
        await press(pilot, "down", "down", "down")
        assert results.highlighted_choice.value == "callback"  # greyed, yet reached
        await press(pilot, "enter")
        assert form.session.draft.result is None
        assert status(app).startswith("Call back: ")
        await press(pilot, "end")
        last = results.highlighted_choice
        assert last.value == results.choices[-1].value and not last.available
        assert last.why and last.why.split()[0] in flat(screen_text(app))


# --- Fewer keys: a result with its reason in three keys from the form ------------------------------------


@pytest.mark.parametrize(
    ("keys", "result", "reason"),
    [
        (("1", "2", "ctrl+s"), "not_reached", "no_answer"),
        (("3", "3", "ctrl+s"), "callback", "client_request"),
        (("4", "1", "ctrl+s"), "non_target", "age"),
        (("5", "ctrl+s"), "think", None),
        (("0", "5", "ctrl+s"), "do_not_disturb", "refused_conversation"),
    ],
)
async def test_any_result_with_its_reason_in_three_keys(make_app, db, keys, result, reason) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "r")  # Reached, then the result form
        form = await in_form(pilot)
        assert app.focused is form.query_one("#results")
        assert len(keys) <= 3
        await press(pilot, *keys)
        await until(pilot, lambda: call.session.saved is not None or isinstance(app.screen, ConfirmDialog))
        if isinstance(app.screen, ConfirmDialog):
            await press(pilot, "y")  # do not disturb asks before it takes the client off every list
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == (result, reason)
        if result == "callback":
            assert row.next_at is not None  # the default next call is kept


async def test_agreed_with_the_first_free_time_of_the_town_and_the_campaigns_product_in_five_keys(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)  # Иванов, Москва: three offices, one with times
        await press(pilot, "3", "r")  # Reached, then the result form
        form = await in_form(pilot)
        assert app.focused is form.query_one("#results")
        keys = ["7", "enter", "enter", "enter", "enter"]  # Agreed; the office; its calendar; the time; Save
        await press(pilot, *keys)  # each key once the screen it is meant for has come
        await saved(pilot, call)
        row = calls(db, world.IVANOV)[0]
        assert row.result == "agreed" and row.visit_at.replace(tzinfo=None) == TODAY_15.replace(tzinfo=None)
        assert call.session.saved.office == "Офис «Тверская»"  # the town's office with the first free time
        assert call.session.saved.products == ["Best-rate deposit"]  # the campaign's own product
        assert len(keys) <= 5
