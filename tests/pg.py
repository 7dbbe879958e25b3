"""A throw-away PostgreSQL server for the test session.

The server binaries are found on PATH or under /usr/lib/postgresql/*/bin. PostgreSQL refuses
to run as root, so when the tests run as root the cluster is created and run as an unprivileged
user (`CRM_TEST_PG_USER`, default `nobody`) through `setpriv` (or `runuser`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0


class PostgresUnavailable(Exception):
    """No server binaries, or the server would not start; the message says why."""


def find_binaries() -> Path | None:
    """The directory holding both `initdb` and `postgres`: PATH first, then the Debian layout."""
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(os.path.realpath(initdb)).parent
        if (bindir / "postgres").is_file():
            return bindir
        postgres = shutil.which("postgres")
        if postgres:
            return Path(os.path.realpath(postgres)).parent
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda d: _version_key(d.parent.name),
        reverse=True,
    )
    for bindir in candidates:
        if (bindir / "postgres").is_file():
            return bindir
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit()) or (0,)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: Path
    base: Path = field(init=False)
    port: int = field(init=False, default=0)
    run_as: str | None = field(init=False, default=None)
    _proc: subprocess.Popen[bytes] | None = field(init=False, default=None)
    _version: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="crm-pg-"))

    @property
    def pid(self) -> int | None:
        """The process started for the server (its processes are this one's descendants)."""
        return self._proc.pid if self._proc is not None else None

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        try:
            self._prepare_user()
            self._initdb()
            self._launch()
        except BaseException:
            self.stop()
            raise

    def _prepare_user(self) -> None:
        if os.geteuid() != 0:
            return
        name = os.environ.get("CRM_TEST_PG_USER", "nobody")
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            raise PostgresUnavailable(f"running as root and there is no user '{name}' to run PostgreSQL as") from None
        self.run_as = name
        os.chown(self.base, user.pw_uid, user.pw_gid)
        self.base.chmod(0o700)

    def _command(self, *argv: str) -> list[str]:
        if self.run_as is None:
            return list(argv)
        user = pwd.getpwnam(self.run_as)
        setpriv = shutil.which("setpriv")
        if setpriv:
            # setpriv execs the program itself: the child we hold is the postmaster.
            return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--", *argv]
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", self.run_as, "--", *argv]
        raise PostgresUnavailable("running as root without setpriv or runuser to drop privileges")

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(HOME=str(self.base), LC_ALL="C", LANG="C")
        return env

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def _initdb(self) -> None:
        argv = [
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]
        done = subprocess.run(
            self._command(*argv), cwd=self.base, env=self._env(), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise PostgresUnavailable(f"initdb failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def _launch(self) -> None:
        for _attempt in range(3):  # a free port may be taken between the probe and the bind
            self.port = free_port()
            argv = [
                str(self.bindir / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.base),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ]
            with open(self.log, "ab") as log:
                self._proc = subprocess.Popen(
                    self._command(*argv),
                    cwd=self.base,
                    env=self._env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if self._wait_ready():
                return
        raise PostgresUnavailable(f"postgres did not start; its log:\n{self._log_tail()}")

    def _wait_ready(self) -> bool:
        """Poll with connection attempts until the server answers, it dies, or time runs out."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                return False
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)  # back off between attempts; not a wait for readiness
        self._terminate()
        return False

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return "(no log)"

    def _terminate(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)  # fast shutdown: disconnect clients, stop
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        self._terminate()
        shutil.rmtree(self.base, ignore_errors=True)

    # --- databases --------------------------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, name: str, template: str | None = None) -> str:
        clause = ""
        if template:
            clause = f' TEMPLATE "{template}"'
            if self.version() >= 150000:
                clause += " STRATEGY FILE_COPY"  # twice as fast as WAL_LOG for a small template
        self.admin(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def version(self) -> int:
        if not self._version:
            with psycopg.connect(self.url("postgres")) as conn:
                self._version = conn.info.server_version
        return self._version

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
