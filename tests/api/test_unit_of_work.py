"""The hot routes read the token on the operation's own connection (one checkout a request), and
still fresh: a sign-out or a disable through another worker is refused at the next request."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from storage.users import disable
from tests.api.test_http import V1, sign_in
from tests.api.world import World
from tests.statements import counting

_logins = itertools.count(1)


@pytest.fixture
def workers(world: World) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps over one database, as two uvicorn workers are: each has its own pools and caches."""
    with TestClient(create_app(world.target)) as first, TestClient(create_app(world.target)) as second:
        yield first, second


def _hot(http: TestClient, headers: dict[str, str], client_id: int) -> list[int]:
    """The async routes that bind the console in their thread hop: search, the card."""
    search = http.get(f"{V1}/clients", params={"q": "Тестов"}, headers=headers)
    card = http.get(f"{V1}/clients/{client_id}", headers=headers)
    return [search.status_code, card.status_code]


def test_a_sign_out_on_another_worker_is_refused_at_once(workers: tuple[TestClient, TestClient], world: World) -> None:
    first, second = workers
    client_id = world.client().id
    headers = sign_in(first, world, "off_a")
    assert _hot(second, headers, client_id) == [200, 200]  # the other worker knows the token now
    assert first.post(f"{V1}/auth/logout", headers=headers).status_code == 204
    assert _hot(second, headers, client_id) == [401, 401]
    assert second.get(f"{V1}/auth/me", headers=headers).status_code == 401


def test_a_disable_is_refused_at_once_by_every_worker(workers: tuple[TestClient, TestClient], world: World) -> None:
    first, second = workers
    client_id = world.client().id
    login = f"gone_{next(_logins)}"  # the world is shared: an employee of this test alone
    world.crm.add_employee(login, role="office")
    headers = sign_in(first, world, login)
    assert _hot(first, headers, client_id) == [200, 200] and _hot(second, headers, client_id) == [200, 200]
    disable(world.crm.engine, login)
    assert _hot(first, headers, client_id) == [401, 401] and _hot(second, headers, client_id) == [401, 401]


def test_a_hot_route_checks_out_one_connection_for_the_token_and_the_work(
    workers: tuple[TestClient, TestClient], world: World
) -> None:
    first, _second = workers
    client_id = world.client().id
    headers = sign_in(first, world, "off_a")
    assert _hot(first, headers, client_id) == [200, 200]  # caches warm
    engine = first.app.state.crm.repo.engine  # type: ignore[attr-defined]
    with counting(engine) as search:
        assert first.get(f"{V1}/clients", params={"q": "Тестов"}, headers=headers).status_code == 200
    with counting(engine) as card:
        assert first.get(f"{V1}/clients/{client_id}", headers=headers).status_code == 200
    assert any("api_token" in s for s in search.statements), str(search)  # read fresh, not cached
    assert (search.checkouts, card.checkouts) == (1, 1), f"{search}\n{card}"
