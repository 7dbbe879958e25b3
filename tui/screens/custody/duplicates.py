"""F3: the cards flagged as possible duplicates, each with the cards of your desks it matches;
Enter compares the highlighted pair side by side (tui.screens.custody.merge)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui.bindings import localize_bindings
from tui.i18n import N_, _, ngettext
from tui.screens.base import Command, CrmScreen, key_display
from tui.widgets.card_tables import ROW_KEYS
from tui.widgets.header import HeaderBar, NavBar
from tui.widgets.key_line import KeyLine
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.custody.models import DuplicateGroup
    from core.port import Console


class PairsTable(DataTable[str]):
    BINDINGS = ROW_KEYS

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        localize_bindings(self)


class DuplicatesScreen(CrmScreen):
    PLACE = N_("Possible duplicates")
    CRM_HELP = N_(
        "Cards flagged as possible duplicates (the same phone or passport, or the same name and birth "
        "date), newest first, each beside a card of your desks it matches. Enter compares the pair "
        "field by field before a merge; r reloads; Esc goes back."
    )
    FIELD_HELP = {"pairs": N_("Arrows move; Enter compares the highlighted pair.")}
    BINDINGS = [
        Binding("enter", "compare", N_("Compare"), id="duplicates.compare", show=False),
        Binding("r", "reload", N_("Reload"), id="duplicates.reload"),
        Binding("escape", "back", N_("Back"), id="duplicates.back"),
    ]
    DEFAULT_CSS = """
    DuplicatesScreen #duplicates-title { padding: 1 1 0 1; text-style: bold; height: 2; }
    DuplicatesScreen #pairs { height: 1fr; margin-top: 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, client_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id  # the card it was opened from: its pair is highlighted
        self.pairs: list[tuple[int, int]] = []  # (flagged card, the card it matches)

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield NavBar("office")
        yield Static(_("Possible duplicates"), id="duplicates-title", markup=False)
        table = PairsTable(id="pairs")
        table.add_column(_("Flagged card"), width=34, key="card")
        table.add_column(_("Matches"), width=34, key="match")
        yield table
        yield StatusLine(id="status")
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#pairs").focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    def load(self) -> None:
        def job(console: Console) -> list[DuplicateGroup]:
            return console.duplicate_groups(200)

        self.call(job, self.show_groups, group="duplicates", spinner=self.query_one("#pairs"))

    def show_groups(self, groups: list[DuplicateGroup]) -> None:
        table = self.query_one("#pairs", PairsTable)
        table.clear()
        self.pairs = []
        for group in groups:
            for match in group.matches:
                self.pairs.append((group.card.id, match.id))
                table.add_row(_label(group.card), _label(match), key=f"{group.card.id}-{match.id}", height=None)
        mine = next((i for i, p in enumerate(self.pairs) if self.client_id in p), 0)
        if table.row_count:
            table.move_cursor(row=mine, animate=False)
        n = len(self.pairs)
        self.status(
            ngettext("{n} pair to look at.", "{n} pairs to look at.", n).format(n=n)
            if n
            else _("No possible duplicates on your desks.")
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_compare()

    def action_compare(self) -> None:
        table = self.query_one("#pairs", PairsTable)
        if not self.pairs or not 0 <= table.cursor_row < len(self.pairs):
            return
        flagged, match = self.pairs[table.cursor_row]
        from tui.screens.custody.merge import MergeScreen

        self.app.push_screen(MergeScreen(survivor_id=match, merged_id=flagged))  # the older card survives

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> list[Command]:
        return [(_("Reload"), self.action_reload, _("Key {key}").format(key=key_display(self, "duplicates.reload")))]


def _label(summary: object) -> str:
    born = summary.birth_date.strftime("%d.%m.%Y") if summary.birth_date else ""  # type: ignore[attr-defined]
    return f"{summary.id} {summary.full_name} {born}".strip()  # type: ignore[attr-defined]
