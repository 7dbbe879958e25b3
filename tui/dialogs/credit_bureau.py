"""C11: the credit bureau's pre-decision (Approved / Declined) from the passport series and number
and the birth date, prefilled from the card; offered only within a card-product conversation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from core.shapes import PASSPORT_LEN
from tui import format as fmt
from tui.call_session import LocalInvalid, parse_date
from tui.call_texts import weekday_moment
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.calls.models import CreditDecision
    from core.port import Console
    from tui.call_session import CallSession


class CreditBureauDialog(CrmDialog["CreditDecision | None"]):
    """Answers the last decision received (or None)."""

    PLACE = N_("Credit bureau")
    CRM_HELP = N_(
        "The bureau's pre-decision for a card product: check the passport and the birth date "
        "(prefilled from the card) and press Ctrl+S. Esc closes; the decision stays with the call."
    )
    FIELDS = {"passport_series": "bureau-series", "passport_number": "bureau-number", "birth_date": "bureau-birth"}
    BINDINGS = [Binding("ctrl+s", "check", N_("Ask the bureau"), id="bureau.check", priority=True)]
    DEFAULT_CSS = """
    CreditBureauDialog #bureau-decision { height: auto; margin-top: 1; text-style: bold; }
    CreditBureauDialog #bureau-decision.-approved { color: $success; }
    CreditBureauDialog #bureau-decision.-declined { color: $error; }
    """

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session
        self.decision: CreditDecision | None = session.decision

    def body(self) -> ComposeResult:
        card = self.session.card
        with Vertical(classes="dialog-box small"):
            yield Static(_("Credit bureau: {name}").format(name=card.full_name), classes="dialog-title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label(_("Passport series"), classes="form-label")
                yield Input(card.passport_series or "", id="bureau-series", compact=True, max_length=PASSPORT_LEN)
            with Horizontal(classes="form-row"):
                yield Label(_("Passport number"), classes="form-label")
                yield Input(card.passport_number or "", id="bureau-number", compact=True, max_length=PASSPORT_LEN)
            with Horizontal(classes="form-row"):
                yield Label(_("Birth date"), classes="form-label")
                yield Input(fmt.day(card.birth_date), id="bureau-birth", compact=True, placeholder=_("dd.mm.yyyy"))
            with Horizontal(classes="buttons"):
                yield Button(_("Ask the bureau (Ctrl+S)"), id="check", compact=True, variant="primary")
                yield Button(_("Close"), id="close", compact=True)
            yield Static("", id="bureau-decision", markup=False)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#check").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "check":
            self.action_check()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    def action_check(self) -> None:
        session = self.session
        series = self.query_one("#bureau-series", Input).value
        number = self.query_one("#bureau-number", Input).value
        try:
            born = parse_date(self.query_one("#bureau-birth", Input).value, "birth_date")
        except LocalInvalid as exc:
            self.show_error(exc)
            return
        state = session.state()
        client_id, campaign_id = session.start.client_id, session.start.campaign_id

        def job(console: Console) -> CreditDecision:
            return console.credit_decision(client_id, campaign_id, state, series, number, born)

        self.status(_("Asking the bureau…"))
        self.call(job, self._got, group="bureau", spinner=self.query_one("#check"))

    def _got(self, decision: CreditDecision) -> None:
        self.decision = decision
        self.session.decision = decision
        self.status("")
        self._show()

    def _show(self) -> None:
        box = self.query_one("#bureau-decision", Static)
        decision = self.decision
        box.set_class(decision is not None and decision.decision == "approved", "-approved")
        box.set_class(decision is not None and decision.decision != "approved", "-declined")
        if decision is None:
            box.update("")
            return
        box.update(
            _("Pre-decision: {label} ({when})").format(
                label=_(decision.label),
                when=weekday_moment(decision.at, self.app.zone),  # type: ignore[attr-defined]
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(self.decision)
