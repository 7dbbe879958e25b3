"""A sync signed-in route under load, this tree's server next to another tree's, in one run.

    git archive main | tar -x -C /tmp/before      # the code to compare with (any source tree)
    .venv/bin/python bench/unit_bench.py --before /tmp/before
    .venv/bin/python bench/unit_bench.py --before /tmp/before --engine postgresql --rounds 3

Builds a small demo database (SQLite in a temp dir, or a throw-away PostgreSQL of tests/pg.py),
serves it with `python -m api.serve` (one uvicorn worker) from each tree in turn, signs in as the
demo `admin` on each, and loads one route with `wrk` (32 connections) for a fixed time per round,
the two servers alternating: requests per second, p50/p99, and the CPU per request of the server's
process tree (bench/proc_cpu.py), with PostgreSQL's own next to it. The routes: a client's
history (`/clients/{id}/history` over 200 clients) and the task list (`/tasks`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.api_bench import _wrk_ms, free_port  # noqa: E402
from bench.proc_cpu import cpu_seconds  # noqa: E402

CONNECTIONS = 32
START_TIMEOUT_S = 60.0
ROUTES = ("history", "tasks")


@dataclass
class Side:
    name: str
    tree: Path
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    token: str = ""
    runs: dict[str, list[tuple[float, ...]]] = field(default_factory=dict)  # rps, p50, p99, CPU, PG CPU

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, target: str, log: Path) -> None:
        self.port = free_port()
        argv = [sys.executable, "-m", "api.serve", "--db", target, "--port", str(self.port), "--workers", "1"]
        with open(log, "ab") as out:  # cwd first on sys.path: the tree's own packages are imported
            self.proc = subprocess.Popen(
                argv, cwd=self.tree, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise SystemExit(f"{self.name}: the server did not start; see {log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=15)


def sign_in(side: Side, target: str) -> tuple[str, list[int]]:
    """The admin's token on this side's server, and the first 200 clients' ids."""
    from sqlalchemy import text

    from storage.engine import make_engine

    answer = httpx.post(f"{side.url}/api/v1/auth/login", json={"login": "admin", "password": "admin"}, timeout=30)
    answer.raise_for_status()
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            sms = conn.execute(
                text("SELECT text FROM sms_outbox WHERE purpose = 'sign_in_code' ORDER BY id DESC LIMIT 1")
            ).scalar_one()
            ids = [row[0] for row in conn.execute(text("SELECT id FROM client ORDER BY id LIMIT 200"))]
    finally:
        engine.dispose()
    code = re.search(r"\d{6}", sms).group()  # type: ignore[union-attr]
    body = {"challenge_id": answer.json()["challenge_id"], "code": code}
    verified = httpx.post(f"{side.url}/api/v1/auth/verify", json=body, timeout=30)
    verified.raise_for_status()
    return verified.json()["access_token"], ids


def paths_of(route: str, ids: list[int]) -> list[str]:
    if route == "tasks":
        return ["/api/v1/tasks"]
    return [f"/api/v1/clients/{i}/history" for i in ids]


def wrk(side: Side, paths: list[str], seconds: int, tmp: Path) -> tuple[float, float, float, int]:
    """(req/s, p50 ms, p99 ms, requests) of `seconds` of load; non-2xx answers fail the run."""
    script = tmp / "paths.lua"
    lua = ",\n".join(f'  "{p}"' for p in paths)
    script.write_text(
        f'wrk.headers["Authorization"] = "Bearer {side.token}"\nlocal paths = {{\n{lua}\n}}\n'
        "local i = math.random(#paths)\nrequest = function()\n  i = i % #paths + 1\n"
        "  return wrk.format(nil, paths[i])\nend\n"
    )
    argv = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), side.url]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    if re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        raise SystemExit(f"{side.name}: answers other than 2xx:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rps, p50, p99, requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the source tree to compare with")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=8, help="load per round and side")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2

    from storage.demo import build_demo

    pg = None
    tmp = Path(tempfile.mkdtemp(prefix="crm-unit-bench-"))
    if args.engine == "postgresql":
        from tests.pg import PostgresServer, find_binaries

        bindir = find_binaries()
        if bindir is None:
            print("no PostgreSQL server binaries", file=sys.stderr)
            return 2
        pg = PostgresServer(bindir)
        pg.start()
        target = pg.create_database("crm_unit_bench")
    else:
        target = str(tmp / "unit-bench.sqlite3")
    sides = [Side("before", args.before.resolve()), Side("after", ROOT)]
    try:
        print(f"building a demo of {args.clients:,} clients ({args.engine}) …", flush=True)
        build_demo(target, clients=args.clients, force=True)
        for side in sides:
            side.start(target, tmp / f"{side.name}.log")
            side.token, ids = sign_in(side, target)
        for round_no in range(args.rounds):
            for route in ROUTES:
                for side in sides if round_no % 2 == 0 else sides[::-1]:
                    paths = paths_of(route, ids)
                    wrk(side, paths, 1, tmp)  # warm
                    server, db_pid = side.proc.pid, (pg.pid or 0) if pg else 0  # type: ignore[union-attr]
                    cpu0, db0 = cpu_seconds(server), cpu_seconds(db_pid) if db_pid else 0.0
                    rps, p50, p99, requests = wrk(side, paths, args.seconds, tmp)
                    cpu = cpu_seconds(server) - cpu0
                    db = cpu_seconds(db_pid) - db0 if db_pid else 0.0
                    per = (1000 * cpu / requests, 1000 * db / requests)
                    side.runs.setdefault(route, []).append((rps, p50, p99, *per))
                    print(
                        f"  round {round_no + 1} {route:8} {side.name:6} {rps:7,.0f} req/s  p50 {p50:6.1f}  "
                        f"p99 {p99:6.1f} ms  server CPU {per[0]:.2f} ms/req  PostgreSQL {per[1]:.2f}",
                        flush=True,
                    )
    finally:
        for side in sides:
            side.stop()
        if pg is not None:
            pg.stop()

    print(f"\n{args.engine}, {args.clients:,} clients, 1 worker, {CONNECTIONS} connections, {args.rounds} rounds")
    print(f"{'route':8} {'side':6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/req':>11} {'PG ms/req':>10}")
    for route in ROUTES:
        for side in sides:
            cols = list(zip(*side.runs[route], strict=True))
            med = [statistics.median(c) for c in cols]
            print(f"{route:8} {side.name:6} {med[0]:8,.0f} {med[1]:7.1f} {med[2]:7.1f} {med[3]:11.2f} {med[4]:10.2f}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
