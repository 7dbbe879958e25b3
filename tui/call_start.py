"""Starting a call: the next client of a campaign list (K16) or a given client, from a card (the
campaign chosen among the client's lists). `begin_call` does the Console part in one worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.calls.inputs import CallState
from core.calls.rules import call_refusal
from tui.call_session import CallSession
from tui.call_texts import why
from tui.i18n import _

if TYPE_CHECKING:
    from core.calls.models import CampaignInfo
    from core.clients.models import ClientCard
    from core.port import Console
    from tui.calls import ConsoleCalls
    from tui.screens.base import CrmScreen

OnClose = Callable[[CallSession], None]


def begin_call(
    node: ConsoleCalls,
    campaign_id: int,
    *,
    client_id: int | None = None,
    started: Callable[[CallSession], None],
    empty: Callable[[], None] | None = None,
    failed: Callable[[BaseException], None] | None = None,
    from_card: bool = False,
) -> None:
    """Take the next client of the list (K16) or the given client, start the call, and fetch what
    the call screen shows first (the result options, the product catalogue) — one worker."""
    app = node.app  # type: ignore[attr-defined]
    cached = app.cache.get("products")
    app.hold_keys()  # what is typed meanwhile goes to the outcome question (OutcomeDialog releases)

    def job(console: Console) -> tuple[ClientCard, object, object, object] | None:
        if client_id is None:
            card = console.next_client(campaign_id)
            if card is None:
                return None
        else:
            card = console.open_card(client_id, history_limit=5)
        start = console.start_call(card.id, campaign_id)
        options = console.result_options(card.id, campaign_id, CallState())
        products = cached if cached is not None else console.products()
        return card, start, options, products

    def done(value: tuple[ClientCard, object, object, object] | None) -> None:
        if value is None:
            app.release_keys()
            if empty is not None:
                empty()
            return
        card, start, options, products = value
        app.cache["products"] = products
        session = CallSession.begin(card, start, from_card=from_card)  # type: ignore[arg-type]
        session.options = options  # type: ignore[assignment]
        session.catalogue = products  # type: ignore[assignment]
        started(session)

    def gave_up(exc: BaseException) -> None:
        app.release_keys()
        if failed is not None:
            failed(exc)
        else:
            node.show_error(exc)  # type: ignore[attr-defined]

    node.call(job, done, group="begin_call", failed=gave_up)


def start_from_card(screen: CrmScreen, card: ClientCard, on_close: OnClose | None = None) -> None:
    """From a card: the campaign among the client's lists the employee may work, then the call; a
    client who may not be called (do not disturb) says so at once."""
    refusal = call_refusal(card)
    if refusal is not None:
        screen.status(why(refusal), "error")
        return

    def started(session: CallSession) -> None:
        screen.status("")
        from tui.screens.call import CallScreen

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
