"""`crm admin desk NAME --tz ZONE`, `crm admin regions`, `crm admin region NAME --tz ZONE`: the IANA
time zones the calling hours of a desk's or a region's clients follow (`core.admin.zones`: checked,
versioned, audited). An empty `--tz ""` gives the zone back to the console's (a region: the desk's)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli_text import DbOption, JsonOption

AsLogin = Annotated[str | None, typer.Option("--as", help="Act as this employee (their permissions and desks).")]
Zone = Annotated[str | None, typer.Option("--tz", help='IANA time zone, e.g. Asia/Omsk; "" clears it.')]


def _show(line: Any, as_json: bool) -> None:
    import cli_admin

    if as_json:
        cli_admin._out(line.model_dump())
    else:
        typer.echo(f"{line.name}: {line.timezone or '-'} (version {line.version})")


def desk(
    name: str, tz: Zone = None, as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None
) -> None:
    """Show a desk's time zone; with --tz, change it."""
    import cli_admin
    from core.admin.inputs import ZoneEdit

    def work() -> None:
        console = cli_admin._console(db, as_login)
        desk_id = cli_admin._desk_ids(console, [name])[0]
        line = next(d for d in console.admin_desks() if d.id == desk_id)
        if tz is not None:
            line = console.set_desk_timezone(desk_id, ZoneEdit(timezone=tz or None, expected_version=line.version))
        _show(line, as_json)

    cli_admin._run(work)


def regions(as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None) -> None:
    """List the regions and their time zones."""
    import cli_admin

    def work() -> None:
        lines = cli_admin._console(db, as_login).admin_regions()
        if as_json:
            return cli_admin._out([r.model_dump() for r in lines])
        for r in lines:
            typer.echo(f"{r.id:>4} {r.timezone or '-':<20} {r.name}")

    cli_admin._run(work)


def region(
    name: str, tz: Zone = None, as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None
) -> None:
    """Show a region's time zone; with --tz, change it (an administrator of every desk)."""
    import cli_admin
    from core.admin.inputs import ZoneEdit
    from core.errors import ValidationFailed

    def work() -> None:
        console = cli_admin._console(db, as_login)
        found = [r for r in console.admin_regions() if r.name.casefold() == name.casefold()]
        if not found:
            raise ValidationFailed(f"Unknown region '{name}'; `crm admin regions` lists them.", field="region")
        line = found[0]
        if tz is not None:
            line = console.set_region_timezone(line.id, ZoneEdit(timezone=tz or None, expected_version=line.version))
        _show(line, as_json)

    cli_admin._run(work)


def register(app: typer.Typer) -> None:
    """Adds `desk`, `regions` and `region` to `crm admin`."""
    from cli_admin import admin_app

    admin_app.command("desk")(desk)
    admin_app.command("regions")(regions)
    admin_app.command("region")(region)
