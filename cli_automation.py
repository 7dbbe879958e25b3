"""`crm automation list|show|add|edit|enable|disable|delete|firings`: automation rules (M8) on the
command line, `--json` for scripts.

A rule is written with options: `--when "KIND [VALUE]"` (`lifecycle_changed demo`, `action_done
consultation`, `action_overdue call`, `result_saved callback`, `deposit 100000 RUB`, `no_contact 30`,
`tag_added vip`), `--where "FIELD OP [VALUE [VALUE]]"` as for views (repeat), and `--then "KIND ARG"`
(repeat: `sms office_hours`, `email welcome`, `task Call the client back`, `action consultation`,
`hand_to 12`, `hand_to head`, `tag vip`) — or whole as JSON with `--file rule.json` (`-`: standard input).
Kept beside cli.py; imports only typer."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from cli_work import AsLogin, Db, Json, Where, _conditions, _console, _echo_json, _guarded

automation_app = typer.Typer(help="Automation rules: when an event, if conditions, then effects.", no_args_is_help=True)
When = Annotated[str | None, typer.Option("--when", help='The trigger "KIND [VALUE]".')]
Then = Annotated[list[str] | None, typer.Option("--then", help='An effect "KIND ARG" (repeat).')]
File = Annotated[
    str | None, typer.Option("--file", help="The rule as JSON (core.automation.inputs.RuleDraft); - reads stdin.")
]
Name = Annotated[str | None, typer.Option("--name", help="The rule's name.")]
Disabled = Annotated[bool, typer.Option("--disabled", help="Save it switched off.")]
RuleId = Annotated[int, typer.Argument(help="The rule's id.", min=1)]


def register(app: typer.Typer) -> None:
    """`crm automation` (called by cli.py)."""
    app.add_typer(automation_app, name="automation")


def _draft(file: str | None, name: str | None, when: str | None, where: list[str] | None, then: list[str] | None,
           disabled: bool, base: Any = None) -> Any:  # fmt: skip
    from core.automation.inputs import RuleDraft
    from core.automation.words import effect_words, trigger_words
    from core.errors import ValidationFailed

    if file is not None:
        text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()  # noqa: SIM115
        return RuleDraft.model_validate_json(text)
    values: dict[str, Any] = base.model_dump(mode="json") if base is not None else {}
    if name is not None:
        values["name"] = name
    if when is not None:
        values["trigger"] = trigger_words(when)
    if where is not None:
        values["conditions"] = [c.model_dump() for c in _conditions(where)]
    if then is not None:
        values["effects"] = [effect_words(t) for t in then]
    if disabled:
        values["enabled"] = False
    if "name" not in values or "trigger" not in values:
        raise ValidationFailed("A new rule needs --name and --when (or --file).", field="rule")
    return RuleDraft.model_validate(values)


def _line(rule: Any) -> str:
    from core.automation.words import trigger_text

    when = trigger_text(rule.trigger)
    then = ", ".join(e.kind for e in rule.effects)
    return f"{rule.id:>5} {'on ' if rule.enabled else 'off'} {rule.name:<30} when {when}; then {then}"


@automation_app.command("list")
@_guarded
def automation_list(as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:
    """Every rule, on or off."""
    rules = _console(db, login).automation_rules()
    if as_json:
        _echo_json([r.model_dump(mode="json") for r in rules])
        return
    for rule in rules:
        typer.echo(_line(rule))


@automation_app.command("show")
@_guarded
def automation_show(rule_id: RuleId, as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:
    rule = _console(db, login).automation_rule(rule_id)
    if as_json:
        _echo_json(rule.model_dump(mode="json"))
        return
    typer.echo(_line(rule))
    for c in rule.conditions:
        typer.echo(f"      if {c.field} {c.op} {' '.join(c.values)}")
    for e in rule.effects:
        typer.echo("      then " + json.dumps(e.model_dump(exclude_defaults=True), ensure_ascii=False))


@automation_app.command("add")
@_guarded
def automation_add(name: Name = None, when: When = None, where: Where = None, then: Then = None, file: File = None,
                   disabled: Disabled = False, as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """A new rule, checked before it is saved."""
    rule = _console(db, login).add_automation_rule(_draft(file, name, when, where, then, disabled))
    typer.echo(json.dumps(rule.model_dump(mode="json"), ensure_ascii=False, indent=2) if as_json else _line(rule))


@automation_app.command("edit")
@_guarded
def automation_edit(rule_id: RuleId, name: Name = None, when: When = None, where: Where = None, then: Then = None,
                    file: File = None, as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:  # fmt: skip
    """Change what is given; the rest stays."""
    from core.automation.inputs import RuleDraft

    console = _console(db, login)
    current = console.automation_rule(rule_id)
    base = RuleDraft.model_validate(current.model_dump(include={"name", "enabled", "trigger", "conditions", "effects"}))
    rule = console.edit_automation_rule(rule_id, _draft(file, name, when, where, then, False, base))
    typer.echo(json.dumps(rule.model_dump(mode="json"), ensure_ascii=False, indent=2) if as_json else _line(rule))


def _switch(rule_id: int, on: bool, as_json: bool, login: str | None, db: str | None) -> None:
    rule = _console(db, login).enable_automation_rule(rule_id, on)
    typer.echo(json.dumps(rule.model_dump(mode="json"), ensure_ascii=False, indent=2) if as_json else _line(rule))


@automation_app.command("enable")
@_guarded
def automation_enable(rule_id: RuleId, as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:
    _switch(rule_id, True, as_json, login, db)


@automation_app.command("disable")
@_guarded
def automation_disable(rule_id: RuleId, as_json: Json = False, login: AsLogin = None, db: Db = None) -> None:
    _switch(rule_id, False, as_json, login, db)


@automation_app.command("delete")
@_guarded
def automation_delete(rule_id: RuleId, login: AsLogin = None, db: Db = None) -> None:
    _console(db, login).delete_automation_rule(rule_id)
    typer.echo(f"Deleted rule {rule_id}.")


@automation_app.command("firings")
@_guarded
def automation_firings(
    rule: Annotated[int | None, typer.Option("--rule", help="Of this rule.")] = None,
    client: Annotated[int | None, typer.Option("--client", help="Of this client (CRM id).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 100,
    as_json: Json = False,
    login: AsLogin = None,
    db: Db = None,
) -> None:
    """The latest firings, newest first."""
    firings = _console(db, login).automation_firings(rule, client, limit)
    if as_json:
        _echo_json([f.model_dump(mode="json") for f in firings])
        return
    for f in firings:
        typer.echo(f"{f.id:>6} {f.at:%Y-%m-%d %H:%M}Z  client {f.client_id:<8} {f.summary}")
