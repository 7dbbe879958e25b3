"""Time and peak RSS of the demo build next to the driver's own bulk path, in one run.

    .venv/bin/python bench/demo_bench.py --clients 1000000
    .venv/bin/python bench/demo_bench.py --clients 100000 --postgres
    .venv/bin/python bench/demo_bench.py --clients 1000000 --inline   # ours also with the rows made inline
    .venv/bin/python bench/demo_bench.py --clients 1000000 --keep demo-1M.sqlite3   # for bench/search_bench.py --db

Ours makes the rows in a second process while it writes them (`storage.demo_pipe`; `crm demo` does
so from 50,000 clients when the machine has a core to spare).

"ours" is `build_demo(...)` (what `crm demo` runs) in a child process. "driver" is its partner:
the same rows, read back from ours' database in chunks outside the clock (pre-built tuples), are
loaded into a fresh database with the same schema and reference data by the driver alone, in
another child process: sqlite3 `executemany` with the same load pragmas, indexes dropped first and
built after, or psycopg `COPY` on PostgreSQL (indexes and foreign keys of the big tables dropped
first and made after, as ours). Only the inserts and index builds are on the partner's clock.
CPU is the client's (a PostgreSQL server's work is not in it): ours counts the process that
makes the rows beside the load (`storage.demo_pipe`) too; peak RSS is each child's own and, for
ours, that of the row maker beside it (`wait4`, `RUSAGE_CHILDREN`). The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.demo import build_demo  # noqa: E402
from storage.demo_load import COLUMNS, LOAD_ORDER, PG_FOREIGN_KEYS, PG_INDEXES, SQLITE_LOAD_PRAGMAS  # noqa: E402

CHUNK = 50_000  # rows read (off the clock) and inserted per transaction by the partner


def _child(argv: list[str]) -> tuple[dict, float]:
    """Run this script as a child; its JSON answer (with "cpu": its and its children's CPU
    seconds, when it does not count them itself) and its own peak RSS in MB."""
    proc = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child {argv[0]} failed ({proc.returncode})")
    answer = json.loads(out.strip().splitlines()[-1])
    answer.setdefault("cpu", usage.ru_utime + usage.ru_stime)
    return answer, usage.ru_maxrss / 1024


# --- the children ---------------------------------------------------------------------------


def ours(target: str, clients: int, seed: int, how: str) -> dict:
    import resource

    started = time.perf_counter()
    build_demo(target, clients, seed=seed, force=True, beside=None if how == "auto" else how == "beside")
    maker = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": time.perf_counter() - started, "maker_rss": maker.ru_maxrss / 1024}


def _columns(name: str) -> str:
    return ", ".join(f'"{c}"' for c in COLUMNS[name])


def driver_sqlite(source: str, target: str) -> dict:
    """The big tables of `source` into `target` (reference data only) by sqlite3 alone."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    for pragma in SQLITE_LOAD_PRAGMAS:
        dst.execute(f"PRAGMA {pragma}")
    dst.execute("PRAGMA journal_mode=OFF")  # as ours during the load
    marks = ",".join("?" * len(LOAD_ORDER))
    indexes = dst.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        LOAD_ORDER,
    ).fetchall()
    dst.execute("BEGIN")
    for name in LOAD_ORDER:
        dst.execute(f'DELETE FROM "{name}"')  # the one client of the reference build
    for name, _sql in indexes:
        dst.execute(f'DROP INDEX "{name}"')
    dst.execute("COMMIT")
    clock, cpu, rows = 0.0, 0.0, 0
    for name in LOAD_ORDER:
        insert = f'INSERT INTO "{name}" ({_columns(name)}) VALUES ({",".join("?" * len(COLUMNS[name]))})'
        cursor = src.execute(f'SELECT {_columns(name)} FROM "{name}" ORDER BY rowid')
        while chunk := cursor.fetchmany(CHUNK):
            started, used = time.perf_counter(), time.process_time()
            dst.execute("BEGIN")
            dst.executemany(insert, chunk)
            dst.execute("COMMIT")
            clock, cpu = clock + time.perf_counter() - started, cpu + time.process_time() - used
            rows += len(chunk)
    started, used = time.perf_counter(), time.process_time()
    for _name, sql in indexes:
        dst.execute(sql)
    dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    clock, cpu = clock + time.perf_counter() - started, cpu + time.process_time() - used
    return {"seconds": clock, "cpu": cpu, "rows": rows}


