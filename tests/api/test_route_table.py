"""The app's route table is flat: FastAPI 0.165 walks an included router's tree per request
(bench/route_match.py), so every API route is a route of the app itself, checked like before."""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Route

from api.app import API_PREFIX, check_request, create_app
from api.deps import checks_request


def _api(routes: list[BaseRoute]) -> list[APIRoute]:
    return [r for r in routes if isinstance(r, APIRoute) and r.path.startswith(API_PREFIX)]


def test_every_route_is_the_apps_own_and_checked(sqlite_store: str) -> None:
    app = create_app(sqlite_store)
    routes = app.router.routes
    assert all(isinstance(r, Route) for r in routes), [type(r).__name__ for r in routes if not isinstance(r, Route)]
    api = _api(routes)
    assert len(api) > 100
    for route in api:  # the query/NUL check first (or by the signed-in console, the first), then the rest
        assert checks_request(route) or route.dependencies[0].dependency is check_request, route.path
        assert {"401", "422", "503"} <= {str(code) for code in route.responses}, route.path
    paths = [getattr(r, "path", "") for r in routes]
    assert paths.index("/health") < paths.index(api[0].path)  # the probe matches before the API's routes


def test_an_unknown_query_parameter_without_a_token_answers_401(sqlite_store: str) -> None:
    """The query check still runs first, but without a live token its 422 would tell the route's
    rules: it answers 401 (with a live token 422, `tests/api/test_token_first.py`)."""
    from fastapi.testclient import TestClient

    with TestClient(create_app(sqlite_store)) as http:
        answer = http.get(f"{API_PREFIX}/auth/me", params={"surprise": "1"})
    assert answer.status_code == 401 and answer.json()["error"] == "not_signed_in", answer.text


HOT = {("POST", "/clients/{client_id:int}/calls/start"), ("POST", "/calls"), ("GET", "/clients"), ("GET", "/auth/me")}


def test_a_hot_route_resolves_one_dependency(sqlite_store: str) -> None:
    """State, bearer token, query check and console in ONE dependency: FastAPI's resolution costs per
    dependency (bench/request_overhead.py); the chain was five."""
    api = _api(create_app(sqlite_store).router.routes)
    hot = [r for r in api for m in r.methods if (m, r.path.removeprefix(API_PREFIX)) in HOT]
    assert len(hot) == len(HOT)
    for route in hot:
        assert not route.dependencies, route.path
        (only,) = route.dependant.dependencies
        assert not only.dependencies and checks_request(route), route.path


def test_a_refused_query_without_a_token_answers_401(sqlite_store: str) -> None:
    from fastapi.testclient import TestClient

    with TestClient(create_app(sqlite_store)) as http:
        unknown = http.get(f"{API_PREFIX}/clients", params={"q": "1", "surprise": "1"})
        twice = http.get(f"{API_PREFIX}/clients?q=1&q=2")
        nul = http.get(f"{API_PREFIX}/clients", params={"q": "a\x00"})
        basic = http.get(f"{API_PREFIX}/clients", params={"q": "1"}, headers={"Authorization": "Basic abc"})
        empty = http.get(f"{API_PREFIX}/clients", params={"q": "1"}, headers={"Authorization": "Bearer   "})
    answers = [unknown, twice, nul, basic, empty]
    assert [a.status_code for a in answers] == [401] * 5
    assert all(a.json() == basic.json() for a in answers) and basic.json()["error"] == "not_signed_in", basic.text
