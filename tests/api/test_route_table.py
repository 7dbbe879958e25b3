"""The app's route table is flat: FastAPI 0.165 walks an included router's tree per request
(bench/route_match.py), so every API route is a route of the app itself, checked like before."""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Route

from api.app import API_PREFIX, check_request, create_app


def _api(routes: list[BaseRoute]) -> list[APIRoute]:
    return [r for r in routes if isinstance(r, APIRoute) and r.path.startswith(API_PREFIX)]


def test_every_route_is_the_apps_own_and_checked(sqlite_store: str) -> None:
    app = create_app(sqlite_store)
    routes = app.router.routes
    assert all(isinstance(r, Route) for r in routes), [type(r).__name__ for r in routes if not isinstance(r, Route)]
    api = _api(routes)
    assert len(api) > 100
    for route in api:  # the query/NUL check first, then the route's own dependencies
        assert route.dependencies[0].dependency is check_request, route.path
        assert {"401", "422", "503"} <= {str(code) for code in route.responses}, route.path
    paths = [getattr(r, "path", "") for r in routes]
    assert paths.index("/health") < paths.index(api[0].path)  # the probe matches before the API's routes


def test_an_unknown_query_parameter_is_still_refused(sqlite_store: str) -> None:
    from fastapi.testclient import TestClient

    with TestClient(create_app(sqlite_store)) as http:
        answer = http.get(f"{API_PREFIX}/auth/me", params={"surprise": "1"})
    assert answer.status_code == 422 and answer.json()["field"] == "query", answer.text
