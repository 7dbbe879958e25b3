"""Automation throughput: events per second end to end (the change that writes the event -> the
rule fired by the worker), next to the job queue's bare no-op throughput in the same run.

    .venv/bin/python bench/automation_bench.py                  # 500 events on a new SQLite file
    .venv/bin/python bench/automation_bench.py --events 2000 --db postgresql://crm@127.0.0.1/crm_bench

Each event is a tag added on a card (`edit_tags`, which queues its `automation.event` job in the
same transaction); the rule (`tag_added vip` -> `tag seen`, with a condition as in views) fires
once per event: a firing row, the tag, the history entry and the follow-up event, one transaction
with the job's done mark. The partner figure is as many `noop` jobs through the same worker.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from core.automation.inputs import RuleDraft
from core.clients.inputs import NewClient
from core.clock import SystemClock
from core.console import LocalConsole
from core.jobs.models import NewJob
from core.jobs.worker import Worker
from core.work.inputs import TagEdit
from storage.engine import make_engine, read
from storage.migrate import upgrade
from storage.reference import ensure_reference_data
from storage.sql_repository import SqlRepository
from storage.tables_automation import AutomationFiringRow
from storage.users import add_employee


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--db", help="a migrated database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        target = args.db or str(Path(tmp) / "automation.sqlite3")
        engine = make_engine(target)
        upgrade(engine)
        ensure_reference_data(engine)
        repo = SqlRepository(engine)
        console = LocalConsole(repo, SystemClock())
        add_employee(
            engine, "bench", "Bench Manager", "bench-Pass1", "admin", ["Main desk"], "+79001234567", datetime.now(UTC)
        )
        console.act_as(repo.employee_by_login("bench").id)  # type: ignore[union-attr]
        ids = [
            console.create_client(
                NewClient(
                    surname="Бенчев", first_name="Иван", client_type="interested", phones=[f"+7916{5_000_000 + n:07d}"]
                ),  # fmt: skip
                allow_duplicate=True,
            ).id
            for n in range(args.events)
        ]
        rule = {
            "name": "Bench",
            "trigger": {"kind": "tag_added", "value": "vip"},
            "conditions": [{"field": "lifecycle", "op": "eq", "values": ["lead"]}],
            "effects": [{"kind": "tag", "tag": "seen"}],
        }
        console.add_automation_rule(RuleDraft.model_validate(rule))
        worker = Worker(repo, SystemClock(), batch=args.batch)
        worker.run_until_idle()  # nothing queued yet: warms the statement caches
        started = time.perf_counter()
        for client_id in ids:
            console.edit_tags(client_id, TagEdit(add=["vip"]))
        written = time.perf_counter()
        ran = worker.run_until_idle()  # the events and the follow-up "tag seen" events
        fired_at = time.perf_counter()
        with read(engine) as conn:
            fired = conn.scalar(select(func.count()).select_from(AutomationFiringRow))
        now = datetime.now(UTC)
        for _ in range(args.events):
            repo.enqueue_job(NewJob(kind="noop"), now)
        noop_started = time.perf_counter()
        noops = worker.run_until_idle()
        noop_s = time.perf_counter() - noop_started
        engine.dispose()
    end_to_end = fired_at - started
    print(f"{engine.dialect.name}: {args.events} events, {fired} firings, {ran} event jobs, batch {args.batch}")
    print(f"  end to end  {fired / end_to_end:8.0f} events/s (tag written -> rule fired)")
    print(f"  writing     {args.events / (written - started):8.0f} events/s (edit_tags with its event job)")
    print(f"  firing      {ran / (fired_at - written):8.0f} event jobs/s (the worker)")
    print(f"  noop jobs   {noops / noop_s:8.0f} jobs/s (the partner: the bare queue, same worker)")


if __name__ == "__main__":
    main()
