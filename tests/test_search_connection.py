"""The local console's search on SQLite keeps one read connection (storage.repo_search)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import OperationalError

from core.clock import FixedClock
from core.console import LocalConsole
from storage import repo_search
from storage.engine import MMAP_BYTES
from tests.helpers import T0, Crm, new_client
from tests.statements import counting


@pytest.fixture
def crm(sqlite_store: str) -> Iterator[Crm]:
    world = Crm(sqlite_store, FixedClock(T0))
    yield world
    world.close()


@pytest.fixture
def boss(crm: Crm) -> LocalConsole:
    return crm.console("boss", role="supervisor")


def _kept(console: LocalConsole) -> list[object]:
    kept = console.repo.__dict__.get("_search_kept")
    return [] if kept is None or kept.fairy is None else [kept.fairy]


def test_searches_of_a_thread_share_one_connection_and_no_checkout(crm: Crm, boss: LocalConsole) -> None:
    card = new_client(boss, phones=["8 912 345-67-89"])
    boss.search("8 912 345-67-89")
    (first,) = _kept(boss)
    with counting(crm.engine) as count:
        for query in ("8 912 345-67-89", str(card.id), "Иван"):
            assert [s.id for s in boss.search(query)] == [card.id]
    assert count.checkouts == 0
    assert _kept(boss) == [first]
    mapped = first.dbapi_connection.execute("PRAGMA mmap_size").fetchone()[0]  # type: ignore[attr-defined]
    assert mapped > MMAP_BYTES  # the whole file, not the engine's map


def test_searches_of_other_threads_share_the_kept_connection(crm: Crm, boss: LocalConsole) -> None:
    """The console runs each store call on a new thread: a connection per thread would be one per
    search, never closed before the engine is."""
    card = new_client(boss, phones=["8 912 345-67-89"])
    boss.search("8 912 345-67-89")
    (first,) = _kept(boss)
    found: list[list[int]] = []
    with counting(crm.engine) as count:
        for _ in range(5):
            worker = threading.Thread(target=lambda: found.append([s.id for s in boss.search(str(card.id))]))
            worker.start()
            worker.join()
    assert found == [[card.id]] * 5
    assert _kept(boss) == [first]
    assert count.checkouts == 0


def test_a_search_while_the_kept_connection_is_busy_checks_out_of_the_pool(crm: Crm, boss: LocalConsole) -> None:
    card = new_client(boss, phones=["8 912 345-67-89"])
    boss.search(str(card.id))
    kept = boss.repo.__dict__["_search_kept"]
    with kept.lock, counting(crm.engine) as count:  # another thread's search holds it
        assert [s.id for s in boss.search(str(card.id))] == [card.id]
    assert count.checkouts == 1
    assert [s.id for s in boss.search(str(card.id))] == [card.id]


def test_a_kept_connection_sees_what_was_written_since(crm: Crm, boss: LocalConsole) -> None:
    """Between searches it holds no snapshot: a card made meanwhile is found at once."""
    assert boss.search("8 912 345-67-89") == []
    card = new_client(boss, phones=["8 912 345-67-89"])
    assert [s.id for s in boss.search("8 912 345-67-89")] == [card.id]
    (kept,) = _kept(boss)
    assert not kept.dbapi_connection.in_transaction  # type: ignore[attr-defined]


def test_a_driver_error_drops_the_kept_connection(
    crm: Crm, boss: LocalConsole, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = new_client(boss, phones=["8 912 345-67-89"])
    boss.search(str(card.id))
    (broken,) = _kept(boss)
    driver = broken.dbapi_connection  # type: ignore[attr-defined]
    real = repo_search._Reader.fetch

    def fail(self: repo_search._Reader, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
        if sql != "BEGIN":
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, sql, params)

    monkeypatch.setattr(repo_search._Reader, "fetch", fail)
    with pytest.raises(OperationalError):
        boss.search(str(card.id))
    monkeypatch.setattr(repo_search._Reader, "fetch", real)
    assert [s.id for s in boss.search(str(card.id))] == [card.id]
    (fresh,) = _kept(boss)
    assert fresh is not broken
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        driver.execute("SELECT 1")


def test_dispose_closes_the_kept_connections(crm: Crm, boss: LocalConsole) -> None:
    card = new_client(boss, phones=["8 912 345-67-89"])
    boss.search(str(card.id))
    (kept,) = _kept(boss)
    driver = kept.dbapi_connection  # type: ignore[attr-defined]
    crm.engine.dispose()
    assert _kept(boss) == []
    with pytest.raises(sqlite3.ProgrammingError):
        driver.execute("SELECT 1")
    assert [s.id for s in boss.search(str(card.id))] == [card.id]  # a fresh one
