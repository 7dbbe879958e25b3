"""`crm ssh-serve` and `crm web` on the command line: one-line errors with exit code 1."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.thin.conftest import crm_argv, server_env


def crm(tmp_path, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(crm_argv(*args), capture_output=True, text=True, env=server_env(tmp_path), timeout=120)


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
    done = crm(tmp_path, command, "--db", str(thin_db[0]), "--server", "http://127.0.0.1:9")
    assert done.returncode == 1 and "crm: Give either --server or --db, not both." in done.stderr


def test_a_missing_database_is_said_before_serving(tmp_path) -> None:
    done = crm(tmp_path, "ssh-serve", "--db", str(tmp_path / "none.sqlite3"))
    assert done.returncode == 1 and "No CRM database at" in done.stderr and "listening" not in done.stderr
