"""The floor's part of the Console contract, local and remote, on both engines: a call started by
one console shows on another's floor, the result form's mark, 403 without the permission, the
desk rule, and an employee's calls of today."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from core.access.rules import Permission
from core.admin.inputs import NewRole
from core.calls.inputs import CallResult
from core.errors import NotFound, PermissionDenied
from core.port import Console
from tests.api.world import World
from tests.call_world import add_campaign, add_member
from tests.helpers import MAIN_DESK

SignIn = Callable[[str], Console]
_codes = itertools.count(1)


@pytest.fixture
def lead(world: World) -> str:
    """An employee of the main desk who sees the floor, without every desk."""
    if not world.crm.count("employee", login="flead"):
        world.local("adm").add_role(NewRole(code="floor_lead", name="Floor lead", permissions=[Permission.VIEW_FLOOR]))
        world.crm.add_employee("flead", role="floor_lead", desks=(MAIN_DESK,))
    return "flead"


def test_a_call_started_elsewhere_shows_on_the_floor(sign_in: SignIn, world: World, lead: str) -> None:
    campaign = add_campaign(world.crm, f"floor_{next(_codes)}", desk=MAIN_DESK, script="")
    card = world.client("A", surname="Флоров")
    add_member(world.crm, campaign, card.id)
    login = f"floor_op_{next(_codes)}"  # an operator of its own: the world's op_a may be in a call of another test
    world.crm.add_employee(login, role="operator", desks=(MAIN_DESK,))
    operator, boss = sign_in(login), sign_in(lead)

    start = operator.start_call(card.id, campaign)
    shown = next(e for e in boss.floor().employees if e.employee_id == operator.whoami().id)
    assert (shown.state, shown.client_id) == ("call", card.id) and shown.client.startswith("Флоров")

    operator.mark_result_form(card.id)
    assert next(e for e in boss.floor().employees if e.employee_id == operator.whoami().id).state == "form"

    operator.save_call(CallResult(client_id=card.id, campaign_id=campaign, phone_id=start.phone_id,
                                  started_at=start.started_at, result="not_reached", reason="no_answer"))  # fmt: skip
    shown = next(e for e in boss.floor().employees if e.employee_id == operator.whoami().id)
    assert (shown.state, shown.last_result) == ("idle", "not_reached") and shown.calls >= 1
    calls = boss.floor_calls(operator.whoami().id)
    assert calls[0].client_id == card.id and calls[0].result == "not_reached"
    listed = next(c for c in boss.floor().campaigns if c.campaign_id == campaign)
    assert (listed.dialled_today, listed.retries, listed.fresh) == (1, 1, 0)


def test_local_and_remote_agree(sign_in: SignIn, world: World) -> None:
    here, there = world.local("adm"), sign_in("adm")
    a, b = here.floor(), there.floor()
    assert [(e.employee_id, e.state, e.calls) for e in a.employees] == [
        (e.employee_id, e.state, e.calls) for e in b.employees
    ]
    assert [c.model_dump(exclude={"hours"}) for c in a.campaigns] == [
        c.model_dump(exclude={"hours"}) for c in b.campaigns
    ]


def test_without_the_permission(sign_in: SignIn) -> None:
    operator = sign_in("op_a")
    with pytest.raises(PermissionDenied, match="Your role may not see the floor."):
        operator.floor()
    with pytest.raises(PermissionDenied):
        operator.floor_calls(operator.whoami().id)


def test_the_desk_rule(sign_in: SignIn, world: World, lead: str) -> None:
    sign_in("op_b")  # signed in: on the floor of whoever sees desk B
    far = world.crm.repo.employee_by_login("op_b").id  # type: ignore[union-attr]
    boss = sign_in(lead)
    assert far not in {e.employee_id for e in boss.floor().employees}
    assert far in {e.employee_id for e in sign_in("adm").floor().employees}
    with pytest.raises(NotFound):
        boss.floor_calls(far)


def test_two_consoles_of_one_employee(sign_in: SignIn, world: World, lead: str) -> None:
    campaign = add_campaign(world.crm, f"floor_{next(_codes)}", desk=MAIN_DESK, script="")
    card = world.client("A", surname="Двоев")
    add_member(world.crm, campaign, card.id)
    login = f"twice_{next(_codes)}"
    world.crm.add_employee(login, role="operator", desks=(MAIN_DESK,))
    first, second, boss = sign_in(login), sign_in(login), sign_in(lead)
    me = first.whoami().id

    first.start_call(card.id, campaign)
    third = sign_in(login)  # signed in during the call: the call still shows
    assert [e.state for e in boss.floor().employees if e.employee_id == me] == ["call"]

    first.sign_out()
    assert [e.state for e in boss.floor().employees if e.employee_id == me] == ["idle"]
    second.sign_out()
    third.sign_out()
    assert me not in {e.employee_id for e in boss.floor().employees}
