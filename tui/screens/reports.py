"""F9 — "Reports" (R1-R6): a report, its filters, a chart and the numbers below it, and
the report as a file. Visible to employees with the reports permission; the desk rule and every
figure come from the Console."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from core.access.rules import Permission
from core.reports import rules
from core.reports.files import money_text
from core.reports.models import ReportFilter
from core.reports.tables import Table, channel_label, funnel_steps, tables_of
from tui.bindings import localize_bindings
from tui.format import short_name
from tui.i18n import N_, _, language
from tui.screens.base import Command, CrmScreen
from tui.screens.report_texts import (
    CORE_TEXTS,
    FORMATS,
    PERIODS,
    REPORTS,
    STEPS,
    Groups,
    cell_text,
    main_currency,
    money_summary,
    pages,
    shaped,
)
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.report_chart import ReportChart
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.access.models import EmployeeInfo
    from core.port import Console
    from core.reports.models import ExportFile, ReportChoices

NAME_WIDTH = 22


class ReportTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


def _options(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(_(label), value) for value, label in pairs]


class ReportsScreen(CrmScreen):
    PLACE = N_("Reports")
    CRM_HELP = N_(
        "Reports: pick the report and the period (a quick choice, or type the days From and To and "
        "press Enter), narrow by desk, employee, campaign and channel. The chart shows the main "
        "figure, the table below every number. Ctrl+N shows the next table, Ctrl+S saves the "
        "report as the chosen file in the current folder."
    )
    FIELD_HELP = {
        "report": N_(
            "The report: calls per employee, first calls, activity by period, the funnel, sales per "
            "employee, payment systems."
        ),
        "period": N_("Today, this week, last month and more; Custom uses the days typed in From and To."),
        "from": N_("The first day, DD.MM.YYYY or YYYY-MM-DD; Enter applies it."),
        "to": N_("The last day, included; Enter applies it."),
        "step": N_("Activity by period: a row per day, week (from Monday), month or year."),
        "format": N_("The file Ctrl+S saves: XLSX, CSV or a printable HTML page."),
        "report-table": N_("Arrows move through the numbers; Ctrl+N shows the report's next table."),
    }
    FIELDS = {"period": "from", "granularity": "step", "desk": "desk", "channel": "channel", "success": "report"}
    BINDINGS = [  # Refresh off the key line (one row at 80 columns): F1 and the palette list it
        Binding("ctrl+r", "refresh", N_("Refresh"), id="reports.refresh", show=False),
        Binding("ctrl+n", "next_table", N_("Next table"), id="reports.next_table"),
        Binding("ctrl+s", "save", N_("Save the file"), id="reports.save"),
        Binding("escape", "back", N_("Back"), id="reports.back"),
    ]
    DEFAULT_CSS = """
    ReportsScreen .report-filters { height: 1; margin: 0 0 0 1; }
    ReportsScreen .report-filters Select { width: 1fr; margin-right: 1; }
    ReportsScreen .report-filters Input { width: 11; margin-right: 1; }
    ReportsScreen #report { width: 25; }
    ReportsScreen #period { width: 17; }
    ReportsScreen #desk { width: 15; }
    ReportsScreen #employee { width: 18; }
    ReportsScreen #channel { width: 14; }
    ReportsScreen #format { width: 8; margin-right: 0; }
    ReportsScreen #step { margin-right: 0; }
    ReportsScreen #table-title { height: 1; padding: 0 1; text-style: bold; }
    ReportsScreen #report-table { height: 1fr; scrollbar-size-vertical: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="reports")
        self.report = "calls"
        self.data: Any = None
        self.tables: list[Table] = []
        self.views: list[tuple[int, Groups]] = []  # (table, its columns on the screen) Ctrl+N goes through
        self.table_index = 0  # of the views
        self.choices: ReportChoices | None = None

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("reports")
        with Horizontal(classes="report-filters"):
            yield Select(_options(REPORTS), value="calls", allow_blank=False, compact=True, id="report")
            yield Select(_options(PERIODS), value="this_month", allow_blank=False, compact=True, id="period")
            yield Input(placeholder=_("From"), compact=True, id="from")
            yield Input(placeholder=_("To"), compact=True, id="to")
            yield Select(_options(STEPS), value="day", allow_blank=False, compact=True, id="step")
        with Horizontal(classes="report-filters"):
            yield Select([], prompt=_("Any desk"), compact=True, id="desk")
            yield Select([], prompt=_("Any employee"), compact=True, id="employee")
            yield Select([], prompt=_("Any campaign"), compact=True, id="campaign")
            yield Select([], prompt=_("Any channel"), compact=True, id="channel")
            yield Select(_options(FORMATS), value="xlsx", allow_blank=False, compact=True, id="format")
        yield ReportChart(self.app.plain, id="chart")  # type: ignore[attr-defined]
        yield Static("", id="table-title", markup=False)
        yield ReportTable(id="report-table")
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self._fill_period("this_month")
        self.query_one("#report", Select).focus()
        self.call(lambda console: console.report_choices(), self._got_choices, group="choices")
        self.load()

    def _got_choices(self, choices: ReportChoices) -> None:
        self.choices = choices
        self.query_one("#desk", Select).set_options([(d.name, d.id) for d in choices.desks])
        names = [(short_name(e.name), e.id) for e in choices.employees]
        self.query_one("#employee", Select).set_options(names)
        self.query_one("#campaign", Select).set_options([(c.name, c.id) for c in choices.campaigns])
        self.query_one("#channel", Select).set_options([(_(channel_label(c)), c) for c in choices.channels])

    # --- the filter -------------------------------------------------------------------------

    def _today(self) -> date:
        app = self.app
        return rules.local_today(app.clock.now(), app.settings.timezone)  # type: ignore[attr-defined]

    def _fill_period(self, quick: str) -> None:
        if quick == "custom":
            return
        start, end = rules.quick_period(quick, self._today())
        self.query_one("#from", Input).value = start.strftime("%d.%m.%Y")
        self.query_one("#to", Input).value = end.strftime("%d.%m.%Y")

    def _day(self, widget_id: str) -> date:
        from core.errors import ValidationFailed

        text = self.query_one(f"#{widget_id}", Input).value.strip()
        for parse in (date.fromisoformat, lambda t: date(int(t[6:10]), int(t[3:5]), int(t[0:2]))):
            try:
                return parse(text)
            except (ValueError, IndexError):
                continue
        raise ValidationFailed(_("Type the day as DD.MM.YYYY."), field="period")

    def _value(self, widget_id: str) -> Any:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else value

    def current_filter(self) -> ReportFilter:
        from core.errors import ValidationFailed

        start, end = self._day("from"), self._day("to")
        if end < start:
            raise ValidationFailed(_("The period ends before it starts."), field="period")
        return ReportFilter(
            start=start,
            end=end,
            granularity=self._value("step") or "day",
            desk_id=self._value("desk"),
            employee_id=self._value("employee"),
            campaign_id=self._value("campaign"),
            channel=self._value("channel"),
            success=self.app.settings.report_success or None,  # type: ignore[attr-defined]
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "format":
            return
        if event.select.id == "period":
            self._fill_period(str(event.value))
        if event.select.id == "report":
            self.report = str(event.value)
        if self.is_mounted:
            self.load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        period = self.query_one("#period", Select)
        if period.value != "custom":
            with self.prevent(Select.Changed):
                period.value = "custom"
        self.load()

    # --- loading and showing ----------------------------------------------------------------

    def load(self) -> None:
        try:
            flt = self.current_filter()
        except Exception as exc:  # noqa: BLE001 - a bad day typed: say so, keep the input
            self.show_error(exc)
            return
        name = self.report

        def job(console: Console) -> Any:
            return getattr(console, f"report_{name}")(flt)

        self.call(job, lambda data: self.show_report(name, data), group="report", spinner=self.query_one("#chart"))

    def show_report(self, name: str, data: Any) -> None:
        self.data, self.report = data, name
        self.tables = tables_of(name, data)
        self.views = [
            (n, page)
            for n, table in enumerate(self.tables)
            for page in pages([label for label, _kind in table.columns], self._cells(table), self._room(table))
        ]
        self.table_index = 0
        self._show_table()
        self._draw(name, data)
        self.status(self._summary(name, data))

    def _summary(self, name: str, data: Any) -> str:
        if name == "calls":
            t = data.total
            return _("{calls} calls, {reached} reached, {share} successful.").format(
                calls=t.calls, reached=t.reached, share=cell_text(t.share, "rate")
            )
        if name == "first_calls":
            return _("{n} new clients called; median {median}, 90% within {p90}; {not_called} not called yet.").format(
                n=data.total.clients,
                median=cell_text(data.total.median, "seconds"),
                p90=cell_text(data.total.p90, "seconds"),
                not_called=data.not_called,
            )
        if name == "periods":
            return _("{calls} calls and {new} new clients in the period.").format(
                calls=sum(r.calls for r in data.rows), new=sum(r.new_clients for r in data.rows)
            )
        if name == "sales":
            if not data.totals:
                return _("No deposits in the period.")
            return _("Deposits: {sums}.").format(sums=money_summary(data.totals, "total_count", "total_sum"))
        if name == "payments":
            if not data.totals:
                return _("No payments in the period.")
            main = next(t for t in data.totals if t.currency == main_currency(data.totals))
            text = _("{currency}: in {inflow} ({n_in}), out {outflow} ({n_out}).").format(
                currency=main.currency,
                inflow=money_text(main.deposit_sum),
                n_in=main.deposits,
                outflow=money_text(main.withdrawal_sum),
                n_out=main.withdrawals,
            )
            return text + (" " + _("Other currencies are in the table.") if len(data.totals) > 1 else "")
        t = data.total
        return _("{new} new clients, {product} with a product ({rate}).").format(
            new=t.new, product=t.product, rate=cell_text(t.overall_rate, "rate")
        )

    def _show_table(self) -> None:
        table = self.query_one("#report-table", ReportTable)
        table.clear(columns=True)
        if not self.views:
            return
        number, groups = self.views[self.table_index]
        shown = self.tables[number]
        more = f"  ({self.table_index + 1}/{len(self.views)})" if len(self.views) > 1 else ""
        self.query_one("#table-title", Static).update(_(shown.title) + more)
        headers, cells_shown, _width = shaped([label for label, _kind in shown.columns], self._cells(shown), groups)
        table.header_height = max((h.count("\n") + 1 for h in headers), default=1)
        for index, header in enumerate(headers):
            lines = [*header.split("\n"), *(line for r in cells_shown for line in r[index].split("\n"))]
            table.add_column(header, width=max(map(len, lines)))
        height = max(map(len, groups), default=1)
        for cells in cells_shown:
            table.add_row(*cells, height=height)

    def _room(self, shown: Table) -> int:
        """The table's width, less the vertical scroll bar when its rows (two header lines) overflow."""
        size = self.query_one("#report-table").size
        width, height = size.width or self.app.size.width, size.height or self.app.size.height
        return width - (1 if len(shown.rows) + 2 > height else 0)

    def _cells(self, shown: Table) -> list[list[str]]:
        rows = []
        for row in shown.rows:
            cells = [cell_text(v, k) for v, (_l, k) in zip(row, shown.columns, strict=True)]
            if shown.columns[0][1] == "text" and cells[0] and shown.columns[0][0] == "Channel":
                cells[0] = _(cells[0])
            if shown.columns[0][0] == "Employee" and str(row[0]) not in CORE_TEXTS:
                cells[0] = short_name(cells[0])  # the whole name is in the file; the table fits 80
            cells[0] = cells[0][:NAME_WIDTH]
            rows.append(cells)
        return rows

    def _draw(self, name: str, data: Any) -> None:
        chart = self.query_one("#chart", ReportChart)
        if name == "calls":
            chart.draw(
                "bar", _("Calls per employee"), [r.employee.split()[0] for r in data.rows], [r.calls for r in data.rows]
            )
        elif name == "first_calls":
            rows = data.by_employee
            chart.draw(
                "bar",
                _("Median time to the first call, minutes"),
                [r.group.split()[0] for r in rows],
                [round(r.median / 60, 1) for r in rows],
            )
        elif name == "periods":
            labels = [r.start.strftime("%d.%m") for r in data.rows]
            chart.draw("line", _("Calls by period"), labels, [r.calls for r in data.rows])
        elif name in ("sales", "payments"):
            currency = main_currency(data.totals) or ""
            rows = [r for r in data.rows if r.currency == currency]
            if name == "sales":
                title, labels = _("Deposits per employee, {currency}"), [r.employee.split()[0] for r in rows]
                values = [float(r.total_sum) for r in rows]
            else:
                title, labels = _("Deposits per payment system, {currency}"), [r.system for r in rows]
                values = [float(r.deposit_sum) for r in rows]
            chart.draw("bar", title.format(currency=currency), labels, values)
        else:
            steps = funnel_steps(data)
            chart.draw("bar", _("Funnel"), [_(label) for label, _n in steps], [n for _l, n in steps])

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            employee: EmployeeInfo | None = self.app.employee  # type: ignore[attr-defined]
            return employee is not None and Permission.EXPORT_REPORTS in employee.permissions
        return True

    def action_refresh(self) -> None:
        self.load()

    def action_next_table(self) -> None:
        if len(self.views) > 1:
            self.table_index = (self.table_index + 1) % len(self.views)
            self._show_table()

    def action_save(self) -> None:
        try:
            flt = self.current_filter()
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc)
            return
        name, fmt, lang = self.report, str(self._value("format") or "xlsx"), language()

        def job(console: Console) -> Path:  # the file's titles in the console's language
            file: ExportFile = console.export_report(name, flt, fmt, lang)
            target = Path.cwd() / file.filename
            target.write_bytes(file.content)
            return target

        self.call(job, lambda path: self.status(_("Saved {path}").format(path=path), "success"), group="save")

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]

    def palette_commands(self) -> list[Command]:
        commands: list[Command] = [(_("Refresh"), self.action_refresh, _("Compute the report again"))]
        if self.check_action("save", ()):
            commands.append((_("Save the file"), self.action_save, _("Save the report as the chosen file")))
        return commands
