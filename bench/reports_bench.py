"""Each report over a demo database for a month: the time (median of runs), the EXPLAIN plan of
every statement it ran, next to a partner in the same run — a plain count(*) of the month's
contacts, of its new clients and of its executed money requests, the least any report over those
rows can cost.

The demo's broker desk is small, so the money reports (sales, payments, R2's money) get a money
history added first (`--money N` requests and as many trades over the demo's last year, for one
client in twenty, and a hand-over during that year for one in ten of those, so R3 credits deposits
on both sides of it; marked `bench-`, added once).

    .venv/bin/python bench/reports_bench.py --db demo.sqlite3              # an existing demo
    .venv/bin/python bench/reports_bench.py --clients 100000               # builds bench/data/demo-100000.sqlite3
    .venv/bin/python bench/reports_bench.py --postgres --clients 100000    # a throw-away PostgreSQL server
    .venv/bin/python bench/reports_bench.py --both --clients 500000        # both engines, the same demo, one run

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
REPORTS = ("calls", "first_calls", "periods", "funnel", "sales", "payments")
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


def run(target: str, runs: int, month: str | None, plans: bool) -> dict[str, float]:
    """Prints each report's time and plan; returns the times (and the partners') by label."""
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

    def count_money() -> int:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT count(*) FROM money_request WHERE status = 'executed' AND decided_at >= :lo "
                     "AND decided_at < :hi"),
                {"lo": _bind(lo, dialect), "hi": _bind(hi, dialect)},
            ).scalar()  # fmt: skip

    contacts, new, money = count_contacts(), count_new(), count_money()
    partner_calls = timed(count_contacts, runs)
    partner_new = timed(count_new, runs)
    partner_money = timed(count_money, runs)
    print(f"partner: count(*) of the month's {contacts:,} contacts {partner_calls * 1000:.1f} ms, "
          f"of its {new:,} new clients {partner_new * 1000:.1f} ms, "
          f"of its {money:,} executed money requests {partner_money * 1000:.1f} ms")  # fmt: skip
    goal = GOALS_S.get(dialect, 2.0)
    figures = {"partner: contacts": partner_calls, "partner: new clients": partner_new, "partner: money": partner_money}
    for name in REPORTS:
        variants = [(name, flt)]
        if name == "periods":
            variants.append(("periods by week", flt.model_copy(update={"granularity": "week"})))
        for label, f in variants:
            method = getattr(console, f"report_{name}")
            seconds = figures[label] = timed(lambda m=method, f=f: m(f), runs)
            verdict = "ok" if seconds <= goal else f"OVER the {goal:g} s goal"
            partner, what = (partner_money, "money") if name in ("sales", "payments") else (partner_calls, "contacts")
            print(
                f"{label:<16} {seconds * 1000:9.1f} ms  ({seconds / max(partner, 1e-9):.1f}x the {what} count)  {verdict}"
            )
            if plans:
                for sql, params in _statements(engine, lambda m=method, f=f: m(f)):
                    print("    --", " ".join(sql.split())[:160], "…")
                    with engine.connect() as conn:
                        for line in explain(conn, dialect, sql, params):
                            print("      ", line)
    return figures


def add_money(target: str, rows: int) -> None:
    """`rows` executed money requests and `rows` trades over the newest year of the demo, for one
    client in twenty (their manager is the card's); skipped when bench rows exist."""
    import random
    from datetime import UTC, datetime
    from decimal import Decimal

    from sqlalchemy import insert

    from core.trading.simulator import PAYMENT_SYSTEMS, SYMBOLS
    from storage.tables_trading import MoneyRequestRow, TradeRow, TradingAccountRow

    engine = open_console(target).repo.engine
    with engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM trading_account WHERE number LIKE 'bench-%'")).scalar():
            return
        newest = datetime.fromisoformat(str(conn.execute(text("SELECT max(at) FROM contact")).scalar())[:19])
        ids = [r[0] for r in conn.execute(text("SELECT id FROM client WHERE id % 20 = 0"))]
    newest = newest.replace(tzinfo=UTC)
    rng, t0 = random.Random(11), time.perf_counter()
    accounts = [
        {"client_id": c, "number": f"bench-{c}", "currency": rng.choice(("USD", "USD", "EUR")), "balance": Decimal(0),
         "equity": Decimal(0), "margin": Decimal(0), "opened_at": newest, "updated_at": newest}
        for c in ids
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(TradingAccountRow), accounts)
        found = dict(conn.execute(text("SELECT client_id, id FROM trading_account WHERE number LIKE 'bench-%'")).all())
        currency = {a["client_id"]: a["currency"] for a in accounts}
        for start in range(0, rows, 20_000):
            requests, trades = [], []
            for n in range(start, min(rows, start + 20_000)):
                client = rng.choice(ids)
                at = newest - timedelta(seconds=rng.randrange(365 * 86_400))
                kind = "deposit" if rng.random() < 0.75 else "withdrawal"
                status = "executed" if rng.random() < 0.9 else rng.choice(("pending", "rejected", "failed"))
                requests.append(
                    {"client_id": client, "account_id": found[client], "kind": kind,
                     "payment_system": rng.choice(PAYMENT_SYSTEMS), "amount": Decimal(rng.randrange(5_000, 500_000)) / 100,
                     "currency": currency[client], "status": status, "bonus": kind == "deposit" and n % 7 == 0,
                     "created_at": at, "decided_at": None if status == "pending" else at}
                )  # fmt: skip
                symbol, price = rng.choice(SYMBOLS)
                trades.append(
                    {"account_id": found[client], "ticket": f"bench-{n}", "symbol": symbol, "side": "buy",
                     "volume": Decimal(rng.choice(("0.01", "0.10", "0.50", "1.00"))), "open_price": price,
                     "opened_at": at, "bonus": n % 7 == 0}
                )  # fmt: skip
            conn.execute(insert(MoneyRequestRow), requests)
            conn.execute(insert(TradeRow), trades)
        handed = _hand_overs(conn, ids[::10], newest, rng)
    # the steady state of a running store: statistics, and on PostgreSQL the visibility map its
    # autovacuum sets after a bulk load (until then an index-only scan still reads the heap)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    print(
        f"added {len(accounts):,} accounts, {rows:,} money requests, {rows:,} trades and {handed:,} hand-overs "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def _hand_overs(conn, ids: list[int], newest, rng) -> int:  # type: ignore[no-untyped-def]
    """One hand-over during the newest year for each of `ids` with a manager: from another
    employee to the card's manager (the card's manager stays who it is now)."""
    from sqlalchemy import bindparam, insert, select

    from storage.tables import ClientRow, EmployeeRow
    from storage.tables_custody import HandOverRow

    staff = [r[0] for r in conn.execute(select(EmployeeRow.id).order_by(EmployeeRow.id))]
    managers = conn.execute(
        select(ClientRow.id, ClientRow.responsible_id).where(
            ClientRow.id.in_(bindparam("ids", expanding=True)), ClientRow.responsible_id.is_not(None)
        ),
        {"ids": ids},
    ).all()
    rows = [
        {"client_id": c, "at": newest - timedelta(seconds=rng.randrange(365 * 86_400)), "employee_id": staff[0],
         "from_employee_id": rng.choice([e for e in staff[:50] if e != to] or staff), "to_employee_id": to}
        for c, to in managers
    ]  # fmt: skip
    if rows:
        conn.execute(insert(HandOverRow), rows)
    return len(rows)


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
    parser.add_argument("--both", action="store_true", help="PostgreSQL and SQLite of the same size in one run")
    parser.add_argument("--month", help="YYYY-MM (default: the last full month of the demo)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-plans", action="store_true")
    parser.add_argument("--money", type=int, help="money requests (and trades) to add; default: clients / 5")
    args = parser.parse_args(argv)
    from storage.demo import build_demo

    money = args.money if args.money is not None else args.clients // 5
    if args.db:
        add_money(args.db, money)
        run(args.db, args.runs, args.month, not args.no_plans)
        return 0
    if args.postgres or args.both:
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
            add_money(target, money)  # ends with ANALYZE
            figures = run(target, args.runs, args.month, not args.no_plans)
            if args.both:
                _compare(figures, run(_sqlite_demo(args.clients, money), args.runs, args.month, not args.no_plans))
        finally:
            pg.stop()
        return 0
    run(_sqlite_demo(args.clients, money), args.runs, args.month, not args.no_plans)
    return 0


def _sqlite_demo(clients: int, money: int) -> str:
    """bench/data/demo-N.sqlite3, built (the same seed as the PostgreSQL one) and given money once."""
    from storage.demo import build_demo

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{clients}.sqlite3"
    if not path.exists():
        t0 = time.perf_counter()
        build_demo(str(path), clients=clients, seed=7)
        print(f"built the SQLite demo in {time.perf_counter() - t0:.0f} s")
    add_money(str(path), money)
    return str(path)


def _compare(pg: dict[str, float], lite: dict[str, float]) -> None:
    print(f"\n{'':<22} {'PostgreSQL':>12} {'SQLite':>12}")
    for label, seconds in pg.items():
        print(f"{label:<22} {seconds * 1000:9.1f} ms {lite.get(label, 0) * 1000:9.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
