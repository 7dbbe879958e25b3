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
refusals by kind, outages (retries while the server was down), elapsed time and saves per second
(a save = start_call + save_call), the save_call p50/p99, and the CPU per saved call of the API
server's process tree next to PostgreSQL's own and this process's (the operators' clients, on
the same cores) in the same run (without --kill).
`--profile FILE`: py-spy (installed by hand, not a dependency) samples the server's workers
during the load into FILE, collapsed stacks (`--format raw`), for `bench/stack_share.py`.
Exit code 1 if rows != acknowledged, anything is duplicated or lost, any save was refused for
locking, or the follow-up writes (campaign member, idempotency record) disagree with the rows.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.call_load import Tally, check, prepare, run_load, sign_in_all  # noqa: E402
from bench.proc_cpu import cpu_seconds  # noqa: E402

__all__ = ["Tally", "check", "prepare", "run_load", "sign_in_all"]  # the twin test's load


def _spy(pid: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling the process tree of `pid` (the thread holding the GIL only) until SIGINT."""
    exe = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    argv = [
        exe,
        "record",
        "--pid",
        str(pid),
        "--subprocesses",
        "--rate",
        "200",
        "--format",
        "raw",
        "--gil",
        "-o",
        str(out),
    ]
    return subprocess.Popen([*argv, "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks of the workers during the load")
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
        spy = _spy(server.pid, args.profile) if args.profile else None
        cpu_before = (cpu_seconds(server.pid), cpu_seconds(pg.pid or 0), time.process_time())
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
        cpu = (
            cpu_seconds(server.pid) - cpu_before[0],
            cpu_seconds(pg.pid or 0) - cpu_before[1],
            time.process_time() - cpu_before[2],  # this process: the operators' clients
        )
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            spy.wait(timeout=60)
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
    saved = max(1, len(tally.acknowledged))
    if not args.kill:  # a restarted server's CPU is not all counted
        print(
            f"CPU per saved call:       API server {1000 * cpu[0] / saved:.1f} ms, PostgreSQL {1000 * cpu[1] / saved:.1f} ms,"
            f" load generator {1000 * cpu[2] / saved:.1f} ms"
        )
    if tally.save_seconds:
        ordered = sorted(tally.save_seconds)
        p50, p99 = (1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in (0.5, 0.99))
        print(f"save_call latency:        p50 {p50:.1f} ms, p99 {p99:.1f} ms")
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
