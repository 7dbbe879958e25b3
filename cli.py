"""`crm`: the console, and the stable command-line interface power users script."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from cli_reports import report_app

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    invoke_without_command=True,
    help="crm-console: a keyboard-first terminal CRM. Without a command, opens the console.",
)
users_app = typer.Typer(help="Employees: add, list, change password, disable.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
script_app = typer.Typer(help="Campaign call scripts (TOML).", no_args_is_help=True)
for _sub, _name in ((users_app, "users"), (db_app, "db"), (script_app, "script"), (report_app, "report")):
    app.add_typer(_sub, name=_name)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: CRM_DB, the config file, the XDG path)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


_global_db: str | None = None  # `crm --db X <command>` works like `crm <command> --db X`


def _settings(db: str | None = None):  # type: ignore[no-untyped-def]
    from core.settings import load_settings

    settings = load_settings()
    if db or _global_db:
        settings.database = db or _global_db
    return settings


def _fail(message: str) -> NoReturn:
    typer.echo(f"crm: {message}", err=True)
    raise typer.Exit(1)


def _guard(func):  # type: ignore[no-untyped-def]
    """One clear line and exit code 1 for every expected failure — never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        from sqlalchemy.exc import DBAPIError

        from core.errors import CrmError

        try:
            return func(*args, **kwargs)
        except CrmError as exc:
            _fail(exc.message)
        except DBAPIError as exc:
            _fail(f"database error: {str(exc.orig).strip().splitlines()[0]}")

    return wrapper


def _admin_console(db: str | None, as_login: str | None = None):  # type: ignore[no-untyped-def]
    """The local console acting as an employee (their desks and masking) or as the local administrator."""
    from core.errors import NotFound
    from storage.local import open_console

    settings = _settings(db)
    console = open_console(settings.database, phone_region=settings.phone_region, timezone=settings.timezone)
    if as_login:
        record = console.repo.employee_by_login(as_login)
        if record is None or not record.active:
            raise NotFound(f"No active employee with login '{as_login}'.")
        console.act_as(record.id)
    else:
        console.act_as_local_admin()
    return console


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.callback()
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    server: Annotated[
        str | None, typer.Option("--server", help="Use a crm server (thin client) instead of a database.")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Interface language: en or ru.")] = None,
) -> None:
    global _global_db
    _global_db = db
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(db)
    if server:
        settings.server = server
    if lang:
        settings.lang = lang
    from tui.app import run

    run(settings)


@app.command()
@_guard
def search(
    query: Annotated[str, typer.Argument(help="Phone in any form, name prefix, CRM id, passport or e-mail.")],
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    db: DbOption = None,
    as_login: Annotated[str | None, typer.Option("--as", help="Search as this employee (desks, masking).")] = None,
) -> None:
    """Find clients; JSON is an array of {id, full_name, phones, client_type, region, desk, ...}."""
    results = _admin_console(db, as_login).search(query, limit=limit)
    if as_json:
        _print_json([r.model_dump(mode="json") for r in results])
        return
    if not results:
        typer.echo("No clients found.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("ID", "Full name", "Born", "Type", "Region", "Phones"):
        table.add_column(column)
    for r in results:
        born = r.birth_date.isoformat() if r.birth_date else ""
        table.add_row(str(r.id), r.full_name, born, r.client_type, r.region or "", ", ".join(r.phones))
    Console().print(table)


@app.command()
@_guard
def card(
    client_id: Annotated[int, typer.Argument(help="CRM id.")],
    as_json: JsonOption = False,
    db: DbOption = None,
    as_login: Annotated[str | None, typer.Option("--as", help="Open as this employee (desks, masking).")] = None,
) -> None:
    """The whole card: main block, phones, history (newest first), products, transactions, changes."""
    console = _admin_console(db, as_login)
    opened = console.open_card(client_id, history_limit=500)
    history = list(opened.history)
    while len(history) < opened.history_total:
        page = console.history(client_id, offset=len(history), limit=500)
        if not page:
            break
        history.extend(page)
    opened = opened.model_copy(update={"history": history})
    if as_json:
        _print_json(opened.model_dump(mode="json"))
        return
    _print_card(opened)


def _print_card(c) -> None:  # type: ignore[no-untyped-def]
    from core.phones import format_phone

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
    typer.echo(f"\nContact history ({c.history_total}):")
    for h in c.history:
        what = " / ".join(x for x in (h.campaign, h.result, h.reason) if x)
        typer.echo(f"  {h.at:%Y-%m-%d %H:%M}  {h.kind:<7} {what}  {h.comment or ''}".rstrip())
    typer.echo(
        f"\nCurrent products ({len(c.products)}), closed ({len(c.closed_products)}), "
        f"transactions ({len(c.transactions)}), linked cards ({len(c.linked)}), changes ({len(c.changes)})"
    )


@app.command()
@_guard
def outbox(
    as_json: JsonOption = False, limit: Annotated[int, typer.Option("--limit", min=1)] = 20, db: DbOption = None
) -> None:
    """The SMS outbox, newest first (a local demo employee reads the sign-in code here)."""
    from storage.local import open_engine
    from storage.sql_repository import SqlRepository

    items = SqlRepository(open_engine(_settings(db).database)).outbox(limit)
    if as_json:
        _print_json(
            [
                {
                    "to": i.to,
                    "text": i.text,
                    "status": i.status,
                    "created_at": i.created_at.isoformat(),
                    "purpose": i.purpose,
                }
                for i in items
            ]
        )
        return
    for i in items:
        typer.echo(f"{i.created_at:%Y-%m-%d %H:%M:%S}  {i.status:<6}  {i.to:<14}  {i.text}")


@app.command()
@_guard
def demo(
    db: DbOption = None,
    clients: Annotated[int, typer.Option("--clients", min=1, help="How many clients.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data.")] = 7,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing database.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The demo's 'today' (YYYY-MM-DD); default: today, so slots lie ahead.")
    ] = None,
) -> None:
    """Build a realistic demo database: same seed and same --as-of, same data."""
    from datetime import date, time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from core.errors import ValidationFailed
    from storage.demo import build_demo

    try:
        day = date.fromisoformat(as_of) if as_of else datetime.now(UTC).date()
    except ValueError:
        raise ValidationFailed(f"--as-of '{as_of}' is not a date (YYYY-MM-DD).") from None
    now = datetime.combine(day, time(7, 0), tzinfo=UTC)  # 10:00 in Moscow: offices open
    target = _settings(db).database
    with Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = build_demo(target, clients=clients, seed=seed, force=force, progress=progress, now=now)
    typer.echo(f"Demo database: {report.target} ({report.clients} clients, {report.seconds:.1f} s)")
    typer.echo("Sign in with any of these logins; the password is the login:")
    for login, role, desk in report.logins:
        typer.echo(f"  {login:<11} {role:<11} {desk}")
    db_hint = f" --db {db}" if db else ""
    typer.echo(f"Open the console: crm{db_hint}   The one-time code: crm outbox{db_hint} --limit 1")


