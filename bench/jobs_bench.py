"""The job queue's throughput: jobs per second through `Worker.run_until_idle` on a SQLite file,
next to the same number of bare one-row INSERT transactions (the floor of any durable queue).

    .venv/bin/python bench/jobs_bench.py                  # 2,000 no-op jobs, batches of 20
    .venv/bin/python bench/jobs_bench.py --jobs 10000 --batch 50
    .venv/bin/python bench/jobs_bench.py --db postgresql://crm@127.0.0.1/crm_bench   # a migrated database

Each job costs its claim (one UPDATE … RETURNING per batch) and its own transaction (the done mark
with the handler's effect); the figure to read is jobs/s against bare transactions/s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from core.clock import SystemClock
from core.jobs.models import NewJob
from core.jobs.worker import Worker
from storage.engine import make_engine, write
from storage.migrate import upgrade
from storage.sql_repository import SqlRepository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--db", help="a migrated database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = args.db or str(Path(tmp) / "jobs.sqlite3")
        engine = make_engine(target)
        upgrade(engine)
        repo = SqlRepository(engine)
        now = datetime.now(UTC)
        started = time.perf_counter()
        for _ in range(args.jobs):
            repo.enqueue_job(NewJob(kind="noop"), now)
        enqueue_s = time.perf_counter() - started
        started = time.perf_counter()
        ran = Worker(repo, SystemClock(), batch=args.batch).run_until_idle()
        run_s = time.perf_counter() - started
        with write(engine) as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS bench_floor (n INTEGER)"))
        started = time.perf_counter()
        for n in range(args.jobs):
            with write(engine) as conn:
                conn.execute(text("INSERT INTO bench_floor (n) VALUES (:n)"), {"n": n})
        floor_s = time.perf_counter() - started
        engine.dispose()
    print(f"{engine.dialect.name}: {ran} jobs, batch {args.batch}")
    print(f"  enqueue   {args.jobs / enqueue_s:8.0f} jobs/s")
    print(f"  run       {ran / run_s:8.0f} jobs/s")
    print(f"  bare tx   {args.jobs / floor_s:8.0f} transactions/s (the floor)")


if __name__ == "__main__":
    main()
