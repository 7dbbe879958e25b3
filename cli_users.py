"""`crm users`: employees from the command line — add, list, change the password, disable."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from cli_text import DbOption, JsonOption


def register(app: typer.Typer) -> None:
    import cli

    users_app = typer.Typer(help="Employees: add, list, change password, disable.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    @cli._guard
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
        from storage.users import add_employee, default_desk

        secret_password = password or typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        engine = open_engine(cli._settings(db).database)
        secret = add_employee(
            engine,
            login,
            name,
            secret_password,
            role,
            desk or [default_desk(engine)],
            mobile,
            datetime.now(UTC),
            totp,
            create_desks=False,
        )
        typer.echo(f"Employee '{login}' added.")
        if secret:
            from cli_admin import show_secret

            show_secret(login, secret)

    @users_app.command("list")
    @cli._guard
    def users_list(as_json: JsonOption = False, db: DbOption = None) -> None:
        """List employees."""
        from storage.local import open_engine
        from storage.users import list_employees

        lines = list_employees(open_engine(cli._settings(db).database))
        if as_json:
            cli._print_json([vars(line) for line in lines])
            return
        for e in lines:
            state = "active" if e.active else "disabled"
            second = "totp" if e.totp else (e.mobile or "-")
            typer.echo(f"{e.login:<12} {e.role:<11} {state:<9} {second:<13} {', '.join(e.desks):<28} {e.full_name}")

    @users_app.command("passwd")
    @cli._guard
    def users_passwd(
        login: str,
        password: Annotated[str | None, typer.Option("--password", help="Asked for when not given.")] = None,
        db: DbOption = None,
    ) -> None:
        """Set a new password; ends every session of the employee and lifts the login's blocks."""
        from storage.local import open_engine
        from storage.users import set_password

        secret = password or typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        set_password(open_engine(cli._settings(db).database), login, secret)
        typer.echo(f"Password of '{login}' changed.")

    @users_app.command("disable")
    @cli._guard
    def users_disable(login: str, db: DbOption = None) -> None:
        """Disable an employee: no more sign-ins, every session ends at once."""
        from storage.local import open_engine
        from storage.users import disable

        disable(open_engine(cli._settings(db).database), login)
        typer.echo(f"Employee '{login}' disabled.")
