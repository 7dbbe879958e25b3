"""C1-C12, C16: the client card — the main block and the tabs of the bank's card, each one key away."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Static

from tui.i18n import N_, _, ngettext
from tui.screens.base import Command, key_display
from tui.screens.card_edits import CardEditKeys
from tui.screens.card_live import HISTORY_PAGE, CardLive
from tui.screens.custody.card_keys import CustodyCardKeys
from tui.screens.trading.cabinet_keys import CabinetCardKeys
from tui.widgets import card_tables as ct
from tui.widgets.card_main import MainBlock, PersonalPane
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.sms_form import SmsForm
from tui.widgets.status import StatusLine
from tui.widgets.tab_bar import TabBar

if TYPE_CHECKING:
    from core.clients.models import ClientCard, HistoryEntry, SmsTemplate
    from core.port import Console

TABLE_TABS = {
    "history": ct.HISTORY,
    "products": ct.PRODUCTS,
    "transactions": ct.TRANSACTIONS,
    "closed": ct.PRODUCTS,
    "linked": ct.LINKED,
    "changes": ct.CHANGES,
}
# (tab, key, short title on the tab, full name for help and the palette)
TABS = (
    ("personal", "1", N_("Personal"), N_("Personal data")),
    ("sms", "2", N_("SMS"), N_("Send an SMS")),
    ("history", "3", N_("History"), N_("Contact history")),
    ("products", "4", N_("Products"), N_("Current products")),
    ("transactions", "5", N_("Card ops"), N_("Card transactions")),
    ("closed", "6", N_("Closed"), N_("Product history")),
    ("linked", "7", N_("Linked"), N_("Linked cards")),
    ("changes", "8", N_("Changes"), N_("Contact-data change history")),
    ("trading", "9", N_("Trading"), N_("Trading accounts, trades and money requests")),
)
TABS_GROUP = Binding.Group(N_("Tabs"), compact=True)


class CardScreen(CardLive, CardEditKeys, CustodyCardKeys, CabinetCardKeys):
    AUTO_FOCUS = None  # the focus goes to the first tab's list once the card is there (show_card)
    PLACE = N_("Client card")
    CRM_HELP = N_(
        "The client's card: the main block on top, the tabs below (keys 1-9). d starts a call. Enter on "
        "a row opens it in detail; on a linked card it opens that client. e edits personal data, c the "
        "contact data, x strikes a phone out with a reason, s sends an SMS from a template, m adds a "
        "comment, r reloads. Esc returns to the search line for a new search (Down: the results as they "
        "were); F2 or / starts a new search from any place."
    )
    FIELD_HELP = {
        "phones": N_("The client's phones. x strikes the highlighted phone out with a reason (C3)."),
        "history": N_("Contact history, newest first; older entries load as you move down. Enter: in detail."),
        "products": N_("Current products. Enter: in detail."),
        "transactions": N_("Deposits to the card account and purchases. Enter: in detail."),
        "closed": N_("Closed products. Enter: in detail."),
        "linked": N_("Clients entered on this client's recommendation. Enter opens the linked card."),
        "changes": N_("Changes of contact data. Enter shows the reason, the employee and the comment."),
        "sms-template": N_("The template fills the text; the text itself cannot be edited."),
        "sms-phone": N_("One of the client's phones, or 'Another number…' to type the one the client dictates."),
        "sms-number": N_("A number in any written form; it is checked before sending."),
    }
    BINDINGS = [  # the key line shows them in this order: the main action first
        Binding("d", "call", N_("Call"), id="card.call"),
        *(
            Binding(key, f"tab('{tab}')", full, id=f"card.tab_{tab}", group=TABS_GROUP)
            for tab, key, _short, full in TABS
        ),
        Binding("e", "edit_personal", N_("Edit data"), id="card.edit_personal"),
        Binding("c", "edit_contacts", N_("Edit contacts"), id="card.edit_contacts"),
        Binding("x", "strike_phone", N_("Strike out"), id="card.strike_phone"),
        Binding("s", "sms", N_("SMS"), id="card.sms"),
        Binding("m", "comment", N_("Comment"), id="card.comment"),
        Binding("t", "tags", N_("Tags"), id="card.tags"),
        Binding("r", "reload", N_("Reload"), id="card.reload"),
        Binding("escape", "back", N_("Back"), id="card.back"),
        Binding("slash", "app.new_search", N_("New search"), id="card.search", show=False),
    ]

    def __init__(self, client_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.in_stack = False  # reused screens: True while on a screen stack (tui.app.open_card)
        self.card: ClientCard | None = None
        self.templates: list[SmsTemplate] = []
        self.history: list[HistoryEntry] = []  # the pages loaded so far, newest first
        self.history_total = 0
        self.tab = "personal"
        self._paging = False
        self.on_card_shown: Any = None  # benchmarks hook in here

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("office")
        yield MainBlock()
        yield TabBar([(tab, key, short) for tab, key, short, _full in TABS], id="tab-bar")
        with ContentSwitcher(initial="pane-personal", id="panes"):
            yield PersonalPane(id="pane-personal")
            with Vertical(id="pane-table"):
                yield Static("", id="table-note", markup=False)
                yield ct.CardTable(id="tab-table")
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one(MainBlock).update(_("Opening the card…"))
        self.start_pulse()  # tui.screens.card_live: the stage, online, trading tab follow the platform
        if self.client_id is not None:
            self.load()

    def show_client(self, client_id: int) -> None:
        """(Re)use this screen for a client: nothing of the previous client stays on it."""
        self.client_id = client_id
        self.card = None
        self.history = []
        self.in_stack = True
        self._fresh = True
        if not self.is_mounted:
            return  # composed on the first push; on_mount loads
        self.query_one(MainBlock).update(_("Opening the card…"))
        self.query_one(PersonalPane).clear()
        for form in self.query(SmsForm):
            form.remove()  # mounted again when the SMS tab is opened: a lighter screen meanwhile
        for pane in self.query("TradingPane"):
            pane.remove()  # the trading tab of the previous client
        self.query_one("#tab-table", ct.CardTable).show("", (), [], lambda _item: ())
        self.status("")
        self._switch("personal")
        self.load()

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        client_id = self.client_id
        cached = self.app.cache.get("sms_templates")  # type: ignore[attr-defined]

        def job(console: Console) -> tuple[ClientCard, list[SmsTemplate]]:
            card = console.open_card(client_id, history_limit=HISTORY_PAGE)  # type: ignore[arg-type]
            templates = cached if cached is not None else console.sms_templates()
            return card, templates  # type: ignore[return-value]

        self.call(job, self.show_card, group="card", spinner=self.query_one("#panes"))

    def show_card(self, loaded: tuple[ClientCard, list[SmsTemplate]]) -> None:
        card, templates = loaded
        self.app.cache["sms_templates"] = templates  # type: ignore[attr-defined]
        self.card = card
        self.templates = templates
        self.history = list(card.history)
        self.history_total = card.history_total
        self.history_stale = False
        self.query_one(MainBlock).show(card, self._today())
        self._fill(self.tab)
        if getattr(self, "_fresh", True) or self.focused is None:
            self._focus_tab()  # a newly opened card; a reload keeps the focus where it was
        self._fresh = False
        if self.on_card_shown is not None:
            hook = self.on_card_shown
            self.call_after_refresh(lambda: hook(card))

    def _today(self) -> date:
        return self.app.clock.now().astimezone(self.app.zone).date()  # type: ignore[attr-defined]

    def _table(self) -> ct.CardTable:
        return self.query_one("#tab-table", ct.CardTable)

    def _fill(self, tab: str) -> None:
        """Fill the tab being shown (the others are filled when shown: one table serves them all)."""
        card = self.card
        if card is None:
            return
        zone = self.app.zone  # type: ignore[attr-defined]
        if tab == "personal":
            self.query_one(PersonalPane).show(card, self._today())
            return
        if tab == "sms":
            for form in self.query(SmsForm):
                form.show(card, self.templates)
            return
        if tab == "trading":  # tui.screens.trading.card_tab: loads its own data
            for pane in self.query("TradingPane"):
                pane.load(card.id)  # type: ignore[attr-defined]
            return
        items: list[Any]
        rows: Any
        if tab == "history":
            items, rows = self.history, ct.history_row(zone)
        elif tab == "products":
            items, rows = card.products, ct.product_row
        elif tab == "transactions":
            items, rows = card.transactions, ct.transaction_row(zone)
        elif tab == "closed":
            items, rows = card.closed_products, ct.product_row
        elif tab == "linked":
            items, rows = card.linked, ct.linked_row
        else:
            items, rows = card.changes, ct.change_row(zone)
        self._table().show(tab, TABLE_TABS[tab], items, rows)
        self._note()

    def _note(self) -> None:
        table = self._table()
        note = self.query_one("#table-note", Static)
        if table.kind == "history":
            shown, total = len(self.history), self.history_total
            if shown >= total:
                note.update(
                    ngettext("{n} entry. Enter: in detail.", "All {n} entries. Enter: in detail.", total).format(
                        n=total
                    )
                )
            else:
                note.update(
                    _("{shown} of {total} entries; older ones load as you move down.").format(shown=shown, total=total)
                )
        elif table.kind == "linked" and self.card is not None and self.card.linked_hidden:
            hidden = self.card.linked_hidden
            note.update(
                ngettext(
                    "{n} more linked card on another desk.", "{n} more linked cards on other desks.", hidden
                ).format(n=hidden)
            )
        elif not table.row_count:
            note.update(_("Nothing here yet."))
        else:
            note.update(_("Enter: in detail.") if table.kind != "linked" else _("Enter opens the linked card."))

    def _switch(self, tab: str) -> None:
        self.tab = tab
        self.query_one(TabBar).activate(tab)
        pane = f"pane-{tab}" if tab in ("personal", "sms", "trading") else "pane-table"
        self.query_one("#panes", ContentSwitcher).current = pane

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if not isinstance(table, ct.CardTable) or table.kind != "history" or self._paging:
            return
        loaded = len(self.history)
        if event.cursor_row >= loaded - 5 and loaded < self.history_total:
            self._more_history(loaded)

    def _more_history(self, offset: int) -> None:
        self._paging = True
        client_id = self.client_id

        def job(console: Console) -> list[HistoryEntry]:
            return console.history(client_id, offset, HISTORY_PAGE)  # type: ignore[arg-type]

        self.call(job, self._got_history, group="history", failed=self._history_failed)

    def _got_history(self, entries: list[HistoryEntry]) -> None:
        self._paging = False
        if not entries:
            self.history_total = len(self.history)
        self.history.extend(entries)
        table = self._table()
        if table.kind == "history":
            table.extend(entries)
        self._note()

    def _history_failed(self, exc: BaseException) -> None:
        self._paging = False
        self.show_error(exc)

    def help_for(self, widget: object) -> str | None:
        if isinstance(widget, ct.CardTable):
            return self.FIELD_HELP.get(widget.kind)
        return None

    # --- rows: detail view, linked cards --------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if not isinstance(table, ct.CardTable):
            return
        event.stop()
        item = table.current()
        if item is None:
            return
        if table.kind == "linked":
            self.app.open_card(item.id)  # type: ignore[attr-defined]
            return
        from tui.dialogs.detail import DetailDialog

        title, rows = ct.detail(table.kind, item, self.app.zone)  # type: ignore[attr-defined]
        self.app.push_screen(DetailDialog(title, rows))

    def on_sms_form_sent(self, event: SmsForm.Sent) -> None:
        self.status(_("SMS queued; it is in the contact history."), "success")
        self.load()

    # --- actions --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.in_stack = False
        self.app.pop_screen()

    async def action_tab(self, tab: str) -> None:
        if tab == "sms" and not self.query(SmsForm):
            await self.query_one("#panes", ContentSwitcher).mount(SmsForm(id="pane-sms"))
        if tab == "trading" and not self.query("TradingPane"):
            from tui.screens.trading.card_tab import TradingPane

            await self.query_one("#panes", ContentSwitcher).mount(TradingPane(id="pane-trading"))
        self._switch(tab)
        self._fill(tab)
        self._focus_tab()
        if tab == "history" and self.history_stale and self.card is not None:
            self.reload_history()  # tui.screens.card_live: the version moved while another tab was shown

    def _focus_tab(self) -> None:
        pane = self.query_one("#panes", ContentSwitcher).visible_content
        if pane is None:
            return
        for widget in pane.query("DataTable, Select"):
            if widget.focusable:
                widget.focus()
                return

    def action_reload(self) -> None:
        self.status(_("Reloading…"))
        self.load()

    async def action_sms(self) -> None:
        await self.action_tab("sms")

    def action_call(self) -> None:
        """K1: a call to this client in one of the campaigns the employee may work (tui.screens.call)."""
        if self.card is not None:
            from tui.call_from_card import start_from_card

            start_from_card(self, self.card, lambda _session: self.load())

    def palette_commands(self) -> list[Command]:
        def key(binding_id: str) -> str:
            return _("Key {key}").format(key=key_display(self, binding_id))

        commands: list[Command] = [
            (_(full), lambda t=tab: self.action_tab(t), key(f"card.tab_{tab}")) for tab, _k, _short, full in TABS
        ]
        commands += [
            (_("Edit personal data"), self.action_edit_personal, key("card.edit_personal")),
            (_("Edit contact data"), self.action_edit_contacts, key("card.edit_contacts")),
            (_("Strike out a phone"), self.action_strike_phone, key("card.strike_phone")),
            (_("Add a comment"), self.action_comment, key("card.comment")),
            (_("Start a call"), self.action_call, key("card.call")),
            (_("Reload the card"), self.action_reload, key("card.reload")),
            (_("Back to the results"), self.action_back, key("card.back")),
        ]
        return commands
