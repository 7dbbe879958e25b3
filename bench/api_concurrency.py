"""Many operators saving call results through the HTTP API on PostgreSQL, optionally with a kill -9.

    .venv/bin/python bench/api_concurrency.py                     # 20 operators x 500 saves
    .venv/bin/python bench/api_concurrency.py --kill              # ... and kill -9 the server half-way
    .venv/bin/python bench/api_concurrency.py --operators 5 --saves 50 --kill

Starts a throw-away PostgreSQL (tests/pg.py, run as `nobody` when root), builds a demo database
with enough clients, puts operators x saves of them on a campaign of its own (each operator has
a slice of its own), adds the operators (role operator, Main desk) and signs each in with the code
from the SMS outbox. Then serves the database with `python -m api.serve --workers 2` on 127.0.0.1
and runs one thread per operator, each with its own RemoteConsole: start_call + save_call
("not_reached" / "no_answer") with an Idempotency-Key that it reuses on every retry; the key is
also the call's comment, so the database tells which key produced which row. With --kill the
server's whole process group gets SIGKILL once half the saves are acknowledged, and it is started
again on the same port; the consoles retry until the server answers.

Prints: saves acknowledged, call rows in the database, duplicates, lost and unacknowledged keys,
refusals by kind, outages (retries while the server was down), elapsed time and saves per second.
Exit code 1 if rows != acknowledged, anything is duplicated or lost, any save was refused for
locking, or the follow-up writes (campaign member, idempotency record) disagree with the rows.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select  # noqa: E402

from core.calls.inputs import CallResult  # noqa: E402
from core.calls.scripts import shipped_scripts  # noqa: E402
from core.errors import Conflict, CrmError, StoreUnavailable  # noqa: E402
from core.vocab import SmsPurpose  # noqa: E402
from storage.demo import build_demo  # noqa: E402
from storage.demo_data import MAIN_DESK as DEFAULT_DESK  # noqa: E402 - the demo's main desk
from storage.engine import make_engine, read, write  # noqa: E402
from storage.remote import RemoteConsole  # noqa: E402
from storage.sql_repository import SqlRepository  # noqa: E402
from storage.tables import (  # noqa: E402
    CampaignMemberRow,
    CampaignRow,
    ClientRow,
    ContactRow,
    DeskRow,
    EmployeeRow,
    IdempotencyKeyRow,
    PhoneRow,
)
from storage.users import add_employee  # noqa: E402

PASSWORD = "bench-Pass-1"
RESULT, REASON = "not_reached", "no_answer"  # needs no script path, no date, no visit
CAMPAIGN_CODE = "bench_concurrency"
_CODE_RE = re.compile(r"code: (\d{6})")
_OUTAGE = ("Cannot reach", "did not answer")  # StoreUnavailable raised by the client itself
_LOCKING = re.compile(r"lock|deadlock|serializ|busy", re.IGNORECASE)


# --- the database ---------------------------------------------------------------------------


@dataclass
class Plan:
    campaign_id: int
    logins: list[str]
    mobiles: dict[str, str]
    slices: list[list[int]]  # client ids of each operator


def prepare(target: str, operators: int, saves: int, seed: int = 7) -> Plan:
    """A demo database at `target` (migrated, without clients) with a campaign of operators x saves
    callable clients, and `operators` operators of the main desk."""
    needed = operators * saves
    now = datetime.now(UTC)
    build_demo(target, clients=2 * needed + 50, seed=seed, now=now)  # the main desk has about 3/4
    engine = make_engine(target)
    try:
        with read(engine) as conn:
            desk_id = conn.scalar(select(DeskRow.id).where(DeskRow.name == DEFAULT_DESK))
            callable_ids = list(
                conn.scalars(
                    select(ClientRow.id)
                    .where(
                        ClientRow.desk_id == desk_id,
                        ClientRow.do_not_disturb.is_(False),
                        select(PhoneRow.id)
                        .where(PhoneRow.client_id == ClientRow.id, PhoneRow.status == "active")
                        .exists(),
                    )
                    .order_by(ClientRow.id)
                    .limit(needed)
                )
            )
        if len(callable_ids) < needed:
            raise SystemExit(f"the demo has {len(callable_ids)} callable clients, {needed} are needed")
        with write(engine) as conn:
            campaign_id = conn.execute(
                insert(CampaignRow).values(
                    code=f"{CAMPAIGN_CODE}_{uuid.uuid4().hex[:8]}",
                    name="Bench: concurrency",
                    active=True,
                    script=shipped_scripts()["halva_cross_sell"],
                    desk_id=desk_id,
                )
            ).inserted_primary_key[0]
            conn.execute(
                insert(CampaignMemberRow),
                [{"campaign_id": campaign_id, "client_id": c, "state": "new", "attempts": 0} for c in callable_ids],
            )
        logins, mobiles = [], {}
        for n in range(operators):
            login = f"bench_op{n:03d}"
            mobiles[login] = f"+7900777{n:04d}"
            add_employee(
                engine, login, f"Bench Operator {n}", PASSWORD, "operator", [DEFAULT_DESK], mobiles[login], now
            )
            logins.append(login)
    finally:
        engine.dispose()
    slices = [callable_ids[n * saves : (n + 1) * saves] for n in range(operators)]
    return Plan(campaign_id=campaign_id, logins=logins, mobiles=mobiles, slices=slices)


def last_code(engine: Engine, mobile: str) -> str:
    for item in SqlRepository(engine).outbox(200):
        if item.to == mobile and item.purpose == SmsPurpose.SIGN_IN_CODE:
            match = _CODE_RE.search(item.text)
            if match:
                return match.group(1)
    raise RuntimeError(f"no sign-in code was sent to {mobile}")


def sign_in_all(url: str, target: str, plan: Plan, timeout: float = 15.0) -> list[RemoteConsole]:
    """One signed-in RemoteConsole per operator (sequentially: codes are read from the outbox)."""
    engine = make_engine(target)
    consoles = []
    try:
        for login in plan.logins:
            console = RemoteConsole(url, timeout=timeout)
            challenge = console.sign_in(login, PASSWORD)
            console.verify_code(challenge.challenge_id, last_code(engine, plan.mobiles[login]))
            consoles.append(console)
    finally:
        engine.dispose()
    return consoles


# --- the load -------------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: list[str] = field(default_factory=list)  # keys the server answered 200 for
    refusals: Counter[str] = field(default_factory=Counter)  # locking / conflict / server_error / other
    refused_messages: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)  # keys never acknowledged (deadline or a hard refusal)
    outages: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse(self, kind: str, exc: Exception) -> None:
        with self.lock:
            self.refusals[kind] += 1
            if len(self.refused_messages) < 20:
                self.refused_messages.append(f"{kind}: {type(exc).__name__}: {exc}")


class GiveUp(Exception):
    pass


def classify(exc: Exception) -> str:
    """outage: the server is down (retry); locking / conflict / server_error: retry; other: give up."""
    text = str(exc)
    if isinstance(exc, StoreUnavailable):
        if text.startswith(_OUTAGE):
            return "outage"
        return "locking" if _LOCKING.search(text) else "server_error"
    if isinstance(exc, Conflict):
        return "locking" if _LOCKING.search(text) else "conflict"
    return "other"


def persist(call, tally: Tally, deadline: float):  # type: ignore[no-untyped-def]
    """Call until the server answers; retryable failures are counted, others give up."""
    while True:
        try:
            return call()
        except CrmError as exc:
            kind = classify(exc)
            if kind == "outage":
                with tally.lock:
                    tally.outages += 1
            else:
                tally.refuse(kind, exc)
                if kind == "other":
                    raise GiveUp(str(exc)) from exc
            if time.monotonic() > deadline:
                raise GiveUp("deadline") from exc
            time.sleep(0.05)  # back off while the server is down or busy


def operator(console: RemoteConsole, campaign_id: int, clients: list[int], run: str, tally: Tally, deadline: float):  # type: ignore[no-untyped-def]
    for j, client_id in enumerate(clients):
        key = f"{run}-{client_id}-{j}"
        try:
            start = persist(lambda c=client_id: console.start_call(c, campaign_id), tally, deadline)
            call = CallResult(
                client_id=client_id,
                campaign_id=campaign_id,
                phone_id=start.phone_id,
                started_at=start.started_at,
                result=RESULT,
                reason=REASON,
                comment=key,
            )
            persist(lambda call=call, key=key: console.save_call(call, idempotency_key=key), tally, deadline)
        except GiveUp:
            with tally.lock:
                tally.given_up.append(key)
            if time.monotonic() > deadline:
                return
            continue
        with tally.lock:
            tally.acknowledged.append(key)


def run_load(
    consoles: list[RemoteConsole],
    plan: Plan,
    tally: Tally,
    deadline_s: float,
    kill_at: int | None = None,
    kill=None,  # type: ignore[no-untyped-def]
) -> float:
    """One thread per console; `kill()` is called once `kill_at` saves are acknowledged. Returns seconds."""
    run = f"r{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + deadline_s
    started = time.perf_counter()
    threads = [
        threading.Thread(target=operator, args=(c, plan.campaign_id, s, run, tally, deadline), daemon=True)
        for c, s in zip(consoles, plan.slices, strict=True)
    ]
    for thread in threads:
        thread.start()
    if kill_at is not None and kill is not None:
        while len(tally.acknowledged) < kill_at and time.monotonic() < deadline and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        kill()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 30))
    if any(t.is_alive() for t in threads):
        raise RuntimeError("operators still running after the deadline")
    return time.perf_counter() - started


# --- the check ------------------------------------------------------------------------------


@dataclass
class Check:
    rows: int
    duplicates: int  # keys with more than one call row
    lost: list[str]  # acknowledged keys without a row
    unacknowledged: int  # rows whose key was never acknowledged (allowed only for given-up keys)
    member_mismatch: int  # members whose attempts / state disagree with their call rows
    idempotency_records: int  # save_call records of the operators
    foreign_rows: int  # call rows on the campaign without a key of this run

    def problems(self, tally: Tally) -> list[str]:
        found = []
        if self.rows != len(tally.acknowledged) + self.unacknowledged:
            found.append("rows != acknowledged + unacknowledged")
        if self.duplicates:
            found.append(f"{self.duplicates} keys saved more than once")
        if self.lost:
            found.append(f"{len(self.lost)} acknowledged saves are missing")
        if self.member_mismatch:
            found.append(f"{self.member_mismatch} campaign members disagree with their call rows (half-written)")
        if self.idempotency_records != self.rows:
            found.append(f"{self.idempotency_records} idempotency records for {self.rows} rows (half-written)")
        if self.foreign_rows:
            found.append(f"{self.foreign_rows} call rows without a key of this run")
        if tally.refusals["locking"]:
            found.append(f"{tally.refusals['locking']} refusals for locking")
        return found


def check(target: str, plan: Plan, tally: Tally) -> Check:
    engine = make_engine(target)
    try:
        with read(engine) as conn:
            calls = conn.execute(
                select(ContactRow.client_id, ContactRow.comment, ContactRow.result, ContactRow.reason).where(
                    ContactRow.kind == "call", ContactRow.campaign_id == plan.campaign_id
                )
            ).all()
            members = conn.execute(
                select(CampaignMemberRow.client_id, CampaignMemberRow.attempts, CampaignMemberRow.state).where(
                    CampaignMemberRow.campaign_id == plan.campaign_id
                )
            ).all()
            records = conn.scalar(
                select(func.count())
                .select_from(IdempotencyKeyRow)
                .join(EmployeeRow, EmployeeRow.id == IdempotencyKeyRow.employee_id)
                .where(EmployeeRow.login.in_(plan.logins), IdempotencyKeyRow.operation == "save_call")
            )
    finally:
        engine.dispose()
    by_key = Counter(row.comment for row in calls)
    acked = set(tally.acknowledged)
    per_client = Counter(row.client_id for row in calls)
    mismatch = 0
    for m in members:
        n = per_client.get(m.client_id, 0)
        if m.attempts != n or (n and m.state != "retry"):
            mismatch += 1
    return Check(
        rows=len(calls),
        duplicates=sum(1 for c in by_key.values() if c > 1),
        lost=sorted(acked - set(by_key)),
        unacknowledged=sum(1 for k in by_key if k not in acked),
        member_mismatch=mismatch,
        idempotency_records=records or 0,
        foreign_rows=sum(1 for row in calls if not row.comment or (row.result, row.reason) != (RESULT, REASON)),
    )


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from tests.api.world import ApiServer
    from tests.pg import PostgresServer, find_binaries

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operators", type=int, default=20)
    parser.add_argument("--saves", type=int, default=500, help="call results each operator saves")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--kill", action="store_true", help="kill -9 the server half-way and restart it")
    parser.add_argument("--deadline", type=float, default=900.0, help="seconds the load may take at most")
    args = parser.parse_args(argv)

    bindir = find_binaries()
    if bindir is None:
        print("no PostgreSQL server binaries (initdb, postgres); apt-get install postgresql", file=sys.stderr)
        return 2
    pg = PostgresServer(bindir)
    pg.start()
    server: ApiServer | None = None
    try:
        target = pg.create_database("crm_bench")
        t0 = time.perf_counter()
        plan = prepare(target, args.operators, args.saves)
        print(f"prepared {args.operators} operators x {args.saves} clients in {time.perf_counter() - t0:.1f} s")
        log = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "api.log"
        server = ApiServer(target, log, workers=args.workers).start()
        consoles = sign_in_all(server.url, target, plan)
        tally = Tally()
        total = args.operators * args.saves

        def kill_and_restart() -> None:
            assert server is not None
            print(f"kill -9 of the server group after {len(tally.acknowledged)} acknowledged saves")
            server.kill()
            server.start(port=server.port)
            print(f"restarted; {len(tally.acknowledged)} acknowledged by now")

        seconds = run_load(
            consoles, plan, tally, args.deadline, kill_at=total // 2 if args.kill else None, kill=kill_and_restart
        )
        for console in consoles:
            console.close()
        result = check(target, plan, tally)
    finally:
        if server is not None:
            server.stop()
        pg.stop()

    refusals = {k: tally.refusals.get(k, 0) for k in ("locking", "conflict", "server_error", "other")}
    print(
        f"operators x saves:        {args.operators} x {args.saves} = {total}  (workers {args.workers}, kill {args.kill})"
    )
    print(f"saves acknowledged:       {len(tally.acknowledged)}")
    print(f"call rows in the database: {result.rows}")
    print(f"duplicates (by key):      {result.duplicates}")
    print(f"lost (acked, no row):     {len(result.lost)}")
    print(f"rows never acknowledged:  {result.unacknowledged}  (given up: {len(tally.given_up)})")
    print(
        f"half-written:             members {result.member_mismatch}, idempotency records {result.idempotency_records}"
    )
    print(f"refusals:                 {refusals}")
    print(f"outages (retries while down): {tally.outages}")
    unexpected = Counter(m.group(1) for m in re.finditer(r"unexpected (\w+) on", log.read_text(errors="replace")))
    print(f"server log, unexpected:   {dict(unexpected) or 'none'}  ({log})")
    print(f"elapsed:                  {seconds:.1f} s, {len(tally.acknowledged) / seconds:.0f} saves/s")
    for message in tally.refused_messages[:5]:
        print(f"  refused: {message}")
    problems = result.problems(tally)
    if len(tally.acknowledged) != total:
        problems.append(f"only {len(tally.acknowledged)} of {total} saves acknowledged")
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
