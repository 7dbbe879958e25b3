"""`crm actions|views|tags …`: the manager's pipeline on the command line, `--json` for scripts.

Conditions are written `--where "FIELD OP [VALUE [VALUE]]"` (repeat for more), e.g.
`--where "last_contact_at lt -30d"`, `--where "created_at between 2025-01-01 2025-03-31"`,
`--where "tag eq vip"`, `--where "birth_date empty"`. Kept beside cli.py; imports only typer."""

from __future__ import annotations

import functools
import json
import shlex
from collections.abc import Callable
from typing import Annotated, Any

import typer

actions_app = typer.Typer(
    help="Actions: funnel stages with a due time, an employee and a done mark.", no_args_is_help=True
)
views_app = typer.Typer(help="Views: saved conditions over clients or actions.", no_args_is_help=True)
tags_app = typer.Typer(help="Tags on clients: on a card or on every client of a view.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """`crm actions`, `crm views`, `crm tags` (called by cli.py)."""
    app.add_typer(actions_app, name="actions")
    app.add_typer(views_app, name="views")
    app.add_typer(tags_app, name="tags")


Where = Annotated[list[str] | None, typer.Option("--where", help='A condition "FIELD OP [VALUE [VALUE]]" (repeat).')]
Sort = Annotated[str | None, typer.Option("--sort", help="The column to sort by.")]
Desc = Annotated[bool, typer.Option("--desc", help="Sort descending.")]
Limit = Annotated[int, typer.Option("--limit", min=1, max=500)]
Offset = Annotated[int, typer.Option("--offset", min=0)]
ViewOpt = Annotated[str | None, typer.Option("--view", help="A saved view (id or name) instead of --where.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Run as this employee (permissions, desks).")]
Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]


def _guarded(func: Callable[..., None]) -> Callable[..., None]:
    """One line and exit code 1 for an expected failure."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from pydantic import ValidationError

        from core.errors import CrmError

        try:
            func(*args, **kwargs)
        except CrmError as exc:
            typer.echo(f"crm: {exc.message}", err=True)
            raise typer.Exit(1) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            typer.echo(f"crm: {where}: {first['msg']}" if where else f"crm: {first['msg']}", err=True)
            raise typer.Exit(1) from None

    return wrapper


def _console(db: str | None, as_login: str | None):  # type: ignore[no-untyped-def]
    import cli

    return cli._admin_console(db, as_login)


def _conditions(where: list[str] | None) -> list[Any]:
    from core.errors import ValidationFailed
    from core.work.inputs import ConditionIn

    out = []
    for text in where or []:
        try:
            parts = shlex.split(text)
        except ValueError:
            raise ValidationFailed(f"Cannot read the condition '{text}'.", field="where") from None
        if len(parts) < 2:
            raise ValidationFailed(f"A condition is 'FIELD OP [VALUE [VALUE]]', not '{text}'.", field="where")
        out.append(ConditionIn(field=parts[0], op=parts[1], values=parts[2:]))
    return out


def _view_id(console: Any, view: str, subject: str | None = None) -> int:
    from core.errors import NotFound

    if view.isdigit():
        return int(view)
    found = [v.id for v in console.views(subject) if v.name.casefold() == view.casefold()]
    if not found:
        raise NotFound(f"No view named '{view}'.")
    return found[0]


def _query(console: Any, subject: str, where: list[str] | None, view: str | None, sort: str | None,
           desc: bool, offset: int, limit: int) -> Any:  # fmt: skip
    from core.work.inputs import ListQuery

    if view is not None:
        query = console.view_query(_view_id(console, view, subject), offset, limit)
        return query.model_copy(update={"sort": sort or query.sort, "descending": desc or query.descending})
    return ListQuery(conditions=_conditions(where), sort=sort, descending=desc, offset=offset, limit=limit)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# --- actions -------------------------------------------------------------------------------------


@actions_app.command("list")
@_guarded
def actions_list(where: Where = None, view: ViewOpt = None, sort: Sort = None, desc: Desc = False,
                 offset: Offset = 0, limit: Limit = 50, count: Annotated[bool, typer.Option("--count")] = False,
                 as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """The Actions table over the clients of my desks; overdue ones marked OVERDUE."""
    console = _console(db, as_login)
    query = _query(console, "actions", where, view, sort, desc, offset, limit)
    if count:
        n = console.count_actions(query)
        _echo_json({"count": n}) if as_json else typer.echo(str(n))
        return
    page = console.list_actions(query)
    if as_json:
        _echo_json(page.model_dump(mode="json"))
        return
    for a in page.items:
        mark = "done" if a.done_at else ("OVERDUE" if a.overdue else "open")
        typer.echo(f"{a.id}\t{a.due_at:%Y-%m-%d %H:%M}\t{mark}\t{a.type}\t{a.client_id}\t{a.employee or ''}")


@actions_app.command("add")
@_guarded
def actions_add(client_id: int, action_type: Annotated[str, typer.Argument(metavar="TYPE")],
                due: Annotated[str, typer.Argument(help="ISO time with its zone, e.g. 2025-03-10T12:00:00+03:00")],
                employee: Annotated[int | None, typer.Option("--employee")] = None,
                comment: Annotated[str | None, typer.Option("--comment")] = None,
                as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Plans an action for a client."""
    from core.work.inputs import NewAction

    console = _console(db, as_login)
    action = NewAction.model_validate({"type": action_type, "due_at": due, "employee_id": employee, "comment": comment})
    made = console.add_action(client_id, action)
    _echo_json(made.model_dump(mode="json")) if as_json else typer.echo(str(made.id))


@actions_app.command("done")
@_guarded
def actions_done(action_id: int, undo: Annotated[bool, typer.Option("--undo", help="Open it again.")] = False,
                 as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Marks an action done."""
    action = _console(db, as_login).mark_action(action_id, not undo)
    _echo_json(action.model_dump(mode="json")) if as_json else typer.echo(f"{action.id}\t{action.done_at or 'open'}")


@actions_app.command("types")
@_guarded
def actions_types(as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:
    """The funnel stages in order."""
    types = _console(db, as_login).action_types()
    if as_json:
        _echo_json([t.model_dump() for t in types])
        return
    for t in types:
        typer.echo(f"{t.code}\t{t.name}" + ("" if t.active else "\t(inactive)"))


@actions_app.command("set-type")
@_guarded
def actions_set_type(code: str, name: str, position: Annotated[int, typer.Option("--position")] = 0,
                     inactive: Annotated[bool, typer.Option("--inactive")] = False,
                     as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Creates or changes a funnel stage (administrators)."""
    from core.work.inputs import ActionTypeDraft

    draft = ActionTypeDraft(code=code, name=name, position=position, active=not inactive)
    typer.echo(_console(db, as_login).save_action_type(draft).code)


# --- views ---------------------------------------------------------------------------------------


@views_app.command("list")
@_guarded
def views_list(subject: Annotated[str | None, typer.Option("--subject")] = None, as_json: Json = False,
               as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """My views and the shared ones."""
    views = _console(db, as_login).views(subject)
    if as_json:
        _echo_json([v.model_dump() for v in views])
        return
    for v in views:
        typer.echo(f"{v.id}\t{v.subject}\t{'shared' if v.shared else 'personal'}\t{v.name}")


@views_app.command("save")
@_guarded
def views_save(name: str, subject: Annotated[str, typer.Option("--subject", help="clients or actions")] = "clients",
               where: Where = None, sort: Sort = None, desc: Desc = False,
               shared: Annotated[bool, typer.Option("--shared")] = False,
               replace: Annotated[str | None, typer.Option("--replace", help="The view (id or name) to change.")] = None,
               as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Saves a view; its conditions are checked first."""
    from core.work.inputs import ViewDraft

    console = _console(db, as_login)
    draft = ViewDraft(name=name, subject=subject, shared=shared, conditions=_conditions(where), sort=sort,
                      descending=desc)  # fmt: skip
    view = console.save_view(draft, _view_id(console, replace) if replace else None)
    _echo_json(view.model_dump()) if as_json else typer.echo(str(view.id))


@views_app.command("show")
@_guarded
def views_show(view: str, offset: Offset = 0, limit: Limit = 50, count: Annotated[bool, typer.Option("--count")] = False,
               as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """A page of the view's rows (or their count)."""
    console = _console(db, as_login)
    view_id = _view_id(console, view)
    query = console.view_query(view_id, offset, limit)  # NotFound for a view I may not see
    subject = next((v.subject for v in console.views() if v.id == view_id), "clients")
    if count:
        n = console.count_clients(query) if subject == "clients" else console.count_actions(query)
        _echo_json({"count": n}) if as_json else typer.echo(str(n))
        return
    page = console.list_clients(query) if subject == "clients" else console.list_actions(query)
    if as_json:
        _echo_json(page.model_dump(mode="json"))
        return
    for row in page.items:
        typer.echo(f"{row.id}\t{getattr(row, 'full_name', None) or row.client}")


@views_app.command("ids")
@_guarded
def views_ids(view: str, after: Annotated[int, typer.Option("--after")] = 0, limit: Limit = 500,
              as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """The view's ids above --after, one a line: the input of campaigns, hand-over and export."""
    console = _console(db, as_login)
    for row_id in console.view_ids(_view_id(console, view), after, limit):
        typer.echo(str(row_id))


@views_app.command("delete")
@_guarded
def views_delete(view: str, as_login: AsLogin = None, db: Db = None) -> None:
    """Deletes one of my views."""
    console = _console(db, as_login)
    console.delete_view(_view_id(console, view))


# --- tags ----------------------------------------------------------------------------------------


@tags_app.command("list")
@_guarded
def tags_list(as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:
    """Tags in use on my desks' clients."""
    tags = _console(db, as_login).tags()
    if as_json:
        _echo_json([t.model_dump() for t in tags])
        return
    for t in tags:
        typer.echo(f"#{t.name}\t{t.clients}")


def _edit(client_id: int, tags: list[str], remove: bool, as_json: bool, as_login: str | None, db: str | None) -> None:
    from core.work.inputs import TagEdit

    edit = TagEdit(remove=tags) if remove else TagEdit(add=tags)
    now = _console(db, as_login).edit_tags(client_id, edit)
    _echo_json(now) if as_json else typer.echo(" ".join(f"#{t}" for t in now))


@tags_app.command("add")
@_guarded
def tags_add(client_id: int, tags: list[str], as_json: Json = False, as_login: AsLogin = None, db: Db = None) -> None:
    """Adds tags to a client; prints the client's tags."""
    _edit(client_id, tags, False, as_json, as_login, db)


@tags_app.command("remove")
@_guarded
def tags_remove(client_id: int, tags: list[str], as_json: Json = False, as_login: AsLogin = None,
                db: Db = None) -> None:  # fmt: skip
    """Removes tags from a client."""
    _edit(client_id, tags, True, as_json, as_login, db)


@tags_app.command("view")
@_guarded
def tags_view(view: str, tag: str, remove: Annotated[bool, typer.Option("--remove")] = False, as_json: Json = False,
              as_login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Adds (or removes) a tag on every client of a view; prints how many changed."""
    console = _console(db, as_login)
    change = console.tag_view(_view_id(console, view, "clients"), tag, remove)
    _echo_json(change.model_dump()) if as_json else typer.echo(str(change.changed))
