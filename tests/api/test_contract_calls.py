"""The call part of the Console contract (K1-K16, O1-O4, C11), local and remote, on both engines."""

from __future__ import annotations

import inspect
import itertools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from core.access.rules import is_masked_phone
from core.calls.inputs import CallResult, CallState, VisitChoice
from core.calls.rules import SlotFull
from core.console import LocalConsole
from core.errors import NotFound, ValidationFailed
from core.idempotency import IdempotencyMismatch
from core.port import Console
from storage.remote import RemoteConsole
from tests.api.world import DESK_B, World
from tests.call_world import SCRIPTS, add_campaign, add_member, add_office, add_slot, product_id
from tests.helpers import MAIN_DESK

SignIn = Callable[[str], Console]
AGREED_PATH = [1, 1, 1, 4]  # halva: on the line -> convenient -> interested -> wants an office visit
_codes = itertools.count(1)


def campaign(world: World, desk: str = MAIN_DESK) -> int:
    # the server runs on the real clock: calling hours of the whole day, whenever the suite runs
    code = f"halva_api_{next(_codes)}"
    return add_campaign(world.crm, code, desk=desk, script=SCRIPTS["halva_cross_sell"], hours=("00:00", "23:59"))


def listed(world: World, campaign_id: int, desk: str = "A") -> int:
    card = world.client(desk)
    add_member(world.crm, campaign_id, card.id)
    return card.id


def visit_time() -> datetime:
    day = datetime.now(UTC).date() + timedelta(days=3)
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)  # 11:00 in Moscow


def test_both_consoles_implement_every_operation_of_the_port() -> None:
    for name, method in inspect.getmembers(Console, inspect.isfunction):
        if name.startswith("_"):
            continue
        port = list(inspect.signature(method).parameters)
        for impl in (LocalConsole, RemoteConsole):
            assert hasattr(impl, name), (impl.__name__, name)
            assert list(inspect.signature(getattr(impl, name)).parameters) == port, (impl.__name__, name)


def test_call_lists_next_client_script_and_start(sign_in: SignIn, world: World) -> None:
    camp = campaign(world)
    client_id = listed(world, camp)
    console = sign_in("op_a")
    lists = {c.campaign.id: c for c in console.call_lists()}
    assert lists[camp].fresh == 1
    assert [c.id for c in console.campaigns_for(client_id)] == [camp]
    assert console.script(camp).problems == []
    taken = console.next_client(camp)
    assert taken is not None and taken.id == client_id
    assert console.next_client(camp) is None  # taken for this operator; the list is empty now
    start = console.start_call(client_id, camp)
    assert is_masked_phone(start.phone) and start.campaign_id == camp and start.script is not None
    options = {o.code: o for o in console.result_options(client_id, camp, CallState(answers=AGREED_PATH))}
    assert options["agreed"].available and options["agreed"].script_suggests


def test_save_call_once_with_a_retried_key_and_a_full_slot(sign_in: SignIn, world: World) -> None:
    camp = campaign(world)
    office = add_office(world.crm, code=f"API-{next(_codes)}")
    region = world.crm.region_id("Москва")
    town = world.crm.town_id(region, "Москва")
    slot = add_slot(world.crm, office, visit_time())
    full = add_slot(world.crm, office, visit_time() + timedelta(hours=1), capacity=5, booked=5)
    products = [product_id(world.crm, "halva")]
    console = sign_in("op_a")

    def agreed(client_id: int, slot_id: int) -> CallResult:
        start = console.start_call(client_id, camp)
        return CallResult(
            client_id=client_id,
            campaign_id=camp,
            phone_id=start.phone_id,
            started_at=start.started_at,
            result="agreed",
            state=CallState(answers=AGREED_PATH, products=products),
            visit=VisitChoice(region_id=region, town_id=town, office_id=office, slot_id=slot_id),
        )

    client_id = listed(world, camp)
    call = agreed(client_id, slot)
    key = f"call-{uuid.uuid4()}"
    first = console.save_call(call, idempotency_key=key)
    assert (first.kind, first.result) == ("call", "agreed")
    assert console.save_call(call, idempotency_key=key) == first
    assert len([r for r in world.crm.rows("contact", client_id=client_id) if r.kind == "call"]) == 1
    assert world.crm.count("booking", client_id=client_id) == 1
    with pytest.raises(IdempotencyMismatch):
        console.save_call(call.model_copy(update={"comment": "other"}), idempotency_key=key)
    other = listed(world, camp)
    with pytest.raises(SlotFull) as slot_full:
        console.save_call(agreed(other, full))
    assert slot_full.value.code == "slot_full"
    assert world.crm.count("booking", client_id=other) == 0


def test_another_desks_campaign_does_not_exist(sign_in: SignIn, world: World) -> None:
    theirs = campaign(world, DESK_B)
    client_id = listed(world, theirs, desk="B")
    console = sign_in("op_a")
    assert theirs not in {c.campaign.id for c in console.call_lists()}
    for call in (
        lambda: console.script(theirs),
        lambda: console.next_client(theirs),
        lambda: console.start_call(client_id, theirs),
        lambda: console.campaigns_for(client_id),
    ):
        with pytest.raises(NotFound):
            call()


def test_offices_slots_and_products(sign_in: SignIn, world: World) -> None:
    code = f"API-{next(_codes)}"
    office = add_office(world.crm, code=code, keywords="м. Охотный Ряд")
    add_slot(world.crm, office, visit_time())
    console = sign_in("op_a")
    assert office in {o.id for o in console.offices(keyword="охотный")}
    assert console.office(office).code == code
    slots = console.office_slots(office, visit_time().date(), days=1)
    assert [(s.capacity, s.free, s.bookable) for s in slots] == [(5, 5, True)]
    assert {"halva", "deposit_best"} <= {p.code for p in console.products()}
    with pytest.raises(NotFound):
        console.office(2_000_000_000)


def test_credit_decision_needs_a_card_conversation(sign_in: SignIn, world: World) -> None:
    camp = campaign(world)
    client_id = listed(world, camp)
    console = sign_in("op_a")
    with pytest.raises(ValidationFailed) as refused:
        console.credit_decision(client_id, camp, CallState())
    assert refused.value.field == "credit"
    state = CallState(reached=True, products=[product_id(world.crm, "halva")])
    decision = console.credit_decision(client_id, camp, state, "4510", "123456", datetime(1980, 1, 2).date())
    assert decision.decision in ("approved", "declined")
