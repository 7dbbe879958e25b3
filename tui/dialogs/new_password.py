"""After a password reset: the employee chooses their own password before anything else."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from core.access.models import EmployeeInfo
from tui.dialogs.base import CrmDialog
from tui.errors import error_text
from tui.i18n import N_, _
from tui.widgets.status import StatusLine


class NewPasswordDialog(CrmDialog[EmployeeInfo | None]):
    PLACE = N_("New password")
    CRM_HELP = N_("Your password was reset: type a new one twice and press Enter. Esc signs out.")
    BINDINGS = [Binding("enter", "save", N_("Save"), id="new_password.save", priority=True)]

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(_("Choose your new password"), classes="dialog-title", markup=False)
            yield Label(_("New password (at least 8 characters)"))
            yield Input(id="new", password=True, max_length=200)
            yield Label(_("The same again"))
            yield Input(id="again", password=True, max_length=200)
            yield StatusLine(id="status")

    def on_mount(self) -> None:
        self.query_one("#new").focus()

    def action_save(self) -> None:
        new, again = self.query_one("#new", Input).value, self.query_one("#again", Input).value
        if self.focused is self.query_one("#new", Input) and not again:
            self.query_one("#again").focus()
            return
        if new != again:
            self.status(_("The two passwords differ; type them again."), "error")
            return

        def job(console: Any) -> EmployeeInfo:
            console.change_own_password(new)
            return console.whoami()

        self.call(job, self.dismiss, group="new-password", failed=lambda exc: self.status(error_text(exc), "error"))
