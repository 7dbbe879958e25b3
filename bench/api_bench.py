"""Search through the HTTP API under load, next to a bare FastAPI endpoint on the same machine.

    .venv/bin/python bench/api_bench.py                       # builds a 20,000-client demo in a temp dir
    .venv/bin/python bench/api_bench.py --clients 100000 --seconds 10
    .venv/bin/python bench/api_bench.py --db bench/data/demo-100000.sqlite3   # copied, never changed

Starts `python -m api.serve` (one uvicorn worker, 127.0.0.1 only) on a demo database and a bare
FastAPI app with `/ping` in another uvicorn, signs in as the demo `admin`, then loads each endpoint
with 32 concurrent connections for a fixed time: requests per second and p50/p99 latency.
The load comes from `wrk` when it is installed (`apt-get install wrk`); otherwise from an
asyncio/httpx loop, which saturates near 300 req/s on this kind of machine, so its figures are a
floor, and the report says which one ran. The figure to read is the ratio search / bare ping.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONNECTIONS = 32
START_TIMEOUT_S = 60.0


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


# --- servers --------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, argv: list[str], port: int, log: Path) -> None:
        self.port = port
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"server did not start; see {log}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def bare_app(db_path: str | None = None):  # type: ignore[no-untyped-def]
    """/ping, and when `db_path` is given the search path answered by raw sqlite3: the same lookup SQL
    and summary SQL as the store's search, no sign-in, rules or models (the partner of API search)."""
    import threading

    from fastapi import FastAPI, Query

    from core.clients.names import fold, prefix_upper_bound
    from storage.repo_search import _lookup_sql, _summary_sql

    app = FastAPI()
    local = threading.local()

    def db() -> sqlite3.Connection:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = sqlite3.connect(db_path or ":memory:", check_same_thread=False)
            conn.execute("PRAGMA cache_size=-65536")
        return conn

    @app.get("/api/v1/clients")
    def raw_search(q: str = Query(), limit: int = 50) -> list[dict[str, object]]:
        conn = db()
        digits = "".join(ch for ch in q if ch.isdigit())
        if digits and len(digits) >= 10:
            ids = [
                r[0]
                for r in conn.execute(
                    _lookup_sql("phone", None, True, False), {"value": "+7" + digits[-10:], "limit": limit}
                )
            ]
        else:
            key = fold(q)
            params = {"low": key, "high": prefix_upper_bound(key), "limit": limit}
            ids = [r[0] for r in conn.execute(_lookup_sql("name_key", None, True, False), params)]
        if not ids:
            return []
        out: dict[int, dict[str, object]] = {}
        for row in conn.execute(_summary_sql(len(ids), False), {f"i{i}": v for i, v in enumerate(ids)}):
            item = out.setdefault(
                row[0], {"id": row[0], "surname": row[1], "first_name": row[2], "region": row[7], "phones": []}
            )
            if row[10]:
                item["phones"].append(row[10])  # type: ignore[attr-defined]
        return list(out.values())

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ping")
    async def ping() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/ping-sync")
    def ping_sync() -> dict[str, bool]:  # through the thread pool, as every API route is
        return {"ok": True}

    return app


# --- load generators ------------------------------------------------------------------------


def run_wrk(name: str, base: str, paths: list[str], token: str | None, seconds: int, tmp: Path) -> Result:
    script = tmp / (re.sub(r"\W+", "_", name) + ".lua")
    lua_paths = ",\n".join(f'  "{p}"' for p in paths)
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"\n' if token else ""
    script.write_text(
        f"{auth}local paths = {{\n{lua_paths}\n}}\nlocal i = math.random(#paths)\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n"
    )
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return Result(name, rps, p50, p99, errors, "wrk")


def _wrk_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_httpx(name: str, base: str, paths: list[str], token: str | None, seconds: int) -> Result:
    async def main() -> Result:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
        async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:

            async def worker(offset: int) -> None:
                nonlocal errors
                i = offset
                while time.perf_counter() < deadline:
                    i = (i + 1) % len(paths)
                    started = time.perf_counter()
                    answer = await client.get(paths[i])
                    latencies.append(time.perf_counter() - started)
                    errors += answer.status_code >= 300

            began = time.perf_counter()
            await asyncio.gather(*(worker(k * 7) for k in range(CONNECTIONS)))
            elapsed = time.perf_counter() - began
        cuts = statistics.quantiles(latencies, n=100)
        return Result(name, len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors, "httpx")

    return asyncio.run(main())


# --- the database and the queries -----------------------------------------------------------


def prepare_database(args: argparse.Namespace, tmp: Path) -> Path:
    from storage.engine import make_engine
    from storage.migrate import upgrade

    target = tmp / "api-bench.sqlite3"
    if args.db:
        print(f"copying {args.db} …", flush=True)
        shutil.copyfile(args.db, target)
    else:
        from storage.demo import build_demo

        print(f"building a demo database of {args.clients:,} clients …", flush=True)
        build_demo(str(target), clients=args.clients, force=True)
    engine = make_engine(str(target))
    upgrade(engine)  # the API needs the newest schema
    engine.dispose()
    return target


