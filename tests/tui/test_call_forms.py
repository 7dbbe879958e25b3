"""The result form and its dialogs: unavailable results and reasons say WHY; dates are checked with
clear messages and the typed text stays; a full slot refreshes the calendar and keeps the form; a
dead store keeps the result for another Ctrl+S (saved once); K14 asks before a chosen result is
changed; C11 only in a card-product conversation; nothing unmasked on screen."""

from __future__ import annotations

from core.errors import StoreUnavailable
from core.settings import Settings
from tests.tui import call_world, world
from tests.tui.call_world import (
    THU_12,
    THU_1230,
    add_slot,
    calls,
    count_calls,
    fill_slot,
    slot,
)
from tests.tui.conftest import SIZE, flat, screen_text, settle, status, type_text, until
from tests.tui.test_call_flow import DEPOSIT_ROW, in_form, press, saved, take_next
from tui.app import CrmApp
from tui.dialogs.call_result import ResultDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.credit_bureau import CreditBureauDialog
from tui.dialogs.office_picker import OfficePickerDialog
from tui.dialogs.outcome import OutcomeDialog
from tui.dialogs.slot_calendar import SlotCalendarDialog

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


class FlakyConsole:
    """A signed-in console whose store dies for the first `failures` saves."""

    def __init__(self, inner, failures: int = 1) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.failures = failures
        self.keys: list[str | None] = []

    def save_call(self, call, idempotency_key=None):  # type: ignore[no-untyped-def]
        self.keys.append(idempotency_key)
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("The server does not answer (timed out).")
        return self.inner.save_call(call, idempotency_key)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.inner, name)


def flaky_app(db, login: str = "operator"):  # type: ignore[no-untyped-def]
    console = FlakyConsole(world.signed_in(db, login))
    app = CrmApp(
        Settings(database="unused", lang="en"),
        console_factory=lambda: console,
        clock=console.inner.clock,
        employee=console.inner.whoami(),
        plain=False,
    )
    return app, console


# --- why not -----------------------------------------------------------------------------------------


async def test_unavailable_outcomes_and_results_say_why(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)  # Петрова: no Agreed in the last 14 days
        outcomes = app.screen.query_one("#outcomes")
        consultation = outcomes.choice("consultation")
        assert not consultation.available
        assert consultation.why == "Only when an Agreed result was saved for this client in the last 14 days."
        assert outcomes.choice("visit_to_client").why == "Only SME staff may use this."
        assert "Only when an Agreed result was saved for this client" in screen_text(app)
        await press(pilot, "5")  # greyed: cannot be chosen
        assert isinstance(app.screen, OutcomeDialog)
        assert "Consultation: Only when an Agreed result" in status(app)
        await press(pilot, "3", "1", "1", "r")  # talking about the offer; the result form
        form = await in_form(pilot)
        results = form.query_one("#results")
        assert results.choice("refused").why == "Make 2 objection-handling attempts first (0 of 2 made)."
        assert results.choice("changed_visit_date").why == "Your role may not change visit dates."
        assert (
            results.choice("card_product").why == "Only when the Halva instalment card is among the offered products."
        )
        assert results.choice("callback").available and results.choice("agreed").available
        assert "Your role may not change" in screen_text(app)


async def test_before_talking_the_conversation_results_say_so(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)
        await press(pilot, "escape", "r")  # no outcome yet: straight to the form
        form = await in_form(pilot)
        results = form.query_one("#results")
        for code in ("callback", "non_target", "think", "refused", "agreed"):
            assert results.choice(code).why == "Only after talking to the client or a third party.", code
        assert results.choice("not_reached").available and results.choice("do_not_disturb").available


async def test_the_russian_form_says_why_in_russian(make_app) -> None:
    app = make_app("operator", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: type(app.screen).__name__ == "CallsScreen" and bool(app.screen.lists))
        await press(pilot, "down", "enter")
        await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
        outcomes = app.screen.query_one("#outcomes")
        assert outcomes.choice("consultation").why.startswith("Только если")
        assert outcomes.choice("not_reached").label == "Не дозвонились"
        await press(pilot, "3", "1", "1", "r")
        form = await in_form(pilot)
        assert form.query_one("#results").choice("refused").why == (
            "Сначала проведите 2 попытки работы с возражениями (сделано 0 из 2)."
        )


# --- dates ---------------------------------------------------------------------------------------------


async def test_an_impossible_date_is_refused_with_a_message_and_the_text_stays(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "2")  # call back
        form = await in_form(pilot)
        await press(pilot, "home", "ctrl+k")
        await type_text(pilot, "31.02.2025")
        await press(pilot, "ctrl+s")
        assert status(app) == "There is no such date: 31.02.2025."
        assert form.query_one("#next-date").value == "31.02.2025"
        assert app.focused.id == "next-date"
        await press(pilot, "home", "ctrl+k")
        await type_text(pilot, "12/3/2025")
        await press(pilot, "tab", "home", "ctrl+k")
        await type_text(pilot, "25:00")
        await press(pilot, "ctrl+s")
        assert status(app) == "There is no such time: 25:00."
        assert app.focused.id == "next-time"
        await press(pilot, "home", "ctrl+k")
        await type_text(pilot, "9.15")
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert row.next_at.strftime("%d.%m.%Y %H:%M") == "12.03.2025 06:15"  # 09:15 in Moscow


async def test_a_date_in_the_past_is_refused_by_core_and_the_form_stays(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)
        await press(pilot, "3", "1", "2")
        form = await in_form(pilot)
        await press(pilot, "home", "ctrl+k")
        await type_text(pilot, "01.03.2025")
        form.query_one("#comment").focus()
        await type_text(pilot, "after the holidays")
        await press(pilot, "ctrl+s")
        assert status(app) == "The next call must be in the future."
        assert app.focused.id == "next-date"
        assert isinstance(app.screen, ResultDialog)
        assert form.query_one("#comment").value == "after the holidays"
        assert count_calls(db) == 123  # nothing new saved (120 + 3 in the fixed world)


