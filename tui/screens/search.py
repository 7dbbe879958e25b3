"""F1, F2 — "Office": find a client by phone (any written form), name, CRM id, passport or e-mail.

Names are searched as the operator types; any query on Enter. A search starts at once when none
is running; while one runs, further keystrokes only replace the query waiting to go next (the
newest wins), so typing never waits and the table is rebuilt only when the results changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from tui import format as fmt
from tui.bindings import localize_bindings
from tui.i18n import N_, _, ngettext
from tui.live import LivePulse
from tui.screens.base import Command, CrmScreen
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import ClientCard, ClientSummary
    from core.port import Console
    from core.trading.models import Pulse

LIMIT = 50
Row = tuple[str, str, str, str, str]


def looks_like_name(text: str) -> bool:
    """Searched while typing: two letters or more, no digits, no '@' (F2)."""
    stripped = text.strip()
    return (
        len(stripped) >= 2
        and not any(ch.isdigit() or ch == "@" for ch in stripped)
        and any(ch.isalpha() for ch in stripped)
    )


def summary_row(s: ClientSummary, plain: bool = False) -> Row:
    phones = [fmt.listed_phone(p, plain) for p in s.phones]
    phone = phones[0] if phones else ""
    if len(phones) > 1:
        phone += f" +{len(phones) - 1}"
    return (str(s.id), marked(s.full_name, s.online), fmt.day(s.birth_date), fmt.client_type(s.client_type), phone)


def marked(name: str, online: bool) -> str:
    """C14: the name with the online mark — a word, not a colour alone."""
    return name + online_mark() if online else name


def online_mark() -> str:
    return " \\[" + _("online") + "]"


class ResultsTable(DataTable[str]):
    """The search results; Enter opens the card, d calls the client (the phone by its id: a masked
    number never reaches the console), Up on the first row returns to the search line."""

    BINDINGS = [
        *ROW_KEYS,
        Binding("up", "up_or_query", N_("Up; the search line from the first row"), show=False, id="search.up"),
        Binding("d", "call", N_("Call"), id="search.call", priority=True),  # before typing-goes-to-the-line
    ]

    def action_call(self) -> None:
        if self.row_count and self.cursor_row >= 0:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            if key is not None:
                self.screen.call_client(int(key))  # type: ignore[attr-defined]

    def action_up_or_query(self) -> None:
        if self.cursor_row <= 0:
            self.screen.query_one("#query", Input).focus()
        else:
            self.action_cursor_up()

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


class SearchScreen(LivePulse, CrmScreen):
    PLACE = N_("Office: search")
    CRM_HELP = N_(
        "Find a client by phone number in any written form (8 912 345-67-89, +7 (912) 3456789, "
        "9123456789), by surname and name (any case, Cyrillic or Latin, a prefix is enough), by CRM id "
        "(digits or id:123), by passport (series and number) or by e-mail."
    )
    FIELD_HELP = {
        "query": N_(
            "Type a phone, a name, a CRM id, a passport or an e-mail. Names are searched as you type; "
            "Enter searches anything and moves to the results. Down arrow: to the results."
        ),
        "results": N_(
            "Arrows move; Enter opens the client's card; d calls the client; typing, Up on the first row or Esc "
            "returns to the search line."
        ),
        "new-client": N_("Enter the client as a new card (the questionnaire checks for duplicates)."),
    }
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="search.back"),
        Binding("down", "to_results", N_("To the results"), id="search.to_results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="search")
        self._busy = False
        self._wanted: tuple[str, bool] | None = None
        self._shown_ids: list[str] | None = None
        self._shown_query: str | None = None
        self.on_results_shown: Callable[[str, float], None] | None = None  # benchmarks hook in here
        self._started: dict[str, float] = {}
        self._from_card = False

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("office")
        with Horizontal(id="search-line"):
            yield Label(_("Search:"), id="query-label")
            yield Input(
                id="query",
                compact=True,
                placeholder=_("phone, name, CRM id, passport or e-mail"),
            )
        table = ResultsTable(id="results")
        table.add_column(_("CRM id"), width=6, key="id")
        table.add_column(_("Full name"), width=20, key="name")
        table.add_column(_("Born"), width=10, key="born")
        table.add_column(_("Type"), width=16, key="type")
        table.add_column(_("Phone"), width=17, key="phone")
        yield table
        with Vertical(id="empty"):
            yield Static("", id="empty-text", markup=False)
            yield Button(_("New client"), id="new-client", compact=True)
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.query_one("#query", Input).focus()
        self.start_pulse()  # tui.live: the online marks of the results follow the platform

    def pulse_ids(self) -> list[int]:
        return [int(shown.split(" ", 1)[0]) for shown in self._shown_ids or []]

    def on_pulse(self, pulse: Pulse) -> None:
        """Only the name cell of a client whose online mark changed is redrawn; the cursor stays."""
        table = self.query_one("#results", ResultsTable)
        shown = list(self._shown_ids or [])
        mark = online_mark()
        for p in pulse.clients:
            key = str(p.id)
            for i, entry in enumerate(shown):
                ident, _sep, name = entry.partition(" ")
                if ident != key or name.endswith(mark) == p.online:
                    continue
                plain = name[: -len(mark)] if name.endswith(mark) else name
                table.update_cell(key, "name", marked(plain, p.online))
                shown[i] = f"{ident} {marked(plain, p.online)}"
        self._shown_ids = shown

    def on_screen_resume(self) -> None:
        if self._from_card:  # one Esc from a card: a new search, the results kept below
            self._from_card = False
            self.new_search()

    def new_search(self) -> None:
        """The search line focused with its text selected: typing starts a new search; Down goes to
        the results, the selection kept."""
        query = self.query_one("#query", Input)
        query.focus()
        query.select_all()

    def on_key(self, event: events.Key) -> None:
        """Typing anywhere on the search place goes to the search line."""
        query = self.query_one("#query", Input)
        if self.focused is query or not event.is_printable or not event.character:
            return
        if isinstance(self.focused, Button) and event.character == " ":
            return
        event.stop()
        event.prevent_default()
        query.focus()
        query.insert_text_at_cursor(event.character)

    # --- typing and searching ----------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "query":
            return
        text = event.value
        if not text.strip():
            self._wanted = None
            self.show_results("", [], focus=False)
            self.status("")
        elif looks_like_name(text):
            self.request(text.strip(), focus=False)
        else:
            self.status(_("Press Enter to search."))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "query":
            return
        event.stop()
        text = event.value.strip()
        if not text:
            self.status(_("Type a phone, a name, a CRM id, a passport or an e-mail."), "error")
            return
        if text == self._shown_query and not self._busy:
            self.focus_results()
            return
        self.request(text, focus=True)

    def request(self, query: str, focus: bool) -> None:
        self._started.setdefault(query, time.perf_counter())
        self._wanted = (query, focus)
        if not self._busy:
            self._start(query, focus)

    def _start(self, query: str, focus: bool) -> None:
        self._busy = True

        plain = bool(getattr(self.app, "plain", False))

        def job(console: Console) -> list[Row]:
            return [summary_row(s, plain) for s in console.search(query, limit=LIMIT)]

        self.call(
            job,
            lambda rows: self._finished(query, focus, rows),
            group="search",
            spinner=self.query_one("#results"),
            failed=lambda exc: self._failed(query, focus, exc),
        )

    def _next(self, query: str, focus: bool) -> bool:
        """Start the query that waited meanwhile; True if one was started."""
        self._busy = False
        wanted = self._wanted
        if wanted is not None and wanted != (query, focus):
            self._start(*wanted)
            return True
        self._wanted = None
        return False

    def _finished(self, query: str, focus: bool, rows: list[Row]) -> None:
        if self._next(query, focus):
            return  # stale: the operator typed on; do not rebuild the table for it
        self.show_results(query, rows, focus)

    def _failed(self, query: str, focus: bool, exc: BaseException) -> None:
        if not self._next(query, focus):
            self.show_error(exc)

    # --- showing ------------------------------------------------------------------------

    def show_results(self, query: str, rows: list[Row], focus: bool) -> None:
        table = self.query_one("#results", ResultsTable)
        ids = [f"{row[0]} {row[1]}" for row in rows]  # the id and the name with its online mark
        if ids != self._shown_ids:
            table.clear()
            for row in rows:
                table.add_row(*row, key=row[0], height=None)  # long names wrap, nothing is cut
            self._shown_ids = ids
        self._shown_query = query or None
        empty = bool(query) and not rows
        self.query_one("#empty").display = empty
        table.display = not empty
        if empty:
            self.query_one("#empty-text", Static).update(
                _("Nobody found for “{query}”. Check the spelling, or enter a new client.").format(query=query)
            )
            self.status(_("No clients found."))
        elif query:
            count = len(rows)
            text = ngettext("{n} client found", "{n} clients found", count).format(n=count)
            if count >= LIMIT:
                text += " " + _("(the first {n}; type more to narrow)").format(n=LIMIT)
            self.status(text)
        if focus:
            self.focus_results()
        started = self._started.pop(query, None)
        self._started.clear()
        if self.on_results_shown is not None and started is not None:
            hook = self.on_results_shown
            self.call_after_refresh(lambda: hook(query, started))

    def focus_results(self) -> None:
        """Enter in the search line: the first result, or "New client" when nothing was found."""
        table = self.query_one("#results", ResultsTable)
        if table.row_count:
            table.focus()
            table.move_cursor(row=0)
        elif self.query_one("#empty").display:
            self.query_one("#new-client", Button).focus()

    # --- keys ---------------------------------------------------------------------------

    def action_to_results(self) -> None:
        table = self.query_one("#results", ResultsTable)
        if self.focused is not None and self.focused.id == "query" and table.row_count:
            table.focus()

    def action_back(self) -> None:
        query = self.query_one("#query", Input)
        if self.focused is query:
            if query.value:
                query.value = ""
        else:  # from the results: back to the search line, its text selected for a new search
            self.new_search()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "results" and event.row_key.value is not None:
            event.stop()
            self.open_card(int(event.row_key.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "new-client":
            self.new_client()

    def open_card(self, client_id: int) -> None:
        self._from_card = True
        self.app.open_card(client_id)  # type: ignore[attr-defined]

    def call_client(self, client_id: int) -> None:
        """The call through the card's own path (tui.call_from_card): the client's campaigns first;
        the server dials the first phone by its id."""

        def got(card: ClientCard) -> None:
            from tui.call_from_card import start_from_card

            start_from_card(self, card)

        self.call(lambda console: console.open_card(client_id, 1), got, group="search-call")

    def new_client(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        self.app.action_go("new_client")  # type: ignore[attr-defined]
        self.app.call_after_refresh(lambda: self._prefill(query))

    def _prefill(self, query: str) -> None:
        from tui.screens.new_client import NewClientScreen

        if isinstance(self.app.screen, NewClientScreen):
            self.app.screen.prefill(query)

    def palette_commands(self) -> list[Command]:
        return [
            (_("Search line"), lambda: self.query_one("#query", Input).focus(), _("Put the cursor in the search line")),
            (_("New client from this search"), self.new_client, _("Open the questionnaire with the query filled in")),
        ]
