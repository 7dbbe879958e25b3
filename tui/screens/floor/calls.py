"""From the floor: one employee's calls of today (Enter opens the card, with the usual rules), and
Administration over the floor (Escape comes back to it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from core.floor.rules import HIDDEN
from tui import format as fmt
from tui.i18n import N_, _
from tui.screens.admin.employees import SupervisorScreen
from tui.screens.base import CrmScreen
from tui.screens.floor.table import FloorTable
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from core.floor.models import FloorCall
    from core.port import Console

CALL_COLUMNS = (
    ("time", N_("Time"), 5),
    ("client", N_("Client"), 24),
    ("length", N_("Length"), 6),
    ("campaign", N_("Campaign"), 16),
    ("result", N_("Result"), 14),
)


class EmployeeCallsScreen(CrmScreen):
    PLACE = N_("Calls of today")
    CRM_HELP = N_("An employee's calls of today, newest first. Enter opens the client's card; Escape goes back.")
    BINDINGS = [
        Binding("enter", "open", N_("Card"), id="floor_calls.open", show=False),
        Binding("escape", "back", N_("Back"), id="floor_calls.back"),
    ]
    DEFAULT_CSS = """
    EmployeeCallsScreen #floor-calls { height: 1fr; }
    EmployeeCallsScreen #floor-calls-title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, employee_id: int, employee: str) -> None:
        super().__init__()
        self.employee_id = employee_id
        self.employee = employee
        self.calls: list[FloorCall] | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Calls of today: {name}").format(name=self.employee), id="floor-calls-title", markup=False)
        yield FloorTable(CALL_COLUMNS, id="floor-calls")
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#floor-calls", FloorTable).focus()
        employee_id = self.employee_id

        def job(console: Console) -> list[FloorCall]:
            return console.floor_calls(employee_id)

        self.call(job, self.show_calls, group="floor-calls")

    def show_calls(self, calls: list[FloorCall]) -> None:
        self.calls = calls
        zone = self.app.zone  # type: ignore[attr-defined]
        rows = [
            (
                str(c.contact_id),
                [
                    f"{c.at.astimezone(zone):%H:%M}",
                    _("hidden") if c.client == HIDDEN else c.client,
                    fmt.duration(c.seconds),
                    c.campaign or "",
                    fmt.result(c.result),
                ],
            )
            for c in calls
        ]
        self.query_one("#floor-calls", FloorTable).show_rows(rows)
        if not calls:
            self.status(_("No calls today."))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        key = self.query_one("#floor-calls", FloorTable).selected_key()
        chosen = next((c for c in self.calls or [] if str(c.contact_id) == key), None)
        if chosen is None or chosen.client == HIDDEN:
            return
        self.app.open_card(chosen.client_id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()


class AdministrationScreen(SupervisorScreen):
    """Administration opened from the floor: Escape returns to the floor."""

    def action_back(self) -> None:
        self.app.pop_screen()
