"""`crm handover …` and `crm duplicates …`: hand-over (C17) and merging duplicate cards (F3).

Both are recorded under an employee, so the writing commands need `--as LOGIN`; that employee's
permissions and desks apply. Kept beside cli.py; the store loads only when a command runs."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

handover_app = typer.Typer(help="Hand clients to another manager (C17).", no_args_is_help=True)
duplicates_app = typer.Typer(help="Possible duplicate cards: list, compare, merge (F3).", no_args_is_help=True)

Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Act as this employee (permissions, desks).")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
NEEDS_AS = "this is recorded under an employee: pass --as LOGIN"


def register(app: typer.Typer) -> None:
    app.add_typer(handover_app, name="handover")
    app.add_typer(duplicates_app, name="duplicates")


def _guarded(func):  # type: ignore[no-untyped-def]
    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        import cli

        return cli._guard(func)(*args, **kwargs)

    return wrapper


def _console(db: str | None, as_login: str | None, writes: bool = False):  # type: ignore[no-untyped-def]
    import cli
    from core.errors import ValidationFailed

    if writes and not as_login:
        raise ValidationFailed(NEEDS_AS, field="as")
    return cli._admin_console(db, as_login)


def _out(data: object, as_json: bool, lines: list[str]) -> None:
    import cli

    if as_json:
        cli._print_json(data)
    else:
        typer.echo("\n".join(lines))


@handover_app.command("managers")
@_guarded
def managers(as_login: AsLogin = None, as_json: Json = False, db: Db = None) -> None:
    """Employees of your desks whom clients may be handed to; JSON: [{id, login, full_name, desks, desk_ids}]."""
    found = _console(db, as_login).hand_over_managers()
    _out([m.model_dump() for m in found], as_json, [f"{m.login}\t{m.full_name}\t{', '.join(m.desks)}" for m in found])


@handover_app.command("give")
@_guarded
def give(
    to: Annotated[str, typer.Option("--to", help="Login of the new manager.")],
    client_ids: Annotated[list[int] | None, typer.Argument(help="CRM ids of the clients.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Every client this search finds (at most 500).")] = None,
    desk: Annotated[
        str | None, typer.Option("--desk", help="Desk (id or name) when the manager works several.")
    ] = None,
    as_login: AsLogin = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Hand clients over, all of them or none; JSON: {to_employee, clients: [{client_id, from_employee, desk}]}."""
    from core.custody.inputs import HandOver
    from core.errors import NotFound, ValidationFailed

    console = _console(db, as_login, writes=True)
    target = next((m for m in console.hand_over_managers() if m.login == to), None)
    if target is None:
        raise NotFound(f"No manager with login '{to}' on your desks.")
    desk_id = None
    if desk is not None:
        named = dict(zip(target.desks, target.desk_ids, strict=True))
        desk_id = int(desk) if desk.isdigit() else named.get(desk)
        if desk_id is None:
            raise ValidationFailed(f"{target.full_name} does not work a desk named '{desk}'.", field="desk")
    result = console.hand_over(
        HandOver(to_employee_id=target.id, client_ids=client_ids or [], query=query, desk_id=desk_id)
    )
    lines = [f"{c.client_id}\t{c.from_employee or '-'} -> {result.to_employee}\t{c.desk or ''}" for c in result.clients]
    _out(result.model_dump(), as_json, lines + [f"Handed over: {len(result.clients)}."])


@duplicates_app.command("list")
@_guarded
def list_(
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most this many flagged cards.")] = 50,
    as_login: AsLogin = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Cards flagged as possible duplicates and the cards they match; JSON: [{card, matches}]."""
    groups = _console(db, as_login).duplicate_groups(limit)
    lines = [f"{g.card.id}\t{g.card.full_name}\t~ {', '.join(str(m.id) for m in g.matches)}" for g in groups]
    _out([g.model_dump(mode="json") for g in groups], as_json, lines or ["No possible duplicates."])


@duplicates_app.command("compare")
@_guarded
def compare(survivor: int, merged: int, as_login: AsLogin = None, as_json: Json = False, db: Db = None) -> None:
    """Two cards field by field (`*` where they differ) and the rows each brings."""
    found = _console(db, as_login).compare_cards(survivor, merged)
    lines = [f"{'*' if f.differs else ' '} {f.field:15} {f.survivor or '':30} {f.merged or ''}" for f in found.fields]
    rows = ", ".join(f"{k} {found.survivor_rows[k]}+{found.merged_rows[k]}" for k in found.survivor_rows)
    _out(found.model_dump(mode="json"), as_json, [f"  {'field':15} {survivor:<30} {merged}", *lines, rows])


@duplicates_app.command("merge")
@_guarded
def merge(
    survivor: int,
    merged: int,
    keep: Annotated[
        list[str] | None, typer.Option("--keep", help="A field whose value comes from the merged card (repeat).")
    ] = None,
    as_login: AsLogin = None,
    as_json: Json = False,
    db: Db = None,
) -> None:
    """Merge MERGED into SURVIVOR keeping every row; MERGED then opens SURVIVOR. JSON: {merged_id, card}."""
    from pydantic import ValidationError

    from core.custody.inputs import MergeRequest
    from core.errors import ValidationFailed

    console = _console(db, as_login, writes=True)
    try:
        request = MergeRequest(merged_id=merged, keep=dict.fromkeys(keep or [], "merged"))  # type: ignore[arg-type]
    except ValidationError:
        from core.custody.rules import MERGE_FIELDS

        raise ValidationFailed(f"--keep takes one of: {', '.join(MERGE_FIELDS)}.", field="keep") from None
    result = console.merge_clients(survivor, request)
    _out(result.model_dump(mode="json"), as_json, [f"Merged {merged} into {survivor}: {result.card.full_name}."])
