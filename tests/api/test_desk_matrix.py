"""S4 over HTTP: every route that takes an id × every role × a card of the own and of another desk.

An object of another desk answers 404 (as if it did not exist) and lists never contain one, for
every role without the all-desks permission. A route with a path parameter that is missing from
the matrix fails the test: new routes must be added here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.access.rules import Permission
from core.clients.duplicates import ASK_SUPERVISOR
from core.clients.models import ClientCard
from tests.api.test_http import sign_in
from tests.api.world import DESK_B, STAFF, World, unique_phone
from tests.call_world import SCRIPTS, add_campaign, add_member
from tests.helpers import MAIN_DESK

V1 = "/api/v1"


@dataclass
class Target:
    """The desk objects one call is made on: a card (listed on an all-desks campaign) and a campaign
    of the same desk."""

    card: ClientCard
    campaign_id: int  # of the card's desk
    shared_campaign_id: int  # of no desk, the card on its list


@dataclass
class Case:
    body: Callable[[Target], dict[str, Any] | None] = lambda t: None
    params: dict[str, Any] | None = None


# (method, path) -> how to call it. {client_id} is the target's card, {campaign_id} its campaign.
MATRIX: dict[tuple[str, str], Case] = {
    ("GET", f"{V1}/clients/{{client_id}}"): Case(),
    ("GET", f"{V1}/clients/{{client_id}}/history"): Case(params={"limit": 5}),
    ("PUT", f"{V1}/clients/{{client_id}}/personal"): Case(
        lambda t: {"surname": "Матрицын", "first_name": "Марк", "expected_version": t.card.personal_version}
    ),
    ("PUT", f"{V1}/clients/{{client_id}}/contacts"): Case(
        lambda t: {"phones": [{"number": unique_phone()}], "expected_version": t.card.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/phone-strikes"): Case(
        lambda t: {"phone_id": t.card.phones[0].id, "reason": "wrong", "expected_version": t.card.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/comments"): Case(lambda t: {"text": "matrix"}),
    ("POST", f"{V1}/clients/{{client_id}}/sms"): Case(
        lambda t: {"template_code": "callback", "phone_id": t.card.phones[0].id}
    ),
    ("GET", f"{V1}/clients/{{client_id}}/campaigns"): Case(),
    ("POST", f"{V1}/clients/{{client_id}}/calls/start"): Case(lambda t: {"campaign_id": t.shared_campaign_id}),
    ("POST", f"{V1}/clients/{{client_id}}/calls/options"): Case(lambda t: {"campaign_id": t.shared_campaign_id}),
    ("POST", f"{V1}/clients/{{client_id}}/calls/credit-decision"): Case(
        lambda t: {"campaign_id": t.shared_campaign_id, "state": {"reached": True}}
    ),
    ("GET", f"{V1}/campaigns/{{campaign_id}}/script"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/next-client"): Case(),
    ("PUT", f"{V1}/campaigns/{{campaign_id}}"): Case(
        lambda t: {"code": f"matrix_edit_{t.campaign_id}", "name": "Matrix", "desk_id": t.card.desk_id}
    ),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/pause"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/resume"): Case(),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/members"): Case(lambda t: {"client_ids": [t.card.id]}),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/members/remove"): Case(lambda t: {"client_ids": [t.card.id]}),
    ("POST", f"{V1}/campaigns/{{campaign_id}}/recycle"): Case(lambda t: {"exhausted": True}),
    ("GET", f"{V1}/campaigns/{{campaign_id}}/script-version"): Case(params={"version": 0}),
}
# Routes with an id that is not a desk object, and why.
EXEMPT = {
    ("GET", f"{V1}/regions/{{region_id}}/towns"): "reference data, the same for every desk",
    ("GET", f"{V1}/offices/{{office_id}}"): "offices serve every desk (O1)",
    ("GET", f"{V1}/offices/{{office_id}}/slots"): "offices serve every desk (O2)",
    ("GET", f"{V1}/imports/{{import_id}}"): "an import is its importer's; others' answer 404 (tests/test_imports.py)",
}
_codes = itertools.count(1)


def target(world: World, desk: str, shared_campaign_id: int) -> Target:
    card = world.client(desk, surname="Матрицын", phones=2)
    add_member(world.crm, shared_campaign_id, card.id)
    campaign_id = add_campaign(
        world.crm, f"matrix_{next(_codes)}", desk=DESKS[desk], script=SCRIPTS["halva_cross_sell"]
    )
    add_member(world.crm, campaign_id, card.id)
    return Target(card, campaign_id, shared_campaign_id)


DESKS = {"A": MAIN_DESK, "B": DESK_B}
ROLES = [login for login, (_role, desks) in STAFF.items() if desks == ("Main desk",) or login == "adm"]


def id_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path) with a path parameter, from the app's own OpenAPI document (it lists
    every route; FastAPI keeps included routers lazily, so `app.routes` does not)."""
    return {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if "{" in path
        for method in operations
    }


@pytest.fixture
def http(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.target)) as client:
        yield client


def test_every_route_with_an_id_is_in_the_matrix(http: TestClient) -> None:
    routes = id_routes(http.app)
    missing = routes - set(MATRIX) - set(EXEMPT)
    assert not missing, f"routes taking an id missing from the desk matrix: {sorted(missing)}"
    assert set(MATRIX) <= routes, f"matrix rows without a route: {sorted(set(MATRIX) - routes)}"


