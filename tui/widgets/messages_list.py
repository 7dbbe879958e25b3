"""I2, I3 on the card's SMS tab: the client's last messages, SMS and e-mail, with their status
(queued, sending, sent, failed and why); addresses as the server shows them (masked for S5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from tui import format as fmt
from tui.calls import ConsoleCalls
from tui.errors import translate_message
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.clients.models import OutboxItem
    from core.port import Console

SHOWN = 5
CHANNELS = {"sms": N_("SMS"), "email": N_("E-mail")}
STATUSES = {"queued": N_("queued"), "sending": N_("sending"), "sent": N_("sent"), "failed": N_("failed")}


class MessagesList(ConsoleCalls, Static):
    DEFAULT_CSS = "MessagesList { height: auto; margin-top: 1; }"

    def __init__(self, *, id: str = "sms-messages") -> None:  # noqa: A002
        super().__init__("", id=id, markup=False)

    def load(self, client_id: int) -> None:
        def job(console: Console) -> list[OutboxItem]:
            return console.client_messages(client_id, SHOWN)

        self.call(job, self._show, group="messages", failed=lambda exc: self.update(""))

    def _show(self, items: list[OutboxItem]) -> None:
        if not items:
            self.update("")
            return
        zone = self.app.zone  # type: ignore[attr-defined]
        lines = [_("Messages to the client, newest first:")]
        for m in items:
            to = fmt.phone(m.to) if m.channel == "sms" else m.to
            status = fmt.label(STATUSES, m.status)
            lines.append(f"{fmt.moment(m.created_at, zone)}  {fmt.label(CHANNELS, m.channel)}  {status}  {to}")
            if m.error and m.status != "sent":  # why it failed, or why the last try did
                lines.append("    " + translate_message(m.error))
        self.update("\n".join(lines))
