"""Hand-over (C17) and merging duplicate cards (F3): the rules, and the store keeping every row."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from core.access.rules import Permission, format_permissions
from core.custody import rules
from core.custody.inputs import HandOver, MergeRequest
from core.custody.store import MergeSide
from core.errors import NotFound, PermissionDenied, ValidationFailed
from storage.engine import read, write
from storage.tables import (
    BookingRow,
    CardTransactionRow,
    ClientProductRow,
    ClientRow,
    ProductRow,
    RoleRow,
    metadata,
)
from tests.call_world import add_campaign, add_member, add_office, add_slot
from tests.helpers import T0, Crm, new_client

DESK_B = "Desk B"
# a supervisor of one desk: hands over and merges, without the all-desks permission
KEEPER = {Permission.HAND_OVER, Permission.MERGE_CLIENTS, Permission.COMMENT, Permission.CREATE_CLIENT}


def keeper(crm: Crm, login: str = "kira"):  # type: ignore[no-untyped-def]
    with write(crm.engine) as conn:
        if conn.scalar(select(RoleRow.id).where(RoleRow.code == "keeper")) is None:
            conn.execute(insert(RoleRow).values(code="keeper", name="Keeper", permissions=format_permissions(KEEPER)))
    return crm.console(login, role="keeper")


def side(**values: object) -> MergeSide:
    base: dict[str, object] = dict(
        id=1, surname="Иванов", first_name="Иван", patronymic="", birth_date=None, client_type="interested",
        lifecycle="lead", region_id=None, region=None, town_id=None, town=None, passport_series=None,
        passport_number=None, passport_key=None, language="ru", do_not_disturb=False, referrer_id=None,
        referrer=None, referrer_desk_id=None, desk_id=1, desk="Main desk", merged_into=None,
        personal_version=1, contact_version=1,
    )  # fmt: skip
    return MergeSide(**{**base, **values})  # type: ignore[arg-type]


# --- rules --------------------------------------------------------------------------------------


def test_the_desk_of_a_handed_over_client() -> None:
    assert rules.hand_over_desk(1, [1, 2], None, None) == 1  # the new manager works its desk: kept
    assert rules.hand_over_desk(3, [2], None, None) == 2  # their only desk
    assert rules.hand_over_desk(3, [1, 2], 2, None) == 2
    with pytest.raises(ValidationFailed, match="several desks"):
        rules.hand_over_desk(3, [1, 2], None, None)
    assert rules.hand_over_desk(3, [1, 2], None, [2]) == 2  # the only one the sender sees
    with pytest.raises(ValidationFailed, match="does not work that desk"):
        rules.hand_over_desk(3, [1, 2], 1, [2])  # S4: never a desk the sender may not see
    with pytest.raises(NotFound):
        rules.hand_over_desk(3, [1], None, [2])


def test_merged_values_take_only_the_chosen_differing_fields() -> None:
    survivor = side(id=1, surname="Иванов", birth_date=date(1980, 1, 2), passport_series="4510", passport_key="a")
    merged = side(id=2, surname="Иваноф", birth_date=date(1980, 1, 2), passport_series="4511", passport_key="b")
    values, audits = rules.merged_values(survivor, merged, {"surname": "merged", "birth_date": "merged"})
    assert values["surname"] == "Иваноф" and "birth_date" not in values  # the same on both: nothing to take
    assert values["name_key"] and values["name_latin"]  # the search keys follow the name
    assert [(a.field, a.old, a.new) for a in audits] == [("surname", "Иванов", "Иваноф")]
    values, _ = rules.merged_values(survivor, merged, {"passport": "merged"})
    assert values == {"passport_series": "4511", "passport_number": None, "passport_key": "b"}
    assert rules.merged_values(survivor, merged, {"passport": "survivor"}) == ({}, [])


def test_a_referrer_naming_the_survivor_is_dropped() -> None:
    values, _ = rules.merged_values(side(id=1), side(id=2, referrer_id=1), {"referrer": "merged"})
    assert values == {"referrer_id": None}


def test_the_comparison_hides_a_referrer_of_another_desk() -> None:
    survivor = side(id=1, referrer_id=7, referrer="Петров Пётр", referrer_desk_id=2)
    fields = {f.field: f for f in rules.compare(survivor, side(id=2), [1])}
    assert list(fields) == list(rules.MERGE_FIELDS)
    assert (fields["referrer"].survivor, fields["referrer"].differs) == (rules.HIDDEN, True)
    assert fields["surname"].differs is False


def test_two_memberships_of_one_campaign_become_one() -> None:
    t1, t2 = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 5, tzinfo=UTC)
    kept = {"state": "done", "next_call_at": None, "attempts": 2, "last_call_at": t1}
    other = {"state": "callback", "next_call_at": t2, "attempts": 1, "last_call_at": t2}
    assert rules.combined_membership(kept, other) == {
        "attempts": 3, "last_call_at": t2, "state": "callback", "next_call_at": t2,
    }  # fmt: skip


def test_the_pair_must_be_two_open_cards() -> None:
    with pytest.raises(ValidationFailed, match="two different cards"):
        rules.check_pair(side(), side(), 1, 1)
    with pytest.raises(NotFound):
        rules.check_pair(side(id=1), side(id=2, merged_into=5), 1, 2)


# --- merging through the console ------------------------------------------------------------------


def _counts(crm: Crm) -> dict[str, int]:
    return {name: crm.count(name) for name in metadata.tables}


def _insert_money(crm: Crm, client_id: int, n: int) -> None:
    with write(crm.engine) as conn:
        product = conn.scalar(select(ProductRow.id).where(ProductRow.is_card.is_(True)).limit(1))
        held = conn.execute(
            insert(ClientProductRow).values(client_id=client_id, product_id=product, opened_on=date(2024, 1, n))
        ).inserted_primary_key[0]
        conn.execute(
            insert(CardTransactionRow).values(
                client_id=client_id, client_product_id=held, at=T0, kind="deposit", amount=Decimal("10.00") * n
            )
        )


def test_a_merge_keeps_every_row_and_the_old_id_opens_the_survivor(crm: Crm) -> None:
    boss = crm.console("boss", role="supervisor")
    office = crm.console("olga", role="office")
    survivor = new_client(office, surname="Дублев", phones=["+79161110001", "+79161110002"], email="a@x.ru")
    merged = new_client(
        office, allow_duplicate=True, surname="Дублёв", first_name="Пётр", phones=["+79161110001", "+79161110003"],
        email="b@x.ru", passport_series="4510", passport_number="123456",
    )  # fmt: skip
    assert merged.possible_duplicate
    referred = new_client(office, surname="Рекомендов", phones=["+79161110009"], referrer_id=merged.id)
    boss.add_comment(merged.id, "old note")
    office.send_sms(merged.id, "callback", phone_id=merged.phones[1].id)
    for card, n in ((survivor, 1), (merged, 2)):
        _insert_money(crm, card.id, n)
    shared, own = add_campaign(crm, "shared_list"), add_campaign(crm, "own_list")
    add_member(crm, shared, survivor.id, attempts=1)
    add_member(crm, shared, merged.id, attempts=2)
    add_member(crm, own, merged.id)
    slot = add_slot(crm, add_office(crm), T0 + timedelta(days=1))
    with write(crm.engine) as conn:
        conn.execute(insert(BookingRow).values(slot_id=slot, client_id=merged.id, created_at=T0))
    before = _counts(crm)

    groups = boss.duplicate_groups()
    assert [(g.card.id, [m.id for m in g.matches]) for g in groups] == [(merged.id, [survivor.id])]
    compared = boss.compare_cards(survivor.id, merged.id)
    differing = {f.field for f in compared.fields if f.differs}
    assert differing == {"surname", "first_name", "passport"}
    assert compared.merged_rows["phones"] == 2 and compared.merged_rows["linked"] == 1
    result = boss.merge_clients(
        survivor.id, MergeRequest(merged_id=merged.id, keep={"first_name": "merged", "passport": "merged"})
    )

    after = _counts(crm)
    changed = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    # one shared phone and one shared campaign kept once; the merge entry, its audit row, its record
    assert changed == {"phone": -1, "campaign_member": -1, "contact": 1, "contact_change": 1, "client_merge": 1}
    for table in metadata.tables.values():
        if "client_id" in table.c and table.name not in ("client_merge",):
            assert crm.count(table.name, client_id=merged.id) == 0, table.name
    card = result.card
    assert card.id == survivor.id and card.first_name == "Пётр" and card.passport_number == "123456"
    assert card.surname == "Дублев"
    assert sorted(p.number for p in card.phones) == ["+79161110001", "+79161110002", "+79161110003"]
    assert sorted(e.address for e in card.emails) == ["a@x.ru", "b@x.ru"]
    assert {"old note", f"{merged.id} -> {survivor.id}"} <= {h.comment for h in card.history}
    assert len(card.products) == 2 and len(card.transactions) == 2 and not card.possible_duplicate
    assert [c.id for c in card.linked] == [referred.id]
    assert crm.repo.member(shared, survivor.id).attempts == 3
    assert boss.open_card(merged.id).id == survivor.id  # the old id opens the survivor
    assert [s.id for s in boss.search(str(merged.id))] == [survivor.id]
    assert merged.id not in {s.id for s in boss.search("дублев")}
    assert boss.duplicate_groups() == []
    boss.add_comment(merged.id, "after the merge")  # writes through the old id land on the survivor
    assert crm.count("contact", client_id=merged.id) == 0
    with pytest.raises(NotFound):
        boss.merge_clients(survivor.id, MergeRequest(merged_id=merged.id))


def test_merging_needs_the_permission_and_both_cards_visible(crm: Crm) -> None:
    operator = crm.console("oleg", role="operator")
    boss = keeper(crm)
    office_b = crm.console("bella", role="office", desks=(DESK_B,))
    mine = new_client(crm.console("olga", role="office"), surname="Свой", phones=["+79161120001"])
    theirs = new_client(office_b, surname="Чужой", phones=["+79161120002"])
    with pytest.raises(PermissionDenied):
        operator.merge_clients(mine.id, MergeRequest(merged_id=theirs.id))
    with pytest.raises(PermissionDenied):
        operator.duplicate_groups()
    for a, b in ((mine.id, theirs.id), (theirs.id, mine.id)):
        with pytest.raises(NotFound, match=str(theirs.id)):
            boss.compare_cards(a, b)
        with pytest.raises(NotFound):
            boss.merge_clients(a, MergeRequest(merged_id=b))
    assert crm.count("client_merge") == 0


# --- hand-over ------------------------------------------------------------------------------------


def test_a_hand_over_moves_the_client_and_keeps_its_history(crm: Crm) -> None:
    admin = crm.console("root", role="admin", desks=("Main desk", DESK_B))
    olga = crm.console("olga", role="office")
    bella = crm.console("bella", role="office", desks=(DESK_B,))
    card = new_client(olga, surname="Передаев", phones=["+79161130001"])
    olga.add_comment(card.id, "first talk")
    bella_id = next(m.id for m in admin.hand_over_managers() if m.login == "bella")
    result = admin.hand_over(HandOver(to_employee_id=bella_id, client_ids=[card.id]))
    assert (result.to_employee, [(c.client_id, c.from_employee, c.desk) for c in result.clients]) == (
        "Bella Testov",
        [(card.id, "Olga Testov", DESK_B)],
    )
    seen = bella.open_card(card.id)  # the new manager reads the whole history
    assert seen.responsible == "Bella Testov"
    assert [(h.result, h.comment) for h in seen.history][:2] == [
        ("handed_over", "Olga Testov -> Bella Testov"),
        (None, "first talk"),
    ]
    assert seen.history_total == 3
    with pytest.raises(NotFound):
        olga.open_card(card.id)  # the old manager, of another desk now, no longer sees it
    (record,) = crm.rows("hand_over", client_id=card.id)
    assert (record.from_employee_id, record.to_employee_id) != (None, None)
    assert admin.hand_over(HandOver(to_employee_id=bella_id, client_ids=[card.id])).clients == []  # theirs already


def test_a_bulk_hand_over_by_search_is_all_or_nothing(crm: Crm) -> None:
    boss = keeper(crm)
    crm.add_employee("sam", role="sme")
    olga = crm.console("olga", role="office")
    cards = [new_client(olga, surname="Массов", phones=[f"+7916114000{i}"]) for i in range(3)]
    office_b = crm.console("bella", role="office", desks=(DESK_B,))
    theirs = new_client(office_b, surname="Массов", phones=["+79161149999"])
    sam = next(m for m in boss.hand_over_managers() if m.login == "sam")
    assert "bella" not in {m.login for m in boss.hand_over_managers()}  # not of the sender's desks
    with pytest.raises(NotFound):
        boss.hand_over(HandOver(to_employee_id=sam.id, client_ids=[cards[0].id, theirs.id]))
    with read(crm.engine) as conn:
        assert set(conn.scalars(select(ClientRow.responsible_id).where(ClientRow.surname == "Массов"))) != {sam.id}
    assert crm.count("hand_over") == 0
    result = boss.hand_over(HandOver(to_employee_id=sam.id, query="массов"))
    assert sorted(c.client_id for c in result.clients) == sorted(c.id for c in cards)  # never Desk B's card
    with pytest.raises(NotFound, match="manager"):
        boss.hand_over(HandOver(to_employee_id=office_b.whoami().id, client_ids=[cards[0].id]))
    with pytest.raises(ValidationFailed, match="Choose the clients"):
        boss.hand_over(HandOver(to_employee_id=sam.id))


def test_hand_over_needs_the_permission(crm: Crm) -> None:
    operator = crm.console("oleg", role="operator")
    card = new_client(crm.console("olga", role="office"), phones=["+79161150001"])
    with pytest.raises(PermissionDenied):
        operator.hand_over(HandOver(to_employee_id=operator.whoami().id, client_ids=[card.id]))
    with pytest.raises(PermissionDenied):
        operator.hand_over_managers()
