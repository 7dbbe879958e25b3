"""F3 — "Calls" (K16): the campaign call lists the employee works, with how many clients each
would hand out now (due call-backs, new numbers, due retries); one key takes the next client of
the highlighted list — due call-backs first, as core decides — and starts the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui import format as fmt
from tui.bindings import localize_bindings
from tui.call_start import begin_call
from tui.i18n import N_, _, ngettext
from tui.screens.base import Command, CrmScreen, key_display
from tui.screens.call import CallScreen
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.calls.models import CallListInfo
    from core.port import Console
    from tui.call_session import CallSession


class ListsTable(DataTable[str]):
    """The call lists; Enter takes the next client of the highlighted one."""

    BINDINGS = ROW_KEYS

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


class CallsScreen(CrmScreen):
    PLACE = N_("Calls")
    CRM_HELP = N_(
        "Outgoing calls from campaign lists: the next client to call comes to you, due call-backs "
        "first, then new numbers, then unreached clients whose retry is due. Enter or n takes the "
        "next client of the highlighted list and starts the call; r reloads the counts."
    )
    FIELD_HELP = {
        "call-lists": N_("Arrows move; Enter or n takes the next client of the highlighted list."),
    }
    BINDINGS = [
        Binding("n", "take_next", N_("Next client"), id="calls.next"),
        # Priority: the call starts (and holds the keys typed after Enter for its outcome question)
        # before the list could take those keys.
        Binding("enter", "take_next", N_("Next client"), id="calls.take", priority=True, show=False),
        Binding("r", "reload", N_("Reload the lists"), id="calls.reload", show=False),
        Binding("escape", "back", N_("Back"), id="calls.back"),
        Binding("slash", "app.new_search", N_("New search"), id="calls.search", show=False),
    ]
    DEFAULT_CSS = """
    CallsScreen #calls-title { padding: 1 1 0 1; text-style: bold; height: 2; }
    CallsScreen #call-lists { height: 1fr; margin-top: 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="calls")
        self.lists: list[CallListInfo] = []
        self._busy = False

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("calls")
        yield Static(_("Campaign call lists"), id="calls-title", markup=False)
        table = ListsTable(id="call-lists")
        table.add_column(_("Campaign"), width=44, key="campaign")
        table.add_column(_("Call-backs"), width=10, key="callbacks")
        table.add_column(_("New"), width=7, key="fresh")
        table.add_column(_("Retries"), width=8, key="retries")
        yield table
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#call-lists").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.lists:
            self.load()

    # --- the lists ------------------------------------------------------------------------

    def load(self) -> None:
        def job(console: Console) -> list[CallListInfo]:
            return console.call_lists()

        self.call(job, self.show_lists, group="lists", spinner=self.query_one("#call-lists"))

    def show_lists(self, lists: list[CallListInfo]) -> None:
        self.lists = lists
        table = self.query_one("#call-lists", ListsTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for item in lists:
            table.add_row(
                fmt.campaign(item.campaign.name, item.campaign.script_name),
                str(item.due_callbacks),
                str(item.fresh),
                str(item.due_retries),
                key=str(item.campaign.id),
                height=None,  # a long name wraps
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1), animate=False)
        if not lists:
            self.status(_("No campaign lists for you: your role works no calls, or no campaign is active."))
        elif not self._busy:
            waiting = sum(i.due_callbacks + i.fresh + i.due_retries for i in lists)
            self.status(ngettext("{n} client to call now.", "{n} clients to call now.", waiting).format(n=waiting))

    def current(self) -> CallListInfo | None:
        table = self.query_one("#call-lists", ListsTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.lists):
            return None
        return self.lists[table.cursor_row]

    # --- taking the next client (K16) ---------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "call-lists":
            event.stop()
            self.action_take_next()

    def action_take_next(self) -> None:
        chosen = self.current()
        if chosen is None or self._busy:
            return
        self._busy = True
        name = fmt.campaign(chosen.campaign.name, chosen.campaign.script_name)
        self.status(_("Taking the next client of “{name}”…").format(name=name))

        def empty() -> None:
            self._busy = False
            self.status(_("Nobody to call on “{name}” right now.").format(name=name))
            self.load()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.show_error(exc)
            self.load()

        begin_call(self, chosen.campaign.id, started=self.started, empty=empty, failed=failed)

    def started(self, session: CallSession) -> None:
        self._busy = False
        self.status("")
        self.app.push_screen(CallScreen(session, "calls", self.call_closed))

    def call_closed(self, session: CallSession) -> None:
        if session.saved is not None:
            self.status(_("Last call saved: {name}.").format(name=session.card.full_name), "success")
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.action_go("office")  # type: ignore[attr-defined]

    def palette_commands(self) -> list[Command]:
        return [
            (
                _("Take the next client"),
                self.action_take_next,
                _("Key {key}").format(key=key_display(self, "calls.next")),
            ),
            (_("Reload the lists"), self.action_reload, _("Key {key}").format(key=key_display(self, "calls.reload"))),
        ]
