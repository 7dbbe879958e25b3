"""The sync signed-in routes run in one unit of work (`api.units`): one pool checkout for the token
lookup and the work, one thread hop, the token still read fresh, and a failed write leaves nothing."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import anyio.to_thread
import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text

from api import deps
from api.app import create_app
from api.deps import SignedInConsole, signed_in_console
from api.units import UNIT_MARK, in_unit
from storage.users import disable
from tests.api.test_http import V1, sign_in
from tests.api.world import World
from tests.statements import counting

Request = Callable[[TestClient, dict[str, str], int], Response]

# representative routes: a list, a client's history (async, BindConsole), an edit, an admin write, a report, a file
ROUTES: dict[str, tuple[str, Request]] = {
    "task list": ("sup", lambda http, h, _c: http.get(f"{V1}/tasks", headers=h)),
    "history": ("sup", lambda http, h, c: http.get(f"{V1}/clients/{c}/history", headers=h)),
    "comment": ("sup", lambda http, h, c: http.post(f"{V1}/clients/{c}/comments", json={"text": "Да"}, headers=h)),
    "admin write": (
        "adm",
        lambda http, h, _c: http.post(f"{V1}/admin/desks", json={"name": f"Desk {uuid.uuid4().hex[:8]}"}, headers=h),
    ),
    "audit": ("adm", lambda http, h, _c: http.get(f"{V1}/admin/audit", params={"limit": 5}, headers=h)),
    "report": (
        "sup",
        lambda http, h, _c: http.post(
            f"{V1}/reports/calls", json={"start": str(date.today()), "end": str(date.today())}, headers=h
        ),
    ),
    "export": (
        "adm",
        lambda http, h, c: http.post(f"{V1}/exports/clients", json={"format": "csv", "ids": [c]}, headers=h),
    ),
}


@pytest.fixture
def http(world_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(world_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every thread hop of the app: FastAPI's (anyio's `run_sync`) and the units' (`api.deps._UNITS`)."""
    seen: list[str] = []
    real = anyio.to_thread.run_sync

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(func, "__name__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    submit = deps._UNITS.submit

    def submitted(func: Any, *args: Any, **kwargs: Any) -> Any:  # the units' own threads
        seen.append(getattr(args[0] if args else func, "__name__", repr(func)))
        return submit(func, *args, **kwargs)

    monkeypatch.setattr(deps._UNITS, "submit", submitted)
    return seen


@pytest.mark.parametrize("kind", list(ROUTES))
def test_a_sync_route_checks_out_once_in_one_thread_hop(
    http: TestClient, world: World, kind: str, hops: list[str]
) -> None:
    login, call = ROUTES[kind]
    headers = sign_in(http, world, login)
    client_id = world.client().id
    assert call(http, headers, client_id).status_code in (200, 201)  # caches warm
    engine = http.app.state.crm.repo.engine  # type: ignore[attr-defined]
    hops.clear()
    with counting(engine) as count:
        answer = call(http, headers, client_id)
    assert answer.status_code in (200, 201), answer.text
    assert any("api_token" in s for s in count.statements), str(count)  # the token read fresh
    assert count.checkouts == 1, str(count)
    assert len(hops) == 1, hops


def test_every_sync_signed_in_route_is_wrapped_and_takes_no_sync_dependency(world: World) -> None:
    app = create_app(world.target)
    signed_in = [
        r
        for r in app.routes
        if isinstance(r, APIRoute) and any(d.call is signed_in_console for d in r.dependant.dependencies)
    ]
    assert len(signed_in) > 100
    for route in signed_in:
        assert getattr(route.endpoint, UNIT_MARK, False), route.path
        stack = list(route.dependant.dependencies)
        while stack:  # a sync dependency would cost a thread hop of its own
            dependency = stack.pop()
            stack.extend(dependency.dependencies)
            call = dependency.call
            assert _is_async(call), f"{route.path}: {call!r} is sync"


def _is_async(call: Any) -> bool:
    """An `async def`, or an instance of a class whose `__call__` is one (FastAPI's HTTPBearer)."""
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)


