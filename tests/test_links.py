"""S4 through links (issue 8, defect 1): a card names no client of a desk the reader may not see;
only the existence of such a link shows."""

from __future__ import annotations

from sqlalchemy import select, update

from core.console import LocalConsole
from storage.engine import write
from storage.tables import ClientRow, DeskRow
from tests.helpers import Crm, new_client

DESK_B = "Desk B"


def _move(crm: Crm, client_id: int, desk: str) -> None:
    with write(crm.engine) as conn:
        desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == desk))
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(desk_id=desk_id))


def _world(crm: Crm) -> tuple[LocalConsole, LocalConsole]:
    crm.add_employee("bert", role="operator", desks=(DESK_B,))  # makes Desk B
    return crm.console("oleg", role="office"), crm.console("olga", role="operator")


def test_a_referrer_of_another_desk_is_not_named(crm: Crm) -> None:
    office, operator = _world(crm)
    referrer = new_client(office, surname="Ссылкин", phones=["+79031110001"])
    linked = new_client(
        office, surname="Петров", phones=["+79031110002"], referrer_id=referrer.id, client_type="recommended"
    )
    assert operator.open_card(linked.id).referrer == "Ссылкин Иван Иванович"

    _move(crm, referrer.id, DESK_B)

    seen = operator.open_card(linked.id)
    assert (seen.referrer_id, seen.referrer, seen.referrer_desk_id, seen.referrer_hidden) == (None, None, None, True)
    assert "Ссылкин" not in seen.model_dump_json() and f'"id":{referrer.id},' not in seen.model_dump_json()


def test_linked_cards_of_another_desk_are_counted_not_listed(crm: Crm) -> None:
    office, operator = _world(crm)
    referrer = new_client(office, phones=["+79031110003"])
    mine = new_client(office, surname="Свой", phones=["+79031110004"], referrer_id=referrer.id)
    theirs = new_client(office, surname="Чужов", phones=["+79031110005"], referrer_id=referrer.id)
    _move(crm, theirs.id, DESK_B)

    seen = operator.open_card(referrer.id)
    assert [c.id for c in seen.linked] == [mine.id]
    assert seen.linked_hidden == 1
    assert "Чужов" not in seen.model_dump_json()
    everyone = crm.console("sveta", role="administration")  # every desk
    assert [c.id for c in everyone.open_card(referrer.id).linked] == [mine.id, theirs.id]
    assert everyone.open_card(referrer.id).linked_hidden == 0
