"""Base of the dialogs: a modal screen returning its answer through `dismiss`."""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from core.errors import ValidationFailed
from core.shapes import COMMENT_LEN, REASON_LEN
from tui.bindings import localize_bindings
from tui.calls import ConsoleCalls
from tui.errors import error_text
from tui.i18n import N_, _
from tui.screens.base import focus_field
from tui.widgets.choice_list import ChoiceList
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

T = TypeVar("T")


class CrmDialog(ConsoleCalls, ModalScreen[T]):
    BINDINGS = [
        Binding("escape", "cancel", N_("Back"), id="dialog.cancel"),
        Binding("f1", "app.help", N_("Help"), id="dialog.help"),
    ]
    PLACE = ""
    CRM_HELP = ""
    FIELD_HELP: dict[str, str] = {}
    FIELDS: dict[str, str] = {}

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        yield from self.body()
        yield KeyLine()  # the dialog's own keys, over the footer of the screen below

    def body(self) -> ComposeResult:
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def status(self, text: str, kind: str = "info") -> None:
        for line in self.query(StatusLine):
            line.show(text, kind)
            return

    def on_choice_list_refused(self, event: ChoiceList.Refused) -> None:
        """A greyed row the operator tried to choose: say why it cannot be chosen."""
        event.stop()
        choice = event.choice
        why = choice.why or _("not available now.")
        self.status(f"{choice.label}: {why}", "error")

    def show_error(self, exc: BaseException) -> None:
        self.status(error_text(exc), "error")
        if isinstance(exc, ValidationFailed) and exc.field:
            focus_field(self, self.FIELDS, exc.field)


def change_note_rows() -> ComposeResult:
    """The reason and comment every contact-data change carries into its audit row (C10)."""
    with Horizontal(classes="form-row"):
        yield Label(_("Reason"), classes="form-label")
        yield Input(id="reason", compact=True, placeholder=_("why the data changes"), max_length=REASON_LEN)
    with Horizontal(classes="form-row"):
        yield Label(_("Comment"), classes="form-label")
        yield Input(id="comment", compact=True, max_length=COMMENT_LEN)


def save_cancel_row() -> ComposeResult:
    """Save and Cancel buttons, then the dialog's status line."""
    with Horizontal(classes="buttons"):
        yield Button(_("Save"), id="save", compact=True, variant="primary")
        yield Button(_("Cancel"), id="cancel", compact=True)
    yield StatusLine(id="dialog-status")