def test_a_sign_out_or_disable_refuses_a_sync_route_at_once(world: World) -> None:
    """Two apps over one database, as two workers: each has its own pools and caches."""
    with TestClient(create_app(world.target)) as first, TestClient(create_app(world.target)) as second:
        client_id = world.client().id
        headers = sign_in(first, world, "sup")
        history = f"{V1}/clients/{client_id}/history"
        assert second.get(history, headers=headers).status_code == 200
        assert first.post(f"{V1}/auth/logout", headers=headers).status_code == 204
        ended = second.get(history, headers=headers)
        assert ended.status_code == 401
        comment = second.post(f"{V1}/clients/{client_id}/comments", json={"text": "Да"}, headers=headers)
        hot = second.get(f"{V1}/clients/{client_id}", headers=headers)  # the async route's 401, as before
        assert comment.status_code == 401 and comment.json() == ended.json() == hot.json(), comment.text

        login = f"unit_{uuid.uuid4().hex[:8]}"
        world.crm.add_employee(login, role="office")
        headers = sign_in(first, world, login)
        assert (
            first.get(history, headers=headers).status_code == second.get(history, headers=headers).status_code == 200
        )
        disable(world.crm.engine, login)
        assert (
            first.get(history, headers=headers).status_code == second.get(history, headers=headers).status_code == 401
        )


@contextmanager
def history_refused(world: World, client_id: int) -> Iterator[None]:
    """The database refuses the next history row of `client_id` (a trigger) while inside."""
    with world.crm.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_history BEFORE INSERT ON contact WHEN NEW.client_id = {client_id} "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_history() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_history BEFORE INSERT ON contact FOR EACH ROW "
                    f"WHEN (NEW.client_id = {client_id}) EXECUTE FUNCTION refuse_history()"
                )
            )
    try:
        yield
    finally:
        with world.crm.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER refuse_history"))
            else:
                conn.execute(text("DROP TRIGGER refuse_history ON contact"))
                conn.execute(text("DROP FUNCTION refuse_history()"))


@pytest.fixture
def refused_history(world: World) -> Iterator[int]:
    """A client whose next history row the database refuses (a trigger): the SMS before it is written."""
    client_id = world.client().id
    with history_refused(world, client_id):
        yield client_id


def test_an_error_after_a_write_leaves_nothing_half_written(
    http: TestClient, world: World, refused_history: int
) -> None:
    client_id = refused_history
    headers = sign_in(http, world, "off_a")
    card = http.get(f"{V1}/clients/{client_id}", headers=headers).json()
    before = world.crm.rows("client", id=client_id), world.crm.rows("contact", client_id=client_id)
    sms = {"template_code": "callback", "phone_id": card["phones"][0]["id"]}
    refused = http.post(f"{V1}/clients/{client_id}/sms", json=sms, headers=headers)
    assert refused.status_code >= 500, refused.text
    assert world.outbox_count(client_id) == 0  # the SMS written before the history row is gone
    # nor its history row, nor the card's activity
    assert (world.crm.rows("client", id=client_id), world.crm.rows("contact", client_id=client_id)) == before
    # the unit's connection went back clean: the next requests on the pool answer
    for _ in range(3):
        again = http.post(f"{V1}/clients/{client_id}/comments", json={"text": "Да"}, headers=headers)
        assert again.status_code == 500
    assert len(http.get(f"{V1}/clients/{client_id}/history", headers=headers).json()) == len(before[1])
    assert http.get(f"{V1}/tasks", headers=headers).status_code == 200


def test_a_route_the_unit_cannot_serve_is_refused_when_the_app_is_made() -> None:
    def needs_console(console: SignedInConsole) -> int:
        return 1

    router = APIRouter()

    @router.get("/async")
    async def awaited(console: SignedInConsole) -> None: ...

    @router.get("/stream")
    def streamed(console: SignedInConsole) -> Iterator[bytes]:
        yield b""

    @router.get("/deeper")
    def deeper(n: int = Depends(needs_console)) -> None: ...

    @router.get("/plain")
    def plain(console: SignedInConsole) -> None: ...

    for route, why in zip(router.routes[:3], ("BindConsole", "streaming", "own parameter"), strict=True):
        assert isinstance(route, APIRoute)
        with pytest.raises(TypeError, match=why):
            in_unit(route)
    wrapped = router.routes[3]
    assert isinstance(wrapped, APIRoute) and getattr(in_unit(wrapped), UNIT_MARK)
