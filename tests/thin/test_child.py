"""The environment of a console behind a connection: the client's terminal and locale, not the server's."""

from __future__ import annotations

from tui.thin.child import Target, console_command, console_environment


def test_the_client_terminal_replaces_the_server_one(monkeypatch) -> None:
    monkeypatch.setenv("TERM", "screen")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LINES", "60")
    env = console_environment("xterm-256color")
    assert env["TERM"] == "xterm-256color"
    assert "COLUMNS" not in env and "LINES" not in env  # the size comes from the pty alone


def test_a_locale_sent_by_the_client_wins_over_the_server_one(monkeypatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("CRM_LANG", "en")
    env = console_environment("xterm", {"LANG": "ru_RU.UTF-8", "PATH": "/evil", "LD_PRELOAD": "/x.so"})
    assert env["LANG"] == "ru_RU.UTF-8" and "LANGUAGE" not in env and "CRM_LANG" not in env
    assert env.get("LD_PRELOAD") is None and env["PATH"] != "/evil"  # only locale variables are taken


def test_without_a_locale_from_the_client_the_server_one_stays(monkeypatch) -> None:
    monkeypatch.setenv("CRM_LANG", "ru")
    assert console_environment("xterm", {})["CRM_LANG"] == "ru"


def test_odd_values_from_the_client_are_ignored(monkeypatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    env = console_environment("xterm", {"LANG": "ru\x1b[31m", "LC_ALL": "x" * 100})
    assert env["LANG"] == "C.UTF-8" and "LC_ALL" not in env


def test_the_console_command() -> None:
    assert console_command(Target(server="http://crm:8000"))[-2:] == ["--server", "http://crm:8000"]
    assert console_command(Target(database="/srv/crm.sqlite3"))[-3:] == ["cli", "--db", "/srv/crm.sqlite3"]