def driver_postgres(source: str, target: str) -> dict:
    """The big tables of `source` into `target` (reference data only) by psycopg's COPY alone,
    with their secondary indexes and foreign keys dropped first and made again after (timed)."""
    import psycopg

    clock, cpu, rows = 0.0, 0.0, 0
    with psycopg.connect(source) as src, psycopg.connect(target) as dst:
        dst.execute("TRUNCATE " + ", ".join(f'"{n}"' for n in LOAD_ORDER) + " CASCADE")
        indexes = dst.execute(PG_INDEXES, {"tables": LOAD_ORDER}).fetchall()
        keys = dst.execute(PG_FOREIGN_KEYS, {"tables": LOAD_ORDER}).fetchall()
        for owner, name, _definition in keys:
            dst.execute(f'ALTER TABLE {owner} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            dst.execute(f"DROP INDEX {name}")
        dst.commit()
        for name in LOAD_ORDER:
            with src.cursor(name=f"read_{name}") as cursor:
                cursor.execute(f'SELECT {_columns(name)} FROM "{name}" ORDER BY 1, 2')
                while chunk := cursor.fetchmany(CHUNK):
                    started, used = time.perf_counter(), time.process_time()
                    with dst.cursor() as out, out.copy(f'COPY "{name}" ({_columns(name)}) FROM STDIN') as copy:
                        for row in chunk:
                            copy.write_row(row)
                    dst.commit()
                    clock, cpu = clock + time.perf_counter() - started, cpu + time.process_time() - used
                    rows += len(chunk)
        started, used = time.perf_counter(), time.process_time()
        dst.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            dst.execute(definition)
        for owner, name, definition in keys:
            dst.execute(f'ALTER TABLE {owner} ADD CONSTRAINT "{name}" {definition}')
        dst.commit()
        clock, cpu = clock + time.perf_counter() - started, cpu + time.process_time() - used
    return {"seconds": clock, "cpu": cpu, "rows": rows}


# --- the run --------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _pair(kind: str, ours_target: str, partner_target: str, clients: int, seed: int, inline: bool = False) -> None:
    print(f"demo build, {clients:,} clients, {kind}; load average at start {_load()}", flush=True)
    build_demo(partner_target, 1, seed=seed, force=True)  # schema and reference data for the partner
    runs = [("ours: build_demo, rows made beside", "beside")] + (
        [("ours, rows made inline", "inline")] if inline else []
    )
    mine: dict = {}
    print(f"  {'':40} {'seconds':>9} {'CPU s':>7} {'peak RSS MB':>12}  (+ row maker's)")
    for label, how in runs:
        got, rss = _child(["ours", ours_target, str(clients), str(seed), how])
        mine = mine or got
        print(
            f"  {label:40} {got['seconds']:9.1f} {got['cpu']:7.1f} {rss:12.0f}  (+ {got['maker_rss']:.0f})", flush=True
        )
    theirs, theirs_rss = _child(["driver", kind, ours_target, partner_target])
    what = "sqlite3 executemany" if kind == "SQLite" else "psycopg COPY"
    print(f"  {'driver: ' + what + ' of the rows':40} {theirs['seconds']:9.1f} {theirs['cpu']:7.1f} {theirs_rss:12.0f}")
    ratio, cpu_ratio = mine["seconds"] / theirs["seconds"], mine["cpu"] / theirs["cpu"]
    print(f"  rows {theirs['rows']:,}; ours / driver = {ratio:.2f}x (CPU {cpu_ratio:.2f}x); load avg {_load()}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "ours":
        print(json.dumps(ours(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "driver":
        load = driver_sqlite if sys.argv[2] == "SQLite" else driver_postgres
        print(json.dumps(load(sys.argv[3], sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", action="store_true", help="on a throw-away PostgreSQL server (tests/pg.py)")
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite files go (default: a temp dir)")
    parser.add_argument(
        "--inline", action="store_true", help="also build with the rows made inline (no row maker beside)"
    )
    parser.add_argument("--keep", type=Path, help="SQLite: keep ours' database as this file (search benches)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        if not args.postgres:
            a, b = Path(folder) / "ours.sqlite3", Path(folder) / "driver.sqlite3"
            _pair("SQLite", str(a), str(b), args.clients, args.seed, args.inline)
            if args.keep:
                shutil.move(a, args.keep)
            return
        from tests.pg import PostgresServer, find_binaries

        bindir = find_binaries()
        if bindir is None:
            raise SystemExit("no PostgreSQL server binaries")
        server = PostgresServer(bindir)
        server.start()
        try:
            a, b = server.create_database("bench_demo_ours"), server.create_database("bench_demo_driver")
            _pair("PostgreSQL", a, b, args.clients, args.seed, args.inline)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
