"""Confirmation before saving (C2, C3): the question, what will change, Save or Cancel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _


class ConfirmDialog(CrmDialog[bool]):
    PLACE = N_("Confirmation")
    CRM_HELP = N_("Enter on the highlighted button; y confirms, n or Esc cancels. Nothing is saved before you confirm.")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, details: str = "", yes: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.details = details
        self.yes = yes or _("Save")

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(self.question, id="question", classes="dialog-title", markup=False)
            if self.details:
                yield Static(self.details, id="details", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", compact=True, variant="primary")
                yield Button(_("Cancel"), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(False)
