"""Base of the dialogs: a modal screen returning its answer through `dismiss`."""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from core.errors import ValidationFailed
from tui.bindings import localize_bindings
from tui.calls import ConsoleCalls
from tui.errors import error_text
from tui.i18n import N_
from tui.screens.base import focus_field
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

    def show_error(self, exc: BaseException) -> None:
        self.status(error_text(exc), "error")
        if isinstance(exc, ValidationFailed) and exc.field:
            focus_field(self, self.FIELDS, exc.field)
