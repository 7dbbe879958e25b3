"""C2, C3, S6, S7: editing the personal and the contact blocks, each with its rule, confirmed
before saving, "Data saved" after; striking a phone out with a reason."""

from __future__ import annotations

from textual.widgets import Select

from core.clients.inputs import PersonalEdit
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, type_text, until
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.edit_contacts import EditContactsDialog
from tui.dialogs.edit_personal import EditPersonalDialog
from tui.dialogs.message import MessageDialog
from tui.dialogs.strike_phone import StrikePhoneDialog
from tui.screens.card import CardScreen


async def open_card(pilot, client_id: int) -> CardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_card(client_id)
    await until(pilot, lambda: isinstance(pilot.app.screen, CardScreen) and pilot.app.screen.card is not None)
    return pilot.app.screen


async def replace(pilot, widget_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one(f"#{widget_id}").focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k")  # select all... then clear to the end
    pilot.app.screen.query_one(f"#{widget_id}").value = ""
    await type_text(pilot, text)


async def test_personal_data_edit_is_confirmed_then_saved(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        await replace(pilot, "surname", "Петров")
        await replace(pilot, "reason", "Сменил фамилию")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Surname: Иванов → Петров" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
        assert "Data saved." in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is card)
        assert status(app) == "Data saved."
        assert "Петров Иван Иванович" in screen_text(app)
        await pilot.press("8")
        await shows(pilot, "Surname")
    saved = world.console_for(db).repo.card(world.IVANOV, 0)
    assert saved.surname == "Петров"


async def test_cancelled_confirmation_saves_nothing_and_keeps_the_typing(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        await replace(pilot, "first-name", "Иоанн")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        assert app.screen.query_one("#first-name").value == "Иоанн"
    assert world.console_for(db).repo.card(world.IVANOV, 0).first_name == "Иван"


async def test_read_only_card_says_why(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.PETROVA)  # type "Client": S7
        rule = str(app.screen.query_one("#personal-rule").content)
        assert rule == "Personal data · Read-only: Personal data of a card of type 'Client' cannot be changed."
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        assert status(app) == "Read-only: Personal data of a card of type 'Client' cannot be changed."


async def test_a_role_without_the_permission_says_why(make_app) -> None:
    app = make_app("control")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await settle(pilot)
        assert status(app) == "Read-only: Your role may not edit personal data."
        await pilot.press("c")
        await settle(pilot)
        assert status(app) == "Read-only: Your role may not edit contact data."


async def test_a_core_rule_points_at_the_field_and_keeps_the_typing(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        await replace(pilot, "birth-date", "01.01.2020")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: status(app) != "Saving…" and status(app) != "")
        assert isinstance(app.screen, EditPersonalDialog)
        assert status(app) == "Birth date gives an age of 5; expected 14 to 120."
        assert app.screen.focused.id == "birth-date"
        assert app.screen.query_one("#birth-date").value == "01.01.2020"


async def test_a_bad_date_is_caught_before_asking(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        await replace(pilot, "birth-date", "32.13.1980")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditPersonalDialog)
        assert status(app) == "Write the birth date as dd.mm.yyyy."


async def test_someone_else_saved_first(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        other = world.signed_in(db, "boss")
        current = other.open_card(world.IVANOV)
        other.edit_personal(
            world.IVANOV,
            PersonalEdit(
                surname="Иванов",
                first_name="Ваня",
                patronymic="Иванович",
                birth_date=current.birth_date,
                region_id=current.region_id,
                town_id=current.town_id,
                expected_version=current.personal_version,
            ),
        )
        await replace(pilot, "patronymic", "Петрович")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: "meanwhile" in status(app))
        assert isinstance(app.screen, EditPersonalDialog)
        assert app.screen.query_one("#patronymic").value == "Петрович"


async def test_region_and_town_are_chosen_from_lists(make_app, db) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, EditPersonalDialog))
        dialog = app.screen
        await until(pilot, lambda: dialog.query_one("#town", Select).value is not Select.NULL)
        kazan_region = next(r.id for r in dialog.query_one("#region-town").regions if r.name == "Республика Татарстан")
        dialog.query_one("#region", Select).value = kazan_region
        await until(pilot, lambda: len(dialog.query_one("#region-town").towns) > 0)
        kazan = next(t.id for t in dialog.query_one("#region-town").towns if t.name == "Казань")
        dialog.query_one("#town", Select).value = kazan
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Town: Москва → Казань" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
    assert world.console_for(db).repo.card(world.IVANOV, 0).town == "Казань"


async def test_contacts_edit_lists_the_changes_and_saves(make_app, db) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.IVANOV)
        home = next(p for p in card.card.phones if p.kind == "home")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, EditContactsDialog))
        await replace(pilot, f"phone-{home.id}", "8 495 765-43-21")
        await replace(pilot, "email-new", "ivan@work.example")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        text = screen_text(app)
        assert "Phone: +7 495 123-45-67 → 8 495 765-43-21 (Home)" in text
        assert "New e-mail: ivan@work.example" in text
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is card)
        await shows(pilot, "+7 495 765-43-21")
    numbers = [p.number for p in world.console_for(db).repo.card(world.IVANOV, 0).phones]
    assert "+74957654321" in numbers


async def test_a_bad_number_points_at_its_input(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, EditContactsDialog))
        await replace(pilot, "phone-new", "12345")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await until(pilot, lambda: "not a valid phone number" in status(app))
        assert isinstance(app.screen, EditContactsDialog)
        assert app.screen.focused.id == "phone-new"
        assert app.screen.query_one("#phone-new").value == "12345"


async def test_masked_contacts_are_read_only_with_the_reason(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        assert status(app) == "Read-only: Contact data is masked for you; ask a supervisor to change it."


async def test_strike_a_phone_with_a_reason(make_app, db) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.IVANOV)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, StrikePhoneDialog))
        await pilot.press("ctrl+s")  # no reason yet
        await settle(pilot)
        assert status(app) == "Choose the reason."
        assert app.screen.focused.id == "strike-reason"
        await pilot.press("enter")  # open the list of reasons
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")  # Do not contact, Changed, Not in use, Wrong
        await until(pilot, lambda: app.screen.query_one("#strike-reason", Select).value == "wrong")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Strike out +7 912 345-67-89 as “Wrong”?" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is card)
        await shows(pilot, "Struck out")
    phone = next(p for p in world.console_for(db).repo.card(world.IVANOV, 0).phones if p.number == "+79123456789")
    assert (phone.status, phone.strike_reason) == ("struck", "wrong")


async def test_a_masked_operator_strikes_a_phone_without_seeing_it(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, StrikePhoneDialog))
        assert "912" not in screen_text(app)
        app.screen.query_one("#strike-reason", Select).value = "not_in_use"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Strike out +7 ••• •••-••-89 as “Not in use”?" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageDialog))
    struck = [p for p in world.console_for(db).repo.card(world.IVANOV, 0).phones if p.status == "struck"]
    assert len(struck) == 1
