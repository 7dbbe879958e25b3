"""The card's editing keys (C4-C10, M7): personal data, contacts, striking a phone, a comment, tags.

Mixed into `tui.screens.card.CardScreen`; every refusal is the server's rule shown before the form opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.errors import translate_message
from tui.i18n import _
from tui.screens.base import CrmScreen
from tui.widgets.card_main import PersonalPane

if TYPE_CHECKING:
    from core.clients.models import ClientCard, HistoryEntry, SmsTemplate


class CardEditKeys(CrmScreen):
    """Needs the card screen's `card`, `templates`, `show_card` and `load`."""

    card: ClientCard | None
    templates: list[SmsTemplate]

    if TYPE_CHECKING:

        def load(self) -> None: ...
        def show_card(self, loaded: tuple[ClientCard, list[SmsTemplate]]) -> None: ...

    def _permitted(self, permission: str, refusal: str) -> bool:
        employee = self.app.employee  # type: ignore[attr-defined]
        if employee is not None and permission in employee.permissions:
            return True
        self.status(translate_message(refusal), "error")
        return False

    def action_edit_personal(self) -> None:
        if self.card is None:
            return
        if not self.card.personal_editable:
            reason = translate_message(self.card.personal_readonly_reason or "")
            self.status(_("Read-only: {reason}").format(reason=reason), "error")
            return
        from tui.dialogs.edit_personal import EditPersonalDialog

        self.app.push_screen(EditPersonalDialog(self.card), self._saved)

    def action_edit_contacts(self) -> None:
        if self.card is None:
            return
        if not self.card.contacts_editable:
            reason = translate_message(self.card.contacts_readonly_reason or "")
            self.status(_("Read-only: {reason}").format(reason=reason), "error")
            return
        from tui.dialogs.edit_contacts import EditContactsDialog

        self.app.push_screen(EditContactsDialog(self.card), self._saved)

    def action_strike_phone(self) -> None:
        if self.card is None or not self._permitted("edit_contacts", "Your role may not edit contact data."):
            return
        if not any(p.status == "active" for p in self.card.phones):
            self.status(_("No phone in use to strike out."), "error")
            return
        from tui.dialogs.strike_phone import StrikePhoneDialog

        phone_id = self.query_one(PersonalPane).highlighted_phone()
        self.app.push_screen(StrikePhoneDialog(self.card, phone_id), self._saved)

    def _saved(self, card: ClientCard | None) -> None:
        if card is None:
            return
        self.show_card((card, self.templates))
        self.status(_("Data saved."), "success")
        from tui.dialogs.message import MessageDialog

        self.app.push_screen(MessageDialog(_("Data saved.")))

    def action_comment(self) -> None:
        if self.card is None or not self._permitted("comment", "Your role may not add comments."):
            return
        from tui.dialogs.comment import CommentDialog

        self.app.push_screen(CommentDialog(self.card.id, self.card.full_name), self._commented)

    def action_tags(self) -> None:
        from tui.screens.work.prompt import edit_card_tags

        edit_card_tags(self)

    def _commented(self, entry: HistoryEntry | None) -> None:
        if entry is not None:
            self.status(_("Comment added."), "success")
            self.load()
