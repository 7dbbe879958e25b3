"""Offices, visiting times, products and the credit bureau through the Console (O1-O4, C11)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.calls.inputs import CallState
from core.errors import ValidationFailed
from tests.call_world import add_member, add_office, add_slot, client
from tests.helpers import Crm
from tests.save_world import World


@pytest.fixture
def world(crm: Crm) -> World:
    return World(crm)


# --- offices, slots, products, credit bureau ---------------------------------------------------


def test_offices_by_town_and_keyword(world: World) -> None:
    crm = world.crm
    add_office(
        crm,
        "MSK-02",
        name="Офис «Киевская»",
        address="пл. Киевского Вокзала, д. 2",
        keywords="м. Киевская, ТЦ Европейский",
    )
    add_office(
        crm,
        "SPB-01",
        town="Санкт-Петербург",
        region="Санкт-Петербург",
        name="Офис «Невский»",
        address="Невский пр-т, д. 48",
        keywords="м. Гостиный двор",
    )
    console = world.console
    assert [o.code for o in console.offices(world.region, world.town)] == ["MSK-02", "MSK-01"]
    assert [o.code for o in console.offices(world.region, world.town, "ЕВРОПЕЙСКИЙ")] == ["MSK-02"]
    assert [o.code for o in console.offices(world.region, world.town, "пушкинская")] == ["MSK-01"]
    assert console.offices(world.region, world.town, "гостиный") == []
    detail = console.office(world.office)
    assert (detail.region, detail.town, detail.address) == ("Москва", "Москва", "ул. Тверская, д. 22")


def test_office_slots_of_a_date_range(world: World) -> None:
    crm = world.crm
    add_slot(crm, world.office, datetime(2025, 3, 10, 7, 0, tzinfo=UTC), booked=2)  # today 10:00 MSK: past
    add_slot(crm, world.office, datetime(2025, 3, 14, 21, 30, tzinfo=UTC))  # 15 March 00:30 MSK: out of range
    add_slot(crm, world.office, datetime(2025, 3, 13, 9, 0, tzinfo=UTC), booked=5)
    slots = world.console.office_slots(world.office, date(2025, 3, 10), days=5)
    assert [(s.starts_at.day, s.starts_at.hour, s.free, s.bookable) for s in slots] == [
        (10, 7, 3, False),
        (13, 8, 5, True),
        (13, 9, 0, False),
    ]


def test_products_by_category(world: World) -> None:
    products = world.console.products()
    halva = next(p for p in products if p.code == "halva")
    assert (halva.category, halva.category_label, halva.is_card) == ("credit", "Credit", True)
    assert {p.category for p in products} == {
        "credit",
        "deposit",
        "commission",
        "credit_doctor",
        "internal_project",
        "sme",
    }


def test_credit_decision_only_in_a_card_conversation(world: World) -> None:
    card = client(world.console, passport_series="4510", passport_number="123456")
    add_member(world.crm, world.campaign, card.id)
    with pytest.raises(ValidationFailed, match="card product"):
        world.console.credit_decision(card.id, world.campaign, CallState(answers=[1]))  # at "convenient?"
    decision = world.console.credit_decision(card.id, world.campaign, CallState(answers=[1, 1]))  # the offer
    assert decision.decision in ("approved", "declined")
    assert (decision.passport_series, decision.passport_number) == ("4510", "123456")  # prefilled from the card
    again = world.console.credit_decision(card.id, world.campaign, CallState(reached=True, products=[world.halva]))
    assert again.decision == decision.decision
