"""`crm import FILE --map … [--campaign CODE] [--duplicates flag|merge|skip]`: clients from a CSV or
XLSX file (M9); running it again on the same file goes on where an interrupted run stopped.
`crm export --format csv|xlsx --query …|--ids …`: clients as a file (M9, audited).

Kept beside cli.py; it needs only typer when imported, the store loads when run."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help="COLUMN=FIELD (repeat, or comma-separated); COLUMN is a header or #N. Default: guessed."
    ),
]
Duplicates = Annotated[str, typer.Option("--duplicates", help="flag, merge (add missing phones/e-mails) or skip.")]
CampaignOption = Annotated[str | None, typer.Option("--campaign", help="Put the imported clients on this campaign.")]
Preview = Annotated[bool, typer.Option("--preview", help="Show the mapping and the first rows; import nothing.")]
Again = Annotated[bool, typer.Option("--again", help="Import a file that was imported before.")]
AsLogin = Annotated[str | None, typer.Option("--as", help="Run as this employee (permissions, desks).")]
Db = Annotated[str | None, typer.Option("--db", help="SQLite file or database URL.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def parse_map(items: list[str] | None) -> dict[str, str] | None:
    from core.errors import ValidationFailed

    if not items:
        return None
    found: dict[str, str] = {}
    for item in (part for chunk in items for part in chunk.split(",") if part.strip()):
        column, sep, fld = item.rpartition("=")
        if not sep or not column.strip():
            raise ValidationFailed(f"--map takes COLUMN=FIELD, not '{item}'.", field="map")
        found[column.strip()] = fld.strip()
    return found


def register(app: typer.Typer, guard: Callable[..., Any]) -> None:
    """`crm import` and `crm campaigns …` (cli_campaigns) on the app."""
    from cli_campaigns import register as campaign_commands

    app.add_typer(campaign_commands(guard), name="campaigns")

    @app.command("export")
    @guard
    def export_clients(
        fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
        query: Annotated[str | None, typer.Option("--query", help="A search (name, phone, id, …).")] = None,
        ids: Annotated[str | None, typer.Option("--ids", help="Comma-separated client ids.")] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="The file (needed for xlsx).")] = None,
        as_login: AsLogin = None,
        db: Db = None,
    ) -> None:
        """M9: the clients of a search or an id list as a file (masked as you see them; audited)."""
        import sys

        import cli
        from core.errors import ValidationFailed

        if fmt == "xlsx" and output is None:
            raise ValidationFailed("An XLSX file needs --output FILE.", field="output")
        try:
            id_list = [int(i) for i in ids.split(",") if i.strip()] if ids is not None else None
        except ValueError:
            raise ValidationFailed("--ids takes whole numbers separated by commas.", field="ids") from None
        file = cli._admin_console(db, as_login).export_clients(fmt, query=query, ids=id_list)
        if output is None:
            sys.stdout.buffer.write(file.content)
            return
        output.write_bytes(file.content)
        typer.echo(f"Wrote {output} ({len(file.content)} bytes).")

    @app.command("import")
    @guard
    def import_file(
        file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file.", exists=True, dir_okay=False)],
        mapping: MapOption = None,
        duplicates: Duplicates = "flag",
        campaign: CampaignOption = None,
        preview: Preview = False,
        again: Again = False,
        as_json: JsonOption = False,
        as_login: AsLogin = None,
        db: Db = None,
    ) -> None:
        """M9: import clients from a spreadsheet; bad rows are listed with their line and reason."""
        import cli
        from core.errors import Conflict, ValidationFailed
        from core.imports.inputs import MAX_FILE_BYTES, ImportOptions

        if duplicates not in ("flag", "merge", "skip"):
            raise ValidationFailed("--duplicates is flag, merge or skip.", field="duplicates")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ValidationFailed(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MB.", field="file")
        options = ImportOptions(mapping=parse_map(mapping), duplicates=duplicates, campaign=campaign)  # type: ignore[arg-type]
        console = cli._admin_console(db, as_login)
        content = file.read_bytes()
        if preview:
            shown = console.import_preview(content, file.name, options, limit=10)
            if as_json:
                typer.echo(json.dumps(shown.model_dump(mode="json"), ensure_ascii=False, indent=2))
                return
            typer.echo("Mapping: " + ", ".join(f"{c} -> {f}" for c, f in shown.mapping.items()))
            for row in shown.rows:
                typer.echo(f"{row.line}: " + (row.problem or "; ".join(f"{k}={v}" for k, v in row.values.items() if v)))
            if shown.problem:
                typer.echo(f"Cannot import yet: {shown.problem}")
            return

        def progress(line: int) -> None:
            if not as_json:
                typer.echo(f"... line {line}", err=True)

        try:
            report = console.import_clients(content, file.name, options, progress=progress, again=again)
        except Conflict as exc:  # imported before: nothing was written
            raise Conflict(exc.message + " Add --again to import it again.", current=exc.current) from None
        if as_json:
            typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return
        typer.echo(
            f"Import {report.id}: {report.created} created, {report.flagged} flagged as possible duplicates, "
            f"{report.merged} merged, {report.skipped} skipped, {report.bad} bad."
        )
        for problem in report.problems:
            typer.echo(f"line {problem.line}: {problem.reason}")
        if report.bad > len(report.problems):
            typer.echo(f"... and {report.bad - len(report.problems)} more bad lines.")
