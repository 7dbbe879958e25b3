"""F6 — "My work" (issue 12): today for me in one list — overdue and due-today actions, call-backs
I promised, my tasks and those to check, my clients online now; each section with its count.
Enter opens the client's card (a task: the Tasks place), C starts the call from the card's path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui import format as fmt
from tui.bindings import localize_bindings
from tui.i18n import N_, _
from tui.screens.base import CrmScreen
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.mywork.models import MyWork, WorkItem
    from core.port import Console

SECTION_TITLES = {
    "overdue": N_("Overdue"),
    "today": N_("Due today"),
    "callbacks": N_("Call-backs"),
    "tasks": N_("My tasks"),
    "to_check": N_("To check"),
    "online": N_("Online now"),
}


class WorkTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self) -> None:
        super().__init__(id="work-table", cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


class MyWorkScreen(CrmScreen):
    PLACE = N_("My work")
    CRM_HELP = N_(
        "My work: today for me. Overdue and due actions, the call-backs I promised, my tasks and "
        "those waiting for my check, my clients online now; each section with its count. Enter "
        "opens the client's card (on a task: the Tasks place), C calls the client, T opens Tasks."
    )
    FIELD_HELP = {"work-table": N_("Arrows move; the digits 1 to 6 jump to a section.")}
    BINDINGS = [
        Binding("enter", "open", N_("Open"), id="mywork.open"),
        Binding("c", "call", N_("Call"), id="mywork.call"),
        Binding("t", "tasks", N_("Tasks"), id="mywork.tasks"),
        Binding("ctrl+r", "reload", N_("Refresh"), id="mywork.reload"),
        *(
            Binding(str(n), f"section({n - 1})", N_("Section"), id=f"mywork.section_{n}", show=False)
            for n in range(1, 7)
        ),
        Binding("escape", "back", N_("Back"), id="mywork.back", show=False),
    ]
    DEFAULT_CSS = """
    MyWorkScreen #work-day { height: 1; padding: 0 1; }
    MyWorkScreen #work-table { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.work: MyWork | None = None
        self.rows: list[WorkItem | None] = []  # per table row: its item (None: a section's line)
        self.starts: list[int] = []  # the row of each section's line

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("my_work")
        yield Static("", id="work-day", markup=False)
        yield WorkTable()
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        table = self.query_one(WorkTable)
        table.add_column(_("When"), width=12, key="at")
        table.add_column(_("What"), width=26, key="what")
        table.add_column(_("Client"), width=34, key="client")
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        zone = self.app.zone.key  # type: ignore[attr-defined]

        def job(console: Console) -> MyWork:
            return console.my_work(zone)

        self.call(job, self._show, group="my-work", spinner=self.query_one(WorkTable))

    def _show(self, work: MyWork) -> None:
        self.work = work
        table = self.query_one(WorkTable)
        keep = table.cursor_row
        table.clear()
        self.rows, self.starts = [], []
        zone = self.app.zone  # type: ignore[attr-defined]
        total = 0
        for n, section in enumerate(work.sections, 1):
            self.starts.append(len(self.rows))
            title = _(SECTION_TITLES[section.section]) + f" · {section.count}"
            table.add_row(f"{n} ──────────", title, "", key=f"s{n}")
            self.rows.append(None)
            total += section.count
            for item in section.items:
                when = self._when(item, zone)
                table.add_row(when, self._what(item), item.client or "", key=f"r{len(self.rows)}")
                self.rows.append(item)
            if section.count > len(section.items):
                more = _("… {n} more").format(n=section.count - len(section.items))
                table.add_row("", more, "", key=f"m{len(self.rows)}")
                self.rows.append(None)
        day = fmt.day(work.day)
        line = (
            _("Today, {day}: {n} to do").format(day=day, n=total)
            if total
            else _("Today, {day}: nothing to do").format(day=day)
        )
        self.query_one("#work-day", Static).update(line)
        first = next((i for i, item in enumerate(self.rows) if item is not None), 0)
        table.move_cursor(row=keep if 0 < keep < len(self.rows) and self.rows[keep] else first)

    def _when(self, item: WorkItem, zone) -> str:  # type: ignore[no-untyped-def]
        """The time alone today, with the date on another day; overdue ones marked with !."""
        mark = "!" if item.overdue else " "
        if item.at is None or item.kind == "client":  # online: now, whatever the mark's expiry
            return mark
        local = item.at.astimezone(zone)
        today = self.work is not None and local.date() == self.work.day
        return mark + local.strftime("%H:%M" if today else "%d.%m %H:%M")

    @staticmethod
    def _what(item: WorkItem) -> str:
        if item.kind == "client":
            return _("online")
        if item.kind == "task" and item.returned:
            return item.title + " · " + _("returned")
        return item.title

    def _current(self) -> WorkItem | None:
        table = self.query_one(WorkTable)
        row = table.cursor_row
        return self.rows[row] if self.rows and row is not None and 0 <= row < len(self.rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self._current()
        if item is None:
            self.status(_("Choose a line of a section."), "error")
        elif item.client_id is None:
            self.action_tasks()
        else:
            self.app.open_card(item.client_id)  # type: ignore[attr-defined]

    def action_call(self) -> None:
        """The call through the card's own path (tui.call_from_card): the client's campaigns first."""
        item = self._current()
        if item is None or item.client_id is None:
            self.status(_("Choose a client's line to call."), "error")
            return
        client_id = item.client_id

        def got(card: ClientCard) -> None:
            from tui.call_from_card import start_from_card

            start_from_card(self, card, lambda _session: self.action_reload())

        self.call(lambda console: console.open_card(client_id, 1), got, group="my-work-call")

    def action_tasks(self) -> None:
        self.app.action_go("tasks")  # type: ignore[attr-defined]

    def action_section(self, index: int) -> None:
        if 0 <= index < len(self.starts):
            start = self.starts[index]
            table = self.query_one(WorkTable)
            has_item = start + 1 < len(self.rows) and self.rows[start + 1] is not None
            table.move_cursor(row=start + 1 if has_item else start)

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]