@pytest.mark.parametrize("login", ROLES)
def test_routes_with_an_id_hide_other_desks(http: TestClient, world: World, login: str) -> None:
    headers = sign_in(http, world, login)
    me = http.get(f"{V1}/auth/me", headers=headers).json()
    all_desks = Permission.ALL_DESKS in me["permissions"]
    shared = add_campaign(world.crm, f"matrix_{next(_codes)}", script=SCRIPTS["halva_cross_sell"])
    for (method, path), case in MATRIX.items():
        answers = {}
        for desk in ("A", "B"):
            t = target(world, desk, shared)
            url = path.replace("{client_id}", str(t.card.id)).replace("{campaign_id}", str(t.campaign_id))
            answer = http.request(method, url, json=case.body(t), params=case.params, headers=headers)
            assert answer.status_code < 500, (method, path, answer.text)
            answers[desk] = answer.status_code
            if desk == "B" and not all_desks and answer.status_code != 403:
                assert answer.status_code == 404, (login, method, path, answer.text)
                assert answer.json()["error"] == "not_found"
                assert t.card.phones[0].number not in answer.text and "Матрицын" not in answer.text
            else:
                assert answer.status_code != 404, (login, method, path, desk, answer.text)
        if all_desks:
            assert answers["A"] == answers["B"], (login, method, path)
        if answers["B"] == 403:  # refused for the role before any desk check: the same for its own desk
            assert answers["A"] == 403, (login, method, path)


@pytest.mark.parametrize("login", ROLES)
def test_lists_never_hold_another_desks_card(http: TestClient, world: World, login: str) -> None:
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    theirs = world.client("B", surname="Скрытов")
    phone = theirs.phones[0].number
    for query in (phone, "скрытов", str(theirs.id)):
        found = http.get(f"{V1}/clients", params={"q": query, "limit": 500}, headers=headers).json()
        assert (theirs.id in {s["id"] for s in found}) == all_desks, (login, query)
    draft = {"surname": "Скрытов", "first_name": "С", "phones": [phone]}
    duplicates = http.post(f"{V1}/clients/duplicates", json=draft, headers=headers).json()
    assert (theirs.id in {s["id"] for s in duplicates}) == all_desks
    created = http.post(f"{V1}/clients", json=draft, headers=headers)
    if created.status_code == 422:
        assert (theirs.id in {m["id"] for m in created.json()["matches"]}) == all_desks
        if not all_desks:  # core.clients.duplicates: nothing about the other desk's card, nor what matched
            assert created.json() == {"error": "duplicate", "message": ASK_SUPERVISOR, "matches": []}


@pytest.mark.parametrize("login", ROLES)
def test_a_referrer_of_another_desk_cannot_be_named(http: TestClient, world: World, login: str) -> None:
    """Ids inside bodies obey the desks too: recommending from another desk's card fails."""
    headers = sign_in(http, world, login)
    perms = http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    theirs = world.client("B")
    draft = {"surname": "Рекомендов", "first_name": "Р", "phones": [unique_phone()], "referrer_id": theirs.id}
    answer = http.post(f"{V1}/clients", json=draft, headers=headers)
    if Permission.CREATE_CLIENT not in perms or Permission.ENTER_RECOMMENDATION not in perms:
        assert answer.status_code == 403
    elif Permission.ALL_DESKS in perms:
        assert answer.status_code == 201
    else:
        assert answer.status_code == 404


@pytest.mark.parametrize("login", ROLES)
def test_a_call_result_for_another_desks_client_or_campaign_is_refused(
    http: TestClient, world: World, login: str
) -> None:
    """Ids inside the body of POST /calls obey the desks too."""
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    shared = add_campaign(world.crm, f"matrix_{next(_codes)}", script=SCRIPTS["halva_cross_sell"])
    for desk in ("A", "B"):
        t = target(world, desk, shared)
        for campaign_id in (t.campaign_id, shared):
            body = {
                "client_id": t.card.id,
                "campaign_id": campaign_id,
                "started_at": t.card.created_at.isoformat(),
                "result": "not_reached",
                "reason": "no_answer",
            }
            answer = http.post(f"{V1}/calls", json=body, headers=headers)
            assert answer.status_code < 500, answer.text
            if desk == "B" and not all_desks:
                assert answer.status_code == 404, (login, campaign_id, answer.text)
            else:
                assert answer.status_code != 404, (login, campaign_id, answer.text)


def _move_to_desk_b(world: World, client_id: int) -> None:
    from sqlalchemy import select, update

    from storage.engine import write
    from storage.tables import ClientRow, DeskRow

    with write(world.crm.engine) as conn:
        desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == DESK_B))
        conn.execute(update(ClientRow).where(ClientRow.id == client_id).values(desk_id=desk_id))


@pytest.mark.parametrize("login", ROLES)
def test_links_never_name_another_desks_client(http: TestClient, world: World, login: str) -> None:
    """The referrer and the linked cards of a card of my desk pass the desk rule too: hidden, and
    only their existence told (`referrer_hidden`, `linked_hidden`)."""
    headers = sign_in(http, world, login)
    all_desks = Permission.ALL_DESKS in http.get(f"{V1}/auth/me", headers=headers).json()["permissions"]
    referrer = world.client("A", surname="Ссылочный")
    card = world.client("A", surname="Связанный", referrer_id=referrer.id, client_type="recommended")
    linked = world.client("A", surname="Уехавший", referrer_id=card.id, client_type="recommended")
    _move_to_desk_b(world, referrer.id)
    _move_to_desk_b(world, linked.id)

    answer = http.get(f"{V1}/clients/{card.id}", headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    if all_desks:
        assert body["referrer_id"] == referrer.id and [c["id"] for c in body["linked"]] == [linked.id]
        return
    assert (body["referrer_id"], body["referrer"], body["referrer_hidden"]) == (None, None, True)
    assert (body["linked"], body["linked_hidden"]) == ([], 1)
    assert "Ссылочный" not in answer.text and "Уехавший" not in answer.text
    assert http.get(f"{V1}/clients/{referrer.id}", headers=headers).status_code == 404
