"""Rules of the bank's manual as the call screens keep them (issue 17): tick boxes that differ in
shape, a do-not-disturb client refused at once from the card, offices in their own time zone,
Card product only for the Halva card, F7 on the campaign's product, the office picker on the nearest
place with offices."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from storage.engine import read, write
from storage.tables import CampaignMemberRow, CampaignRow, ClientRow, ProductRow
from tests.tui import call_world, world
from tests.tui.conftest import SIZE, flat, screen_text, settle, status, until
from tests.tui.test_call_flow import DEPOSIT_ROW, in_form, press, saved, take_next
from tests.tui.test_call_keys import open_card
from tui.dialogs.office_picker import OfficePickerDialog
from tui.dialogs.products import ProductsDialog
from tui.dialogs.slot_calendar import SlotCalendarDialog

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


def product(engine, code: str) -> int:  # type: ignore[no-untyped-def]
    with read(engine) as conn:
        return conn.scalar(select(ProductRow.id).where(ProductRow.code == code))


# --- defect 3: the state of a tick box is in its shape ------------------------------------------------------


async def test_tick_boxes_read_x_or_blank_not_a_shade(make_app) -> None:
    app = make_app("operator", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)
        await press(pilot, "3", "1", "2")  # Call back at the client's request: its preset tick box
        form = await in_form(pilot)
        assert "[ ] Client will call himself" in screen_text(app)
        form.query_one("#preset").focus()
        await press(pilot, "space")
        assert "[x] Client will call himself" in screen_text(app)
        await press(pilot, "escape", "p")
        await until(pilot, lambda: isinstance(app.screen, ProductsDialog))
        await press(pilot, "space")
        rows = [line for line in screen_text(app).splitlines() if "[x] " in line or "[ ] " in line]
        assert len(rows) >= 2 and sum("[x] " in line for line in rows) == 1
        assert "▐" not in screen_text(app) and "▌" not in screen_text(app)


# --- defect 10: a do-not-disturb client says so at once ------------------------------------------------------


async def test_d_on_a_do_not_disturb_card_says_so_at_once(make_app, db) -> None:
    from tui.screens.card import CardScreen

    with write(db) as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == world.IVANOV).values(do_not_disturb=True))
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, "Иванов")
        await press(pilot, "d")
        await settle(pilot)
        assert app.screen is card and isinstance(card, CardScreen)
        assert status(app) == "The client asked not to be disturbed; do not call."


# --- defect 12: the script speaks of the client in the right case -----------------------------------------


async def test_the_greeting_names_the_client_in_the_instrumental(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot)  # Петрова Анна Сергеевна, Halva cross-sell
        await press(pilot, "3")  # Reached: the greeting
        text = " ".join(screen_text(app).split())
        assert "поговорить с Анной Сергеевной?" in text


# --- defect 10: an office in another time zone -----------------------------------------------------------------


async def test_an_omsk_office_shows_its_local_time_and_the_sms_says_it(make_app, db) -> None:
    omsk = call_world.add_office(
        db, "OMS-01", "Офис «Ленина»", "Омская область", "Омск", "ул. Ленина, д. 14", "Asia/Omsk"
    )
    nine_omsk = datetime(2025, 3, 13, 3, 0, tzinfo=UTC)  # Thursday 09:00 in Omsk = 06:00 in Moscow
    call_world.add_slot(db, nine_omsk, "OMS-01")
    call_world.move_client(db, world.IVANOV, "Омская область", "Омск")
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        call = await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1", "enter")  # Agreed; the office choice
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        assert [o.id for o in app.screen.offices] == [omsk]  # the client's town has it
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, SlotCalendarDialog) and app.screen.day is not None)
        text = flat(screen_text(app))
        assert "Times are the office's local time (UTC+6); yours is UTC+3." in text
        assert "Thu 13.03.2025" in text and "09:00 (yours 06:00)" in text
        await press(pilot, "enter")
        form = await in_form(pilot)
        assert "Thu 13.03.2025 09:00 (yours 06:00)" in flat(screen_text(app))
        await press(pilot, "ctrl+s")
        await saved(pilot, call)
        (sms,) = call_world.visit_sms(db)
        assert "09:00" in sms.text and "06:00" not in sms.text
        assert form.session.saved.visit_at == nine_omsk


# --- defect 11: the office picker opens on the nearest place that has offices -----------------------------------


async def test_the_office_picker_opens_on_the_region_when_the_town_has_no_office(make_app, db) -> None:
    call_world.move_client(db, world.IVANOV, "Республика Татарстан", "Набережные Челны")
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1", "enter")
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        picker = app.screen
        assert [o.name for o in picker.offices] == ["Офис «Кремлёвская»"]  # the region's office, no keys
        assert picker.place[1] is None and app.focused.id == "office-keyword"


async def test_the_office_picker_opens_on_every_office_when_the_region_has_none(make_app, db) -> None:
    call_world.move_client(db, world.IVANOV, "Костромская область", "Кострома")
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot, DEPOSIT_ROW)
        await press(pilot, "3", "1", "1", "1", "enter")
        await until(pilot, lambda: isinstance(app.screen, OfficePickerDialog) and bool(app.screen.offices))
        assert len(app.screen.offices) == 5 and app.screen.place == (None, None)


# --- defect 10: F7 opens on the campaign's product --------------------------------------------------------------


async def test_products_open_on_the_campaigns_own_product(make_app, db) -> None:
    with write(db) as conn:
        cash = conn.execute(
            insert(CampaignRow).values(
                code="cash_loan_preapproved", name="Cash loan", script=call_world.SCRIPTS["cash_loan_preapproved"]
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(CampaignMemberRow).values(campaign_id=cash, client_id=world.SIDOROV, state="new", attempts=0)
        )
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await take_next(pilot, 0)  # the lists by name: Cash loan first
        await press(pilot, "3", "p")
        await until(pilot, lambda: isinstance(app.screen, ProductsDialog) and app.screen.category is not None)
        dialog = app.screen
        assert dialog.category == "credit"  # the cash loan's, not Life insurance's "commission"
        listing = dialog.query_one("#product-list")
        assert listing.get_option_at_index(listing.highlighted).value == product(db, "cash_loan")
        await press(pilot, "space", "ctrl+s")
        assert app.screen_stack[-1].session.product_names() == ["Cash loan"]
