"""`crm ssh-serve` through the real OpenSSH client in a real pty: sign-in, search, resize, isolation.

The tests of the default options share one server (and its warm spares) and one database per
module, those of the short idle limit another (`shared_ssh_serve`); each reads the log lines of
its own sessions. The language test runs last of the default server's: the spare it leaves is
for a Russian client.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess

import pytest

from tests.thin.conftest import require_program, sign_in_code
from tests.thin.terminal import Terminal
from tests.tui import world


def session_of(server, since: int, login: str) -> str:  # type: ignore[no-untyped-def]
    """The number of the session `login` opened after the log's `since`."""
    return server.wait_for_log(rf"session (\d+): from .* as '{login}'", since=since).group(1)


def ready_spare(server) -> str:  # type: ignore[no-untyped-def]
    """The pid of a spare console that no session took and the server did not discard (waits for one)."""

    def untaken(log: str) -> str | None:
        gone = set(re.findall(r"session \d+: console pid (\d+)|spare console pid (\d+) discarded", log))
        gone_pids = {pid for pair in gone for pid in pair if pid}
        spares = [pid for pid in re.findall(r"spare console pid (\d+) started", log) if pid not in gone_pids]
        return spares[-1] if spares else None

    return str(server.wait_until(untaken, "a spare console that no session took"))


def sign_in(term: Terminal, engine, login: str) -> str:  # type: ignore[no-untyped-def]
    """The real two-step sign-in typed into the console; returns the screen with the search line."""
    term.wait_for("Sign in to the CRM console", "Login")
    term.type_line(login)
    term.type_line(world.PASSWORD)
    term.wait_for("Code sent by SMS")
    term.type_line(sign_in_code(engine, login))
    return term.wait_for("Search: phone, name, CRM id", world.EMPLOYEES[login][0])


def test_sign_in_and_search_over_ssh(shared_ssh_serve, ssh_client, module_thin_db) -> None:
    server = shared_ssh_serve()
    since = server.mark()
    term = ssh_client(server.port, "operator")
    sign_in(term, module_thin_db[1], "operator")
    term.type_line("Петрова")
    screen = term.wait_for("Петрова Анна")
    assert "Search: Петрова" in screen
    term.send("\x11")  # Ctrl+Q: the console quits and the connection ends
    assert term.wait_closed() == 0
    server.wait_for_log(rf"session {session_of(server, since, 'operator')}: ended \(exit 0\)", since=since)


def test_the_console_follows_the_terminal_size(shared_ssh_serve, ssh_client, module_thin_db) -> None:
    server = shared_ssh_serve()
    term = ssh_client(server.port, "operator", cols=80, rows=24)
    sign_in(term, module_thin_db[1], "operator")
    lines = term.text().split("\n")
    assert max(len(line) for line in lines) <= 80
    term.resize(110, 32)
    # The header's clock moves to the new right edge and the key line to the new bottom row.
    term.wait_until(lambda text: len(text.split("\n")[0]) > 100, "the header at 110 columns")
    screen = term.wait_until(
        lambda text: len(text.split("\n")) == 32 and "Commands" in text.split("\n")[31], "the key line on row 32"
    )
    assert "Search: phone, name, CRM id" in screen
    term.resize(80, 24)
    term.wait_until(lambda text: len(text.split("\n")[0]) <= 80 and "Commands" in text.split("\n")[23], "80x24 again")


def test_a_warm_spare_takes_the_size_of_the_client(shared_ssh_serve, ssh_client) -> None:
    server = shared_ssh_serve()
    since = server.mark()
    first = ssh_client(server.port)
    first.wait_for("Sign in to the CRM console")
    # A spare is made with the environment of the latest client (terminal type, locale) ...
    spare = ready_spare(server)
    # ... and the next such client gets it, redrawn at its own size.
    term = ssh_client(server.port, cols=120, rows=30)
    term.wait_until(
        lambda text: "Sign in to the CRM console" in text and len(text.split("\n")[0]) > 110, "sign-in at 120 columns"
    )
    assert server.wait_for_log(r"session \d+: console pid (\d+), 120x30", since=since).group(1) == spare


