"""C12: a comment on the card, at any time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import HistoryEntry
    from core.port import Console


class CommentDialog(CrmDialog["HistoryEntry | None"]):
    PLACE = N_("Comment")
    CRM_HELP = N_("Type the comment (several lines are fine); Ctrl+S saves it to the contact history, Esc cancels.")
    FIELDS = {"comment": "comment"}
    BINDINGS = [Binding("ctrl+s", "save", N_("Save"), id="comment.save", priority=True)]

    def __init__(self, client_id: int, client_name: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                _("Comment on the card of {name}").format(name=self.client_name), classes="dialog-title", markup=False
            )
            yield TextArea(id="comment", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", compact=True, variant="primary")
                yield Button(_("Cancel"), id="cancel", compact=True)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.query_one("#comment", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        text = self.query_one("#comment", TextArea).text
        client_id = self.client_id

        def job(console: Console) -> HistoryEntry:
            return console.add_comment(client_id, text)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="comment", spinner=self.query_one("#save"))
