"""What the command line prints besides JSON: the card as text, the demo's next commands, the
version; and flags shown as flags in --help."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: CRM_DB, the config file, the XDG path)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def flags_without_a_type() -> None:
    """Typer 0.29 prints `<bool>` after every flag in --help, as if it took a value; a flag shows
    no type."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if self.is_flag else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


def version(value: bool) -> None:
    if value:
        from importlib.metadata import version as package_version

        typer.echo(f"crm-console {package_version('crm-console')}")
        raise typer.Exit()


def zone(name: str):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def print_card(c, zone) -> None:  # type: ignore[no-untyped-def]
    """Times in the operator's zone (the console's), each with its UTC offset."""
    from core.clients.phones import format_phone

    def at(moment: datetime) -> str:
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
        return local.isoformat(sep=" ", timespec="minutes")  # 2025-03-10 12:00+03:00

    born = c.birth_date.isoformat() if c.birth_date else "-"
    typer.echo(f"CRM id {c.id}   {c.full_name}   born {born}")
    typer.echo(
        f"Type: {c.client_type}   Status: {c.lifecycle}   Desk: {c.desk or '-'}   Responsible: {c.responsible or '-'}"
    )
    typer.echo(
        f"Region: {c.region or '-'} / {c.town or '-'}   Passport: {c.passport_series or ''} {c.passport_number or ''}"
    )
    for p in c.phones:
        struck = f"  (struck: {p.strike_reason})" if p.status == "struck" else ""
        typer.echo(f"Phone: {p.number if p.masked else format_phone(p.number)} [{p.kind}]{struck}")
    for e in c.emails:
        typer.echo(f"E-mail: {e.address}")
    typer.echo(f"\nContact history ({c.history_total}; times in {zone.key}, with the UTC offset):")
    for h in c.history:
        what = " / ".join(x for x in (h.campaign, h.result, h.reason) if x)
        typer.echo(f"  {at(h.at)}  {h.kind:<7} {what}  {h.comment or ''}".rstrip())
    typer.echo(
        f"\nCurrent products ({len(c.products)}), closed ({len(c.closed_products)}), "
        f"transactions ({len(c.transactions)}), linked cards ({len(c.linked)}), changes ({len(c.changes)})"
    )


def crm_command() -> str:
    """How to run crm again from here: `crm` when it is on PATH, else the path it was run by
    (`.venv/bin/crm` in a checkout)."""
    import os
    import shutil

    ran = Path(sys.argv[0])
    on_path = shutil.which("crm")
    if ran.name == "crm" and (on_path is None or Path(on_path).resolve() != ran.resolve()):
        try:
            return os.path.relpath(ran)
        except ValueError:
            return str(ran)
    if on_path:
        return "crm"
    local = Path(".venv/bin/crm")
    return str(local) if local.exists() else "crm"


def shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)
