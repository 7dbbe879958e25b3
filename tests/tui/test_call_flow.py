"""K1-K16, O1-O4: whole calls, keyboard only, at 80x24 — from the Calls place (F3: the next client
of a list, due call-backs first) through the outcome, the script and the result form to the
saved history entry; after saving, one key takes the next client of the same list."""

from __future__ import annotations

from datetime import timedelta

from tests.tui import call_world, world
from tests.tui.call_steps import DEPOSIT_ROW, in_form, press, saved, take_next
from tests.tui.call_world import (
    DEPOSIT,
    THU_11,
    THU_1130,
    TODAY_15,
    calls,
    do_not_disturb,
    member,
    slot,
    visit_sms,
)
from tests.tui.conftest import SIZE, flat, screen_text, settle, status, type_text, until
from tui.dialogs.office_picker import OfficePickerDialog
from tui.dialogs.outcome import OutcomeDialog
from tui.dialogs.products import ProductsDialog
from tui.dialogs.slot_calendar import SlotCalendarDialog
from tui.screens.call import CallScreen
from tui.screens.calls import CallsScreen

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world

T0 = world.T0
# --- K16: the lists and the next client --------------------------------------------------------------


async def test_calls_place_lists_campaigns_with_counts(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, CallsScreen) and bool(app.screen.lists))
        text = screen_text(app)
        assert "Campaign call lists" in text
        halva = next(line for line in text.splitlines() if "Halva cross-sell" in line)
        assert halva.split()[-3:] == ["1", "3", "0"]  # one due call-back, three new, no retries
        assert "5 clients to call now." in text


async def test_the_due_call_back_comes_first_and_n_takes_the_next_client(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        assert call.session.card.id == world.PETROVA  # the due call-back before the new numbers
        await press(pilot, "2")  # Call dropped: no fields
        await in_form(pilot)
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        assert "Saved: Call dropped" in screen_text(app)
        await press(pilot, "n")
        await until(pilot, lambda: isinstance(app.screen, OutcomeDialog))
        nxt = app.screen_stack[-2]
        assert isinstance(nxt, CallScreen) and nxt is not call
        assert nxt.session.card.id == world.IVANOV
        assert [r.result for r in calls(db, world.PETROVA)] == ["call_dropped"]
        assert member(db, world.PETROVA).state == "retry"


# --- one whole call per result ------------------------------------------------------------------------


async def test_not_reached_with_its_reason(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "1")  # Not reached
        form = await in_form(pilot)
        assert app.focused.id == "reasons"
        assert "Answering machine" in screen_text(app) and "Fax / modem" in flat(screen_text(app))
        await press(pilot, "down", "down", "enter")  # No answer
        assert form.session.draft.reason == "no_answer"
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("not_reached", "no_answer")
        assert "Saved: Not reached · No answer" in screen_text(app)


async def test_call_back_with_the_default_date_tomorrow(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "2")  # Reached; the client; "call me later" -> Call back, client's request
        form = await in_form(pilot)
        assert form.query_one("#next-date").value == "11.03.2025"
        assert form.query_one("#next-time").value == "12:00"
        assert app.focused.id == "next-date"
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("callback", "client_request")
        assert row.next_at.replace(tzinfo=None) == (T0 + timedelta(days=1)).replace(tzinfo=None)
        assert call.session.saved.next_at == T0 + timedelta(days=1)  # in the history entry at once
        assert member(db, world.PETROVA).state == "callback"
        assert "next call 11.03.2025 12:00" in screen_text(app)


async def test_call_back_will_call_himself_is_two_weeks(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "5")  # the offer: "will call himself when he decides"
        form = await in_form(pilot)
        assert form.query_one("#preset").value is True
        assert form.query_one("#next-date").value == "24.03.2025"
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason, row.comment) == ("callback", "client_request", "Client will call himself")


async def test_think_is_two_weeks_after_the_contact(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "2")  # the offer: "needs to think"
        form = await in_form(pilot)
        assert (form.query_one("#next-date").value, form.query_one("#next-time").value) == ("24.03.2025", "12:00")
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert row.result == "think"
        assert row.next_at.replace(tzinfo=None) == (T0 + timedelta(days=14)).replace(tzinfo=None)


