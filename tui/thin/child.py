"""The console process behind one thin-client connection: its command line, environment and memory."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

# The server's own terminal says nothing about the client's: these must not reach the console.
_DROPPED = ("COLUMNS", "LINES", "ROWS", "TERM", "COLORTERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "TMUX")
# Locale variables a client may send (OpenSSH's `SendEnv LANG LC_*`): the interface follows them.
CLIENT_KEYS = ("LANG", "LC_ALL", "LC_MESSAGES", "CRM_LANG", "CRM_PLAIN")
_LOCALE = ("LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES", "CRM_LANG")


@dataclass(frozen=True)
class Target:
    """What the console opens: the API of a crm server, or a database (file path or URL)."""

    server: str | None = None
    database: str | None = None

    def arguments(self) -> list[str]:
        if self.server:
            return ["--server", self.server]
        if self.database:
            return ["--db", self.database]
        return []

    def describe(self) -> str:
        return f"server {self.server}" if self.server else f"database {self.database or '(default)'}"


def console_command(target: Target) -> list[str]:
    """`crm [--server URL | --db URL]` with this interpreter (no reliance on PATH)."""
    return [sys.executable, "-m", "cli", *target.arguments()]


def console_environment(term: str | None, client_env: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment for the console, with the client's terminal type and, when the client
    sends any locale variable, the client's locale instead of the server's."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env["TERM"] = term or "xterm-256color"
    sent = {
        key: value
        for key in CLIENT_KEYS
        if (value := (client_env or {}).get(key)) and value.isprintable() and len(value) < 64
    }
    if any(key in sent for key in _LOCALE):
        for key in _LOCALE:
            env.pop(key, None)
    env.update(sent)
    return env


def memory_kb(pid: int) -> dict[str, int]:
    """Rss and Pss (kB) of a process, from /proc/PID/smaps_rollup; empty where unavailable."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    figures = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            figures[name] = int(rest.split()[0])
    return figures
