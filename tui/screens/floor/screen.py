"""F5 — the live floor: every signed-in employee of my desks (state, today's figures), every
campaign of my desks (the list's health, dialled today) and today's calls per hour. It reads the
whole floor in one Console call every few seconds and updates the tables in place: no flicker,
the selected row stays. Enter lists the employee's calls of today; A opens Administration, C the
campaigns and I the import (each with its permission)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from core.access.rules import Permission
from core.floor.rules import HIDDEN, REFRESH_SECONDS
from tui import format as fmt
from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen
from tui.screens.floor.table import FloorTable
from tui.widgets.floor_chart import HourChart
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.floor.models import Floor, FloorCampaign, FloorEmployee
    from core.port import Console

STATES = {"call": N_("call"), "form": N_("form"), "idle": N_("idle")}
# (key, msgid, width): 80 columns hold them with the cells' padding and a vertical scroll bar;
# every title fits its width in each language (tests/tui/test_floor.py), the short ones are
# spelled out in the legend under the tables
EMPLOYEE_COLUMNS = (
    ("name", N_("Employee"), 13),
    ("state", N_("Now"), 11),
    ("client", N_("Client"), 10),
    ("calls", N_("Calls"), 6),
    ("reached", N_("Reach"), 5),
    ("agreed", N_("Agr."), 5),
    ("average", N_("Avg"), 5),
    ("last", N_("Last"), 7),
)
CAMPAIGN_COLUMNS = (
    ("name", N_("Campaign"), 19),
    ("due", N_("Call-backs"), 10),
    ("fresh", N_("Fresh"), 6),
    ("retries", N_("Retries"), 7),
    ("exhausted", N_("Exhausted"), 9),
    ("dnd", N_("DND"), 5),
    ("today", N_("Today"), 7),
)
LEGENDS = {
    "floor-employees": N_("Reach: reached %, Agr.: agreed, Avg: average talk, Last: the last result"),
    "floor-campaigns": N_("Call-backs due now; DND: do-not-disturb clients on the list; Today: calls"),
}
# the floor's keys to other screens: action -> the permission they need
FLOOR_PLACES = {"campaigns": Permission.MANAGE_CAMPAIGNS, "import_clients": Permission.IMPORT_CLIENTS}
NO_FLOOR = N_("Your role may not see the floor.")
ADMIN_HINT = N_("Press A for Administration.")


def state_text(e: FloorEmployee, zone: tzinfo) -> str:
    """ "call 03:12", "form 00:40", "idle 11:42" (since that local time)."""
    if e.state == "idle":
        return _(STATES["idle"]) + f" {e.since.astimezone(zone):%H:%M}"
    minutes, seconds = divmod(e.seconds, 60)
    return _(STATES[e.state]) + f" {minutes:02d}:{seconds:02d}"


def employee_cells(e: FloorEmployee, zone: tzinfo) -> list[str]:
    client = e.client or ""
    widths = {key: width for key, _label, width in EMPLOYEE_COLUMNS}
    return [
        fmt.short_name(e.employee, widths["name"]),
        state_text(e, zone),
        _("hidden") if client == HIDDEN else fmt.short_name(client, widths["client"]),
        str(e.calls),
        f"{e.reached_rate * 100:.0f}%",
        str(e.agreed),
        fmt.duration(round(e.talk_average)),
        fmt.result(e.last_result),
    ]


def campaign_cells(c: FloorCampaign) -> list[str]:
    name = c.campaign if c.active else _("{name} (paused)").format(name=c.campaign)
    return [name, str(c.callbacks_due), str(c.fresh), str(c.retries), str(c.exhausted), str(c.do_not_disturb),
            str(c.dialled_today)]  # fmt: skip


class FloorScreen(CrmScreen):
    PLACE = N_("Floor")
    PLACE_KEY = "supervisor"
    CRM_HELP = N_(
        "The live floor: who of your desks is signed in, in a call (with whom, for how long), in the "
        "result form or idle since when, and their calls today; below, each campaign's list and "
        "today's calls per hour. It refreshes by itself. Enter lists the employee's calls of today, "
        "Tab moves to the campaigns (the chart follows the campaign), A opens Administration, C the "
        "Campaigns screen and I the import of clients (each with its permission)."
    )
    FIELD_HELP = {
        "floor-employees": N_("Enter: the employee's calls of today."),
        "floor-campaigns": N_("The chart shows the calls per hour of the selected campaign."),
    }
    BINDINGS = [
        Binding("enter", "open", N_("Calls"), id="floor.open", show=False),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="floor.refresh"),
        Binding("a", "administration", N_("Administration"), id="floor.admin"),
        Binding("c", "campaigns", N_("Campaigns"), id="floor.campaigns"),
        Binding("i", "import_clients", N_("Import"), id="floor.import"),
        Binding("escape", "back", N_("Back"), id="floor.back"),
    ]
    DEFAULT_CSS = """
    FloorScreen #floor-employees { height: 1fr; min-height: 4; }
    FloorScreen #floor-campaigns { height: 5; }
    FloorScreen #floor-legend { height: 1; padding: 0 1; color: $text-muted; }
    FloorScreen #floor-note { padding: 1 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="floor")
        self.data: Floor | None = None
        self.refreshes = 0  # floors shown so far

    @property
    def allowed(self) -> bool:
        return Permission.VIEW_FLOOR in self._permissions()

    def _permissions(self) -> list[str]:
        return list(getattr(getattr(self.app, "employee", None), "permissions", None) or [])

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar(self.PLACE_KEY)
        if self.allowed:
            yield FloorTable(EMPLOYEE_COLUMNS, id="floor-employees")
            yield FloorTable(CAMPAIGN_COLUMNS, id="floor-campaigns")
            yield Static(_(LEGENDS["floor-employees"]), id="floor-legend", markup=False)
            yield HourChart(self.app.plain, id="floor-hours")  # type: ignore[attr-defined]
        else:
            note = _(NO_FLOOR)
            if Permission.MANAGE_USERS in self._permissions():
                note += " " + _(ADMIN_HINT)
            yield Static(note, id="floor-note", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        if self.allowed:
            self.query_one("#floor-employees", FloorTable).focus()
            self.load()
            self.set_interval(REFRESH_SECONDS, self._tick)

    # --- reading and showing -------------------------------------------------------------------

    def load(self) -> None:
        if not self.allowed or not self.is_attached:
            return

        def job(console: Console) -> Floor:
            return console.floor()

        self.call(job, self.show_floor, group="floor")

    def _tick(self) -> None:
        if self.is_current:  # another place or a screen over the floor: no reads meanwhile
            self.load()

    def show_floor(self, floor: Floor) -> None:
        self.data = floor
        zone = self.app.zone  # type: ignore[attr-defined]
        employees = self.query_one("#floor-employees", FloorTable)
        employees.show_rows([(str(e.employee_id), employee_cells(e, zone)) for e in floor.employees])
        self.query_one("#floor-campaigns", FloorTable).show_rows(
            [(str(c.campaign_id), campaign_cells(c)) for c in floor.campaigns]
        )
        self._draw_hours()
        self.refreshes += 1

    def _draw_hours(self) -> None:
        floor = self.data
        if floor is None:
            return
        campaigns = self.query_one("#floor-campaigns", FloorTable)
        key = campaigns.selected_key() if campaigns.has_focus else None
        chosen = next((c for c in floor.campaigns if str(c.campaign_id) == key), None)
        plain = bool(self.app.plain)  # type: ignore[attr-defined]
        title, hours = (
            (fmt.fit(chosen.campaign, 18, plain), chosen.hours) if chosen else (_("All campaigns"), floor.hours)
        )
        self.query_one("#floor-hours", HourChart).draw(title, hours, self._hour(floor.at))

    def _hour(self, at: datetime) -> int:
        return at.astimezone(self.app.zone).hour  # type: ignore[attr-defined]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "floor-campaigns":
            self._draw_hours()

    def on_descendant_focus(self) -> None:
        if self.allowed:
            self._draw_hours()
            focused = self.focused.id if self.focused is not None else None
            if focused in LEGENDS:
                self.query_one("#floor-legend", Static).update(_(LEGENDS[focused]))

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "administration":
            return Permission.MANAGE_USERS in self._permissions()
        if action in ("open", "refresh"):
            return self.allowed
        if action in FLOOR_PLACES:
            return FLOOR_PLACES[action] in self._permissions()
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "floor-employees":
            self.action_open()

    def action_open(self) -> None:
        if not self.allowed or self.data is None:
            return
        key = self.query_one("#floor-employees", FloorTable).selected_key()
        chosen = next((e for e in self.data.employees if str(e.employee_id) == key), None)
        if chosen is None:
            return
        from tui.screens.floor.calls import EmployeeCallsScreen

        self.app.push_screen(EmployeeCallsScreen(chosen.employee_id, chosen.employee))

    def action_refresh(self) -> None:
        self.load()

    def action_administration(self) -> None:
        if Permission.MANAGE_USERS not in self._permissions():
            self.status(_("Administration needs the user management permission."), "error")
            return
        from tui.screens.floor.calls import AdministrationScreen

        self.app.push_screen(AdministrationScreen())

    def action_campaigns(self) -> None:
        if Permission.MANAGE_CAMPAIGNS in self._permissions():
            self.app.action_campaigns()  # type: ignore[attr-defined]

    def action_import_clients(self) -> None:
        if Permission.IMPORT_CLIENTS in self._permissions():
            self.app.action_import_clients()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]

    def palette_commands(self) -> list[Command]:
        return [
            (_("Refresh the floor"), self.action_refresh, _("Read the floor again now.")),
            (_("Administration"), self.action_administration, _("Employees, roles, desks, the audit log.")),
        ]
