"""Places that later issues fill (the supervisor's place is `tui.screens.admin.employees`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui.i18n import N_, _
from tui.screens.base import CrmScreen
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine


class PlaceScreen(CrmScreen):
    PLACE_KEY = ""
    TEXT = ""
    BINDINGS = [Binding("escape", "back", N_("Back"), id="place.back")]

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar(self.PLACE_KEY)
        yield Static(_(self.TEXT), classes="place-text", markup=False)
        yield StatusLine(id="status")
        yield KeyLine()

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]


class CallsScreen(PlaceScreen):
    PLACE = N_("Calls")
    PLACE_KEY = "calls"
    CRM_HELP = N_("Outgoing calls from campaign lists: the next client to call comes to you, due call-backs first.")
    TEXT = N_(
        "Calls: the campaign call lists and the call script come with the call issue. "
        "Meanwhile find the client in the Office (F2) and work from the card."
    )
