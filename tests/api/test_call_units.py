"""Starting and saving a call through the API: one thread hop and one checkout each, the token read
fresh, a retried key answered from the key; a save refused after its first writes leaves nothing
half-written (the call's statements on the driver's cursor included) and its connection clean."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from tests.api.test_contract_calls import campaign, listed
from tests.api.test_http import V1, sign_in
from tests.api.test_unit_routes import history_refused, hops  # noqa: F401 - hops: the fixture
from tests.api.world import World
from tests.statements import counting


@pytest.fixture
def http(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.target), raise_server_exceptions=False) as client:
        yield client


def _start(http: TestClient, headers: dict[str, str], camp: int, client_id: int) -> dict[str, Any]:
    answer = http.post(f"{V1}/clients/{client_id}/calls/start", json={"campaign_id": camp}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _save(http: TestClient, headers: dict[str, str], camp: int, client_id: int, start: dict[str, Any], key: str):  # type: ignore[no-untyped-def]
    body = {
        "client_id": client_id,
        "campaign_id": camp,
        "phone_id": start["phone_id"],
        "started_at": start["started_at"],
        "result": "not_reached",
        "reason": "no_answer",
        "comment": key,
    }
    return http.post(f"{V1}/calls", json=body, headers=headers | {"Idempotency-Key": key})


def test_start_and_save_each_make_one_thread_hop_and_one_checkout(
    http: TestClient,
    world: World,
    hops: list[str],  # noqa: F811 - the imported fixture
) -> None:
    camp = campaign(world)
    client_id = listed(world, camp)
    headers = sign_in(http, world, "op_a")
    engine = http.app.state.crm.repo.engine  # type: ignore[attr-defined]
    hops.clear()
    with counting(engine) as started:
        start = _start(http, headers, camp, client_id)
    key = f"unit-{uuid.uuid4()}"
    with counting(engine) as saved:
        first = _save(http, headers, camp, client_id, start, key)
    assert first.status_code == 201, first.text
    assert len(hops) == 2, hops
    assert (started.checkouts, saved.checkouts) == (1, 1), f"{started}\n{saved}"
    assert any("api_token" in s for s in started.statements), str(started)  # the token read fresh
    again = _save(http, headers, camp, client_id, start, key)  # the key's answer, not a second call
    assert (again.status_code, again.json()) == (201, first.json())
    rows = [r for r in world.crm.rows("contact", client_id=client_id) if r.kind == "call"]
    assert [r.comment for r in rows] == [key]


@pytest.fixture
def refused_calls(world: World) -> Iterator[tuple[int, int]]:
    """A listed client whose next history row the database refuses (a trigger), after the save's
    first writes (its activity dates) went in."""
    camp = campaign(world)
    client_id = listed(world, camp)
    with history_refused(world, client_id):
        yield camp, client_id


def _written(world: World, camp: int, client_id: int) -> tuple[object, ...]:
    """What a save writes: the history, the list member, the client's dates, the floor's row."""
    with world.crm.engine.connect() as conn:
        member = conn.execute(
            text("SELECT * FROM campaign_member WHERE campaign_id = :c AND client_id = :k"), {"c": camp, "k": client_id}
        ).all()
        floor = conn.execute(text("SELECT * FROM floor_session WHERE client_id = :k"), {"k": client_id}).all()
    return world.crm.rows("contact", client_id=client_id), member, world.crm.rows("client", id=client_id), floor


def test_a_refused_save_leaves_nothing_half_written(
    http: TestClient, world: World, refused_calls: tuple[int, int]
) -> None:
    camp, client_id = refused_calls
    headers = sign_in(http, world, "op_a")
    start = _start(http, headers, camp, client_id)
    before = _written(world, camp, client_id)
    key = f"refused-{uuid.uuid4()}"
    for _ in range(3):  # the loop's pool hands the connection out again, clean
        refused = _save(http, headers, camp, client_id, start, key)
        assert refused.status_code == 500, refused.text
    assert _written(world, camp, client_id) == before  # no call, no member update, no activity dates
    assert world.crm.count("idempotency_key", key=key) == 0
    other = listed(world, camp)  # the next call saves
    saved = _save(http, headers, camp, other, _start(http, headers, camp, other), f"next-{uuid.uuid4()}")
    assert saved.status_code == 201, saved.text
