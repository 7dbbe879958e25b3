"""`crm report NAME [filters] --format table|json|csv|xlsx|html`: the reports on the command line.

Kept beside cli.py; it needs only typer when imported, the store and the reports load when run."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

report_app = typer.Typer(
    help="Reports: calls, first calls, activity by period, the funnel, sales, payment systems (files are audited).",
    no_args_is_help=True,
)

Period = Annotated[
    str,
    typer.Option("--period", help="today, yesterday, this_week, last_week, this_month, last_month (or --from/--to)."),
]
From = Annotated[str | None, typer.Option("--from", help="First day YYYY-MM-DD (with --to: a custom period).")]
To = Annotated[str | None, typer.Option("--to", help="Last day YYYY-MM-DD, included.")]
Step = Annotated[str, typer.Option("--by", help="periods: day, week (from Monday), month or year.")]
Desk = Annotated[str | None, typer.Option("--desk", help="Desk id or name.")]
Employee = Annotated[str | None, typer.Option("--employee", help="Employee id or full name.")]
Campaign = Annotated[str | None, typer.Option("--campaign", help="Campaign id or name.")]
Channel = Annotated[str | None, typer.Option("--channel", help="Client type, e.g. internet, interested.")]
Success = Annotated[
    list[str] | None, typer.Option("--success", help="A result counted as success (repeat); default: agreed, …")
]
Format = Annotated[str, typer.Option("--format", help="table, json, csv, xlsx or html.")]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Write the file here (needed for xlsx).")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Run as this employee (permissions, desks).")]
Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
Lang = Annotated[
    str | None, typer.Option("--lang", help="Files' titles: en or ru (default: the lang setting, else LANG).")
]
FORMATS = ("table", "json", "csv", "xlsx", "html")


def _pick(value: str | None, choices: list, what: str) -> int | None:  # type: ignore[type-arg]
    from core.errors import ValidationFailed

    if value is None:
        return None
    if value.isdigit():
        return int(value)
    found = [c.id for c in choices if c.name.casefold() == value.casefold()]
    if not found:
        raise ValidationFailed(f"No {what} named '{value}'.", field=what)
    return found[0]


def run(name: str, period: str, start: str | None, end: str | None, step: str, desk: str | None,
        employee: str | None, campaign: str | None, channel: str | None, success: list[str] | None,
        fmt: str, output: Path | None, as_login: str | None, db: str | None, lang: str | None = None) -> None:  # fmt: skip
    """One report: resolve the filter, then print it or write its file."""
    from pydantic import ValidationError as PydanticError

    import cli
    from core.errors import ValidationFailed
    from core.reports import rules
    from core.reports.models import ReportFilter

    if fmt not in FORMATS:
        raise ValidationFailed(f"Unknown format '{fmt}'; use one of {', '.join(FORMATS)}.", field="format")
    console = cli._admin_console(db, as_login)
    if start or end:
        try:
            first, last = date.fromisoformat(start or end or ""), date.fromisoformat(end or start or "")
        except ValueError:
            raise ValidationFailed("Dates are YYYY-MM-DD.", field="period") from None
    else:
        first, last = rules.quick_period(period, rules.local_today(console.clock.now(), console.timezone))
    choices = console.report_choices() if desk or employee or campaign else None
    try:
        flt = ReportFilter(
            start=first,
            end=last,
            granularity=step,  # type: ignore[arg-type]
            desk_id=_pick(desk, choices.desks if choices else [], "desk"),
            employee_id=_pick(employee, choices.employees if choices else [], "employee"),
            campaign_id=_pick(campaign, choices.campaigns if choices else [], "campaign"),
            channel=channel,
            success=success or cli._settings(db).report_success or None,
        )
    except PydanticError as exc:  # a bad step or an inverted period
        first_error = exc.errors()[0]
        where = ".".join(str(p) for p in first_error["loc"])
        message = str(first_error["msg"]).removeprefix("Value error, ")
        raise ValidationFailed(f"{where}: {message}" if where else message) from None
    if fmt in ("csv", "xlsx", "html"):
        if fmt == "xlsx" and output is None:
            raise ValidationFailed("An XLSX file needs --output FILE.", field="output")
        from tui.i18n import pick_language

        file = console.export_report(name, flt, fmt, pick_language(lang or cli._settings(db).lang))
        if output is None:
            sys.stdout.buffer.write(file.content)
            return
        output.write_bytes(file.content)
        typer.echo(f"Wrote {output} ({len(file.content)} bytes).")
        return
    data = getattr(console, f"report_{name}")(flt)
    if fmt == "json":
        typer.echo(json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    _print_tables(name, data)


def _print_tables(name: str, data: object) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    from core.reports.files import duration, money_text
    from core.reports.tables import tables_of

    out = Console()
    for table in tables_of(name, data):
        shown = RichTable(title=table.title, box=None, header_style="bold", title_justify="left")
        for label, kind in table.columns:
            shown.add_column(label, justify="left" if kind in ("text", "date") else "right")
        for row in table.rows:
            cells = []
            for value, (_label, kind) in zip(row, table.columns, strict=True):
                if kind == "rate":
                    cells.append(f"{float(value or 0) * 100:.1f}%")
                elif kind == "money":
                    cells.append(money_text(value))  # type: ignore[arg-type]
                elif kind == "seconds":
                    cells.append(duration(float(value or 0)))
                else:
                    cells.append("" if value is None else str(value))
            shown.add_row(*cells)
        out.print(shown)


def _command(name: str, doc: str):  # type: ignore[no-untyped-def]
    def command(
        period: Period = "this_month", start: From = None, end: To = None, step: Step = "day", desk: Desk = None,
        employee: Employee = None, campaign: Campaign = None, channel: Channel = None, success: Success = None,
        fmt: Format = "table", output: Output = None, as_login: AsLogin = None, db: Db = None, lang: Lang = None,
    ) -> None:  # fmt: skip
        from core.errors import CrmError

        try:
            run(name, period, start, end, step, desk, employee, campaign, channel, success, fmt, output, as_login, db,
                lang)  # fmt: skip
        except CrmError as exc:
            typer.echo(f"crm: {exc.message}", err=True)
            raise typer.Exit(1) from None

    command.__doc__ = doc
    return command


report_app.command("calls")(_command("calls", "R1: per employee calls, reached, success share, talk time."))
report_app.command("first_calls")(
    _command("first_calls", "R1: card creation to first call, median and 90th percentile per employee and desk.")
)
report_app.command("periods")(_command("periods", "R2: calls, results and new clients per day/week/month/year."))
report_app.command("funnel")(_command("funnel", "R6: new → reached → agreed/visited → product, by channel, campaign."))
report_app.command("sales")(_command("sales", "R3: per client's manager first and repeat deposits, per currency."))
report_app.command("payments")(_command("payments", "R4: per payment system deposits and withdrawals, shares."))
