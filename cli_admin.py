"""`crm admin …`: employees, roles, desks and the audit log (`--json` on lists), through the Console
port (`core.admin`): the same rules and audit log as in the console and the API; `--as LOGIN` acts as that employee."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from cli_text import DbOption, JsonOption

admin_app = typer.Typer(help="Administration: employees, roles, desks, masking, the audit log.", no_args_is_help=True)

AsLogin = Annotated[str | None, typer.Option("--as", help="Act as this employee (their permissions and desks).")]
Desks = Annotated[list[str] | None, typer.Option("--desk", help="Desk name; repeat for several.")]
Perms = Annotated[list[str] | None, typer.Option("--permission", help="A permission; repeat (see `permissions`).")]
Mask = Annotated[str | None, typer.Option(help="role, masked or shown (a role: default, masked or shown).")]


def _run(work: Any) -> None:
    from core.errors import CrmError

    try:
        work()
    except CrmError as exc:
        typer.echo(f"crm: {exc.message}", err=True)
        raise typer.Exit(1) from None


def _console(db: str | None, as_login: str | None):  # type: ignore[no-untyped-def]
    import cli

    return cli._admin_console(db, as_login)


def _out(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _employee(console, login: str):  # type: ignore[no-untyped-def]
    from core.admin.inputs import EmployeeFilter
    from core.errors import NotFound

    for line in console.admin_employees(EmployeeFilter()):
        if line.login == login:
            return line
    raise NotFound(f"No employee with login '{login}'.")


def _role(console, code: str):  # type: ignore[no-untyped-def]
    from core.errors import NotFound

    for role in console.admin_roles():
        if role.code == code:
            return role
    raise NotFound(f"No role '{code}'.")


def _desk_ids(console, names: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    from core.errors import ValidationFailed

    known = {d.name.casefold(): d.id for d in console.admin_desks()}
    missing = [n for n in names if n.casefold() not in known]
    if missing:
        raise ValidationFailed(f"Unknown desk '{missing[0]}'; desks: {', '.join(sorted(known))}.", field="desk")
    return [known[n.casefold()] for n in names]


def show_secret(login: str, secret: str) -> None:
    """A new authenticator secret: as text, as the URI, and as a QR code."""
    import pyotp

    typer.echo(f"Authenticator secret: {secret}")
    _show_totp(pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name="crm-console"))


def _show_totp(uri: str) -> None:
    import os

    from tui.qr import qr_lines

    typer.echo(f"URI: {uri}")
    for line in qr_lines(uri, plain=os.environ.get("CRM_PLAIN") == "1"):
        typer.echo(line)


@admin_app.command("permissions")
def permissions(as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Every permission a role may hold, explained."""

    def work() -> None:
        infos = _console(db, as_login).admin_permissions()
        if as_json:
            return _out([i.model_dump() for i in infos])
        for info in infos:
            typer.echo(f"{info.code:<22} {info.text}")

    _run(work)


