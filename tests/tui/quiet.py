"""Waits that end when the app has nothing left to do now, instead of Textual's wait for an idle
CPU: that one sleeps at least 20 ms a time (two per key pressed), and on a loaded machine it can
take a process that did not get the CPU for an idle one.

"Quiet" is read from the app's own state: no message queued or being handled by any node, no
callback waiting (`call_next`, `call_after_refresh`), no screen update due; seen twice in a row,
each time after every node of the screen handled what it had been sent before. Nothing here
waits for time to pass: timers are the business of `tests.tui.conftest.until`, which pauses
between its checks.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual import _wait
from textual._context import active_app
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState

ROUNDS = 500  # checks before giving up on quiet and falling back to Textual's idle wait
ARRIVAL_YIELDS = 4  # loop turns a key sent by the driver (run_coroutine_threadsafe) needs to land
_ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)
_textual_idle = _wait.wait_for_idle


def working(app: App[object]) -> bool:
    """A worker (a store call in a thread, mostly) has not finished."""
    return any(worker.state in _ACTIVE for worker in app.workers)


def _handling(app: App[object]) -> bool:
    """Messages queued or callbacks waiting (a message in hand is waited for by the drain)."""
    return any(
        node._message_queue.qsize() or node._next_callbacks or node._pending_message is not None
        for node in (app, *app._registry)
    )


def _update_due(app: App[object]) -> bool:
    """The screen has something to draw, or callbacks to run once it has drawn."""
    screen = app.screen
    return bool(
        screen._callbacks
        or screen._dirty_widgets
        or screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
    )


async def quiet(app: App[object]) -> bool:
    """Let the app handle everything it has been sent and draw it; True once quiet (workers may
    still run), False when it stayed busy for ROUNDS checks."""
    for _ in range(ARRIVAL_YIELDS):
        await asyncio.sleep(0)
    pilot = Pilot(app)
    calm = 0
    for _ in range(ROUNDS):
        if not app.is_running:
            return True
        await pilot._wait_for_screen()  # every node of the screen handled what it was sent so far
        await asyncio.sleep(0)
        if _handling(app):
            calm = 0
        elif _update_due(app):
            calm = 0
            # as the update timer would now (its message queued behind none), and Pilot.pause ends
            app.screen._on_timer_update()
        else:
            calm += 1
            if calm == 2:
                return True
    return False


async def settled(app: App[object]) -> None:
    """Quiet, with every worker done and its result handled."""
    for _ in range(3):
        if not await quiet(app):
            await _textual_idle(0)
        with contextlib.suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await app.workers.wait_for_complete()
    if not await quiet(app):
        await _textual_idle(0)


async def key_handled(min_sleep: float = _wait.SLEEP_GRANULARITY, max_sleep: float = 1) -> None:
    """In place of `textual.app.wait_for_idle` after each key Pilot presses: the app quiet. While a
    worker runs, Textual's own wait follows (as before: the key's store call may finish in it)."""
    app = active_app.get(None)
    if app is None or not app.is_running or not await quiet(app) or working(app):
        await _textual_idle(min_sleep, max_sleep)
