"""Desks (S4): the list with how many employees each has and their time zone; N creates one, Enter
renames, Z changes the time zone, M lists its members, G the regions and their zones. Desks are given
in the employee form (an employee may belong to several desks)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Static

from core.admin.models import DeskLine
from tui.i18n import N_, _
from tui.screens.admin.forms import AdminForm
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine


class DeskForm(AdminForm):
    PLACE = N_("Desk")
    CRM_HELP = N_("The desk's name; Ctrl+S saves after you confirm.")
    FIELDS = {"name": "name"}

    def __init__(self, line: DeskLine | None) -> None:
        super().__init__()
        self.line = line
        self.TITLE = N_("Rename desk") if line else N_("New desk")

    def fields(self) -> ComposeResult:
        yield Label(_("Name"))
        yield Input(self.line.name if self.line else "", id="name", max_length=100)

    def changes(self) -> list[str]:
        new = self.query_one("#name", Input).value.strip()
        old = self.line.name if self.line else ""
        return [_("Desk") + f": {old or '-'} -> {new or '-'}"] if new != old else []

    def save(self, console: Any) -> object:
        name = self.query_one("#name", Input).value
        return console.rename_desk(self.line.id, name) if self.line else console.add_desk(name)


class DesksScreen(CrmScreen):
    PLACE = N_("Desks")
    CRM_HELP = N_(
        "Desks: groups of employees and their clients. N creates one, Enter renames, Z changes the time "
        "zone of its clients' calling hours, M lists its members, G lists the regions and their time zones."
    )
    BINDINGS = [
        Binding("enter", "edit", N_("Rename"), id="desks.edit"),
        Binding("n", "new", N_("New"), id="desks.new"),
        Binding("m", "members", N_("Members"), id="desks.members"),
        Binding("z", "zone", N_("Time zone"), id="desks.zone"),
        Binding("g", "regions", N_("Regions"), id="desks.regions"),
        Binding("escape", "back", N_("Back"), id="desks.back"),
    ]
    lines: list[DeskLine] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Administration: desks"), classes="dialog-title", markup=False)
        yield DataTable(id="desks", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#desks", DataTable).add_columns(_("Desk"), _("Employees"), _("Time zone"))
        self.reload()

    def on_screen_resume(self) -> None:
        if self.lines:  # back from the members: someone may have moved
            self.reload()

    def reload(self) -> None:
        self.call(lambda c: c.admin_desks(), self._show, group="admin-desks")

    def _show(self, lines: list[DeskLine]) -> None:
        self.lines = lines
        table = self.query_one("#desks", DataTable)
        table.clear()
        for d in lines:
            table.add_row(d.name, str(d.members), d.timezone or "-", key=str(d.id))
        table.focus()

    def _form_closed(self, saved: bool | None) -> None:
        if saved:
            self.status(_("Saved."))
            self.reload()

    def action_edit(self) -> None:
        table = self.query_one("#desks", DataTable)
        if self.lines:
            self.app.push_screen(DeskForm(self.lines[min(table.cursor_row, len(self.lines) - 1)]), self._form_closed)

    def action_members(self) -> None:
        from tui.screens.admin.desk_members import DeskMembersScreen

        table = self.query_one("#desks", DataTable)
        if self.lines:
            self.app.push_screen(DeskMembersScreen(self.lines[min(table.cursor_row, len(self.lines) - 1)]))

    def action_zone(self) -> None:
        from tui.screens.admin.zones import ZoneForm

        table = self.query_one("#desks", DataTable)
        if self.lines:
            self.app.push_screen(ZoneForm(self.lines[min(table.cursor_row, len(self.lines) - 1)]), self._form_closed)

    def action_regions(self) -> None:
        from tui.screens.admin.zones import RegionsScreen

        self.app.push_screen(RegionsScreen())

    def action_new(self) -> None:
        self.app.push_screen(DeskForm(None), self._form_closed)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        self.app.pop_screen()
