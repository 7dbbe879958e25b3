"""`crm campaigns list|create|edit|pause|resume|add|remove|recycle` (K16), `--json` on each.

Kept beside cli.py (registered by cli_imports.register); it needs only typer when imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

campaigns_app = typer.Typer(help="Campaigns: lists, scripts, calling hours, retries, recycling.", no_args_is_help=True)

Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Run as this employee (permissions, desks).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
Code = Annotated[str, typer.Argument(help="The campaign's code.")]
Ids = Annotated[list[int], typer.Argument(help="Client ids.")]
Name = Annotated[str | None, typer.Option("--name")]
Desk = Annotated[int | None, typer.Option("--desk", help="Desk id.")]
Script = Annotated[Path | None, typer.Option("--script", help="TOML script file (checked first).", exists=True)]
Hours = Annotated[str | None, typer.Option("--hours", help="Calling hours HH:MM-HH:MM, local time.")]
First = Annotated[int | None, typer.Option("--retry-first", help="Minutes after the first unreached call.")]
Next = Annotated[int | None, typer.Option("--retry-next", help="Minutes after later unreached calls.")]
Attempts = Annotated[int | None, typer.Option("--max-attempts", help="Unreached calls before leaving the list.")]
Priority = Annotated[int | None, typer.Option("--priority", help="-100..100; higher first.")]


def _console(db: str | None, as_login: str | None):  # type: ignore[no-untyped-def]
    import cli

    return cli._admin_console(db, as_login)


def _by_code(console, code: str):  # type: ignore[no-untyped-def]
    from core.errors import NotFound

    found = next((c for c in console.list_campaigns() if c.code == code), None)
    if found is None:
        raise NotFound(f"No campaign '{code}'.")
    return found


def _show(data: object, as_json: bool, line: str) -> None:
    if as_json:
        dumped = [d.model_dump(mode="json") for d in data] if isinstance(data, list) else data  # type: ignore[attr-defined]
        if hasattr(data, "model_dump"):
            dumped = data.model_dump(mode="json")  # type: ignore[attr-defined]
        typer.echo(json.dumps(dumped, ensure_ascii=False, indent=2))
    else:
        typer.echo(line)


def _line(c) -> str:  # type: ignore[no-untyped-def]
    hours = f"{c.call_start or '09:00'}-{c.call_end or '20:00'}"
    state = "active" if c.active else "paused"
    return f"{c.code}\t{c.name}\t{state}\tscript v{c.script_version}\t{hours}\ton list {c.members}, off {c.off_list}"


def register(guard) -> typer.Typer:  # type: ignore[no-untyped-def]
    """The commands, each wrapped by cli._guard (one line and exit 1 for expected failures)."""

    @campaigns_app.command("list")
    @guard
    def list_(as_json: JsonOption = False, as_login: AsLogin = None, db: Db = None) -> None:
        """Campaigns of your desks, by priority."""
        found = _console(db, as_login).list_campaigns()
        _show(found, as_json, "\n".join(_line(c) for c in found) or "No campaigns.")

    def _spec(code: str, name: str | None, desk: int | None, script: Path | None, hours: str | None,
              retry_first: int | None, retry_next: int | None, attempts: int | None, priority: int | None,
              old=None):  # type: ignore[no-untyped-def]  # fmt: skip
        from core.calls.campaigns import CampaignSpec
        from core.errors import ValidationFailed

        start, end = (hours.split("-", 1) + [""])[:2] if hours else (None, None)
        if hours and not end:
            raise ValidationFailed("--hours is HH:MM-HH:MM.", field="hours")
        keep = old or {}
        text = script.read_text(encoding="utf-8") if script else None
        return CampaignSpec(
            code=code, name=name or keep.get("name") or code, desk_id=desk if desk is not None else keep.get("desk_id"),
            script=text if text is not None else (keep.get("script") or ""),
            call_start=start or keep.get("call_start"), call_end=end or keep.get("call_end"),
            retry_first_min=retry_first or keep.get("retry_first_min"),
            retry_next_min=retry_next or keep.get("retry_next_min"),
            max_attempts=attempts or keep.get("max_attempts"),
            priority=priority if priority is not None else keep.get("priority", 0),
        )  # fmt: skip

    @campaigns_app.command("create")
    @guard
    def create(code: Code, name: Name = None, desk: Desk = None, script: Script = None, hours: Hours = None,
               retry_first: First = None, retry_next: Next = None, attempts: Attempts = None,
               priority: Priority = None, as_json: JsonOption = False, as_login: AsLogin = None,
               db: Db = None) -> None:  # fmt: skip
        """A new campaign (its script is checked before it is accepted)."""
        console = _console(db, as_login)
        if desk is None and console.whoami().desk_ids:
            desk = console.whoami().desk_ids[0]
        made = console.create_campaign(_spec(code, name, desk, script, hours, retry_first, retry_next, attempts,
                                             priority))  # fmt: skip
        _show(made, as_json, f"Created {_line(made)}")

    @campaigns_app.command("edit")
    @guard
    def edit(code: Code, name: Name = None, desk: Desk = None, script: Script = None, hours: Hours = None,
             retry_first: First = None, retry_next: Next = None, attempts: Attempts = None,
             priority: Priority = None, as_json: JsonOption = False, as_login: AsLogin = None,
             db: Db = None) -> None:  # fmt: skip
        """Change settings; a changed script becomes the next version (calls under way keep theirs)."""
        console = _console(db, as_login)
        old = _by_code(console, code)
        current = console.campaign_script_version(old.id, old.script_version) if old.script_version else ""
        base = {**old.model_dump(), "script": current}
        spec = _spec(code, name, desk, script, hours, retry_first, retry_next, attempts, priority, base)
        done = console.edit_campaign(old.id, spec)
        _show(done, as_json, f"Saved {_line(done)}")

    for verb, doc in (("pause", "Stop handing out clients."), ("resume", "Hand out clients again.")):

        def toggle(code: Code, as_json: JsonOption = False, as_login: AsLogin = None, db: Db = None,
                   verb: str = verb) -> None:  # fmt: skip
            console = _console(db, as_login)
            done = getattr(console, f"{verb}_campaign")(_by_code(console, code).id)
            _show(done, as_json, _line(done))

        toggle.__doc__ = doc
        campaigns_app.command(verb)(guard(toggle))

    @campaigns_app.command("add")
    @guard
    def add(code: Code, ids: Ids, as_json: JsonOption = False, as_login: AsLogin = None, db: Db = None) -> None:
        """Put clients on the list (never a do-not-disturb client or one without an active phone)."""
        console = _console(db, as_login)
        n = console.add_to_campaign(_by_code(console, code).id, ids)
        _show({"added": n}, as_json, f"Added {n} of {len(set(ids))}.")

    @campaigns_app.command("remove")
    @guard
    def remove(code: Code, ids: Ids, as_json: JsonOption = False, as_login: AsLogin = None, db: Db = None) -> None:
        """Take clients off the list."""
        console = _console(db, as_login)
        n = console.remove_from_campaign(_by_code(console, code).id, ids)
        _show({"removed": n}, as_json, f"Removed {n}.")

    @campaigns_app.command("recycle")
    @guard
    def recycle(
        code: Code,
        result: Annotated[list[str] | None, typer.Option("--result", help="Also clients whose last result is this.")] = None,
        no_exhausted: Annotated[bool, typer.Option("--no-exhausted", help="Leave exhausted clients off.")] = False,
        delay: Annotated[int, typer.Option("--delay", help="Minutes before they come back.")] = 0,
        as_json: JsonOption = False, as_login: AsLogin = None, db: Db = None,
    ) -> None:  # fmt: skip
        """Put exhausted or chosen-result clients back on the list after a delay."""
        from core.calls.campaigns import RecyclePlan

        console = _console(db, as_login)
        plan = RecyclePlan(exhausted=not no_exhausted, results=result or [], delay_min=delay)
        n = console.recycle_campaign(_by_code(console, code).id, plan)
        _show({"recycled": n}, as_json, f"{n} back on the list.")

    return campaigns_app
