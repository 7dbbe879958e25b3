"""C4: an SMS from a template to the client's mobile (by phone id, so it works masked) or to a
typed number; S5: an operator without the permission never sees a number or an e-mail."""

from __future__ import annotations

from textual.widgets import Select

from storage.sql_repository import SqlRepository
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, type_text, until
from tui.screens.card import CardScreen
from tui.widgets.sms_form import OTHER


async def sms_tab(pilot, client_id: int):  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_card(client_id)
    await until(pilot, lambda: isinstance(pilot.app.screen, CardScreen) and pilot.app.screen.card is not None)
    await pilot.press("s")
    await until(pilot, lambda: bool(pilot.app.screen.query("#sms-template")))
    return pilot.app.screen


async def test_sms_by_keys_to_the_masked_mobile_goes_to_the_history(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        card = await sms_tab(pilot, world.IVANOV)
        assert card.focused.id == "sms-template"
        await pilot.press("enter", "down", "enter")  # the first template
        await shows(pilot, "Иван Иванович, наши офисы работают")  # the text is filled, not editable
        assert card.query_one("#sms-phone", Select).value != OTHER  # the client's mobile is chosen
        assert "Mobile #1 (number hidden)" in screen_text(app)
        assert "912" not in screen_text(app)
        card.query_one("#sms-send").focus()
        await pilot.press("enter")
        await until(pilot, lambda: status(app) == "SMS queued; it is in the contact history.")
        await pilot.press("3")
        await shows(pilot, "Office hours")
        assert "912" not in screen_text(app)
    sent = SqlRepository(db).outbox(1)[0]
    assert (sent.to, sent.client_id) == ("+79123456789", world.IVANOV)
    assert sent.text.startswith("Иван Иванович, наши офисы работают")  # the client's language, not the UI's


async def test_sms_to_a_typed_number_is_validated_and_the_typing_stays(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        card = await sms_tab(pilot, world.IVANOV)
        card.query_one("#sms-template", Select).value = "callback"
        card.query_one("#sms-phone", Select).value = OTHER
        await until(pilot, lambda: card.focused is not None and card.focused.id == "sms-number")
        await type_text(pilot, "12345")
        await pilot.press("enter")
        await until(pilot, lambda: status(app) == "'12345' is not a valid phone number.")
        assert card.query_one("#sms-number").value == "12345"
        assert card.focused.id == "sms-number"
        card.query_one("#sms-number").value = ""
        await type_text(pilot, "8 903 111-22-33")
        await pilot.press("enter")
        await until(pilot, lambda: status(app) == "SMS queued; it is in the contact history.")
    assert SqlRepository(db).outbox(1)[0].to == "+79031112233"


async def test_sms_needs_a_template(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        card = await sms_tab(pilot, world.IVANOV)
        card.query_one("#sms-send").focus()
        await pilot.press("enter")
        await until(pilot, lambda: status(app) == "Choose an SMS template.")
        assert card.focused.id == "sms-template"


async def test_an_operator_without_the_permission_sees_call_and_masked_email(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "ivanov")
        await pilot.press("enter")
        await shows(pilot, "Call …89 +1")  # two phones, both masked: the results show the first one's last two digits
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        seen = [screen_text(app)]
        assert "Phones: +7 ••• •••-••-89, +7 ••• •••-••-67 · E-mail: i***@e***.com" in seen[0]
        for key in "345678":
            await pilot.press(key)
            await settle(pilot)
            seen.append(screen_text(app))
        await pilot.press("3", "enter")  # a call in detail: its phone is masked too
        await shows(pilot, "Contact in detail")
        seen.append(screen_text(app))
        for text in seen:
            for secret in ("912", "345-67", "495", "123-45-67", "ivanov@", "example.com", "mail.ru"):
                assert secret not in text, (secret, text)


async def test_an_employee_with_the_permission_sees_the_numbers(make_app) -> None:
    app = make_app("office")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_card(world.IVANOV)
        await shows(pilot, "+7 912 345-67-89, +7 495 123-45-67 · E-mail: ivanov@example.com")
