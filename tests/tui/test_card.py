"""C1-C12: the card's main block, every tab one key away, detail views, paging, linked cards."""

from __future__ import annotations

import pytest

from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows, status, until
from tui.dialogs.detail import DetailDialog
from tui.screens.card import TABS, CardScreen


async def open_card(pilot, client_id: int) -> CardScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_card(client_id)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardScreen)
    return screen


async def test_main_block_shows_c1(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        text = screen_text(app)
        assert "CRM id 1  Иванов Иван Иванович  17.05.1980 (44)" in text
        assert "Type: Internet · Москва, Москва · Passport 4510 123456" in text
        assert "+7 912 345-67-89, +7 495 123-45-67" in text


@pytest.mark.parametrize(("key", "tab"), [(key, tab) for tab, key, _s, _f in TABS])
async def test_every_tab_is_one_key_away(make_app, key: str, tab: str) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.IVANOV)
        await pilot.press(key)
        await settle(pilot)
        await until(pilot, lambda: card.tab == tab)
        expected = {
            "personal": "Personal data",
            "sms": "Choose a template",
            "history": "Will think",  # "Will think about it" wraps in its column at 80x24
            "products": "Halva instalment card",
            "transactions": "Electronics store",
            "closed": "Cash loan",
            "linked": "Сидоров Пётр Алексеевич",
            "changes": "ivanov@example.com",
            "trading": "No trading account yet.",
        }[tab]
        await shows(pilot, expected)


@pytest.mark.parametrize(
    ("key", "title", "line"),
    [
        ("3", "Contact in detail", "Offered products  Cash loan"),
        ("4", "Product in detail", "Contract  HV-2025-0001"),
        ("5", "Card transaction in detail", "Description  Top-up at an ATM"),
        ("6", "Product in detail", "Closed    01.06.2023"),
        ("8", "Change of contact data in detail", "Comment    New home phone"),
    ],
)
async def test_enter_opens_a_row_in_detail(make_app, key: str, title: str, line: str) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.IVANOV)
        await pilot.press(key)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailDialog)
        text = screen_text(app)
        assert title in text
        assert " ".join(line.split()) in " ".join(text.split())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)


async def test_a_linked_card_opens_the_linked_client_and_esc_comes_back(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        first = await open_card(pilot, world.IVANOV)
        await pilot.press("7")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, CardScreen) and second is not first
        assert second.card.id == world.SIDOROV
        assert "Recommended by Иванов Иван Иванович" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is first and first.card.id == world.IVANOV


async def test_long_history_loads_page_by_page(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        card = await open_card(pilot, world.KUZNETSOVA)
        total = world.HISTORY_ENTRIES + 1  # the calls and "card created"
        assert card.history_total == total
        await pilot.press("3")
        await settle(pilot)
        assert len(card.history) == 50
        assert f"50 of {total} entries" in screen_text(app)
        await pilot.press("end")  # to the last loaded row: the next page comes
        await until(pilot, lambda: len(card.history) == 100)
        await pilot.press("end")
        await until(pilot, lambda: len(card.history) == 150 or len(card.history) == total)
        await pilot.press("end")
        await until(pilot, lambda: len(card.history) == total)
        assert card.query_one("#tab-table").row_count == total
        assert [h.id for h in card.history] == sorted(
            {h.id for h in card.history}, key=[h.id for h in card.history].index
        )


async def test_reused_card_screen_shows_nothing_of_the_previous_client(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        first = await open_card(pilot, world.IVANOV)
        await pilot.press("escape")
        await settle(pilot)
        second = await open_card(pilot, world.PETROVA)
        assert second is first  # composed once, reused
        text = screen_text(app)
        assert "Петрова Анна Сергеевна" in text and "Иванов" not in text
        assert second.tab == "personal"


async def test_comment_goes_to_the_history(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.PETROVA)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press(*"Просит", "space", *"перезвонить")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        assert status(app) == "Comment added."
        await pilot.press("3")
        await shows(pilot, "Comment     ")
        await shows(pilot, "Просит ")  # the column shows the start of it
        await pilot.press("enter")
        await shows(pilot, "Просит перезвонить")  # in detail, whole


async def test_an_empty_comment_is_refused_and_the_dialog_stays(make_app) -> None:
    from tui.dialogs.comment import CommentDialog

    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, world.PETROVA)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        assert status(app) == "The comment is empty."


async def test_unknown_client_says_not_found(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await open_card(pilot, 999)
        assert status(app) == "No client with CRM id 999."
