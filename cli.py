"""`crm`: the console, and the stable command-line interface power users script."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer

import cli_text
from cli_admin import admin_app
from cli_reports import report_app
from cli_text import DbOption, JsonOption

HELP = "crm-console: a keyboard-first terminal CRM. Without a command, opens the console."
app = typer.Typer(add_completion=False, no_args_is_help=False, invoke_without_command=True, help=HELP)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
script_app = typer.Typer(help="Campaign call scripts (TOML).", no_args_is_help=True)
for _sub, _name in ((db_app, "db"), (script_app, "script"), (report_app, "report")):
    app.add_typer(_sub, name=_name)
app.add_typer(admin_app, name="admin")

cli_text.flags_without_a_type()


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
    version: Annotated[
        bool, typer.Option("--version", callback=cli_text.version, is_eager=True, help="Print the version and exit.")
    ] = False,
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
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most this many clients.")] = 20,
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
    cli_text.print_card(opened, cli_text.zone(_settings(db).timezone))


@app.command()
@_guard
def outbox(
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many messages, newest first.")] = 20,
    db: DbOption = None,
) -> None:
    """The SMS and e-mail outboxes, newest first, with each message's status (queued, sending, sent,
    failed and why); a local demo employee reads the sign-in code here."""
    from storage.local import read_outbox

    items = read_outbox(_settings(db).database, limit, datetime.now(UTC))  # expired codes are redacted first
    if as_json:
        _print_json(
            [
                {
                    "id": i.id,
                    "channel": i.channel,  # sms | email
                    "to": i.to,
                    "subject": i.subject,
                    "text": i.text,
                    "status": i.status,
                    "created_at": i.created_at.isoformat(),
                    "send_after": i.send_after.isoformat() if i.send_after else None,  # queued until then
                    "sent_at": i.sent_at.isoformat() if i.sent_at else None,
                    "attempts": i.attempts,
                    "error": i.error,  # why it failed, or why the last try did
                    "purpose": i.purpose,
                }
                for i in items
            ]
        )
        return
    for i in items:
        what = f"{i.subject}: {i.text}" if i.subject else i.text
        why = f"  [{i.error}]" if i.error else ""
        typer.echo(f"{i.created_at:%Y-%m-%d %H:%M:%S}  {i.channel:<5}  {i.status:<7}  {i.to:<14}  {what}{why}")


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
    simulate: Annotated[
        bool, typer.Option("--simulate", help="Then keep the platform simulator running (as `crm simulate`).")
    ] = False,
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
    bar = Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    tasks: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if not tasks:
            bar.start()  # only once the database is accepted: a refusal prints its one line alone
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    try:
        report = build_demo(target, clients=clients, seed=seed, force=force, progress=progress, now=now)
    finally:
        if tasks:
            bar.stop()
    typer.echo(f"Demo database: {report.target} ({report.clients} clients, {report.seconds:.1f} s)")
    typer.echo("Sign in with any of these logins; the password is the login:")
    for login, role, desk in report.logins:
        typer.echo(f"  {login:<11} {role:<14} {desk}")
    crm = f"{cli_text.crm_command()} --db {cli_text.shell_word(report.target)}"
    typer.echo(f"Open the console:  {crm}")
    typer.echo(f"The one-time code (in another terminal):  {crm} outbox --limit 1")
    if simulate:  # cli_trading.live: the Forex desk's clients, live, until Ctrl+C
        import cli_trading

        cli_trading.live(report.target, None, None, seed, 2.0, 0, False)


@app.command()
@_guard
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes (one per core is plenty).")] = 1,
) -> None:
    """Serve the Console over HTTP (API under /api/v1, docs at /docs)."""
    from api.serve import serve as run_server
    from storage.local import open_engine, warn_loose_files

    target = _settings(db).database
    open_engine(target)  # a clear message now rather than a traceback in a worker
    warn_loose_files(target, _settings(db).secret_file)
    run_server(target, host=host, port=port, workers=workers, trusted_proxies=_settings(db).trusted_proxies)


from cli_jobs import register as register_jobs  # noqa: E402
from cli_thin import register as register_thin_clients  # noqa: E402

register_thin_clients(app, _settings, _guard)  # `crm ssh-serve`, `crm web`
register_jobs(app, _settings, _guard)  # `crm worker`, `crm jobs`, `crm tasks`, `crm assign`
__import__("cli_imports").register(app, _guard)  # `crm import`, `crm campaigns`: cli_imports.py


@db_app.command("upgrade")
@_guard
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the schema to the newest version (Alembic) and add reference data."""
    from storage.local import open_engine
    from storage.migrate import upgrade

    target = _settings(db).database
    upgrade(open_engine(target, create=True))
    from storage.engine import shown

    typer.echo(f"Database is up to date: {shown(target)}")


@script_app.command("check")
def script_check(files: Annotated[list[Path], typer.Argument(help="Script files to check.")]) -> None:
    """Check call scripts: unreachable blocks, answers that lead nowhere, unknown results and fields."""
    from core.calls.scripts import check_script_text

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


for _area in (
    "cli_users",
    "cli_custody",
    "cli_trading",
    "cli_work",
    "cli_automation",
    "cli_mywork",
    "cli_floor",
    "cli_admin_zones",
):  # the areas' commands: each module registers its own on `app`
    __import__(_area).register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
