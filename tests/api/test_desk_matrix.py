"""S4 over HTTP: every route that takes an id × every role × a card of the own and of another desk.

An object of another desk answers 404 (as if it did not exist) and lists never contain one, for
every role without the all-desks permission. A route with a path parameter that is missing from
the matrix fails the test: new routes must be added here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.access import Permission
from core.models import ClientCard
from tests.api.test_http import sign_in
from tests.api.world import STAFF, World, unique_phone

V1 = "/api/v1"


@dataclass
class Case:
    body: Callable[[ClientCard], dict[str, Any] | None] = lambda card: None
    params: dict[str, Any] | None = None


# (method, path) -> how to call it on a card. Every path parameter is the card's id.
MATRIX: dict[tuple[str, str], Case] = {
    ("GET", f"{V1}/clients/{{client_id}}"): Case(),
    ("GET", f"{V1}/clients/{{client_id}}/history"): Case(params={"limit": 5}),
    ("PUT", f"{V1}/clients/{{client_id}}/personal"): Case(
        lambda c: {"surname": "Матрицын", "first_name": "Марк", "expected_version": c.personal_version}
    ),
    ("PUT", f"{V1}/clients/{{client_id}}/contacts"): Case(
        lambda c: {"phones": [{"number": unique_phone()}], "expected_version": c.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/phone-strikes"): Case(
        lambda c: {"phone_id": c.phones[0].id, "reason": "wrong", "expected_version": c.contact_version}
    ),
    ("POST", f"{V1}/clients/{{client_id}}/comments"): Case(lambda c: {"text": "matrix"}),
    ("POST", f"{V1}/clients/{{client_id}}/sms"): Case(
        lambda c: {"template_code": "callback", "phone_id": c.phones[0].id}
    ),
}
# Routes with an id that is not a desk object, and why.
EXEMPT = {
    ("GET", f"{V1}/regions/{{region_id}}/towns"): "reference data, the same for every desk",
}
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
    for (method, path), case in MATRIX.items():
        answers = {}
        for desk in ("A", "B"):
            card = world.client(desk, surname="Матрицын", phones=2)
            answer = http.request(
                method,
                path.replace("{client_id}", str(card.id)),
                json=case.body(card),
                params=case.params,
                headers=headers,
            )
            assert answer.status_code < 500, (method, path, answer.text)
            answers[desk] = answer.status_code
            if desk == "B" and not all_desks:
                assert answer.status_code == 404, (login, method, path, answer.text)
                assert answer.json() == {"error": "not_found", "message": f"No client with CRM id {card.id}."}
            else:
                assert answer.status_code != 404, (login, method, path, desk, answer.text)
        if all_desks:
            assert answers["A"] == answers["B"], (login, method, path)


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
