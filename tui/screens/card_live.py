"""The card kept live (`tui.live`): the stage, the online mark and the trading tab follow the
platform's events while the card is open, redrawn in place — the tab, the focus and a half-typed
SMS stay as they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.trading.rules import stage_applies
from tui.live import LivePulse
from tui.widgets.card_main import MainBlock, PersonalPane

if TYPE_CHECKING:
    from core.trading.models import Pulse


class CardLive(LivePulse):
    def pulse_ids(self) -> list[int]:
        card = self.card  # type: ignore[attr-defined]
        return [card.id] if card is not None else []

    def on_pulse(self, pulse: Pulse) -> None:
        card = self.card  # type: ignore[attr-defined]
        now = next((p for p in pulse.clients if card is not None and p.id == card.id), None)
        if now is None or (now.version, now.lifecycle, now.online) == (card.live_version, card.lifecycle, card.online):
            return
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
