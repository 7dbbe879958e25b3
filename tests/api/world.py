"""A database shared by the API tests of one engine, its employees, and a real uvicorn serving it.

Tests make their own clients (unique phones), so they can share the database and the server.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from core.clients.inputs import NewClient
from core.clients.models import ClientCard
from core.clock import SystemClock
from core.console import LocalConsole
from storage.remote import RemoteConsole
from tests.helpers import MAIN_DESK, Crm

ROOT = Path(__file__).resolve().parents[2]
DESK_B = "Desk B"
START_TIMEOUT_S = 60.0

# login -> (role, desks)
STAFF: dict[str, tuple[str, tuple[str, ...]]] = {
    "adm": ("admin", (MAIN_DESK, DESK_B)),
    "sup": ("supervisor", (MAIN_DESK,)),
    "op_a": ("operator", (MAIN_DESK,)),
    "op_b": ("operator", (DESK_B,)),
    "off_a": ("office", (MAIN_DESK,)),
    "off_b": ("office", (DESK_B,)),
    "sme_a": ("sme", (MAIN_DESK,)),
    "ctl_a": ("control", (MAIN_DESK,)),
}
# who enters the clients of each desk (an office specialist: may create, sees contacts)
CREATOR = {"A": "off_a", "B": "off_b"}

_numbers = itertools.count(1)


def unique_phone() -> str:
    return f"+7915{next(_numbers) + 1_000_000:07d}"


def _group(pgid: int) -> list[int]:
    """The processes of process group `pgid` (the server's master and its workers), from /proc."""
    members = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(entry.path, "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[2]) == pgid:  # after "pid (comm) state ppid"
                    members.append(int(entry.name))
    return members


def _kill_group(pgid: int) -> None:
    """kill -9 every process of the group and wait until each has exited (its pidfd readable: its
    files, the listening socket among them, are closed by then), not only the master."""
    exits = []
    for pid in _group(pgid):
        with contextlib.suppress(OSError):
            exits.append(os.pidfd_open(pid))
    try:
        os.killpg(pgid, signal.SIGKILL)
        for fd in exits:
            select.select([fd], [], [], START_TIMEOUT_S)
    finally:
        for fd in exits:
            os.close(fd)


def listen(port: int) -> socket.socket:
    """A listening socket on `port` (0: any free one). `ApiServer.kill` waits for every process
    of the killed server to exit, so the port is free; should a process have been forked after it
    looked (a worker restarted that instant), the bind is tried again until it is gone too."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            return socket.create_server(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or not port or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class ApiServer:
    """`python -m api.serve` (as `tests.api.served`, or `module`) in a subprocess on a free port of 127.0.0.1."""

    def __init__(
        self, target: str, log: Path, workers: int = 1, module: str = "tests.api.served", extra: tuple[str, ...] = ()
    ) -> None:
        self.module = module
        self.target = target
        self.log = log
        self.workers = workers
        self.extra = extra
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None  # the listening socket, handed to each start

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int | None = None) -> ApiServer:
        """The server on a listening socket made here and handed over (`--fd`), as a service
        manager does: a request made at once waits in its backlog until a worker accepts it, so
        nothing polls for the port; a restart after `kill` listens on the same port again."""
        if self._sock is None or (port is not None and port != self.port):
            self._close_socket()
            self._sock = listen(port or 0)
            self.port = self._sock.getsockname()[1]
        fd = self._sock.fileno()
        argv = [sys.executable, "-m", self.module, "--db", self.target, "--fd", str(fd), "--workers", str(self.workers)]
        with open(self.log, "ab") as log:
            self._proc = subprocess.Popen(
                [*argv, *self.extra], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=(fd,),
            )  # fmt: skip
        self._wait_healthy(self._proc)
        return self

    def _wait_healthy(self, proc: subprocess.Popen[bytes]) -> None:
        """One /health request, answered once the server is up, or the server's exit: whichever
        comes first (the socket stays open here, so a dead server's request would only wait)."""
        over, healthy = threading.Event(), threading.Event()

        def probe() -> None:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.url + "/health", timeout=START_TIMEOUT_S).status_code == 200:
                    healthy.set()
            over.set()

        def exited() -> None:
            proc.wait()
            over.set()

        for target in (probe, exited):
            threading.Thread(target=target, daemon=True).start()
        over.wait(START_TIMEOUT_S)
        if healthy.is_set():
            return
        self.stop()
        tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
        raise RuntimeError(f"the API server did not become healthy; its log:\n{tail}")

    def _close_socket(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            sock.close()

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def argvs(self) -> dict[int, list[str]]:
        """The command line of each of the server's processes (its master and workers), from /proc."""
        argvs = {}
        for pid in _group(self.pid):
            with contextlib.suppress(OSError):
                argvs[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
        return argvs

    def kill(self) -> None:
        """kill -9 the whole server: the master and its workers, no shutdown of any kind. Its port
        is closed too, as a crashed host's is: a console trying it meanwhile is refused, not queued,
        until `start(port=...)` listens on it again."""
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill_group(proc.pid)
            proc.wait(timeout=15)
        self._close_socket()

    def stop(self) -> None:
        """SIGINT, the shutdown a person's Ctrl+C gives; the socket is closed too."""
        proc, self._proc = self._proc, None
        try:
            if proc is None or proc.poll() is not None:
                return
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        finally:
            self._close_socket()


class World:
    """One database of one engine with the staff of `STAFF`, and (on demand) a server over it."""

    def __init__(self, target: str, engine_name: str, log_dir: Path) -> None:
        self.target = target
        self.engine_name = engine_name
        self.crm = Crm(target, SystemClock())  # type: ignore[arg-type]
        self.log_dir = log_dir
        self._server: ApiServer | None = None
        for login, (role, desks) in STAFF.items():
            self.crm.add_employee(login, role=role, desks=desks)
        self._creators = {desk: self.local(login) for desk, login in CREATOR.items()}

    def close(self) -> None:
        if self._server is not None:
            self._server.stop()
        self.crm.close()

    @property
    def server(self) -> ApiServer:
        if self._server is None:
            self._server = ApiServer(self.target, self.log_dir / f"api-{self.engine_name}.log").start()
        return self._server

    # --- consoles ---------------------------------------------------------------------------

    def local(self, login: str) -> LocalConsole:
        return self.crm.sign_in(login)

    def remote(self, login: str, timeout: float = 10.0) -> RemoteConsole:
        console = RemoteConsole(self.server.url, timeout=timeout)
        challenge = console.sign_in(login, "s3cret-Pass")
        console.verify_code(challenge.challenge_id, self.crm.last_code(login))
        return console

    # --- data -------------------------------------------------------------------------------

    def client(self, desk: str = "A", phones: int = 1, **fields: object) -> ClientCard:
        """A new card of desk A or B with unique phones (entered by that desk's office specialist)."""
        values: dict[str, object] = {
            "surname": "Тестов",
            "first_name": "Клиент",
            "patronymic": "Иванович",
            "client_type": "interested",
            "phones": [unique_phone() for _ in range(phones)],
            **fields,
        }
        return self._creators[desk].create_client(NewClient.model_validate(values), allow_duplicate=True)

    def outbox_count(self, client_id: int) -> int:
        return self.crm.count("sms_outbox", client_id=client_id)


# the employees of the main desk, and the administrator: the roles every desk-rule test runs as
ROLES = [login for login, (_role, desks) in STAFF.items() if desks == ("Main desk",) or login == "adm"]
