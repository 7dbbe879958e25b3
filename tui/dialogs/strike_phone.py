"""C3: a phone that is not the client's is struck out with a reason, after confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from core.shapes import COMMENT_LEN
from core.vocab import STRIKE_REASON_LABELS
from tui import format as fmt
from tui.dialogs.base import CrmDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console


class StrikePhoneDialog(CrmDialog["ClientCard | None"]):
    PLACE = N_("Strike out a phone")
    CRM_HELP = N_(
        "Choose the phone and why it does not belong to the client: Do not contact, Changed, Not in use "
        "or Wrong. The phone stays on the card, struck out, and the change goes to the change history."
    )
    FIELDS = {"phone": "strike-phone", "reason": "strike-reason", "comment": "strike-comment"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="strike.save", priority=True)]

    def __init__(self, card: ClientCard, phone_id: int | None) -> None:
        super().__init__()
        self.card = card
        active = [p for p in card.phones if p.status == "active"]
        self.phones = active
        self.phone_id = phone_id if any(p.id == phone_id for p in active) else (active[0].id if active else None)

    def body(self) -> ComposeResult:
        phones = [
            (f"{fmt.phone(p.number, p.masked)} ({fmt.label(fmt.PHONE_KINDS, p.kind)})", p.id) for p in self.phones
        ]
        reasons = [(_(text), str(code)) for code, text in STRIKE_REASON_LABELS.items()]
        with Vertical(classes="dialog-box"):
            yield Static(
                _("Strike out a phone of {name}").format(name=self.card.full_name), classes="dialog-title", markup=False
            )
            with Horizontal(classes="form-row"):
                yield Label(_("Phone"), classes="form-label")
                yield Select(
                    phones, id="strike-phone", value=self.phone_id or Select.NULL, compact=True, allow_blank=False
                )
            with Horizontal(classes="form-row"):
                yield Label(_("Reason"), classes="form-label")
                yield Select(reasons, id="strike-reason", prompt=_("Choose the reason"), compact=True)
            with Horizontal(classes="form-row"):
                yield Label(_("Comment"), classes="form-label")
                yield Input(id="strike-comment", compact=True, max_length=COMMENT_LEN)
            with Horizontal(classes="buttons"):
                yield Button(_("Strike out"), id="save", compact=True, variant="primary")
                yield Button(_("Cancel"), id="cancel", compact=True)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one("#strike-reason").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        phone_id = self.query_one("#strike-phone", Select).value
        reason = self.query_one("#strike-reason", Select).value
        if reason is Select.NULL:
            self.status(_("Choose the reason."), "error")
            self.query_one("#strike-reason").focus()
            return
        phone = next(p for p in self.phones if p.id == phone_id)
        question = _("Strike out {phone} as “{reason}”?").format(
            phone=fmt.phone(phone.number, phone.masked), reason=fmt.strike_reason(str(reason))
        )
        self.app.push_screen(ConfirmDialog(question, yes=_("Strike out")), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes:
            return
        from core.clients.inputs import PhoneStrike

        strike = PhoneStrike(
            phone_id=int(self.query_one("#strike-phone", Select).value),  # type: ignore[arg-type]
            reason=str(self.query_one("#strike-reason", Select).value),
            comment=self.query_one("#strike-comment", Input).value.strip() or None,
            expected_version=self.card.contact_version,
        )
        client_id = self.card.id

        def job(console: Console) -> ClientCard:
            return console.strike_phone(client_id, strike)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="save", spinner=self.query_one("#save"))
