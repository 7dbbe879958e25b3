"""The card kept live (`tui.live`): the stage, the online mark, the history and the trading tab
follow the platform's events while the card is open, redrawn in place — the tab, the focus, the
cursor's entry and a half-typed SMS stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.trading.rules import stage_applies
from tui.live import LivePulse
from tui.widgets.card_main import MainBlock, PersonalPane

if TYPE_CHECKING:
    from core.clients.models import ClientCard
    from core.port import Console
    from core.trading.models import Pulse

HISTORY_PAGE = 50  # the card's history: entries a page


class CardLive(LivePulse):
    def pulse_ids(self) -> list[int]:
        card = self.card  # type: ignore[attr-defined]
        return [card.id] if card is not None else []

    def on_pulse(self, pulse: Pulse) -> None:
        card = self.card  # type: ignore[attr-defined]
        now = next((p for p in pulse.clients if card is not None and p.id == card.id), None)
        if now is None or (now.version, now.lifecycle, now.online) == (card.live_version, card.lifecycle, card.online):
            return
        changed = now.version != card.live_version
        fresh = card.model_copy(
            update={
                "lifecycle": now.lifecycle,
                "online": now.online,
                "live_version": now.version,
                "shows_stage": stage_applies(card.broker_desk, now.lifecycle),
            }
        )
        self.card = fresh
        today = self._today()  # type: ignore[attr-defined]
        self.query_one(MainBlock).show(fresh, today)  # type: ignore[attr-defined]
        if self.tab == "personal":  # type: ignore[attr-defined]
            self.query_one(PersonalPane).show_fields(fresh, today)  # type: ignore[attr-defined]
        for pane in self.query("TradingPane"):  # type: ignore[attr-defined]
            pane.refresh_live()
        if changed:  # a stage change or a decision wrote a history entry
            self.history_stale = True
            if self.tab == "history":  # type: ignore[attr-defined]
                self.reload_history()

    history_stale = False  # the history read before the last version change: read again when shown

    def reload_history(self) -> None:
        """The history's first page again; the cursor stays on its entry."""
        self.history_stale = False
        client_id = self.card.id  # type: ignore[attr-defined]

        def job(console: Console) -> ClientCard:
            return console.open_card(client_id, history_limit=HISTORY_PAGE)

        self.call(job, self._live_history, group="live-history")  # type: ignore[attr-defined]

    def _live_history(self, card: ClientCard) -> None:
        mine = self.card  # type: ignore[attr-defined]
        if mine is None or mine.id != card.id or self._paging:  # type: ignore[attr-defined]
            self.history_stale = True  # another client now, or older pages arriving: next time
            return
        table = self._table()  # type: ignore[attr-defined]
        on = table.current() if table.kind == "history" else None
        self.history = list(card.history)
        self.history_total = card.history_total
        if self.tab != "history":  # type: ignore[attr-defined]
            return
        self._fill("history")  # type: ignore[attr-defined]
        row = next((i for i, e in enumerate(self.history) if on is not None and e.id == on.id), None)
        if row is not None:
            table.move_cursor(row=row, animate=False)
