"""M3: rejecting a money request — the reason is required; it goes to the client by SMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from core.trading.inputs import Decision
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.port import Console
    from core.trading.models import MoneyRequest


class RejectDialog(CrmDialog["MoneyRequest | None"]):
    PLACE = N_("Reject a request")
    CRM_HELP = N_("Write why the request is rejected; the client gets it by SMS. Enter rejects, Esc cancels.")
    FIELDS = {"reason": "reason"}
    BINDINGS = [Binding("ctrl+s", "reject", N_("Reject"), id="reject.save", priority=True)]

    def __init__(self, request: MoneyRequest) -> None:
        super().__init__()
        self.request = request

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            title = _("Reject {kind} of {amount}, {name}?").format(
                kind=_(self.request.kind.capitalize()), amount=str(self.request.amount), name=self.request.client_name
            )
            yield Static(title, classes="dialog-title", markup=False)
            yield Input(id="reason", placeholder=_("The reason (required)"), max_length=500)
            with Horizontal(classes="buttons"):
                yield Button(_("Reject"), id="reject", compact=True, variant="error")
                yield Button(_("Cancel"), id="cancel", compact=True)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_reject()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "reject":
            self.action_reject()
        else:
            self.dismiss(None)

    def action_reject(self) -> None:
        reason = self.query_one("#reason", Input).value
        request_id = self.request.id

        def job(console: Console) -> MoneyRequest:
            return console.decide_request(request_id, Decision(action="reject", reason=reason))

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="reject", spinner=self.query_one("#reject"))
