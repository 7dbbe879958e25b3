"""PostgreSQL connections are pinged at checkout only after being idle (storage.engine): a busy
worker pays no round trip per request, and a dead connection is still replaced or answered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from storage import engine as engines
from storage.engine import make_engine, read


@pytest.fixture
def pg(store: str) -> Iterator[Engine]:
    if "://" not in store:
        pytest.skip("SQLite has no connection to lose")
    engine = make_engine(store)
    yield engine
    engine.dispose()


def _pid(engine: Engine) -> int:
    with read(engine) as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


@pytest.fixture
def pings(pg: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    seen: list[object] = []
    real = pg.dialect.do_ping
    monkeypatch.setattr(pg.dialect, "do_ping", lambda c: seen.append(c) or real(c))
    return seen


def test_a_connection_used_just_now_is_not_pinged(pg: Engine, pings: list[object]) -> None:
    first = _pid(pg)
    assert [_pid(pg) for _ in range(5)] == [first] * 5
    assert pings == []


def test_an_idle_connection_found_dead_is_replaced_at_checkout(
    pg: Engine, pings: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _pid(pg)
    _kill_through_another_pool(pg, pid)
    now = engines._idle_clock()
    monkeypatch.setattr(engines, "_idle_clock", lambda: now + engines.PING_AFTER_IDLE_S + 1)
    assert _pid(pg) != pid  # no error: the ping found it dead, the pool gave another
    assert pings


def test_a_connection_dying_between_close_uses_fails_once_then_is_replaced(pg: Engine) -> None:
    pid = _pid(pg)
    _kill_through_another_pool(pg, pid)
    with pytest.raises(OperationalError) as failed, read(pg) as conn:
        conn.execute(text("SELECT 1"))
    assert failed.value.connection_invalidated
    assert _pid(pg) != pid


def _kill_through_another_pool(engine: Engine, pid: int) -> None:
    other = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with other.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.dispose()
