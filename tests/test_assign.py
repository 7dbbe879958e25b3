"""Auto-assignment (M1) on both engines: round robin is fair over 200 leads and skips a disabled
manager; least loaded; by region; a manager keeps their own lead; the card's history says so."""

from __future__ import annotations

from collections import Counter

import pytest

from core.assign import rules
from core.assign.models import AssignMode, RegionsEdit, RuleEdit
from core.errors import PermissionDenied, ValidationFailed
from storage.users import disable
from tests.helpers import MAIN_DESK, Crm, draft

MANAGERS = [f"mgr{i}" for i in range(1, 8)]
LEADS = 200  # 28 or 29 for each of the seven managers


def desk_id(crm: Crm) -> int:
    return next(r.desk_id for r in crm.repo.assign_rules(None) if r.desk == MAIN_DESK)


def responsible(crm: Crm) -> Counter[int]:
    return Counter(r.responsible_id for r in crm.rows("client"))


@pytest.fixture
def desk(crm: Crm):  # type: ignore[no-untyped-def]
    boss = crm.console("boss", role="administration")  # the rules of every desk are set with all_desks
    for login in [*MANAGERS, "gone"]:
        crm.add_employee(login, role="operator")
    disable(crm.engine, "gone")
    entry = crm.console("entry", role="office")  # enters clients, is no manager
    return crm, boss, entry


def test_round_robin_is_fair_over_two_hundred_leads_and_skips_the_disabled(desk) -> None:  # type: ignore[no-untyped-def]
    crm, boss, entry = desk
    boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.ROUND_ROBIN))
    for n in range(LEADS):
        entry.create_client(draft(phones=[f"+7916{n:07d}"]), allow_duplicate=True)
    counts = responsible(crm)
    ids = {crm.repo.employee_by_login(m).id for m in MANAGERS}
    assert set(counts) == ids  # every client went to one of the seven; none to "gone" or "entry"
    assert max(counts.values()) - min(counts.values()) <= 1
    assert sum(counts.values()) == LEADS


def test_least_loaded_fills_the_emptiest_first(desk) -> None:  # type: ignore[no-untyped-def]
    crm, boss, entry = desk
    boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.ROUND_ROBIN))
    for n in range(14):
        entry.create_client(draft(phones=[f"+7917{n:07d}"]), allow_duplicate=True)  # two each
    crm.add_employee("newbie", role="operator")
    boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.LEAST_LOADED))
    for n in range(2):
        entry.create_client(draft(phones=[f"+7918{n:07d}"]), allow_duplicate=True)
    newbie = crm.repo.employee_by_login("newbie").id
    assert responsible(crm)[newbie] == 2


def test_by_region_prefers_the_regions_managers(desk) -> None:  # type: ignore[no-untyped-def]
    crm, boss, entry = desk
    region = crm.repo.regions()[0].id
    local = crm.repo.employee_by_login("mgr5").id
    boss.set_manager_regions(local, RegionsEdit(region_ids=[region]))
    boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.ROUND_ROBIN, by_region=True))
    cards = [
        entry.create_client(draft(phones=[f"+7919{n:07d}"], region_id=region), allow_duplicate=True) for n in range(3)
    ]
    other = entry.create_client(draft(phones=["+79190000099"]), allow_duplicate=True)  # no region: anyone
    assert {c.id for c in cards} == {r.id for r in crm.rows("client", responsible_id=local)} - {other.id}


def test_the_assignment_is_on_the_card_and_a_manager_keeps_their_own_lead(desk) -> None:  # type: ignore[no-untyped-def]
    crm, boss, entry = desk
    boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.ROUND_ROBIN))
    card = entry.create_client(draft(phones=["+79160000001"]))
    (assigned,) = [h for h in crm.rows("contact", client_id=card.id) if h.result == "assigned"]
    assert assigned.comment == card.responsible == "Mgr1 Testov"
    own = crm.sign_in("mgr3").create_client(draft(phones=["+79160000002"]))
    assert own.responsible == "Mgr3 Testov"
    assert not [h for h in crm.rows("contact", client_id=own.id) if h.result == "assigned"]


def test_only_a_supervisor_edits_the_rules(desk) -> None:  # type: ignore[no-untyped-def]
    crm, boss, entry = desk
    with pytest.raises(PermissionDenied):
        entry.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.LEAST_LOADED))
    rule = boss.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.LEAST_LOADED, roles=["operator", "office"]))
    assert (rule.mode, rule.roles) == (AssignMode.LEAST_LOADED, ["operator", "office"])
    assert [r for r in entry.assign_rules() if r.desk == MAIN_DESK] == [rule]
    with pytest.raises(ValidationFailed) as unknown:
        boss.set_manager_regions(crm.repo.employee_by_login("mgr1").id, RegionsEdit(region_ids=[2**31 - 1]))
    assert unknown.value.field == "region_ids"


def test_round_robin_takes_the_next_id_and_wraps() -> None:
    assert rules.round_robin([5, 2, 9], None) == 2
    assert rules.round_robin([5, 2, 9], 5) == 9
    assert rules.round_robin([5, 2, 9], 9) == 2
    assert rules.round_robin([5, 2, 9], 7) == 9  # the last one left the pool: the turn goes on


def test_least_loaded_ties_go_to_the_lower_id() -> None:
    assert rules.least_loaded({4: 3, 2: 3, 9: 1}) == 9
    assert rules.least_loaded({4: 3, 2: 3}) == 2


def test_region_candidates_fall_back_to_everyone() -> None:
    a, b = rules.Manager(1, 0, frozenset({10})), rules.Manager(2, 0, frozenset())
    assert rules.candidates([a, b], 10, True) == [a]
    assert rules.candidates([a, b], 11, True) == [a, b]
    assert rules.candidates([a, b], 10, False) == [a, b]
    assert rules.pick(AssignMode.OFF, [a, b], None, False, None) is None


def test_a_desks_supervisor_sets_its_rule_and_managers_but_not_another_desks(crm: Crm) -> None:
    """S4 keeps a supervisor on their own desks; heading them (C17's hand-over) is what lets them
    set the desk's assignment rule and its managers' regions (M1), and share views (M5)."""
    from sqlalchemy import insert

    from core.errors import NotFound
    from core.work.inputs import ViewDraft
    from storage.engine import write
    from storage.tables import DeskRow

    with write(crm.engine) as conn:
        conn.execute(insert(DeskRow).values(name="Retention"))
    head = crm.console("head")  # a supervisor of the main desk only
    crm.add_employee("theirs", role="operator", desks=("Retention",))
    other = next(r.desk_id for r in crm.repo.assign_rules(None) if r.desk == "Retention")
    rule = head.set_assign_rule(desk_id(crm), RuleEdit(mode=AssignMode.LEAST_LOADED))
    assert rule.mode is AssignMode.LEAST_LOADED
    with pytest.raises(NotFound):
        head.set_assign_rule(other, RuleEdit(mode=AssignMode.LEAST_LOADED))
    mine = crm.console("mine", role="operator")
    head.set_manager_regions(mine.whoami().id, RegionsEdit(region_ids=[crm.repo.regions()[0].id]))
    with pytest.raises(NotFound):  # an employee of another desk is not one of mine
        head.set_manager_regions(crm.repo.employee_by_login("theirs").id, RegionsEdit(region_ids=[]))
    assert head.save_view(ViewDraft(name="Shared", subject="clients", shared=True)).shared
    with pytest.raises(PermissionDenied):
        mine.save_view(ViewDraft(name="Mine too", subject="clients", shared=True))