@app.command()
@_guard
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1)] = 1,
) -> None:
    """Serve the Console over HTTP (API under /api/v1, docs at /docs)."""
    from api.serve import serve as run_server
    from storage.local import open_engine

    target = _settings(db).database
    open_engine(target)  # a clear message now rather than a traceback in a worker
    run_server(target, host=host, port=port, workers=workers)


@db_app.command("upgrade")
@_guard
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the newest version (Alembic) and add reference data."""
    from storage.local import open_engine
    from storage.migrate import upgrade

    target = _settings(db).database
    upgrade(open_engine(target, create=True))
    typer.echo(f"Database is up to date: {target}")


@script_app.command("check")
def script_check(files: Annotated[list[Path], typer.Argument(help="Script files to check.")]) -> None:
    """Check call scripts: unreachable blocks, answers that lead nowhere, unknown results and fields."""
    from core.scripts import check_script_text

    failed = False
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            typer.echo(f"crm: {file}: {exc.strerror}", err=True)
            failed = True
            continue
        problems = check_script_text(text)
        for problem in problems:
            typer.echo(f"{file}: {problem}", err=True)
        if not problems:
            typer.echo(f"{file}: OK")
        failed = failed or bool(problems)
    if failed:
        raise typer.Exit(1)


@users_app.command("add")
@_guard
def users_add(
    login: str,
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[
        str, typer.Option("--role", help="admin, supervisor, operator, office, sme, control.")
    ] = "operator",
    desk: Annotated[list[str] | None, typer.Option("--desk", help="Desk name; repeat for several.")] = None,
    mobile: Annotated[str | None, typer.Option("--mobile", help="Mobile for the sign-in code.")] = None,
    totp: Annotated[bool, typer.Option("--totp", help="Use an authenticator app instead of SMS codes.")] = False,
    password: Annotated[str | None, typer.Option("--password", help="Asked for when not given.")] = None,
    db: DbOption = None,
) -> None:
    """Add an employee."""
    from storage.local import open_engine
    from storage.reference import DEFAULT_DESK
    from storage.users import add_employee

    secret_password = password or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = open_engine(_settings(db).database)
    secret = add_employee(
        engine, login, name, secret_password, role, desk or [DEFAULT_DESK], mobile, datetime.now(UTC), totp
    )
    typer.echo(f"Employee '{login}' added.")
    if secret:
        import pyotp

        typer.echo(f"Authenticator secret: {secret}")
        typer.echo(f"URI: {pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name='crm-console')}")


@users_app.command("list")
@_guard
def users_list(as_json: JsonOption = False, db: DbOption = None) -> None:
    """List employees."""
    from storage.local import open_engine
    from storage.users import list_employees

    lines = list_employees(open_engine(_settings(db).database))
    if as_json:
        _print_json([vars(line) for line in lines])
        return
    for e in lines:
        state = "active" if e.active else "disabled"
        second = "totp" if e.totp else (e.mobile or "-")
        typer.echo(f"{e.login:<12} {e.role:<11} {state:<9} {second:<13} {', '.join(e.desks):<28} {e.full_name}")


@users_app.command("passwd")
@_guard
def users_passwd(
    login: str,
    password: Annotated[str | None, typer.Option("--password", help="Asked for when not given.")] = None,
    db: DbOption = None,
) -> None:
    """Set a new password (also lifts a lockout)."""
    from storage.local import open_engine
    from storage.users import set_password

    secret = password or typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    set_password(open_engine(_settings(db).database), login, secret)
    typer.echo(f"Password of '{login}' changed.")


@users_app.command("disable")
@_guard
def users_disable(login: str, db: DbOption = None) -> None:
    """Disable an employee: no more sign-ins."""
    from storage.local import open_engine
    from storage.users import disable

    disable(open_engine(_settings(db).database), login)
    typer.echo(f"Employee '{login}' disabled.")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
