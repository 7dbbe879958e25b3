"""Starting a call: the next client of a campaign list (K16) or a given client, from a card (the
campaign chosen among the client's lists). `begin_call` does the Console part in one worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.calls.inputs import CallState
from tui.call_session import CallSession

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console
    from tui.calls import ConsoleCalls

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
