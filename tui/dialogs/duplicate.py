"""F3: the new card shares a phone or a passport with existing cards — open one of them, or
confirm that this is a different person and create the new card anyway."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from core.clients.duplicates import ASK_SUPERVISOR
from tui import format as fmt
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _

if TYPE_CHECKING:
    from core.clients.models import ClientSummary

MATCHED_BY = {"phone": N_("same phone"), "passport": N_("same passport")}


class DuplicateDialog(CrmDialog["tuple[str, int | None] | None"]):
    """Answers ("open", client_id), ("create", None), or None (back to the questionnaire)."""

    PLACE = N_("Possible duplicate")
    CRM_HELP = N_(
        "Cards with the same phone or passport exist. Enter opens the highlighted card instead of "
        "creating a new one; n creates the new card anyway (it is marked as a possible duplicate); "
        "Esc returns to the questionnaire with everything you typed."
    )
    BINDINGS = [Binding("n", "create", N_("Create anyway"), id="duplicate.create")]

    def __init__(self, matches: list[ClientSummary]) -> None:
        super().__init__()
        self.matches = matches

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            title = _("Possible duplicate: these cards have the same phone or passport.")
            yield Static(title if self.matches else _(ASK_SUPERVISOR), classes="dialog-title")
            table: DataTable[str] = DataTable(id="matches", cursor_type="row", zebra_stripes=False)
            table.add_column(_("CRM id"), width=7)
            table.add_column(_("Full name"), width=28)
            table.add_column(_("Born"), width=10)
            table.add_column(_("Match"), width=14)
            for m in self.matches:
                table.add_row(
                    str(m.id),
                    m.full_name,
                    fmt.day(m.birth_date),
                    _(MATCHED_BY.get(m.matched_by, m.matched_by)),
                    key=str(m.id),
                )
            yield table
            with Horizontal(classes="buttons"):
                yield Button(_("Open the card"), id="open", compact=True, variant="primary")
                yield Button(_("Create a new card anyway"), id="create", compact=True)
                yield Button(_("Back"), id="back", compact=True)

    def on_mount(self) -> None:
        self.query_one("#matches").focus()

    def _open_highlighted(self) -> None:
        table = self.query_one("#matches", DataTable)
        if table.row_count:
            self.dismiss(("open", self.matches[table.cursor_row].id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open_highlighted()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "open":
            self._open_highlighted()
        elif event.button.id == "create":
            self.action_create()
        else:
            self.dismiss(None)

    def action_create(self) -> None:
        self.dismiss(("create", None))
