"""The load of `bench/api_concurrency.py` and its twin test (tests/api/test_concurrency_results.py):
a campaign with a slice of clients per operator, the operators signed in, one thread per operator
saving calls through its RemoteConsole (start_call + save_call with an Idempotency-Key reused on
every retry), and the check of the database against what the server acknowledged."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select

from core.calls.inputs import CallResult
from core.calls.scripts import shipped_scripts
from core.errors import Conflict, CrmError, StoreUnavailable
from core.vocab import SmsPurpose
from storage.demo import build_demo
from storage.demo_data import MAIN_DESK as DEFAULT_DESK  # the demo's main desk
from storage.engine import make_engine, read, write
from storage.remote import RemoteConsole
from storage.sql_repository import SqlRepository
from storage.tables import CampaignMemberRow, CampaignRow, ClientRow, ContactRow, DeskRow, EmployeeRow, PhoneRow
from storage.tables_access import IdempotencyKeyRow
from storage.users import add_employee

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
    save_seconds: list[float] = field(default_factory=list)  # each acknowledged save_call, retries included
    lock: threading.Lock = field(default_factory=threading.Lock)
    down: threading.Event = field(default_factory=threading.Event)  # set at the first outage seen

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
                tally.down.set()
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
            began = time.perf_counter()
            persist(lambda call=call, key=key: console.save_call(call, idempotency_key=key), tally, deadline)
            took = time.perf_counter() - began
        except GiveUp:
            with tally.lock:
                tally.given_up.append(key)
            if time.monotonic() > deadline:
                return
            continue
        with tally.lock:
            tally.acknowledged.append(key)
            tally.save_seconds.append(took)


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
