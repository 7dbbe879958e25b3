"""`crm ssh-serve` and `crm web`, the thin clients' commands (registered on the `crm` app by cli.py)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from core.access.tokens import IDLE

HostOption = Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")]
ServerOption = Annotated[
    str | None, typer.Option("--server", help="Run each console against this crm server (API) instead of a database.")
]
IDLE_MINUTES = IDLE.total_seconds() / 60  # the token idle limit
IdleOption = Annotated[
    float,
    typer.Option(
        "--idle-minutes", min=0.01, help="Close a session after this long without input (from its first screen on)."
    ),
]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL (default: as for `crm`).")]


def _target(settings_for: Callable[[str | None], Any], server: str | None, db: str | None):  # type: ignore[no-untyped-def]
    """--server, else --db, else the configured server, else the configured database (checked now)."""
    from core.errors import ValidationFailed
    from tui.thin.child import Target

    if server and db:
        raise ValidationFailed("Give either --server or --db, not both.")
    settings = settings_for(db)
    if server or (not db and settings.server):
        return Target(server=server or settings.server)
    from storage.local import open_engine

    open_engine(settings.database).dispose()  # a clear message now rather than in every session
    return Target(database=settings.database)


@contextmanager
def _listening(host: str, port: int) -> Iterator[None]:
    """A port that cannot be had is one line (exit code 1), not a traceback."""
    from core.errors import CrmError

    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise
        raise CrmError(f"cannot listen on {host} port {port}: {os.strerror(exc.errno).lower()}") from None


def _need(module: str) -> None:
    import importlib.util

    from core.errors import CrmError

    if importlib.util.find_spec(module) is None:
        raise CrmError(f"{module} is not installed: reinstall crm-console (pip install -e .)")


def register(app: typer.Typer, settings_for: Callable[[str | None], Any], guard: Callable[..., Any]) -> None:
    @app.command("ssh-serve")
    @guard
    def ssh_serve(
        host: HostOption = "127.0.0.1",
        port: Annotated[int, typer.Option("--port")] = 2222,
        server: ServerOption = None,
        db: DbOption = None,
        host_key: Annotated[
            Path | None, typer.Option("--host-key", help="Host key file (default: in the XDG data dir; made once).")
        ] = None,
        idle_minutes: IdleOption = IDLE_MINUTES,
        max_sessions: Annotated[int, typer.Option("--max-sessions", min=1)] = 64,
        spares: Annotated[
            int, typer.Option("--spares", min=0, help="Consoles kept started ahead, so a connection opens at once.")
        ] = 1,
    ) -> None:
        """Serve the console over SSH: each connection its own console; sign in inside it as usual."""
        _need("asyncssh")
        from tui.thin.ssh import ServeOptions, run

        target = _target(settings_for, server, db)
        idle = timedelta(minutes=idle_minutes)
        options = ServeOptions(target, host, port, host_key, idle, max_sessions=max_sessions, spares=spares)
        with _listening(host, port):
            run(options)

    @app.command("web")
    @guard
    def web(
        host: HostOption = "127.0.0.1",
        port: Annotated[int, typer.Option("--port")] = 8080,
        server: ServerOption = None,
        db: DbOption = None,
        public_url: Annotated[
            str | None, typer.Option("--public-url", help="The address browsers use (default: from each request).")
        ] = None,
        idle_minutes: IdleOption = IDLE_MINUTES,
    ) -> None:
        """Serve the console in a browser (textual-serve): each tab its own console; the same sign-in."""
        _need("textual_serve")
        from tui.thin.web import run

        target = _target(settings_for, server, db)
        with _listening(host, port):
            run(target, host, port, public_url, timedelta(minutes=idle_minutes))
