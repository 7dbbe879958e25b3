"""Auto-assignment's part of the Console contract, local and remote, on both engines: the rule is
edited through the port, applied on the server to a client entered over the API, and refused to
employees without the all-desks permission."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.assign.models import AssignMode, RegionsEdit, RuleEdit
from core.errors import NotFound, PermissionDenied
from core.port import Console
from tests.api.world import World, unique_phone
from tests.helpers import draft

SignIn = Callable[[str], Console]
DESK = "Assign desk"
_made: set[int] = set()


@pytest.fixture
def desk(world: World) -> int:
    """A desk of its own (the other API tests share the database): two managers, one who enters."""
    if id(world) not in _made:
        for login in ("as_m1", "as_m2"):
            world.crm.add_employee(login, role="operator", desks=(DESK,))
        world.crm.add_employee("as_in", role="office", desks=(DESK,))
        _made.add(id(world))
    return next(r.desk_id for r in world.local("adm").assign_rules() if r.desk == DESK)


def test_a_rule_set_through_the_port_assigns_clients_entered_over_it(sign_in: SignIn, world: World, desk: int) -> None:
    adm = sign_in("adm")
    rule = adm.set_assign_rule(desk, RuleEdit(mode=AssignMode.ROUND_ROBIN))
    assert rule in adm.assign_rules() and rule in world.local("adm").assign_rules()
    entry = sign_in("as_in")
    names = {entry.create_client(draft(phones=[unique_phone()]), allow_duplicate=True).responsible for _ in range(4)}
    assert names == {"As_m1 Testov", "As_m2 Testov"}
    adm.set_manager_regions(world.crm.repo.employee_by_login("as_m1").id, RegionsEdit(region_ids=[]))  # type: ignore[union-attr]
    adm.set_assign_rule(desk, RuleEdit(mode=AssignMode.OFF))
    assert entry.create_client(draft(phones=[unique_phone()]), allow_duplicate=True).responsible == "As_in Testov"


def test_editing_needs_a_head_of_the_desk(sign_in: SignIn, desk: int) -> None:
    operator = sign_in("op_a")
    with pytest.raises(PermissionDenied, match="Only a head of the desk"):
        operator.set_assign_rule(desk, RuleEdit(mode=AssignMode.LEAST_LOADED))
    assert DESK not in {r.desk for r in operator.assign_rules()}  # not their desk
    with pytest.raises(NotFound):
        sign_in("adm").set_assign_rule(2**31 - 1, RuleEdit(mode=AssignMode.OFF))
