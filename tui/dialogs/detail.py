"""'Open in detail' (C5-C10): every field of one row of a card's tab."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_


class DetailDialog(CrmDialog[None]):
    PLACE = N_("In detail")
    CRM_HELP = N_("All the fields of the chosen row. Arrows scroll; Enter or Esc closes.")
    BINDINGS = [Binding("enter", "cancel", N_("Close"), id="detail.close")]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def body(self) -> ComposeResult:
        width = max((len(label) for label, _value in self.rows), default=0) + 1
        body = "\n".join(f"{label:<{width}} {value}" for label, value in self.rows if value)
        with VerticalScroll(classes="dialog-box", id="detail-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(body, id="detail-body", markup=False)

    def on_mount(self) -> None:
        self.query_one("#detail-box").focus()
