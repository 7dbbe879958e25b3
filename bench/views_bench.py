"""Three views on a demo database (an indexed condition, a date range, a tag): the first page and
the count through the Console, next to a partner in the same run — the very SQL the store sent,
run again through the plain driver (sqlite3 / psycopg), the least that query can cost.

    crm demo --clients 1000000 --db bench/data/views-1000000.sqlite3     # once
    .venv/bin/python bench/views_bench.py --db bench/data/views-1000000.sqlite3
    .venv/bin/python bench/views_bench.py --clients 100000               # builds bench/data/views-100000.sqlite3

The tag view needs a tag: the bench puts `#bench` on every 50th client the first time.
Goals (issue 12): the first page of a view with an indexed condition in at most 100 ms, its count
in at most 1 s, at 1,000,000 clients.
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

from core.work.inputs import ConditionIn, ListQuery  # noqa: E402
from storage.local import open_console  # noqa: E402

DATA = ROOT / "bench" / "data"
PAGE_GOAL_S, COUNT_GOAL_S = 0.100, 1.0
TAG = "bench"


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def captured(engine, fn):  # type: ignore[no-untyped-def]
    """The SELECT statements `fn` sent, with their parameters."""
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def raw(engine, sql: str, params) -> float:  # type: ignore[no-untyped-def]
    """One run of the SQL through the driver's own cursor (no SQLAlchemy, no shapes)."""
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        t0 = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        took = time.perf_counter() - t0
        cursor.close()
        return took
    finally:
        conn.close()


def plan(engine, sql: str, params) -> list[str]:  # type: ignore[no-untyped-def]
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        sqlite = engine.dialect.name == "sqlite"
        cursor.execute(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + sql, params)
        rows = cursor.fetchall()
        cursor.close()
        return [r[3] if sqlite else r[0] for r in rows]
    finally:
        conn.close()


def ensure_tag(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        if conn.execute(text("SELECT id FROM tag WHERE key = :k"), {"k": TAG}).first():
            return
        conn.execute(text("INSERT INTO tag (key) VALUES (:k)"), {"k": TAG})
        tag_id = conn.execute(text("SELECT id FROM tag WHERE key = :k"), {"k": TAG}).scalar()
        conn.execute(
            text("INSERT INTO client_tag (tag_id, client_id) SELECT :t, id FROM client WHERE id % 50 = 0"),
            {"t": tag_id},
        )
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def views(engine) -> dict[str, list[ConditionIn]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        manager = conn.execute(
            text("SELECT responsible_id FROM client WHERE responsible_id IS NOT NULL LIMIT 1")
        ).scalar()
        newest = conn.execute(text("SELECT max(last_contact_at) FROM client")).scalar()
    month_end = date.fromisoformat(str(newest)[:10]).isoformat()
    month_start = (date.fromisoformat(month_end) - timedelta(days=30)).isoformat()
    return {
        "indexed (responsible = X)": [ConditionIn(field="responsible_id", op="eq", values=[str(manager)])],
        f"date range (last contact {month_start}..{month_end})": [
            ConditionIn(field="last_contact_at", op="between", values=[month_start, month_end])
        ],
        f"tag (#{TAG})": [ConditionIn(field="tag", op="eq", values=[TAG])],
    }


def run(target: str, runs: int, plans: bool, as_login: str | None = None) -> None:
    console = open_console(target)
    record = console.repo.employee_by_login(as_login) if as_login else None
    console.act_as(record.id) if record else console.act_as_local_admin()
    engine = console.repo.engine
    ensure_tag(engine)
    with engine.connect() as conn:
        clients = conn.execute(text("SELECT count(*) FROM client")).scalar()
    who = f"as {as_login} (the desk rule: desks {console.whoami().desk_ids})" if record else "as the administrator"
    print(f"{engine.dialect.name} {target.split('@')[-1]}: {clients:,} clients; {who}; median of {runs} runs")
    for label, conditions in views(engine).items():
        query = ListQuery(conditions=conditions, limit=50)
        console.list_clients(query)  # warm the cache as a working console would be
        page_s = timed(lambda q=query: console.list_clients(q), runs)
        count_s = timed(lambda q=query: console.count_clients(q), runs)
        n = console.count_clients(query)
        (page_sql, page_params), *_phones = captured(engine, lambda q=query: console.list_clients(q))
        ((count_sql, count_params),) = captured(engine, lambda q=query: console.count_clients(q))
        page_raw = statistics.median(raw(engine, page_sql, page_params) for _ in range(runs))
        count_raw = statistics.median(raw(engine, count_sql, count_params) for _ in range(runs))
        page_ok = "ok" if page_s <= PAGE_GOAL_S else f"OVER {PAGE_GOAL_S * 1000:g} ms"
        count_ok = "ok" if count_s <= COUNT_GOAL_S else f"OVER {COUNT_GOAL_S:g} s"
        print(f"{label}: {n:,} clients")
        print(
            f"  first page {page_s * 1000:8.1f} ms  (partner, the same SQL raw: {page_raw * 1000:8.1f} ms)  {page_ok}"
        )
        print(
            f"  count      {count_s * 1000:8.1f} ms  (partner, the same SQL raw: {count_raw * 1000:8.1f} ms)  {count_ok}"
        )
        if plans:
            for line in plan(engine, page_sql, page_params):
                print("    page: ", line)
            for line in plan(engine, count_sql, count_params):
                print("    count:", line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing demo database (file or URL)")
    parser.add_argument("--clients", type=int, default=100_000, help="demo size to build when no --db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-plans", action="store_true")
    parser.add_argument("--as", dest="as_login", help="run as this employee (their desks)")
    args = parser.parse_args(argv)
    if args.db:
        run(args.db, args.runs, not args.no_plans, args.as_login)
        return 0
    from storage.demo import build_demo

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"views-{args.clients}.sqlite3"
    if not path.exists():
        build_demo(str(path), clients=args.clients, seed=7)
    run(str(path), args.runs, not args.no_plans, args.as_login)
    return 0


if __name__ == "__main__":
    sys.exit(main())
