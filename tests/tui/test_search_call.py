"""S5 in the search list: a masked phone reads "Call …89" (digits hidden) and d calls the client
from the list, by the phone's id; an employee who sees numbers sees them and calls the same way."""

from __future__ import annotations

from tests.tui import call_world, world
from tests.tui.call_steps import press
from tests.tui.call_world import calls
from tests.tui.conftest import SIZE, screen_text, settle, type_text, until
from tui.dialogs.outcome import OutcomeDialog
from tui.screens.call import CallScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await type_text(pilot, text)
    await press(pilot, "enter")  # search; the results take the focus


async def _call_from_list(app, pilot) -> CallScreen:  # type: ignore[no-untyped-def]
    from tui.dialogs.campaign_pick import CampaignPickDialog

    await press(pilot, "d")
    await until(pilot, lambda: isinstance(app.screen, CampaignPickDialog))
    await press(pilot, "enter")  # the first of the client's campaigns
    await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
    call = app.screen_stack[-2]
    assert isinstance(call, CallScreen) and call.session.card.id == world.IVANOV
    return call


async def test_masked_phone_reads_call_and_d_calls_from_the_list(make_app, db) -> None:
    app = make_app("operator")  # the operator's role has no view_contacts: phones masked
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "Иванов")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "results")
        text = screen_text(app)
        assert "Call …89" in text and "912" not in text and "345" not in text
        assert "d Call" in " ".join(text.split())  # the key line names the key
        call = await _call_from_list(app, pilot)
        assert call.session.start.phone is not None and "912" not in call.session.start.phone
        await press(pilot, "2", "ctrl+s")  # Call dropped, saved
        await until(pilot, lambda: bool(calls(db, world.IVANOV)))
        assert calls(db, world.IVANOV)[0].phone == "+79123456789"  # the server dialled the real number


async def test_plain_and_russian_call_text(make_app, db) -> None:
    app = make_app("operator", lang="ru", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "Иванов")
        await until(pilot, lambda: "Звонок ..89" in screen_text(app))


async def test_unmasked_employee_sees_the_number_and_calls_the_same_way(make_app, db) -> None:
    app = make_app("office")  # view_contacts: numbers shown
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "Иванов")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "results")
        text = screen_text(app)
        assert "+7 912 345-67-89" in text and "Call …" not in text
        await _call_from_list(app, pilot)


async def test_typing_on_the_results_still_goes_to_the_search_line(make_app, db) -> None:
    app = make_app("office")
    async with app.run_test(size=SIZE) as pilot:
        await _search(pilot, "Иванов")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "results")
        await type_text(pilot, "x")  # a letter other than d: a new search
        await until(pilot, lambda: app.focused is not None and app.focused.id == "query")
        assert app.screen.query_one("#query").value.endswith("x")
