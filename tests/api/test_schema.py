"""schemathesis against the app in-process (ASGI), signed in: no 5xx, every answer as documented."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from tests.api.world import World
from tests.call_world import add_campaign, add_member, add_office, add_slot
from tests.helpers import MAIN_DESK, PASSWORD

MAX_EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "40"))
# "No 5xx, every answer as documented". Not `positive_data_acceptance`: the domain refuses more
# than the schema can say (an empty surname, an unknown template) with 422. Not
# `negative_data_rejection`: pydantic's lax mode accepts e.g. "5" for an integer or 0 for a date.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def fuzz_world(sqlite_world: World) -> Iterator[World]:
    """Something for the ids the fuzzer tries (1, 2, …) to find: clients, a campaign with a list, an office."""
    campaign = add_campaign(sqlite_world.crm, "halva_cross_sell", desk=MAIN_DESK)
    for desk in ("A", "A", "B"):
        card = sqlite_world.client(desk, email="fuzz.target@example.org")
        add_member(sqlite_world.crm, campaign, card.id)
    office = add_office(sqlite_world.crm)
    add_slot(sqlite_world.crm, office, datetime.now(UTC) + timedelta(days=2))
    yield sqlite_world


@pytest.fixture
def api_schema(fuzz_world: World) -> Any:
    app = create_app(fuzz_world.target)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def auth(api_schema: Any, fuzz_world: World) -> dict[str, str]:
    """A bearer token of a supervisor, obtained through the app itself."""
    from fastapi.testclient import TestClient

    with TestClient(api_schema.app) as http:
        challenge = http.post("/api/v1/auth/login", json={"login": "op_a", "password": PASSWORD}).json()
        code = fuzz_world.crm.last_code("op_a")
        body = http.post("/api/v1/auth/verify", json={"challenge_id": challenge["challenge_id"], "code": code}).json()
    return {"Authorization": f"Bearer {body['access_token']}"}


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path="/api/v1/auth/logout")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case: Any, auth: dict[str, str]) -> None:
    case.call_and_validate(headers=auth, checks=CHECKS)
