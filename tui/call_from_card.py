"""K1 from the card (C16): the campaign among the client's lists the employee may work, then the call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.calls.rules import call_refusal
from tui.call_session import CallSession
from tui.call_start import OnClose, begin_call
from tui.call_texts import why
from tui.i18n import _
from tui.screens.call import CallScreen

if TYPE_CHECKING:
    from core.calls.models import CampaignInfo
    from core.clients.models import ClientCard
    from tui.screens.base import CrmScreen


def start_from_card(screen: CrmScreen, card: ClientCard, on_close: OnClose | None = None) -> None:
    """From a card: the campaign among the client's lists the employee may work, then the call; a
    client who may not be called (do not disturb) says so at once."""
    refusal = call_refusal(card)
    if refusal is not None:
        screen.status(why(refusal), "error")
        return

    def started(session: CallSession) -> None:
        screen.status("")
        screen.app.push_screen(CallScreen(session, "office", on_close))

    def go(campaign_id: int | None) -> None:
        if campaign_id is None:
            return
        screen.status(_("Starting the call…"))
        begin_call(screen, campaign_id, client_id=card.id, started=started, from_card=True)

    def got(campaigns: list[CampaignInfo]) -> None:
        if not campaigns:
            screen.app.release_keys()  # type: ignore[attr-defined]
            screen.status(_("The client is on no campaign list you may work."), "error")
        elif len(campaigns) == 1:
            go(campaigns[0].id)
        else:
            from tui.dialogs.campaign_pick import CampaignPickDialog

            screen.app.push_screen(CampaignPickDialog(campaigns, card.full_name), go)  # it releases the keys

    def gave_up(exc: BaseException) -> None:
        screen.app.release_keys()  # type: ignore[attr-defined]
        screen.show_error(exc)

    client_id = card.id
    screen.app.hold_keys()  # type: ignore[attr-defined]  # "d 2": the 2 waits for the campaign picker
    screen.call(lambda console: console.campaigns_for(client_id), got, group="campaigns", failed=gave_up)
