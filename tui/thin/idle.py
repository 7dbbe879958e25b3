"""When a thin-client session is closed: the idle limit counts from the console's first screen.

A console on a loaded machine may take seconds to draw; counted from the connection, a short
limit closed the session before its operator saw anything. So the limit runs from the first
output with something to see (text, not only the terminal modes a console sets as it starts)
and from each key after it. A console that draws nothing is closed `start` after the connection.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import timedelta

START = timedelta(minutes=1)  # a console that has drawn nothing by then is closed
# Complete escape sequences (CSI, OSC, DCS/APC/PM/SOS strings, two-byte ESC x), then what is
# left from an ESC on (a sequence cut by the read), then control characters and spaces.
_SEQUENCE = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b(?![]P^_X\[])[ -~]")
_UNSEEN = re.compile(rb"\x1b.*|[\x00-\x20\x7f]", re.DOTALL)
_EARLY = 1 << 16  # output held while looking for the first screen; more than this has drawn


def shows_something(output: bytes) -> bool:
    """True when terminal output holds text to see, not only escape sequences and blanks."""
    return bool(_UNSEEN.sub(b"", _SEQUENCE.sub(b"", output)))


class IdleClock:
    """Calls `expired(drawn)` once the session is due to close: `limit` after the first screen or
    the latest key after it; before any screen, `start` after the clock was made (`drawn` False)."""

    def __init__(
        self,
        limit: timedelta,
        start: timedelta,
        expired: Callable[[bool], None],
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.loop = loop or asyncio.get_running_loop()
        self.limit = limit.total_seconds()
        self.start = start.total_seconds()
        self.opened = self.loop.time()
        self.drawn_at: float | None = None
        self.last_input = self.opened
        self._early = b""
        self._expired = expired
        self._timer: asyncio.TimerHandle | None = None
        self._arm()

    def output(self, data: bytes) -> None:
        """The console wrote `data` to its terminal."""
        if self.drawn_at is None:
            self._early += data
            if len(self._early) >= _EARLY or shows_something(self._early):
                self.drawn_at = self.loop.time()
                self._early = b""
                self._arm()  # the deadline moved: from the start limit to the idle limit

    def typed(self) -> None:
        """A key (or any input) from the client."""
        self.last_input = self.loop.time()

    def deadline(self) -> float:
        if self.drawn_at is None:
            return self.opened + self.start
        return max(self.drawn_at, self.last_input) + self.limit

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self) -> None:
        self.cancel()
        left = self.deadline() - self.loop.time()
        if left <= 0:
            self._expired(self.drawn_at is not None)
            return
        self._timer = self.loop.call_later(left, self._arm)
