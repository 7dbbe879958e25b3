"""A page of a client's history: the card it belongs to, the desk rule, the mask, paging (C2, F3, S4, S5)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from core.errors import NotFound
from storage.tables import ClientRow
from tests.helpers import Crm, new_client


def test_a_merged_away_id_pages_the_survivors_history(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    survivor = new_client(boss, surname="Живов")
    merged = new_client(boss, allow_duplicate=True, surname="Слитов")
    for n in range(5):
        boss.add_comment(survivor.id, f"note {n}")
    with crm.engine.begin() as conn:
        conn.execute(update(ClientRow).where(ClientRow.id == merged.id).values(merged_into=survivor.id))

    page = boss.history(merged.id, 1, 2)
    assert [e.comment for e in page] == ["note 3", "note 2"]  # newest first, from the offset
    assert page == boss.history(survivor.id, 1, 2)
    assert boss.history(merged.id, 50, 10) == []  # past the end: an empty page, not 404


def test_a_card_of_another_desk_or_no_card_answers_not_found(crm: Crm) -> None:
    mine = new_client(crm.console("boss", role="supervisor"), surname="Чужов")
    other = crm.console("other", role="supervisor", desks=("Other desk",))
    for client_id in (mine.id, 0, 10**12, mine.id + 1000):
        with pytest.raises(NotFound):
            other.history(client_id)


def test_the_phone_of_an_entry_is_masked_for_an_employee_who_may_not_see_contacts(crm: Crm) -> None:
    office = crm.console("kate", role="office")
    card = new_client(office, surname="Смсов", phones=["+79161112233"])
    office.send_sms(card.id, "office_hours", phone_id=card.phones[0].id)
    (shown,) = [e for e in office.history(card.id) if e.phone]
    operator = crm.console("olga", role="operator")  # the role: no view_contacts
    (masked,) = [e for e in operator.history(card.id) if e.phone]
    assert shown.phone == "+79161112233"
    assert masked.phone == "+7 *** ***-**-33" and masked.id == shown.id
