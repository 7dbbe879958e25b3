"""The card's custody keys: h hands the client to another manager, u opens the possible duplicates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui.errors import translate_message
from tui.i18n import N_, _
from tui.screens.base import CrmScreen

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.custody.models import HandOverResult


class CustodyCardKeys(CrmScreen):
    """Mixed into `tui.screens.card.CardScreen` (the card and its reload come from there)."""

    BINDINGS = [
        Binding("h", "hand_over", N_("Hand over"), id="card.hand_over", show=False),
        Binding("u", "duplicates", N_("Possible duplicates"), id="card.duplicates", show=False),
    ]
    card: ClientCard | None

    if TYPE_CHECKING:

        def load(self) -> None: ...

    def _may(self, permission: str, refusal: str) -> bool:
        employee = self.app.employee  # type: ignore[attr-defined]
        if employee is not None and permission in employee.permissions:
            return True
        self.status(translate_message(refusal), "error")
        return False

    def action_hand_over(self) -> None:
        if self.card is None or not self._may("hand_over", "Your role may not hand clients over."):
            return
        from tui.screens.custody.hand_over import HandOverDialog

        self.app.push_screen(HandOverDialog(self.card), self._handed_over)

    def _handed_over(self, result: HandOverResult | None) -> None:
        if result is not None:
            self.status(_("Handed over to {name}.").format(name=result.to_employee), "success")
            self.load()

    def action_duplicates(self) -> None:
        if self.card is None or not self._may("merge_clients", "Your role may not merge cards."):
            return
        from tui.screens.custody.duplicates import DuplicatesScreen

        self.app.push_screen(DuplicatesScreen(self.card.id))
