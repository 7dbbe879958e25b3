"""K17, F3: the questionnaire with validation, and the duplicate check."""

from __future__ import annotations

from textual.widgets import Select

from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, type_text, until
from tui.dialogs.duplicate import DuplicateDialog
from tui.screens.card import CardScreen
from tui.screens.new_client import NewClientScreen
from tui.screens.search import SearchScreen


async def questionnaire(pilot) -> NewClientScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("f4")
    await until(pilot, lambda: isinstance(pilot.app.screen, NewClientScreen))
    return pilot.app.screen


async def fill(pilot, **values: str) -> None:  # type: ignore[no-untyped-def]
    for widget_id, text in values.items():
        pilot.app.screen.query_one(f"#{widget_id.replace('_', '-')}").focus()
        await pilot.pause()
        await type_text(pilot, text)


async def test_f4_opens_the_questionnaire_and_esc_returns_to_the_office(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        assert screen.focused.id == "surname"
        assert "New potential client" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen))


async def test_required_fields_are_named_and_the_typing_stays(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        await fill(pilot, first_name="Ольга", mobile="8 999 000-11-22")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: status(app) == "Surname is required.")
        assert screen.focused.id == "surname"
        assert screen.query_one("#first-name").value == "Ольга"
        assert screen.query_one("#mobile").value == "8 999 000-11-22"


async def test_a_bad_passport_and_a_bad_phone(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        await fill(
            pilot,
            surname="Орлова",
            first_name="Ольга",
            passport_series="45",
            passport_number="123456",
            mobile="8 999 000-11-22",
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: status(app) == "Passport series is 4 digits.")
        assert screen.focused.id == "passport-series"
        screen.query_one("#passport-series").value = "4511"
        screen.query_one("#mobile").value = "123"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: status(app) == "'123' is not a valid phone number.")
        assert screen.focused.id == "mobile"


async def test_a_new_client_opens_its_card(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        await fill(pilot, surname="орлова", first_name="Ольга", birth_date="01.02.1990", mobile="8 999 000-11-22")
        screen.query_one("#client-type", Select).value = "internet"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        card = app.screen.card
        assert (card.full_name, card.client_type, str(card.birth_date)) == ("Орлова Ольга", "internet", "1990-02-01")
        assert f"CRM id {card.id}  Орлова Ольга" in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#surname").value == ""  # a fresh questionnaire for the next one


async def test_a_duplicate_is_shown_and_the_existing_card_opens(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        await fill(pilot, surname="Иванов", first_name="Иван", mobile="+7 (912) 3456789")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        text = screen_text(app)
        assert "Иванов Иван Иванович" in text and "same phone" in text
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        assert app.screen.card.id == world.IVANOV
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.query_one("#surname").value == "Иванов"  # the questionnaire is kept


async def test_a_duplicate_can_be_confirmed_as_a_new_card(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await questionnaire(pilot)
        await fill(
            pilot,
            surname="Иванова",
            first_name="Мария",
            passport_series="4510",
            passport_number="123456",
            mobile="89001234567",
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        assert "same passport" in screen_text(app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        card = app.screen.card
        assert card.full_name == "Иванова Мария" and card.possible_duplicate
        await shows(pilot, "[possible duplicate]")


async def test_esc_in_the_duplicate_dialog_keeps_everything(make_app, db) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        screen = await questionnaire(pilot)
        await fill(pilot, surname="Иванов", first_name="Пётр", mobile="9123456789")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DuplicateDialog))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert status(app) == "Nothing saved; the questionnaire is as you left it."
        assert screen.query_one("#first-name").value == "Пётр"
