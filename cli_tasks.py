"""`crm tasks list|add|done|check` and `crm assign show|set|regions` (registered by cli_jobs)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import typer

DbOption = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL (default: as for `crm`).")]
AsLogin = Annotated[str, typer.Option("--as", help="The employee acting (their desks and permissions).")]
AsOptional = Annotated[
    str | None, typer.Option("--as", help="Act as this employee (default: the local administrator).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
tasks_app = typer.Typer(help="Tasks for employees: list, set, mark done, accept or return.", no_args_is_help=True)
assign_app = typer.Typer(help="Auto-assignment of new clients: the desks' rules.", no_args_is_help=True)


def _console(db: str | None, login: str | None):  # type: ignore[no-untyped-def]
    import cli

    return cli._admin_console(db, login)


def _dump(items: list[Any]) -> None:
    typer.echo(json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2))


def register(app: typer.Typer, settings_for: Callable[[str | None], Any], guard: Callable[[Any], Any]) -> None:
    @tasks_app.command("list")
    @guard
    def tasks_list(
        login: AsLogin,
        scope: Annotated[str, typer.Option("--scope", help="mine, set, watching or all.")] = "all",
        closed: Annotated[bool, typer.Option("--closed", help="Accepted ones too.")] = False,
        as_json: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        """Tasks assigned to, set by or watched by the employee; overdue ones marked with !."""
        from core.tasks.models import TaskScope

        tasks = _console(db, login).tasks(TaskScope(scope), open_only=not closed)
        if as_json:
            _dump(tasks)
            return
        for t in tasks:
            mark = "!" if t.overdue else " "
            typer.echo(
                f"{t.id:>6} {mark} {t.deadline:%Y-%m-%d %H:%M}Z  {t.status.value:<8} {t.assignee.name:<24} {t.title}"
            )

    @tasks_app.command("add")
    @guard
    def tasks_add(
        login: AsLogin,
        title: Annotated[str, typer.Argument(help="What is to be done.")],
        assignee: Annotated[str, typer.Option("--for", help="The assignee's login.")],
        deadline: Annotated[
            str, typer.Option("--deadline", help="ISO 8601 with the offset, e.g. 2026-12-01T18:00+03:00.")
        ],
        remind: Annotated[int, typer.Option("--remind", help="Minutes before the deadline to remind.")] = 30,
        repeat: Annotated[
            str | None, typer.Option("--repeat", help="daily, weekly, monthly or 'cron: 0 9 * * 1-5'.")
        ] = None,
        watcher: Annotated[list[str] | None, typer.Option("--watcher", help="A watcher's login (repeat).")] = None,
        text: Annotated[str, typer.Option("--text", help="Details.")] = "",
        db: DbOption = None,
    ) -> None:
        """Set a task for an employee of the acting employee's desks."""
        from core.errors import NotFound
        from core.tasks.inputs import NewTask

        console = _console(db, login)

        def employee(who: str) -> int:
            record = console.repo.employee_by_login(who)
            if record is None:
                raise NotFound(f"No employee with login '{who}'.")
            return record.id

        when = datetime.fromisoformat(deadline)
        draft = NewTask.model_validate(
            {"title": title, "text": text, "assignee_id": employee(assignee), "deadline": when,
             "remind_minutes": remind, "repeat": repeat, "watcher_ids": [employee(w) for w in watcher or []]}
        )  # fmt: skip
        task = console.create_task(draft)
        typer.echo(f"task {task.id} set for {task.assignee.name}")

    @tasks_app.command("done")
    @guard
    def tasks_done(login: AsLogin, task_id: int, comment: str | None = None, db: DbOption = None) -> None:
        """The assignee marks the task done."""
        from core.tasks.inputs import TaskDone

        task = _console(db, login).complete_task(task_id, TaskDone(comment=comment))
        typer.echo(f"task {task.id}: {task.status.value}")

    @tasks_app.command("check")
    @guard
    def tasks_check(
        login: AsLogin,
        task_id: int,
        accept: Annotated[bool, typer.Option("--accept/--return", help="Accept, or return with --comment.")] = True,
        comment: str | None = None,
        db: DbOption = None,
    ) -> None:
        """The one who set the task accepts it or returns it."""
        from core.tasks.inputs import TaskCheck

        task = _console(db, login).check_task(task_id, TaskCheck(accept=accept, comment=comment))
        typer.echo(f"task {task.id}: {task.status.value}")

    @assign_app.command("show")
    @guard
    def assign_show(login: AsOptional = None, as_json: JsonOption = False, db: DbOption = None) -> None:
        """Each desk's rule for new clients."""
        rules = _console(db, login).assign_rules()
        if as_json:
            _dump(rules)
            return
        for r in rules:
            region = " by region" if r.by_region else ""
            typer.echo(f"{r.desk_id:>4}  {r.desk:<24} {r.mode.value:<13} {','.join(r.roles)}{region}")

    @assign_app.command("set")
    @guard
    def assign_set(
        desk: Annotated[str, typer.Argument(help="Desk id or name.")],
        mode: Annotated[str, typer.Option("--mode", help="off, round_robin or least_loaded.")],
        roles: Annotated[
            list[str] | None, typer.Option("--role", help="A role of the desk's managers (repeat).")
        ] = None,
        by_region: Annotated[bool, typer.Option("--by-region", help="Prefer managers of the client's region.")] = False,
        login: AsOptional = None,
        db: DbOption = None,
    ) -> None:
        """Set a desk's rule (the local administrator, or --as a supervisor)."""
        from core.assign.models import AssignMode, RuleEdit
        from core.errors import NotFound

        console = _console(db, login)
        found = [
            r.desk_id for r in console.assign_rules() if str(r.desk_id) == desk or r.desk.casefold() == desk.casefold()
        ]
        if not found:
            raise NotFound(f"No desk '{desk}'.")
        edit = RuleEdit(mode=AssignMode(mode), roles=roles or ["operator"], by_region=by_region)
        rule = console.set_assign_rule(found[0], edit)
        typer.echo(f"{rule.desk}: {rule.mode.value}")

    @assign_app.command("regions")
    @guard
    def assign_regions(
        employee: Annotated[str, typer.Argument(help="The manager's login.")],
        regions: Annotated[list[str] | None, typer.Argument(help="Region names or ids (none: clear).")] = None,
        db: DbOption = None,
    ) -> None:
        """The regions a manager serves, for rules by region."""
        from core.assign.models import RegionsEdit
        from core.errors import NotFound

        console = _console(db, None)
        record = console.repo.employee_by_login(employee)
        if record is None:
            raise NotFound(f"No employee with login '{employee}'.")
        by_name = {r.name.casefold(): r.id for r in console.regions()} | {str(r.id): r.id for r in console.regions()}
        missing = [r for r in regions or [] if r.casefold() not in by_name]
        if missing:
            raise NotFound(f"No region '{missing[0]}'.")
        console.set_manager_regions(record.id, RegionsEdit(region_ids=[by_name[r.casefold()] for r in regions or []]))
        typer.echo(f"{employee}: {len(regions or [])} regions")

    app.add_typer(tasks_app, name="tasks")
    app.add_typer(assign_app, name="assign")
