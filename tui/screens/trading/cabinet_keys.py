"""M2 on the card: g registers a Lead with an e-mail in the client cabinet after a confirmation;
the credentials go to the client by e-mail (the password is never shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.errors import translate_message
from tui.i18n import N_, _
from tui.screens.base import CrmScreen

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console
    from core.trading.models import CabinetRegistration


class CabinetCardKeys(CrmScreen):
    """Mixed into `tui.screens.card.CardScreen` (the card and its reload come from there)."""

    BINDINGS = [
        Binding("g", "register_cabinet", N_("Register in the cabinet"), id="card.register_cabinet", show=False),
    ]
    card: ClientCard | None

    if TYPE_CHECKING:

        def load(self) -> None: ...

    def action_register_cabinet(self) -> None:
        employee = self.app.employee  # type: ignore[attr-defined]
        if self.card is None:
            return
        if employee is not None and "create_client" not in employee.permissions:
            self.status(translate_message("Your role may not register clients in the cabinet."), "error")
            return
        from tui.dialogs.confirm import ConfirmDialog

        question = _("Register the client in the cabinet? The login and password go to the client by e-mail.")
        self.app.push_screen(ConfirmDialog(question, yes=_("Register")), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        card = self.card
        if not yes or card is None:
            return
        client_id = card.id

        def job(console: Console) -> CabinetRegistration:
            return console.register_in_cabinet(client_id)

        self.call(job, self._registered, group="cabinet")

    def _registered(self, done: CabinetRegistration) -> None:
        text = _("Registered in the cabinet: login {login}; the credentials went by e-mail to {email}.")
        self.status(text.format(login=done.login, email=done.email), "success")
        self.load()
