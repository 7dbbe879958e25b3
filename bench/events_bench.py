"""Signed platform events per second through the webhook (`POST /api/v1/events`), on SQLite and
PostgreSQL, next to a partner: the bare insert of the same rows by the database driver.

    .venv/bin/python bench/events_bench.py                    # 1,000 clients, 10 s of load per engine
    .venv/bin/python bench/events_bench.py --seconds 20 --engines sqlite

Each engine gets a fresh migrated database with live clients holding a USD account. The events
are heartbeats and completed deposits, half each, every one with its own id, signed (HMAC-SHA256)
before the run with a timestamp inside the tolerance. `wrk` (apt-get install wrk; 2 threads, 32
connections) sends them to `python -m api.serve` (one uvicorn worker); a Lua script walks the
pre-signed list, each wrk thread its own part, so no id repeats and every event does its writes.
The partner writes, per event and in its own transaction, what the event path writes: the event
id, and the client's presence (heartbeat) or the money request and the account's balance
(deposit) — one connection, statements prepared by the driver, no HTTP, no rules.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-secret"
CONNECTIONS = 32


def prepare(target: str, clients: int) -> list[int]:
    """Live clients with a USD account each, through the event path."""
    from core.clock import SystemClock
    from core.console import LocalConsole
    from core.trading.models import PlatformEvent
    from storage.engine import make_engine, write
    from storage.migrate import upgrade
    from storage.sql_repository import SqlRepository
    from storage.tables import ClientRow

    engine = make_engine(target)
    upgrade(engine)
    now = datetime.now(UTC)
    with write(engine) as conn:
        rows = [
            {"surname": "Бенчев", "first_name": f"К{i}", "patronymic": "", "name_key": f"бенчев к{i}",
             "name_latin": f"benchev k{i}", "client_type": "internet", "lifecycle": "lead", "created_at": now}
            for i in range(clients)
        ]  # fmt: skip
        conn.execute(ClientRow.__table__.insert(), rows)  # type: ignore[attr-defined]
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM client ORDER BY id")]
    feed = LocalConsole(SqlRepository(engine), clock=SystemClock())
    for client_id in ids:
        for kind in ("registered", "real_account"):
            values = {"id": f"prep-{kind}-{client_id}", "kind": kind, "at": now, "client_id": client_id}
            values |= {"account": f"B-{client_id}", "currency": "USD"}
            feed.apply_event(PlatformEvent.model_validate(values))
    engine.dispose()
    return ids


def events(ids: list[int], count: int, prefix: str) -> list[dict[str, object]]:
    now = datetime.now(UTC).isoformat()
    out: list[dict[str, object]] = []
    for n in range(count):
        client_id = ids[n % len(ids)]
        event: dict[str, object] = {"id": f"{prefix}-{n}", "kind": "heartbeat", "at": now, "client_id": client_id}
        if n % 2:
            event |= {"kind": "deposit", "account": f"B-{client_id}", "currency": "USD", "amount": "10.50",
                      "payment_system": "Visa", "status": "completed"}  # fmt: skip
        out.append(event)
    return out


def run_wrk(base: str, signed: list[tuple[str, str, str]], seconds: int, tmp: Path) -> tuple[float, int, float]:
    data = tmp / "events.tsv"
    data.write_text("".join(f"{ts}\t{sig}\t{body}\n" for ts, sig, body in signed), encoding="utf-8")
    script = tmp / "events.lua"
    script.write_text(
        f"""
