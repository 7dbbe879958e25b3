"""The hot call routes' lean handler (api.lean): a valid start and save skip FastAPI's dependency
solver, and every request it cannot take whole is answered exactly as the app without it answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import fastapi.routing
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import api.app
from api import lean
from api.app import create_app
from tests.api.test_contract_calls import campaign, listed
from tests.api.test_http import V1, sign_in
from tests.api.world import World

START, SAVE = "/api/v1/clients/{client_id:int}/calls/start", "/api/v1/calls"


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The endpoints FastAPI's own dependency solver ran for."""
    seen: list[str] = []
    real = fastapi.routing.solve_dependencies

    async def counted(**kwargs: Any) -> Any:
        seen.append(kwargs["dependant"].call.__name__)
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counted)
    return seen


@pytest.fixture
def http(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.target), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def plain(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The same app with FastAPI's own route class for every route."""
    with monkeypatch.context() as patched:
        patched.setattr(api.app, "LeanRoute", APIRoute)
        app = create_app(world.target)
    assert not any(isinstance(route, lean.LeanRoute) for route in app.routes)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_only_the_routes_answering_a_response_of_their_own_are_lean(http: TestClient) -> None:
    routes = {r.path: r for r in http.app.routes if isinstance(r, APIRoute) and "POST" in r.methods}  # type: ignore[attr-defined]
    assert lean.takes_lean(routes[START]) and lean.takes_lean(routes[SAVE])
    taken = sorted(p for p, r in routes.items() if isinstance(r, lean.LeanRoute) and lean.takes_lean(r))
    assert taken == sorted([START, SAVE])  # a route returning a model keeps FastAPI's response check
    search = next(r for r in http.app.routes if getattr(r, "path", "") == "/api/v1/clients" and "GET" in r.methods)  # type: ignore[attr-defined]
    assert not lean.takes_lean(search)


def test_a_valid_start_and_save_skip_the_dependency_solver(http: TestClient, world: World, solved: list[str]) -> None:
    camp = campaign(world)
    client_id = listed(world, camp)
    headers = sign_in(http, world, "op_a")
    solved.clear()
    start = http.post(f"{V1}/clients/{client_id}/calls/start", json={"campaign_id": camp}, headers=headers)
    assert start.status_code == 200, start.text
    body = {
        "client_id": client_id,
        "campaign_id": camp,
        "phone_id": start.json()["phone_id"],
        "started_at": start.json()["started_at"],
        "result": "not_reached",
        "reason": "no_answer",
    }
    key = f"lean-{uuid.uuid4()}"
    saved = http.post(f"{V1}/calls", json=body, headers=headers | {"Idempotency-Key": key})
    assert saved.status_code == 201, saved.text
    assert solved == []
    again = http.post(f"{V1}/calls", json=body, headers=headers | {"Idempotency-Key": key})
    assert (again.status_code, again.json()) == (201, saved.json())
    assert [r.kind for r in world.crm.rows("contact", client_id=client_id)].count("call") == 1
    unchecked = http.post(f"{V1}/calls", json=body | {"result": "nonsense"}, headers=headers)
    assert unchecked.status_code == 422 and solved == []  # the domain's refusal, through the lean handler
    no_date = http.post(f"{V1}/calls", json={k: v for k, v in body.items() if k != "started_at"}, headers=headers)
    assert no_date.status_code == 422 and solved == ["save_call"]  # FastAPI's own handler answered it


def _requests(camp: int, client_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    save = {"client_id": client_id, "campaign_id": camp, "started_at": "2026-01-01T10:00:00Z", "result": "agreed"}
    start = f"{V1}/clients/{client_id}/calls/start"
    return [
        ("no token", start, {"json": {"campaign_id": camp}, "auth": False}),
        ("not JSON", start, {"content": b'{"campaign_id": ', "type": "application/json"}),
        ("not JSON, no token", start, {"content": b'{"campaign_id": ', "type": "application/json", "auth": False}),
        ("another content type", start, {"content": b'{"campaign_id": 1}', "type": "text/plain"}),
        ("no content type", start, {"content": b'{"campaign_id": 1}'}),
        ("a JSON body with a charset", start, {"content": b"{}", "type": "application/json; charset=utf-8"}),
        ("an empty body", start, {"content": b"", "type": "application/json"}),
        ("null", start, {"content": b"null", "type": "application/json"}),
        ("a field missing", start, {"json": {}}),
        ("a field of its own", start, {"json": {"campaign_id": camp, "x": 1}}),
        ("a bad field, no token", start, {"json": {"campaign_id": 0}, "auth": False}),
        ("a path id out of range", f"{V1}/clients/99999999999/calls/start", {"json": {"campaign_id": camp}}),
        ("a query parameter", f"{start}?x=1", {"json": {"campaign_id": camp}}),
        ("a NUL in the body", f"{V1}/calls", {"json": save | {"comment": "a\x00"}}),
        ("a bad idempotency key", f"{V1}/calls", {"json": save, "headers": {"Idempotency-Key": "no spaces allowed"}}),
        ("a bad result", f"{V1}/calls", {"json": save | {"result": "nonsense"}}),
        ("not a list member", f"{V1}/calls", {"json": save | {"client_id": 99999}}),
        ("a list", f"{V1}/calls", {"json": [save]}),
    ]


def test_what_the_lean_handler_does_not_take_is_answered_as_before(
    http: TestClient, plain: TestClient, world: World
) -> None:
    camp = campaign(world)
    client_id = listed(world, camp)
    auth = sign_in(http, world, "op_a")
    for what, path, spec in _requests(camp, client_id):
        headers = {**(auth if spec.get("auth", True) else {}), **spec.get("headers", {})}
        if "type" in spec:
            headers["Content-Type"] = spec["type"]
        kwargs = {"json": spec["json"]} if "json" in spec else {"content": spec["content"]}
        answers = [client.post(path, headers=headers, **kwargs) for client in (http, plain)]
        assert answers[0].status_code >= 400, (what, answers[0].text)
        assert [(a.status_code, a.json()) for a in answers[1:]] == [(answers[0].status_code, answers[0].json())], what
    assert http.get("/openapi.json").json() == plain.get("/openapi.json").json()
