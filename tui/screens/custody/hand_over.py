"""C17 from the card: choose the new manager (and their desk, when they work several), confirm."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.custody.models import HandOverResult, Manager
    from core.port import Console


def targets(managers: list[Manager], desk_id: int | None) -> list[tuple[Manager, int | None, str]]:
    """One row per manager; one per desk of a manager who works several and not the client's."""
    rows: list[tuple[Manager, int | None, str]] = []
    for m in managers:
        if desk_id in m.desk_ids or len(m.desk_ids) <= 1:
            rows.append((m, None, ", ".join(m.desks)))
        else:
            rows.extend((m, d, name) for d, name in zip(m.desk_ids, m.desks, strict=True))
    return rows


class HandOverDialog(CrmDialog["HandOverResult | None"]):
    PLACE = N_("Hand-over")
    CRM_HELP = N_(
        "Choose the new manager (arrows, then Enter or the row's key); the client moves to their desk "
        "when they do not work the client's one. You confirm before anything changes; the whole "
        "history stays on the card, and the hand-over is written on it."
    )
    FIELD_HELP = {"managers": N_("Managers of your desks; a manager of several desks shows once per desk.")}

    def __init__(self, card: ClientCard) -> None:
        super().__init__()
        self.card = card
        self.rows: list[tuple[Manager, int | None, str]] = []

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            title = _("Hand {name} over to").format(name=self.card.full_name)
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(_("Now: {name}").format(name=self.card.responsible or _("nobody")), id="current", markup=False)
            yield ChoiceList(id="managers", marks=False, numbers=True, inline=True)
            yield StatusLine(id="dialog-status")

    def on_mount(self) -> None:
        self.status(_("Loading the managers…"))
        self.call(lambda console: console.hand_over_managers(), self.show_managers, group="managers")

    def show_managers(self, managers: list[Manager]) -> None:
        self.rows = targets(managers, self.card.desk_id)
        choices = [
            Choice(
                str(i), m.full_name, note=desks, available=not mine, why=_("the client's manager now") if mine else ""
            )
            for i, (m, d, desks) in enumerate(self.rows)
            for mine in [m.full_name == self.card.responsible and d is None]
        ]
        listed = self.query_one("#managers", ChoiceList)
        listed.set_choices(choices)
        listed.focus()
        self.status(_("Choose the new manager.") if choices else _("No other manager on your desks."))

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        manager, desk_id, desks = self.rows[int(event.value)]
        from tui.dialogs.confirm import ConfirmDialog

        question = _("Hand {client} over to {manager}?").format(client=self.card.full_name, manager=manager.full_name)
        details = _("Desk: {desk}. The whole history stays on the card; the hand-over is written on it.").format(
            desk=desks
        )
        self.app.push_screen(
            ConfirmDialog(question, details, yes=_("Hand over")), lambda yes: self._confirmed(yes, manager, desk_id)
        )

    def _confirmed(self, yes: bool | None, manager: Manager, desk_id: int | None) -> None:
        if not yes:
            return
        from core.custody.inputs import HandOver

        request = HandOver(to_employee_id=manager.id, client_ids=[self.card.id], desk_id=desk_id)

        def job(console: Console) -> HandOverResult:
            return console.hand_over(request)

        self.status(_("Saving…"))
        self.call(job, self.dismiss, group="hand_over", spinner=self.query_one("#managers"))
