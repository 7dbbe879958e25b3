"""F5 Supervisor: the Administration part (with `manage_users`): the employees, and the way to
roles (R), desks (K) and the audit log (A); F filters the list by desk, role and state. Without the permission, what the place will hold."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Static

from core.access.rules import Permission
from core.admin.inputs import ActiveEdit, EmployeeFilter, PasswordReset, SecondFactorEdit
from core.admin.models import EmployeeLine
from tui.dialogs.message import MessageDialog
from tui.i18n import N_, _
from tui.qr import qr_lines
from tui.screens.admin.employee_filter import EmployeeFilterDialog, describe
from tui.screens.admin.employee_form import EmployeeForm
from tui.screens.admin.forms import AdminForm, run_change
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

PLACEHOLDER = N_(
    "Supervisor: employees, desks, roles, saved views, tasks and reports come with later issues. "
    "Until then use the 'crm users' command line."
)


class PasswordForm(AdminForm):
    PLACE = N_("Reset password")
    CRM_HELP = N_("A temporary password: the employee's sessions end and they choose their own at the next sign-in.")
    TITLE = N_("Reset password")
    FIELDS = {"password": "password"}

    def __init__(self, line: EmployeeLine) -> None:
        super().__init__()
        self.line = line

    def fields(self) -> ComposeResult:
        yield Label(_("Temporary password for {login}").format(login=self.line.login))
        yield Input(id="password", password=True, max_length=200)

    def changes(self) -> list[str]:
        return [_("Password of {login}: a temporary one, to change at the next sign-in").format(login=self.line.login)]

    def save(self, console: Any) -> object:
        password = self.query_one("#password", Input).value
        return console.reset_password(
            self.line.id, PasswordReset(password=password, expected_version=self.line.version)
        )


class SupervisorScreen(CrmScreen):
    PLACE = N_("Supervisor")
    PLACE_KEY = "supervisor"
    CRM_HELP = N_(
        "Administration: the employees. Enter edits, N adds, D disables or enables, P resets the password, "
        "U unlocks, T switches SMS and TOTP; F filters by desk, role and state; R roles, K desks, A the audit log."
    )
    BINDINGS = [
        Binding("enter", "edit", N_("Edit"), id="admin.edit"),
        Binding("n", "new", N_("New"), id="admin.new"),
        Binding("d", "toggle_active", N_("Disable/enable"), id="admin.active"),
        Binding("p", "password", N_("Password"), id="admin.password"),
        Binding("u", "unlock", N_("Unlock"), id="admin.unlock"),
        Binding("t", "second_factor", N_("SMS/TOTP"), id="admin.totp"),
        Binding("f", "filter", N_("Filter"), id="admin.filter"),
        Binding("r", "roles", N_("Roles"), id="admin.roles"),
        Binding("k", "desks", N_("Desks"), id="admin.desks"),
        Binding("a", "audit", N_("Audit"), id="admin.audit"),
        Binding("escape", "back", N_("Back"), id="admin.back"),
    ]

    DEFAULT_CSS = "SupervisorScreen #employee-detail { padding: 0 1; height: auto; }"
    lines: list[EmployeeLine] = []
    flt = EmployeeFilter()
    filtered = ""  # what the filter keeps, for the title line ("" = everyone)

    @property
    def allowed(self) -> bool:
        employee = getattr(self.app, "employee", None)
        return Permission.MANAGE_USERS in (getattr(employee, "permissions", None) or [])

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar(self.PLACE_KEY)
        if self.allowed:
            yield Static(_("Administration: employees"), id="employees-title", classes="dialog-title", markup=False)
            yield DataTable(id="employees", cursor_type="row", zebra_stripes=True)
            yield Static("", id="employee-detail", markup=False)  # the highlighted one in full
        else:
            yield Static(_(PLACEHOLDER), classes="place-text", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        if self.allowed:
            table = self.query_one("#employees", DataTable)
            table.add_columns(_("Login"), _("Full name"), _("Role"), _("State"), _("Desks"))
            self.reload()

    def on_screen_resume(self) -> None:
        if self.allowed and self.lines:
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action == "back" or self.allowed

    def reload(self) -> None:
        flt = self.flt
        self.call(lambda c: c.admin_employees(flt), self._show, group="admin-employees")

    def _show(self, lines: list[EmployeeLine]) -> None:
        self.lines = lines
        table = self.query_one("#employees", DataTable)
        row = table.cursor_row
        table.clear()
        for e in lines:
            state = _("active") if e.active else _("disabled")
            if e.must_change_password:
                state += " *"
            table.add_row(e.login, e.full_name, e.role, state, ", ".join(d.name for d in e.desks), key=str(e.id))
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        elif self.filtered:
            self.query_one("#employee-detail", Static).update("")
            self.status(_("No employee matches the filter."))
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        line = next((e for e in self.lines if str(e.id) == event.row_key.value), None)
        if line is not None:
            desks = ", ".join(d.name for d in line.desks) or "-"
            self.query_one("#employee-detail", Static).update(
                f"{line.login}: " + _(line.role_name) + " · " + _("Desks") + f": {desks}"
            )

    def _current(self) -> EmployeeLine | None:
        table = self.query_one("#employees", DataTable)
        if not self.lines or table.cursor_row < 0:
            return None
        return self.lines[min(table.cursor_row, len(self.lines) - 1)]

    def _changed(self, message: str) -> None:
        self.status(message)
        self.reload()

    def _open_form(self, line: EmployeeLine | None) -> None:
        def job(console: Any) -> tuple[Any, Any]:
            return console.admin_roles(), {d.id: d.name for d in console.admin_desks()}

        def opened(found: tuple[Any, Any]) -> None:
            form = EmployeeForm(found[0], found[1], line)

            def closed(saved: bool | None) -> None:
                if saved:
                    self._changed(_("Saved."))
                    self._show_totp(getattr(form.result, "provisioning_uri", None))

            self.app.push_screen(form, closed)

        self.call(job, opened, group="admin-form")

    def action_edit(self) -> None:
        line = self._current()
        if line is not None:
            self._open_form(line)

    def action_new(self) -> None:
        self._open_form(None)

    def action_toggle_active(self) -> None:
        line = self._current()
        if line is None:
            return
        edit = ActiveEdit(active=not line.active, expected_version=line.version)
        question = (_("Enable {login}?") if edit.active else _("Disable {login}? Their sessions end.")).format(
            login=line.login
        )
        details = (
            _("Active")
            + ": "
            + (_("no") if edit.active else _("yes"))
            + " -> "
            + (_("yes") if edit.active else _("no"))
        )
        run_change(
            self,
            question,
            details,
            lambda c: c.set_employee_active(line.id, edit),
            lambda _r: self._changed(_("Saved.")),
        )

    def action_password(self) -> None:
        line = self._current()
        if line is not None:
            self.app.push_screen(PasswordForm(line), lambda saved: self._changed(_("Saved.")) if saved else None)

    def action_unlock(self) -> None:
        line = self._current()
        if line is not None:
            question = _("Lift the failed-attempt blocks of {login}?").format(login=line.login)
            run_change(
                self, question, "", lambda c: c.unlock_employee(line.id), lambda _r: self._changed(_("Unlocked."))
            )

    def action_second_factor(self) -> None:
        line = self._current()
        if line is None:
            return
        channel = "sms" if line.second_factor == "totp" else "totp"
        question = _("Switch the second factor of {login}?").format(login=line.login)
        details = _("Second factor") + f": {line.second_factor.upper()} -> {channel.upper()}"
        edit = SecondFactorEdit(channel=channel, expected_version=line.version)  # type: ignore[arg-type]

        def done(setup: Any) -> None:
            self._changed(_("Saved."))
            self._show_totp(setup.provisioning_uri)

        run_change(self, question, details, lambda c: c.set_second_factor(line.id, edit), done)

    def _show_totp(self, uri: str | None) -> None:
        if not uri:
            return
        code = qr_lines(uri, plain=bool(getattr(self.app, "plain", False)))
        fits = len(code) + 8 <= self.app.size.height and len(code[0]) + 6 <= self.app.size.width
        text = _("Scan it with the authenticator app, or type the URI:") + f"\n{uri}"
        self.app.push_screen(MessageDialog("\n".join(code) + "\n" + text if fits else text))

    def action_filter(self) -> None:
        def job(console: Any) -> tuple[Any, Any]:
            return console.admin_roles(), {d.id: d.name for d in console.admin_desks()}

        def opened(found: tuple[Any, Any]) -> None:
            roles, desks = found

            def chosen(flt: EmployeeFilter | None) -> None:
                if flt is None:
                    return
                self.flt, self.filtered = flt, describe(flt, desks, {r.code: _(r.name) for r in roles})
                title = _("Administration: employees") + (" · " + self.filtered if self.filtered else "")
                self.query_one("#employees-title", Static).update(title)
                self.reload()

            self.app.push_screen(EmployeeFilterDialog(self.flt, roles, desks), chosen)

        self.call(job, opened, group="admin-filter")

    def action_roles(self) -> None:
        from tui.screens.admin.roles import RolesScreen

        self.app.push_screen(RolesScreen())

    def action_desks(self) -> None:
        from tui.screens.admin.desks import DesksScreen

        self.app.push_screen(DesksScreen())

    def action_audit(self) -> None:
        from tui.screens.admin.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]
