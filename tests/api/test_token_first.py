"""A caller without a live bearer token learns nothing of the schema: a signed-in route answers 401
to a missing, invalid, revoked or expired token whatever the body and the query hold (a 422 would
tell the rules of the input), and 422 to the same input with a live token. Through real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import update

from core.access.tokens import token_digest
from storage.tables_access import ApiTokenRow
from tests.api.test_http import sign_in
from tests.api.world import World

V1 = "/api/v1"
# (what is wrong, method, path, keyword arguments of the request): body, query, both kinds of route
BAD_INPUT = {
    "a body of the wrong shape": ("POST", "/clients/duplicates", {"json": {"surname": 1, "phones": "x"}}),
    "a body that is not JSON": ("POST", "/clients/duplicates", {"content": b'{"surname": ', "headers": {}}),
    "a query parameter out of range": ("GET", "/clients", {"params": {"q": "Ив", "limit": "100000"}}),
    "a query parameter of the wrong type (async route)": ("GET", "/clients/1", {"params": {"history_limit": "x"}}),
    "a query parameter the route does not take": ("GET", "/clients", {"params": {"q": "Ив", "sort": "name"}}),
    "a query parameter given twice": ("GET", "/clients?q=1&q=2", {}),
    "a NUL in the query": ("GET", "/clients", {"params": {"q": "a\x00"}}),
    "a path id out of range": ("GET", "/clients/99999999999/history", {}),
}


@pytest.fixture
def http(world: World) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=world.server.url, timeout=30) as client:
        yield client


def _send(http: httpx.Client, kind: str, auth: dict[str, str]) -> httpx.Response:
    method, path, kw = BAD_INPUT[kind]
    headers = {**auth, **kw.get("headers", {})}
    if "content" in kw:
        headers["Content-Type"] = "application/json"
    return http.request(method, V1 + path, **{k: v for k, v in kw.items() if k != "headers"}, headers=headers)


def _tokens(http: httpx.Client, world: World) -> dict[str, dict[str, str]]:
    """A bearer header of each kind a caller may hold without a live session."""
    revoked = sign_in(http, world, "op_a")  # type: ignore[arg-type]
    assert http.post(f"{V1}/auth/logout", headers=revoked).status_code == 204
    expired = sign_in(http, world, "op_a")  # type: ignore[arg-type]
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    with world.crm.engine.begin() as conn:
        conn.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.digest == token_digest(expired["Authorization"].split()[1]))
            .values(created_at=long_ago, last_used_at=long_ago)
        )
    return {
        "none": {},
        "not a bearer token": {"Authorization": "Basic b3BfYTpzM2NyZXQ="},
        "an unknown token": {"Authorization": "Bearer not-a-token-anyone-was-given"},
        "a revoked token": revoked,
        "an expired token": expired,
    }


@pytest.mark.parametrize("kind", list(BAD_INPUT))
def test_bad_input_without_a_live_token_answers_401(http: httpx.Client, world: World, kind: str) -> None:
    for held, auth in _tokens(http, world).items():
        answer = _send(http, kind, auth)
        assert answer.status_code == 401, (held, answer.text)
        assert answer.json()["error"] == "not_signed_in" and "field" not in answer.json(), (held, answer.text)
        assert answer.headers["www-authenticate"] == "Bearer"
    live = _send(http, kind, sign_in(http, world, "op_a"))  # type: ignore[arg-type]
    assert live.status_code == 422 and live.json()["error"] == "invalid", live.text
