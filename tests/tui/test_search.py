"""F1, F2: search by every key; Enter moves to the results and opens the card; Esc comes back."""

from __future__ import annotations

import pytest

from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, status, type_text, until
from tui.screens.calls import CallsScreen
from tui.screens.card import CardScreen
from tui.screens.new_client import NewClientScreen
from tui.screens.search import SearchScreen, looks_like_name


def result_ids(app) -> list[int]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#results")
    return [int(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def search(pilot, text: str, enter: bool = True) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, text)
    if enter:
        await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize(
    "query",
    ["8 912 345-67-89", "+7 (912) 3456789", "9123456789", "89123456789", "+79123456789"],
)
async def test_phone_in_any_written_form(make_app, query: str) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, query)
        assert result_ids(app) == [world.IVANOV]
        assert app.screen.focused.id == "results"  # Enter moved the selection to the first result
        assert app.screen.query_one("#results").cursor_row == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ИВАНОВ", [world.IVANOV]),
        ("иванов иван", [world.IVANOV]),
        ("ivanov", [world.IVANOV]),  # Latin finds Cyrillic
        ("сидоров пётр", [world.SIDOROV]),
        ("smith", [world.SMITH]),
        ("id:2", [world.PETROVA]),
        ("4510 123456", [world.IVANOV]),  # passport
        ("IVANOV@example.com", [world.IVANOV]),  # e-mail, any case
    ],
)
async def test_name_id_passport_email(make_app, query: str, expected: list[int]) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, query)
        assert result_ids(app) == expected


async def test_names_appear_while_typing_without_enter(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "петр", enter=False)
        assert result_ids(app) == [world.PETROVA]
        assert app.screen.focused.id == "query"  # typing goes on in the search line
        assert status(app) == "1 client found"
        await search(pilot, "ушкин", enter=False)  # "петрушкин" - no one
        assert result_ids(app) == []
        assert status(app) == "No clients found."


async def test_digits_wait_for_enter(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "912", enter=False)
        assert result_ids(app) == []
        assert status(app) == "Press Enter to search."


async def test_enter_opens_the_card_and_esc_returns_with_query_and_selection(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "и")  # one letter: searched on Enter
        assert result_ids(app) == [world.IVANOV]
        assert app.screen.focused.id == "results"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CardScreen)
        text = screen_text(app)
        assert "Иванов Иван Иванович" in text and "CRM id 1" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query").value == "и"
        assert app.screen.focused.id == "query"  # one Esc: a new search may be typed at once
        assert result_ids(app) == [world.IVANOV]
        await pilot.press("down")
        assert app.screen.focused.id == "results"


async def test_esc_from_the_results_goes_to_the_line_then_clears_it(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "иванов")
        assert app.screen.focused.id == "results"
        await pilot.press("escape")
        assert app.screen.focused.id == "query"
        assert app.screen.query_one("#query").value == "иванов"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#query").value == ""
        assert result_ids(app) == []


async def test_several_cards_with_one_phone_arrows_and_enter(make_app, db) -> None:
    from core.clients.inputs import NewClient

    boss = world.signed_in(db, "boss")
    twin = boss.create_client(
        NewClient(surname="Иванова", first_name="Мария", phones=["+79123456789"]), allow_duplicate=True
    )
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "8 (912) 345 67 89")
        ids = result_ids(app)
        assert sorted(ids) == sorted([world.IVANOV, twin.id])  # every card that carries the phone
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.card.id == ids[1]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#results").cursor_row == 1  # the selection is kept
        await pilot.press("down")
        assert app.screen.focused.id == "results" and app.screen.query_one("#results").cursor_row == 1


async def test_nothing_found_offers_a_new_client_prefilled(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "Неизвестный Клиент")
        assert status(app) == "No clients found."
        assert "Nobody found for “Неизвестный Клиент”" in screen_text(app)
        assert app.screen.focused.id == "new-client"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NewClientScreen)
        assert app.screen.query_one("#surname").value == "Неизвестный"
        assert app.screen.query_one("#first-name").value == "Клиент"


async def test_typing_fast_shows_the_last_query_only(make_app) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"кузнецова")  # every key starts or queues a search; the newest wins
        await settle(pilot)
        assert result_ids(app) == [world.KUZNETSOVA]
        assert app.screen._shown_query == "кузнецова"


def test_what_is_searched_while_typing() -> None:
    assert looks_like_name("Ив")
    assert looks_like_name("ivanov ivan")
    assert not looks_like_name("и")
    assert not looks_like_name("912")
    assert not looks_like_name("a@b")


async def test_one_esc_from_a_card_starts_a_new_search(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "иванов")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        await pilot.press("escape")
        await settle(pilot)
        await type_text(pilot, "петрова")  # replaces the old query
        await pilot.press("enter")
        await until(pilot, lambda: result_ids(app) == [world.PETROVA])


@pytest.mark.parametrize("key", ["f2", "slash"])
async def test_f2_or_slash_from_a_linked_card_or_the_call_lists_starts_a_new_search(make_app, key: str) -> None:
    app = make_app("boss")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "иванов")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CardScreen) and app.screen.card is not None)
        app.open_card(world.SIDOROV)  # a card opened from a card
        await until(pilot, lambda: app.screen.card is not None and app.screen.card.id == world.SIDOROV)
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.focused.id == "query")
        await type_text(pilot, "x")
        assert app.screen.query_one("#query").value == "x"  # the old query was selected: replaced
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, CallsScreen))
        await pilot.press(key)
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.focused.id == "query")


async def test_typing_on_the_results_goes_to_the_search_line_and_up_from_the_first_row(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "иванов")
        assert app.screen.focused.id == "results"
        await pilot.press("up")
        assert app.screen.focused.id == "query"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.focused.id == "results"
        await pilot.press("a")
        assert app.screen.focused.id == "query"
        assert app.screen.query_one("#query").value == "ивановa"


async def test_esc_from_the_results_selects_the_query_for_a_new_search(make_app) -> None:
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "иванов")
        assert app.screen.focused.id == "results"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused.id == "query"
        await type_text(pilot, "петрова")  # replaces the old query
        assert app.screen.query_one("#query").value == "петрова"
