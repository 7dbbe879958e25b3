"""The store: SQLite settings and concurrent writers; migrations and reference data on both engines."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from core.clock import FixedClock
from storage.catalogue import REGIONS, SMS_TEMPLATES
from storage.engine import BUSY_TIMEOUT_MS, make_engine, write
from storage.migrate import head_revision, schema_revision, upgrade
from storage.tables import EmployeeRow, PhoneRow
from tests.helpers import T0, Crm, new_client

ROUNDS = 40


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_store: str) -> None:
    engine = make_engine(sqlite_store)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(crm: Crm) -> None:
    with pytest.raises(IntegrityError), write(crm.engine) as conn:
        conn.execute(insert(PhoneRow).values(client_id=987_654, e164="+79123456789", kind="mobile", status="active"))
    assert crm.count("phone") == 0


def _run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Start the workers at the same instant (a barrier); collect what they raise."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return errors


def test_two_concurrent_read_then_write_transactions_on_one_sqlite_file(sqlite_store: str) -> None:
    """Each writer reads a counter and writes it back + 1. With a deferred BEGIN the second
    writer fails at once with "database is locked"; BEGIN IMMEDIATE + the busy timeout serialise
    them, and no increment is lost."""
    Crm(sqlite_store, FixedClock(T0)).add_employee("counter", role="operator")
    engines = [make_engine(sqlite_store) for _ in range(2)]

    def increments(engine: Engine) -> Callable[[], None]:
        def work() -> None:
            for _ in range(ROUNDS):
                with write(engine) as conn:
                    where = EmployeeRow.login == "counter"
                    seen = conn.scalar(select(EmployeeRow.auth_version).where(where))
                    conn.execute(update(EmployeeRow).where(where).values(auth_version=seen + 1))

        return work

    try:
        errors = _run_together([increments(e) for e in engines])
        assert errors == []
        with engines[0].connect() as conn:
            total = conn.scalar(select(EmployeeRow.auth_version).where(EmployeeRow.login == "counter"))
        assert total == 2 * ROUNDS
    finally:
        for engine in engines:
            engine.dispose()


def test_two_consoles_writing_the_same_card_at_once(sqlite_store: str) -> None:
    clock = FixedClock(T0)
    first, second = Crm(sqlite_store, clock), Crm(sqlite_store, clock)
    try:
        alice = first.console("alice", role="office")
        bob = second.console("bob", role="office")
        card = new_client(alice)

        def comments(console, who: str) -> Callable[[], None]:  # type: ignore[no-untyped-def]
            def work() -> None:
                for n in range(ROUNDS):
                    console.add_comment(card.id, f"{who} {n}")

            return work

        assert _run_together([comments(alice, "alice"), comments(bob, "bob")]) == []
        seen = alice.open_card(card.id, history_limit=500)
        assert seen.history_total == 1 + 2 * ROUNDS
        assert {h.comment for h in seen.history if h.kind == "comment"} == {
            f"{who} {n}" for who in ("alice", "bob") for n in range(ROUNDS)
        }
    finally:
        first.close()
        second.close()


def test_the_migrated_store_has_its_reference_data(crm: Crm) -> None:
    assert schema_revision(crm.engine) == head_revision() == "0027"
    regions = crm.repo.regions()
    assert sorted(r.name for r in regions) == sorted(REGIONS)
    kostroma = next(r for r in regions if r.name == "Костромская область")
    assert [t.name for t in crm.repo.towns(kostroma.id)] == sorted(REGIONS["Костромская область"])
    assert [t.code for t in crm.repo.sms_templates()] == [code for code, _, _ in SMS_TEMPLATES]
    assert crm.count("role") == 8
    assert [row.name for row in crm.rows("desk")] == ["Main desk"]


def test_upgrade_twice_changes_nothing(crm: Crm) -> None:
    counts = {t: crm.count(t) for t in ("role", "desk", "region", "town", "product", "sms_template")}
    upgrade(crm.engine)
    assert {t: crm.count(t) for t in counts} == counts


def test_times_come_back_as_utc(crm: Crm, console) -> None:  # type: ignore[no-untyped-def]
    card = new_client(console)
    seen = console.open_card(card.id)
    assert seen.created_at == T0
    assert seen.created_at.utcoffset() is not None
    assert seen.history[0].at == T0


def test_name_keys_sort_bytewise_on_postgresql(crm: Crm, console) -> None:  # type: ignore[no-untyped-def]
    """Prefix search is a range on the folded key; it must not depend on the database's locale."""
    new_client(console, surname="Яковлев", phones=["+79031234567"])
    new_client(console, surname="Zhukov", first_name="Ivan", patronymic="", phones=["+79031234568"])
    new_client(console, surname="Ёжиков", phones=["+79031234569"])
    assert [s.full_name for s in console.search("яковлев")] == ["Яковлев Иван Иванович"]
    assert [s.full_name for s in console.search("ежиков")] == ["Ёжиков Иван Иванович"]
    assert [s.full_name for s in console.search("zhukov")] == ["Zhukov Ivan"]
    if crm.engine_name == "postgresql":
        with crm.engine.connect() as conn:
            collation = conn.execute(
                text(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'client' AND column_name = 'name_key'"
                )
            ).scalar()
        assert collation == "C"


def test_an_old_schema_is_refused_with_a_clear_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from core.errors import StoreUnavailable
    from storage.engine import make_engine
    from storage.local import open_engine

    path = str(tmp_path / "old.sqlite3")
    engine = make_engine(path)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(StoreUnavailable, match="schema is at 0001, not 0027: run 'crm db upgrade' first"):
        open_engine(path)


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"])
def test_migration_0003_takes_recommendations_from_supervisors(  # type: ignore[no-untyped-def]
    request, tmp_path, engine_name: str
) -> None:
    """A database at 0002 with staff keeps its roles and people but loses C9 for supervisors; the
    lock columns go, auth_version comes (crm db upgrade on an existing store)."""
    from alembic import command

    from storage.migrate import alembic_config

    if engine_name == "sqlite":
        target, server = str(tmp_path / "old.sqlite3"), None
    else:
        server = request.getfixturevalue("pg_server")
        target = server.create_database("crm_migration_0003")
    engine = make_engine(target)
    try:
        with engine.begin() as conn:
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            command.upgrade(config, "0002")
            conn.execute(
                text(
                    "INSERT INTO role (code, name, permissions) "
                    "VALUES ('supervisor', 'Supervisor', 'comment,enter_recommendation,export')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO employee (login, full_name, password_hash, role_id, active, failed_attempts, "
                    "created_at) VALUES ('sam', 'Sam', 'x', 1, true, 3, '2025-01-01 00:00:00')"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            permissions = conn.execute(text("SELECT permissions FROM role WHERE code = 'supervisor'")).scalar()
            version = conn.execute(text("SELECT auth_version FROM employee WHERE login = 'sam'")).scalar()
        assert "enter_recommendation" not in permissions.split(",") and {"comment", "export"} <= set(
            permissions.split(",")
        )
        assert version == 0
        columns = {c["name"] for c in inspect(engine).get_columns("employee")}
        assert "locked_until" not in columns and "failed_attempts" not in columns
        assert schema_revision(engine) == head_revision()
    finally:
        engine.dispose()
        if server is not None:
            server.drop_database("crm_migration_0003")
