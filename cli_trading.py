"""`crm events replay FILE|simulate`, `crm simulate` (the platform kept running, live), `crm
deposits list|execute|reject` and `crm trading register ID`: the broker's side on the command line
(`--json` for scripts). Needs only typer when imported."""

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
    app.command("simulate")(simulate_live)


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


Interval = Annotated[float, typer.Option("--interval", min=0, help="Seconds between simulated moments.")]
Steps = Annotated[int, typer.Option("--steps", min=0, help="Stop after this many events (0: at Ctrl+C).")]
Seed = Annotated[int, typer.Option("--seed", help="The same seed over the same database: the same events.")]


def simulate_live(
    db: Db = None,
    server: Annotated[str | None, typer.Option("--server", help="Post signed events to this crm server.")] = None,
    ids: Annotated[str | None, typer.Option("--ids", help="Client ids for --server without --db: 1-40,57.")] = None,
    seed: Seed = 1,
    interval: Interval = 2.0,
    steps: Steps = 0,
    as_json: Json = False,
) -> None:
    """Keep the platform simulator emitting events (registrations, real accounts, logins and
    logouts, heartbeats, deposits, trades) through the webhook's path until Ctrl+C."""
    _guard(lambda: live(db, server, ids, seed, interval, steps, as_json))


def _id_list(text: str) -> list[int]:
    from core.errors import ValidationFailed

    out: list[int] = []
    try:
        for part in (p.strip() for p in text.split(",") if p.strip()):
            low, _sep, high = part.partition("-")
            out += list(range(int(low), int(high or low) + 1))
    except ValueError:
        raise ValidationFailed(f"--ids '{text}' is not a list of ids like 1-40,57.") from None
    return out


def live(db: str | None, server: str | None, ids: str | None, seed: int, interval: float, steps: int,
         as_json: bool) -> None:  # fmt: skip
    """The live simulator over the Forex desk's clients of `db` (or `ids`), into `db` or `server`."""
    import signal
    import threading
    import time

    import cli
    from core.clock import SystemClock
    from core.errors import ValidationFailed
    from core.trading.simulator import Simulator
    from storage.demo_broker import broker_client_ids, broker_states

    settings = cli._settings(db)
    states: dict[int, str] = {}
    currencies: dict[int, str] = {}
    if server and ids:
        clients = _id_list(ids)
    else:
        if server and not (db or cli._global_db):
            raise ValidationFailed("With --server, give the clients: --ids 1-40, or --db of the same database.")
        from storage.local import open_engine

        engine = open_engine(settings.database)
        clients = broker_client_ids(engine)
        states, currencies = broker_states(engine, clients)
    if server:
        from storage.remote.webhook import WebhookSender

        sink = WebhookSender(server, settings.events_secret)
        apply = sink.apply_event
    else:
        apply = cli._admin_console(db).apply_event
    run = f"sim{seed}-{int(time.time())}"  # a new run's ids: an earlier run's are duplicates
    simulator = Simulator(clients, SystemClock(), seed, states=states, currencies=currencies, prefix=run)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_a: stop.set())  # Ctrl+C ends between events
    where = server or settings.database
    if not as_json:
        typer.echo(f"Simulating {len(clients)} clients into {where}, an event every {interval:g} s; Ctrl+C stops.")
    counts: dict[str, int] = {}
    try:
        for n, event in enumerate(simulator.live(), 1):
            outcome = apply(event)
            counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
            if as_json:
                typer.echo(outcome.model_dump_json())
            else:
                change = f" -> {outcome.lifecycle}" if outcome.lifecycle else ""
                typer.echo(f"{event.at:%H:%M:%S}  {event.kind.value:<12} client {event.client_id:<6} "
                           f"{outcome.outcome}{change}")  # fmt: skip
            if (steps and n >= steps) or stop.wait(interval):
                break
    finally:
        signal.signal(signal.SIGINT, previous)
    if not as_json:
        typer.echo(
            ("\n" if stop.is_set() else "")
            + "Stopped: "
            + (", ".join(f"{k} {what}" for what, k in sorted(counts.items())) or "no events.")
        )
