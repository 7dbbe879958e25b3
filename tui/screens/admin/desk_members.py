"""A desk's members (S4): who belongs to the desk, with their role, other desks and state; Enter
opens the employee form, where desks are given (an employee may belong to several)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from core.admin.inputs import EmployeeFilter
from core.admin.models import DeskLine, EmployeeLine
from tui.i18n import N_, _, ngettext
from tui.screens.admin.employee_form import EmployeeForm
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine


class DeskMembersScreen(CrmScreen):
    PLACE = N_("Desk members")
    CRM_HELP = N_("The employees of one desk. Enter changes the highlighted one (their desks too); Esc goes back.")
    BINDINGS = [
        Binding("enter", "edit", N_("Edit"), id="members.edit"),
        Binding("escape", "back", N_("Back"), id="members.back"),
    ]
    lines: list[EmployeeLine] = []

    def __init__(self, desk: DeskLine) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Desk {name}: members").format(name=self.desk.name), classes="dialog-title", markup=False)
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#members", DataTable).add_columns(_("Login"), _("Full name"), _("Role"), _("State"), _("Desks"))
        self.reload()

    def reload(self) -> None:
        flt = EmployeeFilter(desk_id=self.desk.id)
        self.call(lambda c: c.admin_employees(flt), self._show, group="admin-members")

    def _show(self, lines: list[EmployeeLine]) -> None:
        self.lines = lines
        table = self.query_one("#members", DataTable)
        row = table.cursor_row
        table.clear()
        for e in lines:
            state = _("active") if e.active else _("disabled")
            desks = ", ".join(d.name for d in e.desks)
            table.add_row(e.login, e.full_name, _(e.role_name), state, desks, key=str(e.id))
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        n = len(lines)
        self.status(ngettext("{n} employee on this desk.", "{n} employees on this desk.", n).format(n=n))
        table.focus()

    def action_edit(self) -> None:
        table = self.query_one("#members", DataTable)
        if not self.lines:
            return
        line = self.lines[min(table.cursor_row, len(self.lines) - 1)]

        def job(console: Any) -> tuple[Any, Any]:
            return console.admin_roles(), {d.id: d.name for d in console.admin_desks()}

        def opened(found: tuple[Any, Any]) -> None:
            def closed(saved: bool | None) -> None:
                if saved:
                    self.status(_("Saved."))
                    self.reload()

            self.app.push_screen(EmployeeForm(found[0], found[1], line), closed)

        self.call(job, opened, group="admin-form")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        self.app.pop_screen()