async def test_refused_after_two_objection_blocks_of_the_script(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "3", "2", "2")  # not interested -> objection 1 -> objection 2 -> refusal
        await in_form(pilot)
        assert call.session.objection_attempts == 2
        assert app.focused.id == "reasons"  # the script gave no reason: choose one
        await press(pilot, "down", "enter", "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("refused", "no_need")
        assert member(db, world.PETROVA).state == "done"


async def test_refused_after_two_attempts_from_the_objection_bank(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "r")  # at the offer, the result form
        form = await in_form(pilot)
        refused = form.query_one("#results").choice("refused")
        assert not refused.available and "(0 of 2 made)" in refused.why
        await press(pilot, "escape", "b")
        await until(pilot, lambda: type(app.screen).__name__ == "ObjectionBankDialog")
        assert "Мне не нужна карта" in screen_text(app)
        await press(pilot, "enter", "b", "down", "enter")
        assert call.session.objection_attempts == 2
        assert "Objection-handling attempt recorded (2 made)." in status(app)
        await press(pilot, "r")
        form = await in_form(pilot)
        assert form.query_one("#results").choice("refused").available
        await press(pilot, *["down"] * 6)  # down to Refused: the highlight alone chooses nothing (K14)
        assert form.query_one("#results").highlighted_choice.value == "refused"
        assert form.session.draft.result is None
        await press(pilot, "enter", "down", "down", "down", "enter", "ctrl+s")  # -> its reasons: Uses another bank
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("refused", "other_bank")


async def test_non_target_with_the_reason_from_the_script(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "4", "1")  # does not fit -> age
        await in_form(pilot)
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("non_target", "age")


async def test_do_not_disturb_takes_the_client_off_every_list(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "4")
        form = await in_form(pilot)
        sme = form.query_one("#reasons").choice("business_not_conducted")
        assert not sme.available and sme.why == "Only SME staff may use this."
        assert "Only SME staff may use this." in screen_text(app)
        await press(pilot, *["down"] * 5, "enter")  # Refused the conversation
        assert form.session.draft.reason == "refused_conversation"
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        assert do_not_disturb(db, world.PETROVA)
        assert calls(db, world.PETROVA)[0].result == "do_not_disturb"


async def test_consultation_when_an_agreed_was_saved_in_the_last_14_days(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        assert call.session.card.id == world.IVANOV  # Agreed 8 days ago
        assert app.screen.query_one("#outcomes").choice("consultation").available
        await press(pilot, "5")
        await in_form(pilot)
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        assert calls(db, world.IVANOV)[0].result == "consultation"
        assert member(db, world.IVANOV, DEPOSIT).state == "done"


async def test_agreed_with_office_slot_products_and_the_visit_sms(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1")  # the client; yes; "book an office visit" -> Agreed
        form = await in_form(pilot)
        assert app.focused.id == "choose-office"
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        assert "3 of 3 offices." in status(app)  # Москва, Москва from the card
        await type_text(pilot, "пушк")  # м. Пушкинская: only «Тверская» is near
        await settle(pilot)
        assert [o.name for o in app.screen.shown] == ["Офис «Тверская»"]
        assert "Nearby: м. Тверская, м. Пушкинская" in flat(screen_text(app))
        await press(pilot, "enter")  # the one office: its calendar
        await until(pilot, lambda: isinstance(app.screen, SlotCalendarDialog) and app.screen.day is not None)
        calendar = app.screen
        assert "Mon 10.03.2025" in screen_text(app)  # today: 15:00 is still free
        await press(pilot, "right", "right", "right")
        text = flat(screen_text(app))
        assert "Thu 13.03.2025" in text
        assert "11:00 5 of 5 places free" in text and "11:30 full: 5 of 5 booked" in text
        assert not calendar.query_one("#slots").choice(str(slot(db, THU_1130).id)).available  # full: not selectable
        await press(pilot, "enter")  # 11:00
        await until(pilot, lambda: app.screen is form)
        assert form.session.draft.slot.starts_at == THU_11
        assert form.query_one("#sms-send").value is True  # not today: ticked
        assert form.query_one("#sms-number").value == ""  # the operator does not see the mobile ...
        assert "hidden" in form.query_one("#sms-number").placeholder  # ... but it is used
        assert form.session.product_names() == ["Best-rate deposit"]  # the campaign's own, by default
        assert app.focused.id == "save"
        await press(pilot, "f7")
        await until(pilot, lambda: isinstance(app.screen, ProductsDialog))
        await press(pilot, "down", "space", "ctrl+s")  # and the campaign's second deposit
        await until(pilot, lambda: app.screen is form)
        assert len(form.session.products) == 2
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.IVANOV)[0]
        assert row.result == "agreed" and row.visit_at.replace(tzinfo=None) == THU_11.replace(tzinfo=None)
        assert slot(db, THU_11).booked == 1
        sms = visit_sms(db)
        assert len(sms) == 1
        assert sms[0].to == "+79123456789"  # the card's mobile
        assert sms[0].send_after.replace(tzinfo=None) == (THU_11 - timedelta(days=1) - timedelta(hours=1)).replace(
            tzinfo=None
        )
        assert "13.03.2025" in sms[0].text and "Тверская" in sms[0].text
        assert "Saved: Agreed · Офис «Тверская»" in screen_text(app)


async def test_agreed_today_does_not_tick_the_sms_and_the_number_is_editable(make_app, db) -> None:
    app = make_app("boss")  # sees the mobile: prefilled
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1", "enter")
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        await type_text(pilot, "тверская")
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SlotCalendarDialog) and app.screen.day is not None)
        await press(pilot, "enter")  # today 15:00
        form = await in_form(pilot)
        assert form.session.draft.slot.starts_at == TODAY_15
        assert form.query_one("#sms-send").value is False
        assert str(form.query_one("#sms-note").content) == "The visit is today: no SMS unless you tick it."
        assert form.query_one("#sms-number").value == "+7 912 345-67-89"
        form.query_one("#sms-send").focus()
        await press(pilot, "space")  # the client asks for it after all
        number = form.query_one("#sms-number")
        number.focus()
        await press(pilot, "home", "ctrl+k")
        await type_text(pilot, "8 999 111-22-33")
        await press(pilot, "ctrl+s")  # the campaign's own product is offered by default
        await saved(pilot, call)
        sms = visit_sms(db)
        assert [(s.to, s.send_after) for s in sms] == [("+79991112233", None)]  # today: at once, to the typed number


