"""C13-C15 on the card: the "Trading" tab — the stage and the online mark, the accounts (balance,
equity, margin level, open positions, a low-balance mark), and below them the highlighted
account's trades (paged as you move down; o: open positions only) or, with t, the client's money
requests with the reason of a failed one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui import format as fmt
from tui.bindings import localize_bindings
from tui.calls import ConsoleCalls
from tui.i18n import N_, _
from tui.screens.trading import texts
from tui.widgets.card_tables import ROW_KEYS

if TYPE_CHECKING:
    from core.port import Console
    from core.trading.models import TradePage, TradingView

TRADES_PAGE = 50


class BrokerTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self, columns: Any, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)
        self.items: list[Any] = []
        for title, width in columns:
            self.add_column(_(title), width=width)

    def fill(self, items: list[Any], row: Any, keep: bool = False) -> None:
        """`keep`: the cursor stays on the same item (by id) when rows came or went around it."""
        cursor = self.cursor_row if keep else 0
        if keep and self.items:
            current = getattr(self.items[min(max(cursor, 0), len(self.items) - 1)], "id", None)
            cursor = next((i for i, item in enumerate(items) if getattr(item, "id", None) == current), cursor)
        self.clear()
        self.items = []
        self.extend(items, row)
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1), animate=False)

    def extend(self, items: list[Any], row: Any) -> None:
        for item in items:
            self.items.append(item)
            self.add_row(*row(item))


class TradingPane(ConsoleCalls, Vertical):
    DEFAULT_CSS = """
    TradingPane { height: 1fr; }
    TradingPane #trading-accounts { height: auto; max-height: 5; }
    TradingPane #trading-lower { height: 1fr; }
    TradingPane Static { height: 1; }
    """
    BINDINGS = [
        Binding("t", "toggle", N_("Trades / requests"), id="trading.toggle"),
        Binding("o", "open_only", N_("Open positions only"), id="trading.open_only"),
    ]

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        localize_bindings(self)
        self.client_id: int | None = None
        self.view: TradingView | None = None
        self.showing = "trades"  # or "requests"
        self.open_only = False
        self.trades: list[Any] = []
        self.trades_total = 0
        self._paging = False

    def compose(self) -> ComposeResult:
        yield Static("", id="trading-summary", markup=False)
        yield BrokerTable(texts.ACCOUNT_COLUMNS, id="trading-accounts")
        yield Static("", id="trading-note", markup=False)
        yield BrokerTable(texts.TRADE_COLUMNS, id="trading-lower")

    def load(self, client_id: int) -> None:
        self.client_id = client_id

        def job(console: Console) -> TradingView:
            return console.trading(client_id)

        self.call(job, self._show, group="trading", spinner=self)

    def _show(self, view: TradingView, focus: bool = True) -> None:
        self.view = view
        stage = fmt.label(fmt.LIFECYCLES, view.lifecycle)
        online = "  [" + _("online") + "]" if view.online else ""
        self.query_one("#trading-summary", Static).update(_("Trading") + " · " + _("Stage") + f": {stage}{online}")
        accounts = self.query_one("#trading-accounts", BrokerTable)
        accounts.fill(view.accounts, texts.account_row, keep=True)
        self._lower()
        if not view.accounts:
            self.query_one("#trading-note", Static).update(_("No trading account yet."))
        elif focus:
            accounts.focus()

    def refresh_live(self) -> None:
        """The live card (`tui.screens.card_live`): the same client's tab again, the focus left alone."""
        client_id = self.client_id
        if client_id is None:
            return

        def job(console: Console) -> TradingView:
            return console.trading(client_id)

        self.call(job, lambda view: self._show(view, focus=False), group="trading")

    def _account_id(self) -> int | None:
        table = self.query_one("#trading-accounts", BrokerTable)
        if not table.items:
            return None
        return table.items[min(max(table.cursor_row, 0), len(table.items) - 1)].id

    def _lower(self) -> None:
        if self.view is None:
            return
        lower = self.query_one("#trading-lower", BrokerTable)
        zone = self.app.zone  # type: ignore[attr-defined]
        if self.showing == "requests":
            lower.clear(columns=True)
            for title, width in texts.REQUEST_COLUMNS:
                lower.add_column(_(title), width=width)
            lower.fill(self.view.requests, texts.request_row(zone))
            failed = sum(1 for r in self.view.requests if r.status == "failed")
            note = _("Money requests, newest first. t: trades.")
            if failed:
                note = _("{n} failed; the reason is in the last column. t: trades.").format(n=failed)
            self.query_one("#trading-note", Static).update(note)
            return
        lower.clear(columns=True)
        for title, width in texts.TRADE_COLUMNS:
            lower.add_column(_(title), width=width)
        self.trades, self.trades_total = [], 0
        account_id = self._account_id()
        if account_id is not None:
            self._page(account_id, 0)

    def _page(self, account_id: int, offset: int) -> None:
        self._paging = True
        open_only = self.open_only

        def job(console: Console) -> TradePage:
            return console.trades(account_id, offset, TRADES_PAGE, open_only)

        self.call(job, self._got_trades, group="trades", failed=self._page_failed)

    def _page_failed(self, exc: BaseException) -> None:
        self._paging = False
        self.show_error(exc)

    def _got_trades(self, page: TradePage) -> None:
        self._paging = False
        lower = self.query_one("#trading-lower", BrokerTable)
        row = texts.trade_row(self.app.zone)  # type: ignore[attr-defined]
        if page.offset == 0:
            lower.fill(page.trades, row)
            self.trades = list(page.trades)
        else:
            lower.extend(page.trades, row)
            self.trades.extend(page.trades)
        self.trades_total = page.total
        which = _("open positions") if self.open_only else _("trades")
        self.query_one("#trading-note", Static).update(
            _("{shown} of {total} {which}. t: requests, o: open only or all.").format(
                shown=len(self.trades), total=page.total, which=which
            )
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        table = event.data_table
        if table.id == "trading-accounts" and self.showing == "trades":
            self._lower()
        elif table.id == "trading-lower" and self.showing == "trades" and not self._paging:
            loaded = len(self.trades)
            account_id = self._account_id()
            if event.cursor_row >= loaded - 5 and loaded < self.trades_total and account_id is not None:
                self._page(account_id, loaded)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # the card's own detail view does not know these rows

    def action_toggle(self) -> None:
        self.showing = "requests" if self.showing == "trades" else "trades"
        self._lower()

    def action_open_only(self) -> None:
        self.open_only = not self.open_only
        self.showing = "trades"
        self._lower()
