"""`crm work today`: 'My work' on the command line, `--json` for scripts. Imports only typer."""

from __future__ import annotations

import json
from typing import Annotated

import typer

work_app = typer.Typer(help="My work: today's actions, call-backs, tasks, clients online.", no_args_is_help=True)

SECTION_TITLES = {
    "overdue": "Overdue actions",
    "today": "Due today",
    "callbacks": "Call-backs",
    "tasks": "My tasks",
    "to_check": "Tasks to check",
    "online": "My clients online",
}


def register(app: typer.Typer) -> None:
    """`crm work` (called by cli.py)."""
    app.add_typer(work_app, name="work")


@work_app.command("today")
def today(
    as_login: Annotated[str, typer.Option("--as", help="The employee whose day it is.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Rows per section.")] = 30,
    zone: Annotated[str | None, typer.Option("--zone", help="IANA time zone (default: the settings').")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")] = None,
) -> None:
    """Today for an employee: overdue and due actions, call-backs, tasks, clients online now."""
    import cli
    from core.errors import CrmError

    try:
        work = cli._admin_console(db, as_login).my_work(zone, limit)
    except CrmError as exc:
        typer.echo(f"crm: {exc.message}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(work.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{work.day.isoformat()} ({work.zone})")
    for section in work.sections:
        typer.echo(f"{SECTION_TITLES[section.section]}: {section.count}")
        for item in section.items:
            at = f"{item.at:%Y-%m-%d %H:%M}" if item.at else ""
            mark = "OVERDUE" if item.overdue else ("returned" if item.returned else "")
            typer.echo(f"  {item.kind}\t{item.id}\t{at}\t{mark}\t{item.client_id or ''}\t{item.title}")