def test_two_connections_do_not_see_each_other(shared_ssh_serve, ssh_client, module_thin_db) -> None:
    server = shared_ssh_serve()
    since = server.mark()
    first = ssh_client(server.port, "operator")
    second = ssh_client(server.port, "office")
    sign_in(first, module_thin_db[1], "operator")
    first.type_line("Петрова")
    first.wait_for("Петрова Анна")
    second_screen = sign_in(second, module_thin_db[1], "office")
    assert world.EMPLOYEES["operator"][0] not in second_screen and "Петрова" not in second_screen
    second.type_line("Сидоров")
    second.wait_for("Сидоров Пётр")
    assert "Сидоров" not in first.text() and world.EMPLOYEES["office"][0] not in first.text()
    # A console that dies ends its own connection only.
    number = session_of(server, since, "operator")  # the first may connect second
    pid = int(server.wait_for_log(rf"session {number}: console pid (\d+)", since=since).group(1))
    os.kill(pid, signal.SIGKILL)
    assert first.wait_closed() != 0
    first_screen = first.text()
    assert "The console stopped unexpectedly" in first_screen
    second.send("\x1bOR")  # F3: the second console still answers
    second.wait_for("Campaign call lists")


def test_only_the_console_is_served(shared_ssh_serve) -> None:
    """No terminal: told to use ssh -t. Commands, sftp and forwarding: refused."""
    server = shared_ssh_serve()
    since = server.mark()
    ssh = require_program("ssh", "CRM_TEST_REQUIRE_SSH", "openssh-client")
    common = ["-F", "/dev/null", "-p", str(server.port), "-o", "StrictHostKeyChecking=no"]
    common += ["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ssh, *common, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )

    done = run("-T", "x@127.0.0.1")
    assert done.returncode == 1 and "needs a terminal" in done.stdout
    done = run("x@127.0.0.1", "id")
    assert done.returncode != 0 and "uid=" not in done.stdout
    done = run("-s", "x@127.0.0.1", "sftp")
    assert done.returncode != 0
    done = run("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9", "x@127.0.0.1")
    assert done.returncode != 0 and "forwarding failed" in done.stderr.lower()
    assert not re.search(r"session \d+: console pid", server.log(since))  # none of these started a console


def test_the_console_speaks_the_language_the_client_sends(shared_ssh_serve, ssh_client) -> None:
    server = shared_ssh_serve()
    since = server.mark()
    spare = ready_spare(server)  # an English spare: not for this client
    term = ssh_client(server.port, lang="ru_RU.UTF-8")  # OpenSSH sends LANG (SendEnv)
    term.wait_for("Вход в CRM", "Логин")
    number = session_of(server, since, "operator")
    assert server.wait_for_log(rf"session {number}: console pid (\d+)", since=since).group(1) != spare


@pytest.mark.parametrize(
    ("lang", "screen", "said"),
    [
        ("C.UTF-8", "Sign in to the CRM console", "closed after 0.02 min without input"),
        ("ru_RU.UTF-8", "Вход в CRM", "Сеанс закрыт: 0.02 мин без ввода."),
    ],
)
def test_an_idle_session_is_closed(shared_ssh_serve, ssh_client, lang, screen, said) -> None:
    # 1.2 s from the first screen (however late a loaded machine draws it); the default is the
    # token idle limit. The Russian client gets a console started for it, not the English spare.
    server = shared_ssh_serve("--idle-minutes", "0.02")
    since = server.mark()
    term = ssh_client(server.port, lang=lang)
    term.wait_for(screen)
    term.wait_closed()
    assert screen in term.text() and said in term.text()
    server.wait_for_log(
        rf"session {session_of(server, since, 'operator')}: closed after 1\.2 s without input", since=since
    )


def test_the_console_over_ssh_against_the_api(ssh_serve, ssh_client, thin_db, tmp_path) -> None:
    """`crm ssh-serve --server URL`: the consoles are thin clients of `crm serve`; the same sign-in."""
    from tests.thin.conftest import Served, crm_argv, free_port, server_env

    port = free_port()
    api = Served(crm_argv("serve", "--db", str(thin_db[0]), "--port", str(port)), None, server_env(tmp_path))
    try:
        server = ssh_serve("--server", f"http://127.0.0.1:{port}")  # while the API starts: its consoles call
        api.wait_for_log(r"Uvicorn running on")  # it only once someone signs in
        term = ssh_client(server.port, "office")
        sign_in(term, thin_db[1], "office")
        term.type_line("Сидоров")
        term.wait_for("Сидоров Пётр")
        api.wait_for_log(r'"GET /api/v1/clients\?.* 200')
        assert '"POST /api/v1/auth/verify HTTP/1.1" 200' in api.log()
    finally:
        api.stop()


def test_sessions_beyond_the_limit_are_refused(ssh_serve, ssh_client) -> None:
    server = ssh_serve("--max-sessions", "1")
    first = ssh_client(server.port)
    first.wait_for("Sign in to the CRM console")
    second = ssh_client(server.port)
    assert second.wait_closed() == 1
    assert "Too many sessions on this server" in second.text()
    first.type_line("operator")  # the first one goes on
    first.type_line("not the password")
    first.wait_for("Wrong login, password or code")
