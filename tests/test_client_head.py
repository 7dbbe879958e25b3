"""Operations that name a client read its head, not its card (F3, S4): a merged-away id names the
survivor, another desk's client is "not found" like no client at all, and an SMS still goes only
to an active phone of the survivor's."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from core.calls.inputs import CallState
from core.errors import NotFound, ValidationFailed
from storage.tables import ClientRow
from tests.helpers import Crm, draft, new_client
from tests.save_world import World


def _merge(crm: Crm, merged: int, survivor: int) -> None:
    with crm.engine.begin() as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == merged).values(merged_into=survivor))


def test_a_merged_away_id_names_the_survivor(crm: Crm) -> None:
    world = World(crm)
    survivor = world.client()
    merged = new_client(world.console, allow_duplicate=True, surname="Слитов")
    _merge(crm, merged.id, survivor)
    card = world.console.open_card(survivor)

    entry = world.console.add_comment(merged.id, "note")
    sms = world.console.send_sms(merged.id, "office_hours", phone_id=card.phones[0].id)

    history = world.console.history(survivor)
    assert entry.id in {e.id for e in history} and sms.client_id == survivor
    assert [c.id for c in world.console.campaigns_for(merged.id)] == [world.campaign]
    assert world.console.result_options(merged.id, world.campaign) == world.console.result_options(
        survivor, world.campaign
    )
    with pytest.raises(ValidationFailed):  # a phone of the merged-away card is not the survivor's
        world.console.send_sms(merged.id, "office_hours", phone_id=merged.phones[0].id)


# what an operation that names a client does with it: (console, the world, the client's id, a phone id)
NAMING = {
    "comment": lambda c, w, cid, pid: c.add_comment(cid, "note"),
    "sms": lambda c, w, cid, pid: c.send_sms(cid, "office_hours", phone_id=pid),
    "campaigns": lambda c, w, cid, pid: c.campaigns_for(cid),
    "result options": lambda c, w, cid, pid: c.result_options(cid, w.campaign),
    "credit decision": lambda c, w, cid, pid: c.credit_decision(cid, w.campaign, CallState(reached=True)),
}


@pytest.mark.parametrize("operation", list(NAMING))
def test_another_desks_client_is_not_found_like_no_client(crm: Crm, operation: str) -> None:
    world = World(crm)
    mine = world.client()
    phone_id = world.console.open_card(mine).phones[0].id
    other = crm.console("other", role="office", desks=("Other desk",))  # may do each of these
    for client_id in (mine, 0, 10**12, mine + 1000):
        with pytest.raises(NotFound, match=f"No client with CRM id {client_id}"):
            NAMING[operation](other, world, client_id, phone_id)
    assert crm.count("contact", client_id=mine, kind="comment") == 0 and world.console.history(mine)


def test_a_referrer_of_another_desk_is_not_found_like_no_client(crm: Crm) -> None:
    mine = new_client(crm.console("boss", role="supervisor"), surname="Рекомендатель")
    other = crm.console("other", role="office", desks=("Other desk",))
    for client_id in (mine.id, mine.id + 1000):
        with pytest.raises(NotFound, match=f"No client with CRM id {client_id}"):
            other.create_client(draft(surname="Рекомендов", referrer_id=client_id))


def test_an_sms_needs_an_active_phone_of_the_card(crm: Crm) -> None:
    office = crm.console("kate", role="office")
    card = new_client(office, surname="Смсов", phones=["+79161112233"])
    for phone_id in (card.phones[0].id + 1000, 10**12, -1):
        with pytest.raises(ValidationFailed, match="cannot receive SMS"):
            office.send_sms(card.id, "office_hours", phone_id=phone_id)
    sms = office.send_sms(card.id, "office_hours", phone_id=card.phones[0].id)
    assert sms.client_id == card.id and sms.to == "+79161112233"
