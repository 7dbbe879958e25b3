"""A message the operator acknowledges ("Data saved", as the bank's card says after saving)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _


class MessageDialog(CrmDialog[None]):
    PLACE = N_("Message")
    CRM_HELP = N_("Enter or Esc closes the message.")
    BINDINGS = [Binding("enter", "ok", N_("OK"), id="message.ok")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(self.text, id="message-text", markup=False)
            yield Button(_("OK"), id="ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_ok(self) -> None:
        self.dismiss(None)