@admin_app.command("employees")
def employees(
    desk: Annotated[str | None, typer.Option(help="Only this desk.")] = None,
    role: Annotated[str | None, typer.Option(help="Only this role.")] = None,
    active: Annotated[bool | None, typer.Option("--active/--disabled", help="Only active or disabled.")] = None,
    as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """List employees."""
    from core.admin.inputs import EmployeeFilter

    def work() -> None:
        console = _console(db, as_login)
        desk_id = _desk_ids(console, [desk])[0] if desk else None
        lines = console.admin_employees(EmployeeFilter(desk_id=desk_id, role=role, active=active))
        if as_json:
            return _out([e.model_dump(mode="json") for e in lines])
        for e in lines:
            state = "active" if e.active else "disabled"
            desks = ", ".join(d.name for d in e.desks)
            typer.echo(f"{e.login:<14} {e.role:<11} {state:<9} {e.second_factor:<5} {desks:<28} {e.full_name}")

    _run(work)


@admin_app.command("add")
def add(
    login: str,
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[str, typer.Option("--role", help="Role code (see `roles`).")] = "operator",
    desk: Desks = None,
    mobile: Annotated[str | None, typer.Option(help="Mobile for the sign-in code.")] = None,
    totp: Annotated[bool, typer.Option("--totp", help="An authenticator app instead of SMS codes.")] = False,
    password: Annotated[str | None, typer.Option(help="Temporary password; asked for when not given.")] = None,
    as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """Add an employee; they choose their own password at the first sign-in."""
    from core.admin.inputs import NewEmployee

    def work() -> None:
        console = _console(db, as_login)
        secret = password or typer.prompt("Temporary password", hide_input=True, confirmation_prompt=True)
        new = NewEmployee(login=login, full_name=name, password=secret, role=role,
                          desk_ids=_desk_ids(console, desk or []), mobile=mobile, totp=totp)  # fmt: skip
        setup = console.add_employee(new)
        typer.echo(f"Employee '{login}' added.")
        if setup.provisioning_uri:
            _show_totp(setup.provisioning_uri)

    _run(work)


@admin_app.command("edit")
def edit(
    login: str,
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    mobile: Annotated[str | None, typer.Option(help="Mobile ('' removes it).")] = None,
    role: Annotated[str | None, typer.Option(help="Role code.")] = None,
    desk: Desks = None,
    mask_phone: Mask = None, mask_email: Mask = None, mask_country: Mask = None,
    read_only: Annotated[str | None, typer.Option(help="role, yes or no.")] = None,
    as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """Change an employee's name, mobile, role, desks, masking or read-only (what is given)."""
    from core.admin.inputs import EmployeeEdit

    def work() -> None:
        console = _console(db, as_login)
        line = _employee(console, login)
        given: dict[str, Any] = {"full_name": name, "role": role, "mask_phone": mask_phone,
                                 "mask_email": mask_email, "mask_country": mask_country, "read_only": read_only}  # fmt: skip
        values = {k: v for k, v in given.items() if v is not None}
        if mobile is not None:
            values["mobile"] = mobile or None
        if desk is not None:
            values["desk_ids"] = _desk_ids(console, desk)
        after = console.edit_employee(line.id, EmployeeEdit(expected_version=line.version, **values))
        typer.echo(f"Employee '{after.login}' changed.")

    _run(work)


def _active(login: str, active: bool, as_login: str | None, db: str | None) -> None:
    from core.admin.inputs import ActiveEdit

    def work() -> None:
        console = _console(db, as_login)
        line = _employee(console, login)
        console.set_employee_active(line.id, ActiveEdit(active=active, expected_version=line.version))
        typer.echo(f"Employee '{login}' {'enabled' if active else 'disabled'}.")

    _run(work)


@admin_app.command("disable")
def disable(login: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Disable an employee: every session ends; never the last active administrator."""
    _active(login, False, as_login, db)


@admin_app.command("enable")
def enable(login: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Enable a disabled employee."""
    _active(login, True, as_login, db)


@admin_app.command("reset-password")
def reset_password(
    login: str,
    password: Annotated[str | None, typer.Option(help="Temporary password; asked for when not given.")] = None,
    as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """A temporary password: sessions end, blocks lift; a new one is asked at the next sign-in."""
    from core.admin.inputs import PasswordReset

    def work() -> None:
        console = _console(db, as_login)
        line = _employee(console, login)
        secret = password or typer.prompt("Temporary password", hide_input=True, confirmation_prompt=True)
        console.reset_password(line.id, PasswordReset(password=secret, expected_version=line.version))
        typer.echo(f"Password of '{login}' reset; they choose a new one at the next sign-in.")

    _run(work)


@admin_app.command("unlock")
def unlock(login: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Lift the failed-attempt blocks of a login."""

    def work() -> None:
        console = _console(db, as_login)
        console.unlock_employee(_employee(console, login).id)
        typer.echo(f"Login '{login}' unlocked.")

    _run(work)


@admin_app.command("second-factor")
def second_factor(login: str, channel: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """CHANNEL sms or totp; totp shows the URI and its QR code (once)."""
    from core.admin.inputs import SecondFactorEdit
    from core.errors import ValidationFailed

    def work() -> None:
        if channel not in ("sms", "totp"):
            raise ValidationFailed("The second factor is sms or totp.", field="channel")
        console = _console(db, as_login)
        line = _employee(console, login)
        setup = console.set_second_factor(line.id, SecondFactorEdit(channel=channel, expected_version=line.version))  # type: ignore[arg-type]
        typer.echo(f"'{login}' signs in with {setup.channel}.")
        if setup.provisioning_uri:
            _show_totp(setup.provisioning_uri)

    _run(work)


@admin_app.command("roles")
def roles(as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None) -> None:
    """List roles with their permissions and members."""

    def work() -> None:
        lines = _console(db, as_login).admin_roles()
        if as_json:
            return _out([r.model_dump() for r in lines])
        for r in lines:
            typer.echo(f"{r.code:<14} {r.members:>3} {r.name:<28} {','.join(r.permissions)}")

    _run(work)


@admin_app.command("role-add")
def role_add(
    code: str,
    name: Annotated[str, typer.Option(help="Name shown to people.")],
    copy_from: Annotated[str | None, typer.Option(help="Start from this role.")] = None,
    permission: Perms = None, as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """Create a role, or copy one."""
    from core.admin.inputs import NewRole

    def work() -> None:
        role = _console(db, as_login).add_role(
            NewRole(code=code, name=name, copy_from=copy_from, permissions=permission or [])
        )
        typer.echo(f"Role '{role.code}' added: {', '.join(role.permissions) or 'no permissions'}.")

    _run(work)


@admin_app.command("role-edit")
def role_edit(
    code: str,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    permission: Perms = None,
    mask_phone: Mask = None, mask_email: Mask = None, mask_country: Mask = None,
    read_only: Annotated[bool | None, typer.Option("--read-only/--editable", help="Client data read-only.")] = None,
    as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """Rename a role, set its permissions (the whole set), masking or read-only."""
    from core.admin.inputs import RoleEdit

    def work() -> None:
        console = _console(db, as_login)
        role = _role(console, code)
        given: dict[str, Any] = {"name": name, "permissions": permission, "mask_phone": mask_phone,
                                 "mask_email": mask_email, "mask_country": mask_country, "read_only": read_only}  # fmt: skip
        values = {k: v for k, v in given.items() if v is not None}
        console.edit_role(role.id, RoleEdit(expected_version=role.version, **values))
        typer.echo(f"Role '{code}' changed.")

    _run(work)


@admin_app.command("role-delete")
def role_delete(code: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Delete a role nobody has."""

    def work() -> None:
        console = _console(db, as_login)
        role = _role(console, code)
        console.delete_role(role.id, role.version)
        typer.echo(f"Role '{code}' deleted.")

    _run(work)


@admin_app.command("desks")
def desks(as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None) -> None:
    """List desks and how many employees each has."""

    def work() -> None:
        lines = _console(db, as_login).admin_desks()
        if as_json:
            return _out([d.model_dump() for d in lines])
        for d in lines:
            typer.echo(f"{d.id:>4} {d.members:>4} {d.name}")

    _run(work)


@admin_app.command("desk-add")
def desk_add(name: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Create a desk."""
    _run(lambda: typer.echo(f"Desk '{_console(db, as_login).add_desk(name).name}' added."))


@admin_app.command("desk-rename")
def desk_rename(old: str, new: str, as_login: AsLogin = None, db: DbOption = None) -> None:
    """Rename a desk."""

    def work() -> None:
        console = _console(db, as_login)
        console.rename_desk(_desk_ids(console, [old])[0], new)
        typer.echo(f"Desk '{old}' is now '{new}'.")

    _run(work)


@admin_app.command("audit")
def audit(
    actor: Annotated[str | None, typer.Option(help="Who made the change (login).")] = None,
    action: Annotated[str | None, typer.Option(help="e.g. employee_edited, role_edited, password_reset.")] = None,
    target: Annotated[str | None, typer.Option(help="The login, role code or desk changed.")] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 200,
    csv: Annotated[bool, typer.Option("--csv", help="As CSV (needs the export permission).")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the CSV here.")] = None,
    as_json: JsonOption = False, as_login: AsLogin = None, db: DbOption = None,
) -> None:  # fmt: skip
    """The audit log of administration: who, when, what, old -> new."""
    from core.admin.inputs import AuditFilter
    from core.errors import ValidationFailed

    def work() -> None:
        try:
            first, last = (date.fromisoformat(start) if start else None), (date.fromisoformat(end) if end else None)
        except ValueError:
            raise ValidationFailed("Dates are YYYY-MM-DD.", field="period") from None
        flt = AuditFilter(actor=actor, action=action, target=target, start=first, end=last, limit=limit)
        console = _console(db, as_login)
        if csv or output:
            file = console.export_admin_audit(flt)
            if output is None:
                sys.stdout.buffer.write(file.content)
                return
            output.write_bytes(file.content)
            return typer.echo(f"Wrote {output} ({len(file.content)} bytes).")
        lines = console.admin_audit(flt)
        if as_json:
            return _out([a.model_dump(mode="json") for a in lines])
        for a in lines:
            what = "; ".join(f"{c.field}: {c.old or '-'} -> {c.new or '-'}" for c in a.changes)
            typer.echo(f"{a.at:%Y-%m-%d %H:%M} {a.actor:<12} {a.action:<18} {a.target:<16} {what}")

    _run(work)
