"""`crm events replay FILE|simulate`, `crm deposits list|execute|reject` and `crm trading register
ID`: the broker's side on the command line (`--json` for scripts). Needs only typer when imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

events_app = typer.Typer(
    help="Platform events (I4): replay a JSON-lines file, run the simulator.", no_args_is_help=True
)
deposits_app = typer.Typer(
    help="Deposit and withdrawal requests (M3): the queue, execute, reject.", no_args_is_help=True
)

trading_app = typer.Typer(help="The client cabinet (M2): register a lead.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """`crm events …`, `crm deposits …` and `crm trading …`."""
    app.add_typer(events_app, name="events")
    app.add_typer(deposits_app, name="deposits")
    app.add_typer(trading_app, name="trading")


Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Act as this employee (permissions, desks).")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _guard(work):  # type: ignore[no-untyped-def]
    from core.errors import CrmError

    try:
        return work()
    except CrmError as exc:
        typer.echo(f"crm: {exc.message}", err=True)
        raise typer.Exit(1) from None


def _lines(file: Path):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from core.errors import ValidationFailed
    from core.trading.models import PlatformEvent

    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield PlatformEvent.model_validate_json(line)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ValidationFailed(f"{file}:{number}: {where}: {first['msg']}") from None


def _feed(console, events, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    counts: dict[str, int] = {}
    for event in events:
        outcome = console.apply_event(event)
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
        if as_json:
            typer.echo(outcome.model_dump_json())
    if not as_json:
        typer.echo(", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "No events.")


@events_app.command("replay")
def replay(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], db: Db = None, as_json: Json = False
) -> None:
    """Feed a JSON-lines file of events through the same path as the webhook; a replayed id is a no-op."""
    import cli

    _guard(lambda: _feed(cli._admin_console(db), _lines(file), as_json))


@events_app.command("simulate")
def simulate(
    steps: Annotated[int, typer.Option(help="How many simulated moments.")] = 200,
    seed: Annotated[int, typer.Option(help="The same seed gives the same events.")] = 1,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Run the built-in platform simulator over the Forex desk's clients (or every client)."""
    import cli
    from core.trading.simulator import Simulator
    from storage.demo_broker import broker_client_ids

    def work() -> None:
        console = cli._admin_console(db)
        _feed(console, Simulator(broker_client_ids(console.repo.engine), console.clock, seed, steps).events(), as_json)

    _guard(work)


def _print_requests(requests, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in requests], ensure_ascii=False, indent=2))
        return
    for r in requests:
        reason = f"  ({r.reason})" if r.reason else ""
        typer.echo(f"{r.id:>6}  {r.created_at:%Y-%m-%d %H:%M}  {r.kind:<10} {r.amount!s:>16}  {r.payment_system:<12} "
                   f"{r.status:<9} {r.client_name}{reason}")  # fmt: skip
    if not requests:
        typer.echo("No requests.")


@deposits_app.command("list")
def list_requests(
    status: Annotated[str, typer.Option(help="pending, executed, rejected, failed or all.")] = "pending",
    limit: int = 100,
    as_login: AsLogin = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """The queue of money requests, oldest first."""
    import cli

    requests = _guard(
        lambda: cli._admin_console(db, as_login).money_requests(None if status == "all" else status, limit)
    )
    _print_requests(requests, as_json)


def _decide(
    request_id: int, action: str, reason: str | None, as_login: str | None, db: str | None, as_json: bool
) -> None:
    import cli
    from core.trading.inputs import Decision

    decided = _guard(
        lambda: cli._admin_console(db, as_login).decide_request(request_id, Decision(action=action, reason=reason))  # type: ignore[arg-type]
    )
    _print_requests([decided], as_json)


@deposits_app.command("execute")
def execute(request_id: int, as_login: AsLogin = None, db: Db = None, as_json: Json = False) -> None:
    """Execute a pending request (once: a second time is refused)."""
    _decide(request_id, "execute", None, as_login, db, as_json)


@deposits_app.command("reject")
def reject(
    request_id: int,
    reason: Annotated[str, typer.Option("--reason", help="Why; it goes to the client by SMS and e-mail.")],
    as_login: AsLogin = None,
    db: Db = None,
    as_json: Json = False,
) -> None:
    """Reject a pending request with its reason; the client is notified."""
    _decide(request_id, "reject", reason, as_login, db, as_json)


@trading_app.command("register")
def register_lead(client_id: int, as_login: AsLogin = None, db: Db = None, as_json: Json = False) -> None:
    """Register a Lead with an e-mail in the client cabinet; the credentials go to the client by
    e-mail (the password is never shown here)."""
    import cli

    done = _guard(lambda: cli._admin_console(db, as_login).register_in_cabinet(client_id))
    if as_json:
        typer.echo(done.model_dump_json())
        return
    typer.echo(f"client {done.client_id}: cabinet login {done.login}, credentials e-mailed to {done.email}")
