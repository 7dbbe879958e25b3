"""Latency of saving a call result (K15) through the local Console on SQLite.

    .venv/bin/python bench/call_bench.py                 # 2,000-client demo, 200 saves per kind
    .venv/bin/python bench/call_bench.py --clients 20000 --saves 500
    .venv/bin/python bench/call_bench.py --profile agreed

Builds (or reuses) bench/data/calls-<N>.sqlite3 with `crm demo`'s builder at the demo's fixed
"today", copies it to a scratch file per run (every save books a place), signs in as `operator`
(the code is read from the SMS outbox) on a clock standing at the demo's today, and times
`console.save_call(...)` alone — the call was started (`start_call`) and the slot chosen before
the clock starts. Kinds:

- agreed:   Agreed with an office slot booked, two offered products and the visit SMS queued for
            the day before (one transaction: contact, products, booking, slot, member, SMS, history)
- callback: Call back with the default date (contact, member)
- agreed (idempotent retry): the same save again with the same key: the stored answer

Goal: p50 of "agreed" under 20 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.calls.inputs import CallResult, CallState, VisitChoice, VisitSms  # noqa: E402
from core.clock import FixedClock  # noqa: E402
from core.console import LocalConsole  # noqa: E402
from storage.demo import build_demo  # noqa: E402
from storage.demo_data import DEMO_NOW  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.sql_repository import SqlRepository  # noqa: E402

DATA = ROOT / "bench" / "data"
GOAL_MS = 20.0
NOW = DEMO_NOW + timedelta(hours=1)  # 11:00 in Moscow on the demo's today


def ensure_db(path: Path, clients: int) -> Path:
    if path.exists():
        with sqlite3.connect(path) as db:
            if db.execute("SELECT count(*) FROM client").fetchone()[0] == clients:
                print(f"Reusing {path} ({clients:,} clients)")
                return path
    print(f"Building {path} with {clients:,} clients ...", flush=True)
    report = build_demo(str(path), clients=clients, force=True, now=DEMO_NOW)
    print(f"Built in {report.seconds:.1f} s")
    return path


def signed_in(path: Path, login: str) -> tuple[LocalConsole, SqlRepository]:
    repo = SqlRepository(make_engine(str(path)))
    console = LocalConsole(repo, clock=FixedClock(NOW))
    challenge = console.sign_in(login, login)
    text = next(item.text for item in repo.outbox(10) if item.purpose == "sign_in_code")
    code = re.search(r"\d{4,8}", text)
    assert code, text
    console.verify_code(challenge.challenge_id, code.group())
    return console, repo


def listed_clients(path: Path, count: int, seed: int) -> list[tuple[int, int]]:
    """(campaign, client) pairs still on a list, whose card has an active mobile and no DND."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT m.campaign_id, m.client_id FROM campaign_member m JOIN client c ON c.id = m.client_id"
            " JOIN campaign k ON k.id = m.campaign_id"
            " WHERE m.state IN ('new', 'callback', 'retry') AND c.do_not_disturb = 0 AND k.active = 1"
            " AND c.desk_id IN (SELECT desk_id FROM employee_desk ed JOIN employee e ON e.id = ed.employee_id"
            "                   WHERE e.login = 'operator')"
            " AND EXISTS (SELECT 1 FROM phone p WHERE p.client_id = c.id AND p.status = 'active' AND p.kind = 'mobile')"
        ).fetchall()
    rng = random.Random(seed)
    rng.shuffle(rows)
    seen: set[int] = set()
    out = []
    for campaign, client in rows:
        if client not in seen:
            seen.add(client)
            out.append((campaign, client))
    if len(out) < count:
        raise SystemExit(f"only {len(out)} listed clients; use more --clients or fewer --saves")
    return out[:count]


def free_slots(console: LocalConsole, needed: int) -> list[tuple[VisitChoice, int]]:
    """Bookable (visit, free places) on later days, across offices."""
    out: list[tuple[VisitChoice, int]] = []
    for office in console.offices():
        for slot in console.office_slots(office.id, date.fromordinal(NOW.date().toordinal() + 1), 6):
            if slot.bookable:
                out.append(
                    (
                        VisitChoice(
                            region_id=office.region_id, town_id=office.town_id, office_id=office.id, slot_id=slot.id
                        ),
                        slot.free,
                    )
                )
        if sum(free for _v, free in out) >= needed:
            break
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(path: Path, saves: int, seed: int, profile: str | None) -> dict[str, list[float]]:
    console, _repo = signed_in(path, "operator")
    products = {p.code: p.id for p in console.products()}
    offered = [products["cash_loan"], products["deposit_best"]]
    pairs = listed_clients(path, saves * 2, seed)
    slots = [visit for visit, free in free_slots(console, saves) for _ in range(free)]
    if len(slots) < saves:
        raise SystemExit(f"only {len(slots)} free places ahead")
    times: dict[str, list[float]] = {"agreed": [], "callback": [], "agreed (idempotent retry)": []}
    profiler = cProfile.Profile() if profile else None
    for index, (campaign_id, client_id) in enumerate(pairs):
        kind = "agreed" if index % 2 == 0 else "callback"
        start = console.start_call(client_id, campaign_id)
        values: dict[str, object] = {
            "client_id": client_id,
            "campaign_id": campaign_id,
            "phone_id": start.phone_id,
            "started_at": start.started_at,
            "state": CallState(reached=True, products=offered if kind == "agreed" else []),
        }
        if kind == "agreed":
            call = CallResult(**values, result="agreed", visit=slots[index // 2], sms=VisitSms())  # type: ignore[arg-type]
        else:
            call = CallResult(**values, result="callback", reason="client_request")  # type: ignore[arg-type]
        key = uuid.uuid4().hex
        profiling = profiler is not None and kind.startswith(profile or "~")
        if profiling:
            profiler.enable()  # type: ignore[union-attr]
        began = time.perf_counter()
        entry = console.save_call(call, idempotency_key=key)
        took = (time.perf_counter() - began) * 1000
        if profiling:
            profiler.disable()  # type: ignore[union-attr]
        times[kind].append(took)
        if kind == "agreed":
            assert entry.visit_at is not None and entry.office
            began = time.perf_counter()
            again = console.save_call(call, idempotency_key=key)
            times["agreed (idempotent retry)"].append((time.perf_counter() - began) * 1000)
            assert again.id == entry.id
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--db", type=Path, help="a demo SQLite file built at the demo's fixed today")
    parser.add_argument("--saves", type=int, default=200, help="saves per kind")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", metavar="KIND", help="cProfile the saves of that kind (agreed, callback)")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    source = args.db or ensure_db(DATA / f"calls-{args.clients}.sqlite3", args.clients)
    scratch = DATA / f"calls-scratch-{uuid.uuid4().hex[:8]}.sqlite3"
    shutil.copyfile(source, scratch)
    try:
        times = run(scratch, args.saves, args.seed, args.profile)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    print(f"\nsave_call through LocalConsole on SQLite ({args.saves} saves per kind)")
    print(f"{'kind':<28}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for kind, values in times.items():
        print(
            f"{kind:<28}{statistics.median(values):>10.2f}{percentile(values, 0.99):>10.2f}{statistics.fmean(values):>10.2f}"
        )
    p50 = statistics.median(times["agreed"])
    verdict = "met" if p50 < GOAL_MS else "NOT met"
    print(f"\ngoal: agreed p50 < {GOAL_MS:.0f} ms: {verdict} ({p50:.2f} ms)")


if __name__ == "__main__":
    main()
