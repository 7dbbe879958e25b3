"""K1: starting a call from the card — the campaign, among those the client is on and the employee
may work, with the client's place on each list."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tui import format as fmt
from tui.dialogs.base import CrmDialog
from tui.i18n import N_, _
from tui.widgets.choice_list import Choice, ChoiceList, keys_span

if TYPE_CHECKING:
    from core.calls.models import CampaignInfo

STATES = {
    "new": N_("new on the list"),
    "callback": N_("call back {when}"),
    "retry": N_("not reached; again {when}"),
    "done": N_("done: off the list"),
    "exhausted": N_("off the list after unreached attempts"),
}


def place_on_list(campaign: CampaignInfo, zone: tzinfo) -> str:
    text = _(STATES.get(campaign.state or "", campaign.state or ""))
    return text.format(when=fmt.moment(campaign.next_call_at, zone)) if "{when}" in text else text


class CampaignPickDialog(CrmDialog[int]):
    """Answers the campaign id, or None."""

    PLACE = N_("Campaign of the call")
    CRM_HELP = N_(
        "The campaigns this client is on that you may work. A campaign's number starts the call in it at "
        "once; Enter starts it in the highlighted one."
    )

    def __init__(self, campaigns: list[CampaignInfo], client_name: str) -> None:
        super().__init__()
        self.campaigns = campaigns
        self.client_name = client_name

    def body(self) -> ComposeResult:
        with Vertical(classes="dialog-box small"):
            yield Static(
                _("Call {name}: which campaign?").format(name=self.client_name), classes="dialog-title", markup=False
            )
            yield ChoiceList(id="campaigns", marks=False, numbers=True)
            yield Static(
                _("{keys} or Enter: start the call · Esc: back").format(keys=keys_span(len(self.campaigns))),
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        zone = self.app.zone  # type: ignore[attr-defined]
        listing = self.query_one(ChoiceList)
        listing.set_choices(
            [
                Choice(str(c.id), fmt.campaign(c.name, c.script_name), note=place_on_list(c, zone))
                for c in self.campaigns
            ]
        )
        listing.highlighted = 0
        listing.focus()
        self.call_after_refresh(self.app.release_keys)  # type: ignore[attr-defined]  # keys typed ahead

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.dismiss(int(event.value))
