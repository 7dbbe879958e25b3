"""The live card: screens showing what the platform changes (the card, the search results, the F8
queue) poll `Console.pulse` every few seconds (`Settings.pulse_s`) — one light read for the ids
they show — and redraw only what differs, in place: no reload, the focus and what is typed stay.

A screen mixes `LivePulse` in, calls `start_pulse()` on mount, and implements `pulse_ids()` and
`on_pulse(pulse)`; `pulse_queue = True` asks for the queue's token too. Only the screen on top
polls; one poll at a time; a failed poll is logged (no client data) and the next one tries again."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.worker import Worker

    from core.port import Console
    from core.trading.models import Pulse

log = logging.getLogger("crm.tui")


class LivePulse:
    pulse_queue = False

    def start_pulse(self) -> None:
        seconds = getattr(self.app.settings, "pulse_s", 3)  # type: ignore[attr-defined]
        if seconds > 0:
            self.set_interval(seconds, self.pulse_now)  # type: ignore[attr-defined]

    def pulse_ids(self) -> list[int]:
        """The client ids shown now."""
        return []

    def on_pulse(self, pulse: Pulse) -> None:
        """Redraw what differs from what is shown."""

    def pulse_now(self) -> None:
        """One poll, unless one is under way or the screen is not the one shown."""
        running: Worker[None] | None = getattr(self, "_pulse_worker", None)
        if (running is not None and not running.is_finished) or not self.is_current:  # type: ignore[attr-defined]
            return
        ids, queue = self.pulse_ids(), self.pulse_queue
        if not ids and not queue:
            return

        def job(console: Console) -> Pulse:
            return console.pulse(ids, queue)

        self._pulse_worker = self.call(job, self.on_pulse, group="pulse", failed=_pulse_failed)  # type: ignore[attr-defined]


def _pulse_failed(exc: BaseException) -> None:
    """The screen's own calls show an outage; the poll only waits for the next round."""
    log.info("live poll failed: %s", type(exc).__name__)
