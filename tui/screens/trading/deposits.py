"""M3: the queue of deposit and withdrawal requests for staff with the execute-payments permission —
pending ones oldest first; x executes the highlighted one, r rejects it with a reason, a shows
every status (a failed one with its reason), Enter opens the client's card. F8 from any place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from core.trading.inputs import Decision
from tui.errors import translate_message
from tui.i18n import N_, _
from tui.live import LivePulse
from tui.screens.base import CrmScreen
from tui.screens.trading import texts
from tui.screens.trading.card_tab import BrokerTable
from tui.widgets.header import HeaderBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from textual.app import App

    from core.port import Console
    from core.trading.models import MoneyRequest, Pulse

PERMISSION = "execute_payments"


def open_queue(app: App) -> None:
    """F8: the queue, or a clear refusal without the permission."""
    employee = getattr(app, "employee", None)
    if employee is None:
        return
    if PERMISSION not in employee.permissions:
        app.notify(translate_message("Your role may not execute or reject money requests."), severity="error")
        return
    if not isinstance(app.screen, DepositsScreen):
        app.push_screen(DepositsScreen())


class DepositsScreen(LivePulse, CrmScreen):
    DEFAULT_CSS = """
    DepositsScreen #deposits { height: 1fr; }
    """  # a long queue scrolls inside the table: the status line stays in sight at 80x24
    PLACE = N_("Deposits and withdrawals")
    CRM_HELP = N_(
        "Money requests waiting for staff, oldest first. x executes the highlighted request (once: a second "
        "time is refused), r rejects it with a reason the client gets by SMS, a shows every status or only "
        "the pending ones, Enter opens the client's card, F5 reloads, Esc goes back."
    )
    BINDINGS = [
        Binding("x", "execute", N_("Execute"), id="deposits.execute"),
        Binding("r", "reject", N_("Reject"), id="deposits.reject"),
        Binding("a", "all", N_("All / pending"), id="deposits.all"),
        Binding("f5", "reload", N_("Reload"), id="deposits.reload"),
        Binding("escape", "back", N_("Back"), id="deposits.back"),
    ]

    pulse_queue = True  # tui.live: a new request, or one decided elsewhere, shows without F5

    def __init__(self) -> None:
        super().__init__()
        self.every_status = False
        self._queue: str | None = None  # the queue's token as of the requests shown

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static("", id="deposits-title", markup=False)
        yield BrokerTable(texts.QUEUE_COLUMNS, id="deposits")
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.load()
        self.start_pulse()

    def load(self) -> None:
        status = None if self.every_status else "pending"

        def job(console: Console) -> tuple[str | None, list[MoneyRequest]]:
            token = console.pulse([], queue=True).queue  # read first: a later change still shows
            return token, console.money_requests(status, 200)

        self.call(job, self._show, group="deposits", spinner=self.query_one("#deposits"))

    def on_pulse(self, pulse: Pulse) -> None:
        if pulse.queue is not None and pulse.queue != self._queue:
            self.load()

    def _show(self, loaded: tuple[str | None, list[MoneyRequest]]) -> None:
        self._queue, requests = loaded
        table = self.query_one("#deposits", BrokerTable)
        table.fill(requests, texts.request_row(self.app.zone, client=True), keep=True)  # type: ignore[attr-defined]
        title = _("All requests") if self.every_status else _("Pending requests")
        self.query_one("#deposits-title", Static).update(f"{title}: {len(requests)}")
        table.focus()

    def _current(self) -> MoneyRequest | None:
        table = self.query_one("#deposits", BrokerTable)
        if not table.items:
            return None
        return table.items[min(max(table.cursor_row, 0), len(table.items) - 1)]

    def action_execute(self) -> None:
        request = self._current()
        if request is None:
            return

        def job(console: Console) -> MoneyRequest:
            return console.decide_request(request.id, Decision(action="execute"))

        self.call(job, self._decided, group="decide", failed=self._refused)

    def _decided(self, request: MoneyRequest | None) -> None:
        if request is None:
            return
        if request.status == "failed":
            self.status(_("Failed: {reason}").format(reason=translate_message(request.reason or "")), "error")
        else:
            status = _(texts.STATUSES.get(request.status, request.status))
            self.status(_("{status}: {amount}, {name}.").format(status=status, amount=texts.signed(request),
                                                                name=request.client_name), "success")  # fmt: skip
        self.load()

    def _refused(self, exc: BaseException) -> None:
        self.show_error(exc)
        self.load()  # a stale row: show the queue as it is now

    def action_reject(self) -> None:
        request = self._current()
        if request is not None:
            from tui.screens.trading.reject import RejectDialog

            self.app.push_screen(RejectDialog(request), self._decided)

    def action_all(self) -> None:
        self.every_status = not self.every_status
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_data_table_row_selected(self, event: BrokerTable.RowSelected) -> None:
        event.stop()
        request = self._current()
        if request is not None:
            self.app.open_card(request.client_id)  # type: ignore[attr-defined]
