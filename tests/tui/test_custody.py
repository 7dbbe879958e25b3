"""C17 and F3 in the console, by keyboard only at 80x24: handing a client over from the card, the
possible duplicates, two cards side by side and their merge."""

from __future__ import annotations

from sqlalchemy import Engine

from core.clients.inputs import NewClient
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, until
from tui.screens.card import CardScreen
from tui.screens.custody.duplicates import DuplicatesScreen
from tui.screens.custody.hand_over import HandOverDialog
from tui.screens.custody.merge import MergeScreen


async def open_card(pilot, client_id: int) -> CardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_card(client_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, CardScreen)
    return pilot.app.screen


def duplicate_of_ivanov(db: Engine) -> int:
    """A second card of Ivanov's (his phone, another first name): flagged as a possible duplicate."""
    boss = world.signed_in(db, "boss")
    draft = NewClient(surname="Иванов", first_name="Ваня", client_type="interested", phones=["+79123456789"])
    card = boss.create_client(draft, allow_duplicate=True)
    assert card.possible_duplicate
    return card.id


async def test_a_hand_over_from_the_card(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.IVANOV)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HandOverDialog), "the hand-over dialog")
        await shows(pilot, "Орлов Денис Андреевич")
        text = screen_text(app)
        assert "Hand Иванов Иван Иванович over to" in text and "the client's manager now" in text
        await pilot.press("3")  # Волкова (the manager now), Зайцев, Орлов, Смирнова
        await shows(pilot, "Hand Иванов Иван Иванович over to Орлов Денис Андреевич?")
        await pilot.press("y")
        await until(
            pilot,
            lambda: app.screen is card and card.card is not None and card.card.responsible == "Орлов Денис Андреевич",
        )
        assert status(app) == "Handed over to Орлов Денис Андреевич."
        await pilot.press("3")
        await shows(pilot, "Handed over")


async def test_hand_over_needs_the_permission(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        assert status(app) == "Your role may not hand clients over."
        await pilot.press("u")
        await settle(pilot)
        assert status(app) == "Your role may not merge cards."


async def test_merging_two_cards_by_keyboard(make_app, db: Engine) -> None:
    twin = duplicate_of_ivanov(db)
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, twin)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, DuplicatesScreen), "the duplicates")
        await shows(pilot, f"{twin} Иванов Ваня")
        assert "1 Иванов Иван Иванович 17.05.1980" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MergeScreen), "the comparison")
        await shows(pilot, f"Card 1 (Main desk) stays; card {twin} (Main desk) merges into it")
        text = screen_text(app)
        for line in ("* First name", "> Иван", "Ваня", "* Passport", "4510 123456", "Recommended by", "It brings",
                     "Lead"):  # fmt: skip
            assert line in text, line
        assert "^s  Merge" in text and "Do not disturb" in text  # nothing cut at 80x24
        await pilot.press("down", "space")  # the first name: the merged card's
        await shows(pilot, "> Ваня")
        await pilot.press("ctrl+s")
        await shows(pilot, f"Merge card {twin} into card 1?")
        assert "Values taken from card" in screen_text(app) and "First name" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None, "the survivor")
        survivor = app.screen
        assert survivor.card.id == 1 and survivor.card.first_name == "Ваня"  # type: ignore[union-attr]
        assert status(app) == f"Card {twin} merged into this one."
        assert len(survivor.card.phones) == 2  # type: ignore[union-attr]  # the shared phone once
        app.pop_screen()
        await settle(pilot)
        assert isinstance(app.screen, DuplicatesScreen)
        await shows(pilot, "No possible duplicates on your desks.")
        merged = await open_card(pilot, twin)
        await until(pilot, lambda: merged.card is not None)
        assert merged.card.id == 1  # type: ignore[union-attr]  # the merged-away id opens the survivor


async def test_swapping_the_cards_and_a_row_that_does_not_differ(make_app, db: Engine) -> None:
    twin = duplicate_of_ivanov(db)
    app = make_app("boss", plain=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(MergeScreen(survivor_id=1, merged_id=twin))
        await shows(pilot, "Card 1 (Main desk) stays")
        await pilot.press("space")  # the surname: the same on both
        await settle(pilot)
        assert status(app) == "Both cards hold the same value here."
        await pilot.press("w")
        await shows(pilot, f"Card {twin} (Main desk) stays; card 1 (Main desk) merges into it")
        odd = {ch for ch in screen_text(app) if ord(ch) >= 128 and not "\u0400" <= ch <= "\u04ff"}
        assert not odd  # plain mode: ASCII besides the clients' and employees' Cyrillic names


async def test_the_custody_screens_in_russian_at_80x24(make_app, db: Engine) -> None:
    twin = duplicate_of_ivanov(db)
    app = make_app("boss", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press("h")
        await shows(pilot, "Передать клиента Иванов Иван Иванович")
        assert "менеджер клиента сейчас" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")
        await shows(pilot, "Совпадает с")
        await pilot.press("enter")
        await shows(pilot, f"Карточка 1 (Main desk) остаётся; карточка {twin} (Main desk) вливается в неё")
        text = screen_text(app)
        for line in ("* Имя", "Не беспокоить", "Рекомендовал", "Она приносит: телефоны 1", "Объединить"):
            assert line in text, line