async def test_card_product_with_delivery_only_while_the_halva_card_is_offered(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot)
        await press(pilot, "3", "1", "1", "1", "1")  # interested -> delivery to work
        form = await in_form(pilot)
        await until(pilot, lambda: form.session.option("card_product").available)  # Halva, offered by default
        assert form.session.product_names() == ["Halva instalment card"]
        await press(pilot, "f7")
        await until(pilot, lambda: isinstance(app.screen, ProductsDialog))
        await press(pilot, "space", "down", "space", "ctrl+s")  # Halva off, the credit card on: a card, not Halva
        await until(pilot, lambda: app.screen is form and not form.session.option("card_product").available)
        head = str(form.query_one("#result-why").content)
        assert head == "Card product (Halva): Only when the Halva instalment card is among the offered products."
        assert "Card product (Halva): Only when the" in screen_text(app)
        await press(pilot, "f7")
        await until(pilot, lambda: isinstance(app.screen, ProductsDialog))
        await press(pilot, "space", "down", "space", "ctrl+s")  # ★ Halva instalment card again, the credit card off
        await until(pilot, lambda: app.screen is form and form.session.option("card_product").available)
        assert "Delivery" in screen_text(app)
        assert form.session.draft.reason == "dsm_delivery"
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        row = calls(db, world.PETROVA)[0]
        assert (row.result, row.reason) == ("card_product", "dsm_delivery")
        assert call.session.saved.products == ["Halva instalment card"]
