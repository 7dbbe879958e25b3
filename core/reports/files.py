"""R5's files: CSV, XLSX (openpyxl; numbers as numbers, dates as dates) and a printable HTML page."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from core.calls.catalogue import catalogue
from core.language import translator
from core.reports.models import ReportFilter
from core.reports.tables import FIXED_TEXTS, Cell, Table, tables_of

__all__ = ["MEDIA_TYPES", "render", "tables_of"]

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
TITLES = {
    "calls": "Calls per employee",
    "first_calls": "First calls",
    "periods": "Activity by period",
    "funnel": "Funnel",
    "sales": "Sales",
    "payments": "Payment systems",
}
NUMBER_FORMATS = {
    "rate": "0.0%",
    "seconds": "0",
    "float": "0.0",
    "int": "0",
    "date": "yyyy-mm-dd",
    "money": "#,##0.00",
    "lots": "0.00",
}


def render(file_format: str, report: str, flt: ReportFilter, tables: list[Table], language: str = "en") -> bytes:
    """The file with its titles, column labels and fixed row labels (All, the channels) in `language`."""
    tr = translator(language)
    tables = [localized(t, tr) for t in tables]
    title = f"{tr(TITLES[report])}: {flt.start.isoformat()} – {flt.end.isoformat()}"
    if file_format == "csv":
        return to_csv(tables)
    if file_format == "xlsx":
        return to_xlsx(title, tables)
    return to_html(title, tables)


def localized(table: Table, tr: Callable[[str], str]) -> Table:
    """The table in a language: its title, column labels (R2's result columns by the result's
    name) and the first column's fixed texts; names, systems and numbers stay as they are."""
    results = catalogue()
    columns = [(tr(getattr(results.get(label), "label", label)), kind) for label, kind in table.columns]
    rows = [
        [tr(row[0]) if isinstance(row[0], str) and row[0] in FIXED_TEXTS else row[0], *row[1:]] for row in table.rows
    ]
    return replace(table, title=tr(table.title), columns=columns, rows=rows)


def _plain(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(tables: list[Table]) -> bytes:
    """One block per table: a title line, the header, the rows; a blank line between blocks."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([table.title])
        writer.writerow([label for label, _ in table.columns])
        writer.writerows([_plain(v) for v in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


_NOT_IN_SHEET_NAMES = re.compile(r"[\\/?*\[\]:]")


def to_xlsx(title: str, tables: list[Table]) -> bytes:
    """One sheet per table (named by it); cells keep their type and carry a number format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = book.create_sheet(title=_NOT_IN_SHEET_NAMES.sub(" ", table.title)[:31])
        sheet.append([title])
        sheet.append([label for label, _ in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        for col, (_label, kind) in enumerate(table.columns, start=1):
            fmt = NUMBER_FORMATS.get(kind)
            for r in range(3, 3 + len(table.rows)):
                if fmt:
                    sheet.cell(row=r, column=col).number_format = fmt
            sheet.column_dimensions[sheet.cell(row=2, column=col).column_letter].width = 16 if col > 1 else 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _shown(value: Cell, kind: str) -> str:
    if value is None:
        return ""
    if kind == "rate" and isinstance(value, int | float | Decimal):
        return f"{float(value) * 100:.1f}%"
    if kind == "seconds" and isinstance(value, int | float):
        return duration(value)
    if kind == "money" and isinstance(value, Decimal):
        return money_text(value)
    return _plain(value)


def money_text(value: Decimal) -> str:
    """1 234 567.50: thousands apart by a space, two places."""
    return f"{value:,.2f}".replace(",", " ")


def duration(seconds: float) -> str:
    """1:05:09 / 5:09 / 0:09: hours, minutes and seconds; days as 2d 03:00:00."""
    whole = round(seconds)
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours or days else f"{minutes}:{secs:02d}"
    return f"{days}d {hours:02d}:{minutes:02d}:{secs:02d}" if days else text


def _charts(table: Table) -> list[tuple[str, str, list[list[Cell]]]]:
    """The table's bar charts: one, or one per currency when the table is split by one."""
    if table.chart is None or not table.rows:
        return []
    label, kind = table.columns[table.chart]
    if table.chart_by is None:
        return [(label, kind, table.rows)]
    by = table.chart_by
    groups = sorted({str(row[by]) for row in table.rows})
    return [(f"{label}, {g}", kind, [row for row in table.rows if str(row[by]) == g]) for g in groups]


_STYLE = """
body { font-family: sans-serif; margin: 1.5em; color: #000; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #888; padding: 2px 8px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #336; height: 0.9em; display: inline-block; }
@media print { .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def to_html(title: str, tables: list[Table]) -> bytes:
    """A printable page: per table a bar chart of its main figure, then the table."""
    esc = html.escape
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{esc(title)}</title>"]
    parts.append(f"<style>{_STYLE}</style></head><body><h1>{esc(title)}</h1>")
    for table in tables:
        parts.append(f"<h2>{esc(table.title)}</h2>")
        for label, kind, rows in _charts(table):
            values = [row[table.chart] if isinstance(row[table.chart], int | float | Decimal) else 0 for row in rows]  # type: ignore[index]
            top = max(values) or 1
            parts.append(f"<table class='chart'><caption>{esc(label)}</caption>")
            for row, value in zip(rows, values, strict=True):
                width = round(300 * value / top)  # type: ignore[operator]
                parts.append(
                    f"<tr><td>{esc(_plain(row[0]))}</td><td><span class='bar' style='width:{width}px'></span> "
                    f"{esc(_shown(value, kind))}</td></tr>"
                )
            parts.append("</table>")
        parts.append("<table><tr>" + "".join(f"<th>{esc(label)}</th>" for label, _ in table.columns) + "</tr>")
        for row in table.rows:
            cells = "".join(
                f"<td class='n'>{esc(_shown(v, k))}</td>" if k != "text" else f"<td>{esc(_plain(v))}</td>"
                for v, (_, k) in zip(row, table.columns, strict=True)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")
