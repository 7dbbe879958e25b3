"""Rules of the bank's manual as the call screens keep them (issue 17): tick boxes that differ in
shape, a do-not-disturb client refused at once from the card, offices in their own time zone,
Card product only for the Halva card, F7 on the campaign's product, the office picker on the nearest
place with offices."""

from __future__ import annotations

from sqlalchemy import update

from storage.engine import write
from storage.tables import ClientRow
from tests.tui import call_world, world
from tests.tui.conftest import SIZE, screen_text, settle, status, until
from tests.tui.test_call_flow import in_form, press, take_next
from tests.tui.test_call_keys import open_card
from tui.dialogs.products import ProductsDialog

call_template, db = call_world.call_template, call_world.db  # fixtures: make_app runs on this world


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