local threads = {{}}
local counter = 0
function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
end
function init(args)
  lines = {{}}
  for line in io.lines("{data}") do lines[#lines + 1] = line end
  part = math.floor(#lines / 2)
  first = index * part
  i = 0
end
function request()
  local line = lines[first + (i % part) + 1]
  i = i + 1
  local a = string.find(line, "\\t", 1, true)
  local b = string.find(line, "\\t", a + 1, true)
  local headers = {{}}
  headers["Content-Type"] = "application/json"
  headers["X-CRM-Timestamp"] = string.sub(line, 1, a - 1)
  headers["X-CRM-Signature"] = string.sub(line, a + 1, b - 1)
  return wrk.format("POST", "/api/v1/events", headers, string.sub(line, b + 1))
end
"""
    )
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"\s99%\s+([\d.]+)(\w+)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)] if p99 else 0.0  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if total > len(signed):
        print(f"  note: {total} requests for {len(signed)} events: some were replays (no-ops)", file=sys.stderr)
    return rps, int(non2xx.group(1)) if non2xx else 0, p99_ms


def partner(target: str, batch: list[dict[str, object]]) -> float:
    """The same rows written by the bare driver, one transaction per event: events per second."""
    from storage.engine import database_url

    url = database_url(target)
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        mark = "?"
    else:
        import psycopg

        conn = psycopg.connect(target.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)  # type: ignore[assignment]
        mark = "%s"
    q = {
        "event": f"INSERT INTO platform_event (id, kind, at, received_at, client_id, outcome) VALUES ({', '.join([mark] * 6)})",
        "seen": f"UPDATE client SET last_seen_at = {mark}, online_until = {mark} WHERE id = {mark}",
        "request": "INSERT INTO money_request (client_id, account_id, event_id, kind, payment_system, amount, currency,"
        f" manual, status, created_at, decided_at) VALUES ({', '.join([mark] * 11)})",
        "move": f"UPDATE trading_account SET balance = balance + {mark}, equity = equity + {mark} WHERE number = {mark}",
    }
    now = datetime.now(UTC)
    started = time.perf_counter()
    for e in batch:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE" if mark == "?" else "BEGIN")
        cur.execute(q["event"], (f"p{e['id']}", e["kind"], now, now, e["client_id"], "applied"))
        if e["kind"] == "heartbeat":
            cur.execute(q["seen"], (now, now + timedelta(minutes=5), e["client_id"]))
        else:
            amount = str(Decimal("10.50")) if mark == "?" else Decimal("10.50")
            cur.execute(q["request"], (e["client_id"], None, f"p{e['id']}", "deposit", "Visa", amount, "USD", False,
                                       "executed", now, now))  # fmt: skip
            cur.execute(q["move"], (amount, amount, e["account"]))
        cur.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return len(batch) / seconds


def bench(engine_name: str, target: str, args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    from core.trading.signing import sign
    from tests.api.world import ApiServer

    ids = prepare(target, args.clients)
    batch = events(ids, args.events, f"{engine_name}-{os.getpid()}")
    ts = int(time.time())
    signed = []
    for event in batch:
        body = json.dumps(event, separators=(",", ":"))
        signed.append((str(ts), sign(SECRET, ts, body.encode()), body))
    os.environ["CRM_EVENTS_SECRET"] = SECRET
    server = ApiServer(target, tmp / f"api-{engine_name}.log").start()
    try:
        rps, errors, p99 = run_wrk(server.url, signed, args.seconds, tmp)
    finally:
        server.stop()
    bare = partner(target, events(ids, min(args.events, 20_000), "bare"))
    return {"engine": engine_name, "webhook_eps": round(rps), "p99_ms": round(p99, 1), "errors": errors,
            "bare_insert_eps": round(bare), "ratio": round(rps / bare, 3)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=100_000, help="pre-signed events (more than the run sends)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="crm-events-bench-"))
    results = []
    for engine_name in args.engines.split(","):
        if engine_name == "sqlite":
            results.append(bench("sqlite", str(tmp / "events.sqlite3"), args, tmp))
            continue
        from tests.pg import PostgresServer, find_binaries

        bindir = find_binaries()
        if bindir is None:
            print("no PostgreSQL server binaries: PostgreSQL skipped", file=sys.stderr)
            continue
        pg = PostgresServer(bindir)
        pg.start()
        try:
            results.append(bench("postgresql", pg.create_database("crm_events_bench"), args, tmp))
        finally:
            pg.stop()
    for r in results:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