# --- a full slot, a dead store -----------------------------------------------------------------------------


async def test_slot_full_refreshes_the_calendar_and_keeps_everything_typed(make_app, db) -> None:
    add_slot(db, THU_1230)
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1", "enter")
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        await type_text(pilot, "тверская")
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SlotCalendarDialog) and app.screen.day is not None)
        await press(pilot, "right", "right", "right", "down", "down", "enter")  # Thu 12:00 (over 11:30, full)
        form = await in_form(pilot)
        assert form.session.draft.slot.starts_at == THU_12 and len(form.session.products) == 1
        form.query_one("#comment").focus()
        await type_text(pilot, "prefers the morning")
        fill_slot(db, THU_12)  # another operator books the last place meanwhile
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SlotCalendarDialog) and app.screen.day is not None)
        calendar = app.screen
        assert status(app) == "This time is full; choose another time."
        assert not calendar.query_one("#slots").choice(str(slot(db, THU_12).id)).available
        assert "12:00 full: 5 of 5 booked" in flat(screen_text(app))
        assert calendar.query_one("#slots").highlighted_choice.value == str(slot(db, THU_1230).id)
        await press(pilot, "enter")  # the nearest free time: 12:30, not the day's first (11:00)
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#comment").value == "prefers the morning"
        assert form.session.draft.slot.starts_at == THU_1230 and len(form.session.products) == 1
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.IVANOV)[0]
        assert row.visit_at.replace(tzinfo=None) == THU_1230.replace(tzinfo=None)
        assert row.comment == "prefers the morning"
        assert slot(db, THU_1230).booked == 1


async def test_a_dead_store_keeps_the_result_and_ctrl_s_saves_it_once(db) -> None:
    app, console = flaky_app(db)
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "2")
        form = await in_form(pilot)
        await press(pilot, "ctrl+s")
        assert "Not saved: The server does not answer (timed out)." in status(app)
        assert "Ctrl+S tries again" in status(app)
        assert isinstance(app.screen, ResultDialog) and form.session.draft.result == "callback"
        await press(pilot, "escape")  # even closing the form keeps it
        assert "not saved yet" in status(app)
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        assert len(console.keys) == 2 and console.keys[0] == console.keys[1]  # the same call, the same key
        assert [r.result for r in calls(db, world.PETROVA)] == ["callback"]


# --- K14: changing the result chosen earlier ----------------------------------------------------------------


async def test_stepping_back_over_a_result_asks_first(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "2")  # Call back chosen by the script
        await in_form(pilot)
        await press(pilot, "escape", "backspace")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Change the result chosen earlier?" in screen_text(app)
        assert "Chosen earlier: Call back" in flat(screen_text(app))
        await press(pilot, "n")  # cancel: all stays
        assert app.screen is call
        assert call.session.draft.result == "callback" and call.session.run.finished
        await press(pilot, "backspace", "y")
        assert call.session.draft.result is None and call.session.run.current == "intro"
        assert "Вам удобно сейчас говорить?" in flat(screen_text(app))
        await press(pilot, "backspace")  # an answer that chose no result: no question
        assert app.screen is call and call.session.run.current == "greeting"


async def test_another_outcome_over_a_chosen_result_asks_first(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "1")
        await in_form(pilot)
        await press(pilot, "escape", "o", "2")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await press(pilot, "y")
        await in_form(pilot)
        assert call.session.draft.result == "call_dropped"


# --- C11, masking, leaving ---------------------------------------------------------------------------------


async def test_credit_bureau_only_in_a_card_product_conversation(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "1", "ctrl+s")  # Петрова: not reached, no answer...
        await press(pilot, "down", "enter", "ctrl+s")
        await saved(pilot, call)
        await press(pilot, "n")  # ... then Иванов, with a passport
        await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
        call = app.screen_stack[-2]
        await press(pilot, "3", "k")
        assert status(app) == "The credit-bureau check is offered only while talking about a card product."
        await press(pilot, "1", "1", "k")  # the Halva offer
        await until(pilot, lambda: isinstance(app.screen, CreditBureauDialog))
        dialog = app.screen
        assert dialog.query_one("#bureau-series").value == "4510"
        assert dialog.query_one("#bureau-birth").value == "17.05.1980"
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: dialog.decision is not None)
        assert "Pre-decision: " in screen_text(app)
        await press(pilot, "escape")
        assert call.session.decision is not None
        assert f"Bureau: {call.session.decision.label}" in screen_text(app)


async def test_nothing_unmasked_on_the_call_screens(make_app) -> None:
    app = make_app("operator")  # may not see contact data
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        assert "Phone: +7 ••• •••-••-" in screen_text(app)  # masked, not the word "Call"
        await press(pilot, "3", "1", "1", "1")
        await in_form(pilot)
        for text in (screen_text(app), str(call.query_one("#call-client").content)):
            assert "912" not in text and "345-67-89" not in text


async def test_leaving_an_unsaved_call_asks_and_help_names_the_keys(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "escape", "f1")
        assert "Help: Call" in screen_text(app)
        assert "Backspace steps back" in app.screen.screen_help
        assert ("o", "Outcome") in app.screen.keys and ("^s", "Save") in app.screen.keys
        await press(pilot, "escape", "escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Leave the call without saving a result?" in screen_text(app)
        await press(pilot, "n")
        assert app.screen is call
        await press(pilot, "escape", "y")
        await until(pilot, lambda: type(app.screen).__name__ == "CallsScreen")
