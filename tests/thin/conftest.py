"""Fixtures of the thin-client tests: the fixed console database, a running `crm ssh-serve` or
`crm web` on a free port of 127.0.0.1, and OpenSSH's client in a real pty.

Tests that need a program missing from the machine (`ssh`, `chromium`) are skipped LOUDLY;
with CRM_TEST_REQUIRE_SSH=1 / CRM_TEST_REQUIRE_CHROMIUM=1 (set by scripts/test.sh in CI) they fail.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import socket
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.vocab import SmsPurpose
from storage.engine import make_engine
from storage.sql_repository import SqlRepository
from tests.thin.terminal import WAIT, Terminal
from tests.tui import world

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
_missing: list[str] = []
_CODE = re.compile(r"code: (\d{6})")


def require_program(name: str, variable: str, package: str) -> str:
    """The path of `name`, or a loud skip (a failure when `variable`=1)."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} tests NOT RUN: no `{name}` on PATH (apt-get install {package}, or run scripts/test.sh as root)"
    if os.environ.get(variable) == "1":
        pytest.fail(message, pytrace=False)
    if message not in _missing:
        _missing.append(message)
        warnings.warn(pytest.PytestWarning(message), stacklevel=1)
    pytest.skip(message)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for message in _missing:
        terminalreporter.section("thin clients", sep="!", red=True, bold=True)
        terminalreporter.write_line(message, red=True, bold=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ended(pid: int, timeout: float) -> bool:
    """Wait for a process (not our child) to end: its pidfd becomes readable when it does."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True  # gone already
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    finally:
        os.close(fd)


# --- the database ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def thin_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("thin-template") / "crm.sqlite3"
    world.build(path)
    return path


def _copy_of(template: Path, folder: Path) -> Iterator[tuple[Path, Engine]]:
    target = folder / "crm.sqlite3"
    shutil.copyfile(template, target)
    engine = make_engine(str(target))
    yield target, engine
    engine.dispose()


@pytest.fixture
def thin_db(thin_template: Path, tmp_path: Path) -> Iterator[tuple[Path, Engine]]:
    yield from _copy_of(thin_template, tmp_path)


@pytest.fixture(scope="module")
def module_thin_db(thin_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Engine]]:
    """One database for the tests of a module that share a server (each signs in and reads only)."""
    yield from _copy_of(thin_template, tmp_path_factory.mktemp("thin-module"))


def sign_in_code(engine: Engine, login: str) -> str:
    """The newest sign-in code sent to the employee's mobile (the SMS outbox of the test database)."""
    mobile = world.EMPLOYEES[login][2]
    for item in SqlRepository(engine).outbox(50):
        if item.to == mobile and item.purpose == SmsPurpose.SIGN_IN_CODE:
            match = _CODE.search(item.text)
            assert match, item.text
            return match.group(1)
    raise AssertionError(f"no sign-in code for {login}")


# --- servers -----------------------------------------------------------------------------------


class Served:
    """A `crm` server process; its log lines are collected as they come."""

    def __init__(self, argv: list[str], ready: str | None, env: dict[str, str]) -> None:
        """Started, and ready once it logged `ready` (None: not waited for here)."""
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()
        if ready:
            self.wait_for_log(ready)

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def log(self, since: int = 0) -> str:
        with self.changed:
            return "\n".join(self.lines[since:])

    def mark(self) -> int:
        """Where the log is now: `since` for the lines of one test on a shared server."""
        with self.changed:
            return len(self.lines)

    def wait_until(
        self, condition: Callable[[str], object], what: str, since: int = 0, timeout: float = WAIT
    ) -> object:
        """The first true `condition(log)` (the lines from `since`)."""
        found: list[object] = []

        def seen() -> bool:
            found[:] = [value] if (value := condition("\n".join(self.lines[since:]))) else []
            return bool(found) or self.process.poll() is not None

        with self.changed:
            self.changed.wait_for(seen, timeout)
        if not found:
            raise AssertionError(f"the server did not log {what}:\n{self.log()}")
        return found[0]

    def wait_for_log(self, pattern: str, since: int = 0, timeout: float = WAIT) -> re.Match[str]:
        """The newest log line matching `pattern` (only lines from `since`, a `mark()`)."""
        found: list[re.Match[str]] = []

        def seen() -> bool:
            found[:] = [m for line in self.lines[since:] if (m := re.search(pattern, line))]
            return bool(found) or self.process.poll() is not None

        with self.changed:
            self.changed.wait_for(seen, timeout)
        if not found:
            raise AssertionError(f"the server did not log {pattern!r}:\n{self.log()}")
        return found[-1]

    def stop(self) -> None:
        self.process.terminate()
        self.wait_stopped()

    def wait_stopped(self) -> None:
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def crm_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "CRM_CONFIG": str(tmp_path / "no-config.toml"), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("CRM_DB", None)
    env.pop("CRM_SERVER", None)
    env["CRM_LANG"] = "en"
    return env


def _ssh_servers(database: Path, folder: Path) -> Iterator[Callable[..., Served]]:
    servers: dict[tuple[str, ...], Served] = {}

    def start(*extra: str) -> Served:
        if extra not in servers or servers[extra].process.poll() is not None:
            port = free_port()
            store = [] if "--server" in extra else ["--db", str(database)]
            argv = crm_argv("ssh-serve", *store, "--port", str(port), *extra)
            served = Served(argv, r"listening on 127\.0\.0\.1 port \d+", server_env(folder))
            served.port = port  # type: ignore[attr-defined]
            servers[extra] = served
        return servers[extra]

    yield start
    for served in servers.values():  # all told first: each waits for its consoles to end
        served.process.terminate()
    for served in servers.values():
        served.wait_stopped()


@pytest.fixture
def ssh_serve(thin_db: tuple[Path, Engine], tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """ssh_serve(*extra_args) starts `crm ssh-serve --db <test db>` (or `--server` in extra) on a free port (`.port`)."""
    yield from _ssh_servers(thin_db[0], tmp_path)


@pytest.fixture(scope="module")
def shared_ssh_serve(
    module_thin_db: tuple[Path, Engine], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., Served]]:
    """As `ssh_serve` over `module_thin_db`, one server per set of arguments for the whole module: a test
    reads its own sessions' lines of the log (`Served.mark`)."""
    yield from _ssh_servers(module_thin_db[0], tmp_path_factory.mktemp("thin-ssh"))


@pytest.fixture
def ssh_client(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """ssh_client(port, user, cols, rows, lang): OpenSSH's `ssh -tt` in a real pty, screen read by pyte."""
    ssh = require_program("ssh", "CRM_TEST_REQUIRE_SSH", "openssh-client")
    terminals: list[Terminal] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "SSH_"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", HOME=str(tmp_path))

    def connect(port: int, user: str = "operator", cols: int = 80, rows: int = 24, lang: str = "C.UTF-8") -> Terminal:
        argv = [
            ssh,
            "-tt",
            "-F",
            "/dev/null",
            "-p",
            str(port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "SendEnv=LANG",
            f"{user}@127.0.0.1",
        ]
        terminal = Terminal(argv, cols, rows, {**env, "LANG": lang})
        terminals.append(terminal)
        return terminal

    yield connect
    for terminal in terminals:
        terminal.close()
