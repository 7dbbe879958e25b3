"""The custody part of the Console contract, local and remote, on both engines: hand-over and
merging give the same answers both ways, need their permissions, and obey the desk rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import insert, select

from core.access.rules import Permission, format_permissions
from core.clients.inputs import NewClient
from core.clients.models import ClientCard
from core.custody.inputs import HandOver, MergeRequest
from core.errors import NotFound, PermissionDenied
from core.port import Console
from storage.engine import write
from storage.tables import RoleRow
from tests.api.world import World, unique_phone

SignIn = Callable[[str], Console]
KEEPER = {Permission.HAND_OVER, Permission.MERGE_CLIENTS, Permission.VIEW_CONTACTS}


@pytest.fixture
def keeper(world: World) -> str:
    """A login of the Main desk that hands over and merges, without the all-desks permission."""
    with write(world.crm.engine) as conn:
        new = conn.scalar(select(RoleRow.id).where(RoleRow.code == "keeper")) is None
        if new:
            conn.execute(insert(RoleRow).values(code="keeper", name="Keeper", permissions=format_permissions(KEEPER)))
    if new:
        world.crm.add_employee("keep_a", role="keeper")
    return "keep_a"


def pair(world: World, surname: str) -> tuple[ClientCard, ClientCard]:
    """Two cards of desk A sharing a phone; the second is flagged as a possible duplicate."""
    shared = unique_phone()
    office = world.local("off_a")
    values = {"surname": surname, "first_name": "Анна", "client_type": "interested"}
    first = office.create_client(NewClient.model_validate({**values, "phones": [shared]}))
    second = office.create_client(
        NewClient.model_validate({**values, "first_name": "Аня", "phones": [shared, unique_phone()]}),
        allow_duplicate=True,
    )
    return first, second


def test_merging_the_same_way_local_and_remote(sign_in: SignIn, world: World, keeper: str) -> None:
    survivor, merged = pair(world, "Контрактова")
    console = sign_in(keeper)
    groups = {g.card.id: [m.id for m in g.matches] for g in console.duplicate_groups(500)}
    assert groups[merged.id] == [survivor.id]
    compared = console.compare_cards(survivor.id, merged.id)
    assert compared == world.local(keeper).compare_cards(survivor.id, merged.id)
    assert [f.field for f in compared.fields if f.differs] == ["first_name"]
    result = console.merge_clients(survivor.id, MergeRequest(merged_id=merged.id, keep={"first_name": "merged"}))
    assert (result.merged_id, result.card.id, result.card.first_name) == (merged.id, survivor.id, "Аня")
    assert len(result.card.phones) == 2
    assert console.open_card(merged.id) == world.local(keeper).open_card(survivor.id)
    assert [s.id for s in console.search(str(merged.id))] == [survivor.id]
    assert merged.id not in {g.card.id for g in console.duplicate_groups(500)}


def test_without_the_permissions(sign_in: SignIn, world: World) -> None:
    survivor, merged = pair(world, "Безправова")
    operator = sign_in("op_a")
    with pytest.raises(PermissionDenied, match="Your role may not merge cards."):
        operator.merge_clients(survivor.id, MergeRequest(merged_id=merged.id))
    with pytest.raises(PermissionDenied, match="Your role may not merge cards."):
        operator.duplicate_groups()
    with pytest.raises(PermissionDenied, match="Your role may not hand clients over."):
        operator.hand_over(HandOver(to_employee_id=1, client_ids=[survivor.id]))


def test_the_desk_rule(sign_in: SignIn, world: World, keeper: str) -> None:
    mine = world.client("A", surname="Своякова")
    theirs = world.client("B", surname="Чужакова")
    console = sign_in(keeper)
    with pytest.raises(NotFound):
        console.compare_cards(mine.id, theirs.id)
    for survivor, merged in ((theirs.id, mine.id), (mine.id, theirs.id)):  # in the path or in the body
        with pytest.raises(NotFound, match=f"No client with CRM id {theirs.id}."):
            console.merge_clients(survivor, MergeRequest(merged_id=merged))
    assert world.crm.count("client", id=theirs.id, merged_into=mine.id) == 0
    managers = {m.login: m for m in console.hand_over_managers()}
    assert "off_a" in managers and "off_b" not in managers
    assert all(set(m.desks) == {"Main desk"} for m in managers.values())  # desks of others are not named
    with pytest.raises(NotFound):
        console.hand_over(HandOver(to_employee_id=managers["off_a"].id, client_ids=[mine.id, theirs.id]))
    assert world.local("off_a").open_card(mine.id).responsible == "Off_a Testov"  # nothing moved


def test_a_hand_over_the_same_way_local_and_remote(sign_in: SignIn, world: World) -> None:
    card = world.client("A", surname="Передачина")
    admin = sign_in("adm")
    to = next(m for m in admin.hand_over_managers() if m.login == "off_b")
    result = admin.hand_over(HandOver(to_employee_id=to.id, query=str(card.id)))
    assert [(c.client_id, c.from_employee, c.desk) for c in result.clients] == [(card.id, "Off_a Testov", "Desk B")]
    seen = world.local("off_b").open_card(card.id)
    assert (seen.responsible, seen.history[0].result, seen.history_total) == ("Off_b Testov", "handed_over", 2)
    with pytest.raises(NotFound):
        world.local("off_a").open_card(card.id)