def queries(path: Path, count: int) -> list[str]:
    """Search paths: a third full phones, a third national-format phones, a third surname prefixes."""
    db = sqlite3.connect(path)
    low, high = db.execute("SELECT min(id), max(id) FROM client").fetchone()
    rng = random.Random(11)
    out: list[str] = []
    while len(out) < count:
        row = db.execute(
            "SELECT c.surname, p.e164 FROM client c JOIN phone p ON p.client_id = c.id WHERE c.id >= ? LIMIT 1",
            (rng.randint(low, high),),
        ).fetchone()
        if row is None:
            continue
        surname, phone = row
        kind = len(out) % 3
        q = phone if kind == 0 else ("8" + phone[2:] if kind == 1 else surname[:4])
        out.append(f"/api/v1/clients?q={quote(q)}&limit=50")
    db.close()
    return out


def sign_in(base: str, db: Path, login: str = "admin") -> str:
    answer = httpx.post(f"{base}/api/v1/auth/login", json={"login": login, "password": login}, timeout=30)
    answer.raise_for_status()
    challenge = answer.json()["challenge_id"]
    conn = sqlite3.connect(db)
    text = conn.execute(
        "SELECT text FROM sms_outbox WHERE purpose = 'sign_in_code' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    conn.close()
    code = re.search(r"\d{6}", text).group()  # type: ignore[union-attr]
    verified = httpx.post(f"{base}/api/v1/auth/verify", json={"challenge_id": challenge, "code": code}, timeout=30)
    verified.raise_for_status()
    return verified.json()["access_token"]


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an existing demo SQLite database (copied first)")
    parser.add_argument("--clients", type=int, default=20_000, help="size of the demo built when no --db")
    parser.add_argument("--seconds", type=int, default=8, help="load time per endpoint")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the API server")
    parser.add_argument("--tool", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare-db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve_bare:
        import uvicorn

        app = bare_app(args.bare_db)
        uvicorn.run(app, host="127.0.0.1", port=args.serve_bare, log_level="warning", access_log=False)
        return

    tool = args.tool
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "httpx"
    if tool == "httpx":
        print("NOTE: wrk is not installed; loading with asyncio/httpx, which is itself the bottleneck near 300 req/s")

    with tempfile.TemporaryDirectory(prefix="crm-api-bench-") as tmp_name:
        tmp = Path(tmp_name)
        db = prepare_database(args, tmp)
        paths = queries(db, 300)
        api_port, bare_port = free_port(), free_port()
        py = sys.executable
        api = Server(
            [py, "-m", "api.serve", "--db", str(db), "--port", str(api_port), "--workers", str(args.workers)],
            api_port,
            tmp / "api.log",
        )
        bare = Server([py, __file__, "--serve-bare", str(bare_port), "--bare-db", str(db)], bare_port, tmp / "bare.log")
        try:
            token = sign_in(api.url, db)
            plan = [
                ("bare /ping (async)", bare.url, ["/ping"], None),
                ("bare /ping-sync (thread pool)", bare.url, ["/ping-sync"], None),
                ("API /auth/me (token check)", api.url, ["/api/v1/auth/me"], token),
                ("bare raw sqlite3 search (sync)", bare.url, paths, None),
                ("API search", api.url, paths, token),
            ]
            results = []
            for name, base, endpoint_paths, auth in plan:
                if tool == "wrk":
                    run_wrk("warmup", base, endpoint_paths, auth, 2, tmp)
                    results.append(run_wrk(name, base, endpoint_paths, auth, args.seconds, tmp))
                else:
                    results.append(run_httpx(name, base, endpoint_paths, auth, args.seconds))
                print(f"  {results[-1].name}: {results[-1].rps:,.0f} req/s", flush=True)
        finally:
            api.stop()
            bare.stop()

    print()
    print(f"{CONNECTIONS} concurrent connections, {args.seconds} s each, load by {tool}, API workers: {args.workers}")
    print(f"{'endpoint':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in results:
        print(f"{r.name:34} {r.rps:9,.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} {r.errors:7d}")
    search, bare_sync, raw = results[-1], results[1], results[3]
    print()
    print(
        f"API search / bare FastAPI raw-SQL search: {search.rps / raw.rps:.2f} of the throughput (goal >= 0.50);"
        f" p99 {search.p99_ms:.1f} ms vs {raw.p99_ms:.1f} ms (goal <= 50 ms)"
    )
    print(f"search / bare sync ping: {search.rps / bare_sync.rps:.2f} of the throughput")
    print(f"search / bare async ping: {search.rps / results[0].rps:.2f} of the throughput")


if __name__ == "__main__":
    main()
