"""C1-C12, C16: the client card — the main block and the tabs of the bank's card, each one key away."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from tui.errors import translate_message
from tui.i18n import N_, _
from tui.screens.base import Command, CrmScreen, key_display
from tui.widgets import card_tables as ct
from tui.widgets.card_main import MainBlock, PersonalPane
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.sms_form import SmsForm
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.models import ClientCard, HistoryEntry, SmsTemplate
    from core.port import Console

HISTORY_PAGE = 50
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
)
TABS_GROUP = Binding.Group(N_("Tabs"), compact=True)


class CardScreen(CrmScreen):
    PLACE = N_("Client card")
    CRM_HELP = N_(
        "The client's card: the main block on top, the tabs below (keys 1-8). Enter on a row opens it "
        "in detail; on a linked card it opens that client. e edits personal data, c the contact data, "
        "x strikes a phone out with a reason, s sends an SMS from a template, m adds a comment. Esc "
        "returns to the search results."
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
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="card.back"),
        *(
            Binding(key, f"tab('{tab}')", full, id=f"card.tab_{tab}", group=TABS_GROUP)
            for tab, key, _short, full in TABS
        ),
        Binding("e", "edit_personal", N_("Edit"), id="card.edit_personal"),
        Binding("c", "edit_contacts", N_("Contacts"), id="card.edit_contacts"),
        Binding("x", "strike_phone", N_("Strike out a phone"), id="card.strike_phone", show=False),
        Binding("s", "sms", N_("SMS"), id="card.sms", show=False),
        Binding("m", "comment", N_("Comment"), id="card.comment"),
        Binding("r", "reload", N_("Reload the card"), id="card.reload", show=False),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.card: ClientCard | None = None
        self.templates: list[SmsTemplate] = []
        self.history_total = 0
        self._paging = False
        self.on_card_shown: Any = None  # benchmarks hook in here

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("office")
        yield MainBlock()
        with TabbedContent(id="tabs"):
            for tab, key, short, _full in TABS:
                with TabPane(f"{key} {_(short)}", id=f"tab-{tab}"):
                    yield from self._pane(tab)
        yield StatusLine(id="status")
        yield Footer()

    def _pane(self, tab: str) -> ComposeResult:
        if tab == "personal":
            yield PersonalPane()
        elif tab == "sms":
            yield SmsForm()
        elif tab == "history":
            yield Static("", id="history-count", markup=False)
            yield ct.CardTable("history", ct.HISTORY, id="history")
        elif tab == "products":
            yield ct.CardTable("products", ct.PRODUCTS, id="products")
        elif tab == "transactions":
            yield ct.CardTable("transactions", ct.TRANSACTIONS, id="transactions")
        elif tab == "closed":
            yield ct.CardTable("closed", ct.PRODUCTS, id="closed")
        elif tab == "linked":
            yield ct.CardTable("linked", ct.LINKED, id="linked")
        elif tab == "changes":
            yield ct.CardTable("changes", ct.CHANGES, id="changes")

    def on_mount(self) -> None:
        self.query_one(MainBlock).update(_("Opening the card…"))
        self.load()

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        client_id = self.client_id
        cached = self.app.cache.get("sms_templates")  # type: ignore[attr-defined]

        def job(console: Console) -> tuple[ClientCard, list[SmsTemplate]]:
            card = console.open_card(client_id, history_limit=HISTORY_PAGE)
            templates = cached if cached is not None else console.sms_templates()
            return card, templates  # type: ignore[return-value]

        self.call(job, self.show_card, group="card", spinner=self.query_one("#tabs"))

    def show_card(self, loaded: tuple[ClientCard, list[SmsTemplate]]) -> None:
        card, templates = loaded
        self.app.cache["sms_templates"] = templates  # type: ignore[attr-defined]
        self.card = card
        self.templates = templates
        zone = self.app.zone  # type: ignore[attr-defined]
        today = self.app.clock.now().astimezone(zone).date()  # type: ignore[attr-defined]
        self.query_one(MainBlock).show(card, today)
        self.query_one(PersonalPane).show(card, today)
        self.query_one(SmsForm).show(card, templates)
        self.history_total = card.history_total
        self._table("history").fill(card.history, ct.history_row(zone))
        self._count_history()
        self._table("products").fill(card.products, ct.product_row)
        self._table("transactions").fill(card.transactions, ct.transaction_row(zone))
        self._table("closed").fill(card.closed_products, ct.product_row)
        self._table("linked").fill(card.linked, ct.linked_row)
        self._table("changes").fill(card.changes, ct.change_row(zone))
        if self.focused is None:
            self._focus_tab()
        if self.on_card_shown is not None:
            hook = self.on_card_shown
            self.call_after_refresh(lambda: hook(card))

    def _table(self, name: str) -> ct.CardTable:
        return self.query_one(f"#{name}", ct.CardTable)

    def _count_history(self) -> None:
        shown = len(self._table("history").items)
        self.query_one("#history-count", Static).update(
            _("{shown} of {total} entries; older ones load as you move down.").format(
                shown=shown, total=self.history_total
            )
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if table.id != "history" or self._paging:
            return
        loaded = len(self._table("history").items)
        if event.cursor_row >= loaded - 5 and loaded < self.history_total:
            self._more_history(loaded)

    def _more_history(self, offset: int) -> None:
        self._paging = True
        client_id = self.client_id

        def job(console: Console) -> list[HistoryEntry]:
            return console.history(client_id, offset, HISTORY_PAGE)

        self.call(job, self._got_history, group="history", failed=self._history_failed)

    def _got_history(self, entries: list[HistoryEntry]) -> None:
        self._paging = False
        if not entries:
            self.history_total = len(self._table("history").items)
        self._table("history").extend(entries, ct.history_row(self.app.zone))  # type: ignore[attr-defined]
        self._count_history()

    def _history_failed(self, exc: BaseException) -> None:
        self._paging = False
        self.show_error(exc)

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
            self.app.push_screen(CardScreen(item.id))
            return
        from tui.dialogs.detail import DetailDialog

        title, rows = ct.detail(table.kind, item, self.app.zone)  # type: ignore[attr-defined]
        self.app.push_screen(DetailDialog(title, rows))

    def on_sms_form_sent(self, event: SmsForm.Sent) -> None:
        self.status(_("SMS queued; it is in the contact history."), "success")
        self.load()

    # --- actions --------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"tab-{tab}"
        self._focus_tab()

    def _focus_tab(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        pane = tabs.get_pane(tabs.active) if tabs.active else None
        if pane is None:
            return
        for widget in pane.query("DataTable, Select"):
            if widget.focusable:
                widget.focus()
                return

    def action_reload(self) -> None:
        self.status(_("Reloading…"))
        self.load()

    def _permitted(self, permission: str, refusal: str) -> bool:
        employee = self.app.employee  # type: ignore[attr-defined]
        if employee is not None and permission in employee.permissions:
            return True
        self.status(translate_message(refusal), "error")
        return False

    def action_edit_personal(self) -> None:
        if self.card is None:
            return
        if not self.card.personal_editable:
            reason = translate_message(self.card.personal_readonly_reason or "")
            self.status(_("Read-only: {reason}").format(reason=reason), "error")
            return
        from tui.dialogs.edit_personal import EditPersonalDialog

        self.app.push_screen(EditPersonalDialog(self.card), self._saved)

    def action_edit_contacts(self) -> None:
        if self.card is None:
            return
        if not self.card.contacts_editable:
            reason = translate_message(self.card.contacts_readonly_reason or "")
            self.status(_("Read-only: {reason}").format(reason=reason), "error")
            return
        from tui.dialogs.edit_contacts import EditContactsDialog

        self.app.push_screen(EditContactsDialog(self.card), self._saved)

    def action_strike_phone(self) -> None:
        if self.card is None or not self._permitted("edit_contacts", "Your role may not edit contact data."):
            return
        if not any(p.status == "active" for p in self.card.phones):
            self.status(_("No phone in use to strike out."), "error")
            return
        from tui.dialogs.strike_phone import StrikePhoneDialog

        phone_id = self.query_one(PersonalPane).highlighted_phone()
        self.app.push_screen(StrikePhoneDialog(self.card, phone_id), self._saved)

    def _saved(self, card: ClientCard | None) -> None:
        if card is None:
            return
        self.show_card((card, self.templates))
        self.status(_("Data saved."), "success")
        from tui.dialogs.message import MessageDialog

        self.app.push_screen(MessageDialog(_("Data saved.")))

    def action_sms(self) -> None:
        self.action_tab("sms")

    def action_comment(self) -> None:
        if self.card is None or not self._permitted("comment", "Your role may not add comments."):
            return
        from tui.dialogs.comment import CommentDialog

        self.app.push_screen(CommentDialog(self.card.id, self.card.full_name), self._commented)

    def _commented(self, entry: HistoryEntry | None) -> None:
        if entry is not None:
            self.status(_("Comment added."), "success")
            self.load()

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
            (_("Reload the card"), self.action_reload, key("card.reload")),
            (_("Back to the results"), self.action_back, key("card.back")),
        ]
        return commands
