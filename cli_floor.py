"""`crm floor [--json] [--as LOGIN]`: the live floor once — who is signed in and what they do, and
each campaign's list (registered by cli.py; the store loads when run)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

AsLogin = Annotated[str | None, typer.Option("--as", help="See it as this employee (their desks and masking).")]
Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _clock(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{rest:02d}" if minutes >= 60 else f"{minutes:02d}:{rest:02d}"


def register(app: typer.Typer) -> None:
    import cli

    @app.command("floor")
    @cli._guard
    def floor(as_login: AsLogin = None, as_json: Json = False, db: Db = None) -> None:
        """The live floor: signed-in employees of the desks (state, calls today) and the campaigns' lists."""
        found = cli._admin_console(db, as_login).floor()
        if as_json:
            typer.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        typer.echo(f"{'employee':<24} {'state':<5} {'for':>8} {'calls':>5} {'reach%':>6} {'agreed':>6}  client")
        for e in found.employees:
            typer.echo(f"{e.employee[:24]:<24} {e.state:<5} {_clock(e.seconds):>8} {e.calls:>5} "
                       f"{e.reached_rate * 100:>6.0f} {e.agreed:>6}  {e.client or ''}")  # fmt: skip
        typer.echo(f"{'campaign':<24} {'due':>5} {'fresh':>6} {'retry':>6} {'exh.':>6} {'dnd':>5} {'today':>6}")
        for c in found.campaigns:
            typer.echo(f"{c.campaign[:24]:<24} {c.callbacks_due:>5} {c.fresh:>6} {c.retries:>6} "
                       f"{c.exhausted:>6} {c.do_not_disturb:>5} {c.dialled_today:>6}")  # fmt: skip
