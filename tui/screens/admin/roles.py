"""Roles (S3): the list; Enter edits name, permissions (each explained), masking and read-only;
N creates one as a copy of the highlighted role; Delete removes a role nobody has."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Select, SelectionList, Static

from core.admin.inputs import NewRole, RoleEdit
from core.admin.models import PermissionInfo, RoleLine
from tui.i18n import N_, _
from tui.screens.admin.forms import ROLE_MASK_CHOICES, AdminForm, change_lines, run_change
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine
from tui.widgets.ticks import Tick, TickList


def _mask(value: bool | None) -> str:
    return "default" if value is None else ("masked" if value else "shown")


class RoleForm(AdminForm):
    PLACE = N_("Role")
    CRM_HELP = N_("Space ticks a permission; Tab moves on; Ctrl+S saves after you confirm the changes.")
    FIELDS = {"name": "name", "code": "code", "permissions": "permissions"}

    def __init__(self, permissions: list[PermissionInfo], line: RoleLine, copy: bool = False) -> None:
        super().__init__()
        self.permissions, self.line, self.copy = permissions, line, copy
        self.TITLE = N_("New role (a copy)") if copy else N_("Edit role")

    def fields(self) -> ComposeResult:
        line = self.line
        if self.copy:
            yield Label(_("Code (latin letters, e.g. junior_operator)"))
            yield Input(id="code", max_length=32)
        yield Label(_("Name"))
        yield Input(_(line.name) if not self.copy else "", id="name", max_length=100)
        yield Label(_("Permissions"))
        yield TickList(
            *[(_(p.text) + f" ({p.code})", p.code, p.code in line.permissions) for p in self.permissions],  # type: ignore[misc]
            id="permissions",
        )
        for field, label in (("phone", N_("Phone")), ("email", N_("E-mail")), ("country", N_("Country"))):
            yield Label(_("Mask: {field}").format(field=_(label)))
            choices = [(_(text), code) for code, text in ROLE_MASK_CHOICES]
            yield Select(choices, value=_mask(getattr(line, f"mask_{field}")), id=f"mask_{field}", allow_blank=False,
                         compact=True)  # fmt: skip
        yield Tick(_("Read-only: no editing of client data"), line.read_only, id="read_only", compact=True)

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted) -> None:
        found = next((p for p in self.permissions if p.code == event.selection.value), None)
        if found is not None:
            self.note(_(found.text) + f" ({found.code})")  # in full: the list's row may be cut

    def _state(self) -> dict[str, Any]:
        return {
            "name": self.query_one("#name", Input).value.strip(),
            "permissions": sorted(self.query_one("#permissions", SelectionList).selected),
            **{f"mask_{f}": str(self.query_one(f"#mask_{f}", Select).value) for f in ("phone", "email", "country")},
            "read_only": self.query_one("#read_only", Tick).value,
        }

    def fields_of(self, line: RoleLine) -> dict[str, Any]:
        return {
            "name": "" if self.copy else _(line.name), "permissions": sorted(line.permissions),
            **{f"mask_{f}": _mask(getattr(line, f"mask_{f}")) for f in ("phone", "email", "country")},
            "read_only": line.read_only,
        }  # fmt: skip

    def changes(self) -> list[str]:
        state = self._state()
        if self.copy:
            return [_("Code") + f": {self.query_one('#code', Input).value.strip() or '-'}", *change_lines({}, state)]
        return change_lines(self._before(), state)

    def save(self, console: Any) -> object:
        state = self._state()
        if self.copy:
            code = self.query_one("#code", Input).value.strip()
            role = console.add_role(NewRole(code=code, name=state["name"], copy_from=self.line.code))
            values = {k: v for k, v in state.items() if k != "name"}
            return console.edit_role(role.id, RoleEdit(expected_version=role.version, **values))
        before = self._before()
        values = {k: v for k, v in state.items() if before.get(k) != v}
        return console.edit_role(self.line.id, RoleEdit(expected_version=self.line.version, **values))

    def current(self, console: Any) -> RoleLine | None:
        if self.copy:
            return None
        return next((r for r in console.admin_roles() if r.id == self.line.id), None)


class RolesScreen(CrmScreen):
    PLACE = N_("Roles")
    CRM_HELP = N_(
        "Roles and their permissions. Enter edits, N copies the highlighted role, Delete removes an unused one."
    )
    BINDINGS = [
        Binding("enter", "edit", N_("Edit"), id="roles.edit"),
        Binding("n", "copy", N_("Copy"), id="roles.copy"),
        Binding("delete", "delete", N_("Delete"), id="roles.delete"),
        Binding("escape", "back", N_("Back"), id="roles.back"),
    ]
    lines: list[RoleLine] = []

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(_("Administration: roles"), classes="dialog-title", markup=False)
        yield DataTable(id="roles", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#roles", DataTable).add_columns(_("Code"), _("Name"), _("Employees"), _("Permissions"))
        self.reload()

    def reload(self) -> None:
        self.call(lambda c: (c.admin_roles(), c.admin_permissions()), self._show, group="admin-roles")

    def _show(self, found: tuple[list[RoleLine], list[PermissionInfo]]) -> None:
        self.lines, self.permissions = found
        table = self.query_one("#roles", DataTable)
        row = table.cursor_row
        table.clear()
        for r in self.lines:
            table.add_row(r.code, _(r.name), str(r.members), str(len(r.permissions)), key=str(r.id))
        if self.lines:
            table.move_cursor(row=min(row, len(self.lines) - 1))
        table.focus()

    def _current(self) -> RoleLine | None:
        table = self.query_one("#roles", DataTable)
        return self.lines[min(table.cursor_row, len(self.lines) - 1)] if self.lines else None

    def _form(self, copy: bool) -> None:
        line = self._current()
        if line is not None:
            self.app.push_screen(RoleForm(self.permissions, line, copy), self._form_closed)

    def _form_closed(self, saved: bool | None) -> None:
        if saved:
            self.status(_("Saved."))
            self.reload()

    def action_edit(self) -> None:
        self._form(copy=False)

    def action_copy(self) -> None:
        self._form(copy=True)

    def action_delete(self) -> None:
        line = self._current()
        if line is None:
            return
        question = _("Delete the role {code}?").format(code=line.code)

        def done(_result: object) -> None:
            self.status(_("Deleted."))
            self.reload()

        run_change(self, question, _(line.name), lambda c: c.delete_role(line.id, line.version), done)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        self.app.pop_screen()
