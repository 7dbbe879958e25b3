"""The console over SSH next to a local console, in the same run: start-up time and memory.

    .venv/bin/python bench/thin_bench.py --db bench/data/demo-10000.sqlite3 --runs 7 --sessions 5 [--api]

Start-up: wall time from spawning the program in a pty (80x24) until the sign-in screen shows,
for `ssh -tt -p PORT operator@127.0.0.1` to a running `crm ssh-serve --db DB` and for a local
`crm --db DB`; runs alternate, medians printed (goal: SSH within 1.5x the local start).
With `--api`, a `crm serve --db DB` is started and every console (local and SSH) uses `--server`.
Memory: `--sessions` connections held open at once, each signed in (demo convention: password =
login, code from the outbox) and after one search; RSS and PSS of each console process (from
/proc/PID/smaps_rollup), next to a local console's, and the SSH server's own (goal: 80 MB a session).
Prints figures; no asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.engine import make_engine  # noqa: E402
from storage.sql_repository import SqlRepository  # noqa: E402
from tests.thin.terminal import Terminal  # noqa: E402
from tui.thin.child import memory_kb  # noqa: E402

SIGN_IN = "Sign in to the CRM console"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ssh_argv(port: int, user: str) -> list[str]:
    options = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    return ["ssh", "-tt", "-F", "/dev/null", "-p", str(port), *options, f"{user}@127.0.0.1"]


def client_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "SSH_"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", CRM_LANG="en")
    return env


def time_to_sign_in(argv: list[str]) -> float:
    start = time.perf_counter()
    term = Terminal(argv, 80, 24, client_env())
    try:
        term.wait_for(SIGN_IN)
        return time.perf_counter() - start
    finally:
        term.close()


def sign_in(term: Terminal, engine, login: str) -> None:  # type: ignore[no-untyped-def]
    term.wait_for(SIGN_IN)
    term.type_line(login)
    term.type_line(login)
    term.wait_for("Code sent by SMS")
    code = re.search(r"(\d{6})", SqlRepository(engine).outbox(1)[0].text).group(1)  # type: ignore[union-attr]
    term.type_line(code)
    term.wait_for("Search: phone, name, CRM id")
    term.type_line("а")
    term.wait_until(lambda text: "found" in text or "No clients" in text, "a search result")


def mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(ROOT / "bench" / "data" / "demo-10000.sqlite3"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--api", action="store_true", help="consoles through `crm serve` (--server)")
    args = parser.parse_args()
    if not shutil.which("ssh"):
        sys.exit("needs OpenSSH's client: apt-get install openssh-client")
    crm = [sys.executable, "-m", "cli"]
    home = tempfile.mkdtemp(prefix="thin-bench-")
    env = {**os.environ, "XDG_DATA_HOME": home, "CRM_LANG": "en"}
    api = None
    store = ["--db", args.db]
    if args.api:
        api_port = free_port()
        api = subprocess.Popen(
            [*crm, "serve", "--db", args.db, "--port", str(api_port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert api.stderr is not None
        for line in api.stderr:
            if "Uvicorn running" in line:
                break
        threading.Thread(target=api.stderr.read, daemon=True).start()
        store = ["--server", f"http://127.0.0.1:{api_port}"]
    warm, cold = Server(crm, store, env, spares=1), Server(crm, store, env, spares=0)
    try:
        local_argv = [*crm, *store]
        time_to_sign_in(local_argv)  # warm the file cache once
        local, ssh_warm, ssh_cold = [], [], []
        for _ in range(args.runs):
            local.append(time_to_sign_in(local_argv))
            ssh_warm.append(time_to_sign_in(ssh_argv(warm.port, "operator")))
            ssh_cold.append(time_to_sign_in(ssh_argv(cold.port, "operator")))
        base = statistics.median(local)
        print(f"runs: {args.runs} each, 80x24, load average {os.getloadavg()[0]:.1f}, consoles use {' '.join(store)}")
        print(f"local console, spawn to sign-in screen:            {base:.3f} s (min {min(local):.3f})")
        for name, samples in (("--spares 1 (default)", ssh_warm), ("--spares 0", ssh_cold)):
            over = statistics.median(samples)
            print(
                f"over SSH, {name:<20} connect to sign-in: {over:.3f} s (min {min(samples):.3f})  {over / base:.2f}x local"
            )

        engine = make_engine(args.db)
        local_term = Terminal(local_argv, 80, 24, client_env())
        terms = [Terminal(ssh_argv(warm.port, "operator"), 80, 24, client_env()) for _ in range(args.sessions)]
        try:
            for term in [local_term, *terms]:
                sign_in(term, engine, "operator")
            figures = [memory_kb(pid) for pid in warm.session_pids()[-args.sessions :]]
            local_memory = memory_kb(local_term.process.pid)
            server_memory = memory_kb(warm.process.pid)
        finally:
            for term in [local_term, *terms]:
                term.close()
            engine.dispose()
        rss = statistics.median(f["Rss"] for f in figures)
        pss = statistics.median(f["Pss"] for f in figures)
        print(f"{len(figures)} SSH sessions open at once, each signed in after a search (per console process, median):")
        print(
            f"  RSS {mb(rss)}, PSS {mb(pss)}; a local console: RSS {mb(local_memory['Rss'])}, PSS {mb(local_memory['Pss'])}"
        )
        print(f"  the SSH server itself: RSS {mb(server_memory['Rss'])}, PSS {mb(server_memory['Pss'])}")
    finally:
        warm.stop()
        cold.stop()
        if api is not None:
            api.terminate()
            api.wait(15)
        shutil.rmtree(home, ignore_errors=True)


class Server:
    """`crm ssh-serve` on a free port; the console pid of each session is read from its log."""

    def __init__(self, crm: list[str], store: list[str], env: dict[str, str], spares: int) -> None:
        self.port = free_port()
        argv = [*crm, "ssh-serve", *store, "--port", str(self.port), "--spares", str(spares)]
        self.process = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if "listening on" in line:
                break
        else:
            sys.exit("crm ssh-serve did not start")
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def session_pids(self) -> list[int]:
        return [int(m.group(1)) for line in list(self.lines) if (m := re.search(r"console pid (\d+)", line))]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(15)


if __name__ == "__main__":
    main()
