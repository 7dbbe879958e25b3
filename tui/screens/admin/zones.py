"""The time zones of desks and regions (K16: their clients' calling hours follow them): the form
(an IANA name, e.g. Asia/Omsk; empty gives the zone back to the console's) and the regions list
(Enter changes the highlighted region's zone). Confirm, 409 with both values, audit: as the others."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Static

from core.admin.inputs import ZoneEdit
from core.admin.models import DeskLine, RegionLine
from tui.i18n import N_, _
from tui.screens.admin.forms import AdminForm, change_lines
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine


class ZoneForm(AdminForm):
    PLACE = N_("Time zone")
    CRM_HELP = N_(
        "The IANA time zone of the clients' calling hours, e.g. Europe/Moscow or Asia/Omsk; empty: the "
        "console's zone (for a region: its desk's). Ctrl+S saves after you confirm."
    )
    FIELDS = {"timezone": "timezone"}

    def __init__(self, line: DeskLine | RegionLine) -> None:
        super().__init__()
        self.line = line
        self.TITLE = N_("Desk time zone") if isinstance(line, DeskLine) else N_("Region time zone")

    def fields(self) -> ComposeResult:
        yield Label(self.line.name, markup=False)
        yield Label(_("Time zone (IANA, e.g. Asia/Omsk)"))
        yield Input(self.line.timezone or "", id="timezone", max_length=64)

    def _state(self) -> dict[str, Any]:
        return {"timezone": self.query_one("#timezone", Input).value.strip() or None}

    def fields_of(self, line: DeskLine | RegionLine | None) -> dict[str, Any]:
        return {"timezone": line.timezone if line is not None else None}

    def changes(self) -> list[str]:
        return change_lines(self._before(), self._state())

    def save(self, console: Any) -> object:
        edit = ZoneEdit(timezone=self._state()["timezone"], expected_version=self.line.version)
        if isinstance(self.line, DeskLine):
            return console.set_desk_timezone(self.line.id, edit)
        return console.set_region_timezone(self.line.id, edit)

    def current(self, console: Any) -> DeskLine | RegionLine | None:
        lines = console.admin_desks() if isinstance(self.line, DeskLine) else console.admin_regions()
        return next((x for x in lines if x.id == self.line.id), None)


class RegionsScreen(CrmScreen):
    PLACE = N_("Regions")
    CRM_HELP = N_("Regions and the time zone of their clients' calling hours. Enter changes the highlighted one's.")
    BINDINGS = [
        Binding("enter", "edit", N_("Time zone"), id="regions.edit"),
        Binding("escape", "back", N_("Back"), id="regions.back"),
    ]
    lines: list[RegionLine] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Administration: regions"), classes="dialog-title", markup=False)
        yield DataTable(id="regions", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#regions", DataTable).add_columns(_("Region"), _("Time zone"))
        self.reload()

    def reload(self) -> None:
        self.call(lambda c: c.admin_regions(), self._show, group="admin-regions")

    def _show(self, lines: list[RegionLine]) -> None:
        self.lines = lines
        table = self.query_one("#regions", DataTable)
        row = table.cursor_row
        table.clear()
        for r in lines:
            table.add_row(r.name, r.timezone or "-", key=str(r.id))
        table.move_cursor(row=min(row, len(lines) - 1))
        table.focus()

    def _form_closed(self, saved: bool | None) -> None:
        if saved:
            self.status(_("Saved."))
            self.reload()

    def action_edit(self) -> None:
        table = self.query_one("#regions", DataTable)
        if self.lines:
            self.app.push_screen(ZoneForm(self.lines[min(table.cursor_row, len(self.lines) - 1)]), self._form_closed)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        self.app.pop_screen()
