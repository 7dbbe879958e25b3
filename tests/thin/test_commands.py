"""`crm ssh-serve` and `crm web` on the command line: one-line errors with exit code 1.

A port in use is tried with a real `crm` process (the servers' start-up up to the listen); the
checks made before anything starts run the same command in this process (`typer`'s runner).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess

import pytest

from tests.thin.conftest import crm_argv, server_env


def crm(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(crm_argv(*args), capture_output=True, text=True, env=server_env(tmp_path), timeout=120)


def crm_here(tmp_path, *args: str):  # type: ignore[no-untyped-def]
    """`crm ARGS` in this process, with the environment `crm` gets in `crm()`."""
    from typer.testing import CliRunner

    from cli import app

    env = server_env(tmp_path)
    changed = {key: env.get(key) for key in {*env, *os.environ} if env.get(key) != os.environ.get(key)}
    done = CliRunner().invoke(app, list(args), env=changed)
    assert isinstance(done.exception, SystemExit), done.exception  # an exit, never an error
    return done


@pytest.mark.parametrize("command", ["ssh-serve", "web"])
def test_a_port_in_use_is_one_line(command, thin_db, tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = crm(tmp_path, command, "--db", str(thin_db[0]), "--port", str(port))
    assert done.returncode == 1
    assert f"crm: cannot listen on 127.0.0.1 port {port}: address already in use" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize("command", ["ssh-serve", "web"])
def test_server_and_database_together_are_refused(command, thin_db, tmp_path) -> None:
    done = crm_here(tmp_path, command, "--db", str(thin_db[0]), "--server", "http://127.0.0.1:9")
    assert done.exit_code == 1 and "crm: Give either --server or --db, not both." in done.stderr


def test_a_missing_database_is_said_before_serving(tmp_path) -> None:
    done = crm_here(tmp_path, "ssh-serve", "--db", str(tmp_path / "none.sqlite3"))
    assert done.exit_code == 1 and "No CRM database at" in done.stderr and "listening" not in done.output


def test_no_spare_console_is_started_for_a_port_in_use(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spare started before the refused listen outlived the command: under load its pty was
    gone before it took it as its terminal, so it never got SIGHUP and read EOF in a busy loop."""
    from tui.thin import pty_console, ssh

    started: list[object] = []

    async def spawn(*args: object) -> None:
        started.append(args)
        raise OSError(0, "not started in this test")

    monkeypatch.setattr(pty_console, "spawn_console", spawn)
    options = ssh.ServeOptions(ssh.Target(database=str(tmp_path / "crm.sqlite3")), host_key=tmp_path / "key")

    async def refused() -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            options.port = taken.getsockname()[1]
            with pytest.raises(OSError):
                await ssh.start(options)
            for _ in range(5):
                await asyncio.sleep(0)  # a refill task would run now

    asyncio.run(refused())
    assert started == []
