"""The live floor's refresh (`console.floor()`: one read transaction of four grouped statements)
over a demo database with OPERATORS operators signed in, half of them in a call, at the demo's
newest day — next to partners in the same run: `SELECT 1` (a round trip) and a count(*) of the
day's calls (the least any figure over today's calls can cost), both through the raw driver.

    .venv/bin/python bench/floor_bench.py --db demo.sqlite3           # an existing demo
    .venv/bin/python bench/floor_bench.py --clients 1000000           # builds bench/data/demo-1000000.sqlite3
    .venv/bin/python bench/floor_bench.py --postgres --clients 100000 # a throw-away PostgreSQL server

Goal (issue 14): a refresh well under the refresh period (3 s), at 200 operators and 1,000,000 clients.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, insert, select, text  # noqa: E402

from core.clock import FixedClock, as_utc  # noqa: E402
from core.floor.rules import day_bounds  # noqa: E402
from storage.local import open_console  # noqa: E402
from storage.tables import CampaignRow, ClientRow, ContactRow, DeskRow, EmployeeDeskRow, EmployeeRow, RoleRow  # noqa: E402
from storage.tables_floor import FloorSessionRow  # noqa: E402

DATA = ROOT / "bench" / "data"
OPERATORS = 200
GOAL_S = 0.5


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def raw(engine, sql: str, params) -> None:  # type: ignore[no-untyped-def]
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(sql, params)
        cursor.fetchall()
        cursor.close()
    finally:
        conn.close()


def sign_in_operators(engine, now, operators: int) -> None:  # type: ignore[no-untyped-def]
    """`operators` employees with a floor row signed in an hour ago; every second one in a call
    started a minute ago with a client. Bench employees are added when the demo has fewer."""
    with engine.begin() as conn:
        role_id = conn.scalar(select(RoleRow.id).where(RoleRow.code == "operator"))
        desk_id = conn.scalar(select(func.min(DeskRow.id)))
        have = conn.scalar(select(func.count()).select_from(EmployeeRow).where(EmployeeRow.role_id == role_id)) or 0
        for n in range(have, operators):
            new_id = conn.execute(
                insert(EmployeeRow).values(
                    login=f"bench_op_{n}",
                    full_name=f"Bench Operator {n:03d}",
                    password_hash="!",
                    role_id=role_id,
                    created_at=now,
                )  # fmt: skip
            ).inserted_primary_key[0]
            conn.execute(insert(EmployeeDeskRow).values(employee_id=new_id, desk_id=desk_id))
        ids = list(conn.scalars(select(EmployeeRow.id).where(EmployeeRow.role_id == role_id).limit(operators)))
        clients = list(conn.scalars(select(ClientRow.id).limit(len(ids))))
        campaign = conn.scalar(select(func.min(CampaignRow.id)))
        conn.execute(FloorSessionRow.__table__.delete())  # type: ignore[attr-defined]
        conn.execute(
            insert(FloorSessionRow),
            [
                {
                    "session": f"bench:{e}",
                    "employee_id": e,
                    "signed_in_at": now - timedelta(hours=1),
                    "seen_at": now - timedelta(minutes=1),
                    "call_at": now - timedelta(minutes=1) if i % 2 else None,
                    "client_id": clients[i] if i % 2 else None,
                    "campaign_id": campaign if i % 2 else None,
                }  # fmt: skip
                for i, e in enumerate(ids)
            ],
        )


def run(target: str, runs: int, operators: int) -> None:
    probe = open_console(target)
    engine = probe.repo.engine
    with engine.connect() as conn:
        newest = as_utc(conn.scalar(select(func.max(ContactRow.at)).where(ContactRow.kind == "call")))
        clients = conn.scalar(text("SELECT count(*) FROM client"))
        members = conn.scalar(text("SELECT count(*) FROM campaign_member"))
    now = newest + timedelta(minutes=5)
    sign_in_operators(engine, now, operators)
    console = open_console(target, clock=FixedClock(now))
    console.act_as_local_admin()
    lo, hi = day_bounds(now, console.timezone)
    dialect = engine.dialect.name
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    floor = console.floor()
    print(f"{dialect} {target.split('@')[-1]}: {clients:,} clients, {members:,} list members; the day {lo:%Y-%m-%d}: "
          f"{len(floor.employees)} signed in, {sum(floor.hours):,} calls today, {len(floor.campaigns)} campaigns")  # fmt: skip

    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(console.repo.engine, "before_cursor_execute", seen)
    console.floor()
    event.remove(console.repo.engine, "before_cursor_execute", seen)
    marker = "?" if dialect == "sqlite" else "%s"
    bind = (lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")) if dialect == "sqlite" else (lambda v: v)
    count_sql = f"SELECT count(*) FROM contact WHERE kind = 'call' AND at >= {marker} AND at < {marker}"
    one = timed(lambda: raw(engine, "SELECT 1", ()), runs)
    day = timed(lambda: raw(engine, count_sql, (bind(lo), bind(hi))), runs)
    with engine.connect() as conn:  # the partner counts what the floor counts
        assert conn.exec_driver_sql(count_sql, (bind(lo), bind(hi))).scalar() >= sum(floor.hours)
    took = timed(console.floor, runs)
    verdict = "ok" if took <= GOAL_S else f"OVER the {GOAL_S:g} s goal"
    print(f"partner: SELECT 1 {one * 1000:.2f} ms; count(*) of today's calls {day * 1000:.1f} ms (raw driver)")
    print(f"floor() {took * 1000:.1f} ms ({len(statements)} statements in one transaction)  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing demo database (file or URL); its floor rows are replaced")
    parser.add_argument("--clients", type=int, default=100_000, help="demo size to build when no --db")
    parser.add_argument("--postgres", action="store_true", help="build the demo on a throw-away PostgreSQL server")
    parser.add_argument("--operators", type=int, default=OPERATORS)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    from storage.demo import build_demo

    if args.db:
        run(args.db, args.runs, args.operators)
        return 0
    if args.postgres:
        from tests.pg import PostgresServer, find_binaries

        bindir = find_binaries()
        if bindir is None:
            print("no PostgreSQL server binaries; apt-get install postgresql", file=sys.stderr)
            return 2
        pg = PostgresServer(bindir)
        pg.start()
        try:
            target = pg.create_database("crm_floor_bench")
            build_demo(target, clients=args.clients, seed=7)
            run(target, args.runs, args.operators)
        finally:
            pg.stop()
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{args.clients}.sqlite3"
    if not path.exists():
        build_demo(str(path), clients=args.clients, seed=7)
    run(str(path), args.runs, args.operators)
    return 0


if __name__ == "__main__":
    sys.exit(main())
