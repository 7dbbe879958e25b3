"""Each report over a demo database for a month: the time (median of runs), the EXPLAIN plan of
every statement it ran, next to a partner in the same run — a plain count(*) of the month's
contacts and of its new clients, the least any report over those rows can cost.

    .venv/bin/python bench/reports_bench.py --db demo.sqlite3              # an existing demo
    .venv/bin/python bench/reports_bench.py --clients 100000               # builds bench/data/demo-100000.sqlite3
    .venv/bin/python bench/reports_bench.py --postgres --clients 100000    # a throw-away PostgreSQL server

The month is the last full month before the demo's day (`--month YYYY-MM` chooses another).
Goals (issue 15): a month in at most 1 s on PostgreSQL and 2 s on SQLite at 1,000,000 clients.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from core.reports import rules  # noqa: E402
from core.reports.models import ReportFilter  # noqa: E402
from storage.local import open_console  # noqa: E402

DATA = ROOT / "bench" / "data"
REPORTS = ("calls", "first_calls", "periods", "funnel")
GOALS_S = {"sqlite": 2.0, "postgresql": 1.0}


def month_filter(month: str | None, newest: date) -> ReportFilter:
    previous = (newest.replace(day=1) - timedelta(days=1)).replace(day=1)
    first = date.fromisoformat(f"{month}-01") if month else previous
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return ReportFilter(start=first, end=last)


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def explain(conn, dialect: str, sql: str, params) -> list[str]:  # type: ignore[no-untyped-def]
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    cursor = conn.connection.dbapi_connection.cursor()
    cursor.execute(prefix + sql, params)
    rows = cursor.fetchall()
    cursor.close()
    if dialect == "sqlite":
        return [f"{'  ' * (r[1] != 0)}{r[3]}" for r in rows]
    return [r[0] for r in rows]


def run(target: str, runs: int, month: str | None, plans: bool) -> None:
    console = open_console(target)
    console.act_as_local_admin()
    engine = console.repo.engine
    dialect = engine.dialect.name
    with engine.connect() as conn:
        newest = conn.execute(text("SELECT max(at) FROM contact")).scalar()
    flt = month_filter(month, date.fromisoformat(str(newest)[:10]))
    lo, hi = rules.period_bounds(flt.start, flt.end, console.timezone)
    with engine.connect() as conn:
        clients = conn.execute(text("SELECT count(*) FROM client")).scalar()
    print(f"{dialect} {target.split('@')[-1]}: {clients:,} clients; the month {flt.start} .. {flt.end}")

    def count_contacts() -> int:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM contact WHERE at >= :lo AND at < :hi"),
                {"lo": _bind(lo, dialect), "hi": _bind(hi, dialect)},
            ).scalar()

    def count_new() -> int:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM client WHERE created_at >= :lo AND created_at < :hi"),
                {"lo": _bind(lo, dialect), "hi": _bind(hi, dialect)},
            ).scalar()

    contacts, new = count_contacts(), count_new()
    partner_calls = timed(count_contacts, runs)
    partner_new = timed(count_new, runs)
    print(f"partner: count(*) of the month's {contacts:,} contacts {partner_calls * 1000:.1f} ms, "
          f"of its {new:,} new clients {partner_new * 1000:.1f} ms")  # fmt: skip
    goal = GOALS_S.get(dialect, 2.0)
    for name in REPORTS:
        variants = [(name, flt)]
        if name == "periods":
            variants.append(("periods by week", flt.model_copy(update={"granularity": "week"})))
        for label, f in variants:
            method = getattr(console, f"report_{name}")
            seconds = timed(lambda m=method, f=f: m(f), runs)
            verdict = "ok" if seconds <= goal else f"OVER the {goal:g} s goal"
            print(
                f"{label:<16} {seconds * 1000:9.1f} ms  ({seconds / max(partner_calls, 1e-9):.1f}x the contacts count)  {verdict}"
            )
            if plans:
                for sql, params in _statements(engine, lambda m=method, f=f: m(f)):
                    print("    --", " ".join(sql.split())[:160], "…")
                    with engine.connect() as conn:
                        for line in explain(conn, dialect, sql, params):
                            print("      ", line)


def _bind(value, dialect: str):  # type: ignore[no-untyped-def]
    """SQLite stores UTC as 'YYYY-MM-DD HH:MM:SS.ffffff' text; PostgreSQL takes the datetime."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else value


def _statements(engine, fn):  # type: ignore[no-untyped-def]
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing demo database (file or URL)")
    parser.add_argument("--clients", type=int, default=100_000, help="demo size to build when no --db")
    parser.add_argument("--postgres", action="store_true", help="build the demo on a throw-away PostgreSQL server")
    parser.add_argument("--month", help="YYYY-MM (default: the last full month of the demo)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-plans", action="store_true")
    args = parser.parse_args(argv)
    from storage.demo import build_demo

    if args.db:
        run(args.db, args.runs, args.month, not args.no_plans)
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
            target = pg.create_database("crm_reports_bench")
            t0 = time.perf_counter()
            build_demo(target, clients=args.clients, seed=7)
            print(f"built the PostgreSQL demo in {time.perf_counter() - t0:.0f} s")
            with open_console(target).repo.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
            run(target, args.runs, args.month, not args.no_plans)
        finally:
            pg.stop()
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{args.clients}.sqlite3"
    if not path.exists():
        build_demo(str(path), clients=args.clients, seed=7)
    run(str(path), args.runs, args.month, not args.no_plans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
