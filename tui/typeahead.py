"""Keys typed ahead of a screen that is on its way (a call being started in a worker) wait for
it instead of landing on the screen being left: `hold_keys()` when the worker starts,
`release_keys()` once the next screen is up (or the worker gave up); a timer releases them anyway."""

from __future__ import annotations

from textual import events
from textual._context import active_message_pump
from textual.app import App
from textual.timer import Timer

HOLD_AT_MOST = 10.0  # seconds: a hold nobody released ends by itself
PASSING = frozenset({"ctrl+q", "ctrl+c"})  # quitting is never held


class TypeAhead(App[None]):
    """Mixed into the console's App."""

    _held: list[events.Key] | None = None
    _hold_timer: Timer | None = None

    def hold_keys(self) -> None:
        if self._held is None:
            self._held = []
            self._hold_timer = self.set_timer(HOLD_AT_MOST, self.release_keys)

    def release_keys(self) -> None:
        """The held keys again, in the order typed, to whatever screen is up now."""
        held, self._held = self._held, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self._replay(list(held or ()))

    def _replay(self, keys: list[events.Key]) -> None:
        """One key, and the next only after the screen has shown what it did: a key that starts
        another wait (the campaign chosen: the call starts) holds the keys after it again."""
        if not keys:
            return
        if self._held is not None:
            self._held[:0] = keys
            return
        first, rest = keys[0], keys[1:]
        self.post_message(self._fresh_key(first))
        if rest:
            self.call_after_refresh(lambda: self.call_after_refresh(lambda: self._replay(rest)))

    def _fresh_key(self, key: events.Key) -> events.Key:
        """A key as the terminal would send it: from the App, so that it bubbles back up to the
        App's bindings (a message stops bubbling at the node that sent it)."""
        token = active_message_pump.set(self)
        try:
            return events.Key(key.key, key.character)
        finally:
            active_message_pump.reset(token)

    async def on_event(self, event: events.Event) -> None:
        """While holding, a key is kept — one just typed, and one that comes back to the App for
        its bindings after the focused widget let it through (typed just before the hold began:
        "d" then "2" at once — the "2" must choose in the campaign picker, not a card tab)."""
        if self._held is not None and isinstance(event, events.Key) and event.key not in PASSING:
            self._held.append(event)
            return
        await super().on_event(event)
