"""S4 in the card (issue 8, defect 1): another desk's referrer or linked card is not named."""

from __future__ import annotations

import io

from rich.console import Console
from sqlalchemy import Engine, insert, update
from textual.widgets import Static

from storage.engine import write
from storage.tables import ClientRow, DeskRow
from tests.tui import world
from tests.tui.conftest import SIZE, screen_text, settle, shows
from tui.screens.card import CardScreen


def _text(renderable: object) -> str:
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(getattr(renderable, "renderable", renderable))
    return " ".join(console.export_text().split())


def _to_another_desk(db: Engine, client_id: int) -> None:
    with write(db) as conn:
        desk_id = conn.execute(insert(DeskRow).values(name="Desk B")).inserted_primary_key[0]
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(desk_id=desk_id))


async def _open(pilot, client_id: int) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_card(client_id)
    await settle(pilot)
    assert isinstance(pilot.app.screen, CardScreen)


async def test_a_referrer_of_another_desk_is_not_named(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    _to_another_desk(db, world.IVANOV)
    app = make_app("operator")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, world.SIDOROV)
        fields = _text(app.screen.query_one("#personal-fields", Static).content)  # below the fold at 80x24
        assert "a client of another desk" in fields and "Recommended by" in fields
        assert "Иванов" not in fields and "Иванов" not in screen_text(app)


async def test_linked_cards_of_another_desk_are_only_counted(make_app, db: Engine) -> None:  # type: ignore[no-untyped-def]
    _to_another_desk(db, world.SIDOROV)
    app = make_app("operator", lang="ru")
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, world.IVANOV)
        await pilot.press("7")
        await shows(pilot, "Ещё 1 связанная карточка в другой группе.")
        assert "Сидоров" not in screen_text(app)
