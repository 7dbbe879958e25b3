"""Every Console call runs in a thread worker; the screen never freezes while the store works.

`ConsoleCalls.call(job, done, group=...)` is `run_worker(..., thread=True, exclusive=True)` with the
bookkeeping every screen needs: the job gets the Console (waiting for the store to open if it is
still being imported), the result or the error comes back on the UI thread, a spinner
(LoadingIndicator via `widget.loading`) appears only when the store is slow, a newer call of the
same group makes an older one's result stale, and errors land in the status line — nothing the
operator typed is touched.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from core.errors import CrmError

if TYPE_CHECKING:
    from core.port import Console

R = TypeVar("R")
SPINNER_DELAY = 0.25  # seconds before a slow call shows the spinner
log = logging.getLogger("crm.tui")


class ConsoleCalls:
    """Mixin for screens, dialogs and widgets that talk to the Console."""

    def call(
        self,
        job: Callable[[Console], R],
        done: Callable[[R], None],
        *,
        group: str,
        failed: Callable[[BaseException], None] | None = None,
        spinner: Widget | None = None,
        exclusive: bool = True,
    ) -> Worker[None]:
        node: Widget = self  # type: ignore[assignment]
        app = node.app
        tokens: dict[str, int] = node.__dict__.setdefault("_call_tokens", {})
        timers: dict[str, Timer] = node.__dict__.setdefault("_call_timers", {})
        token = tokens.get(group, 0) + 1
        tokens[group] = token
        if group in timers:
            timers.pop(group).stop()
        if spinner is not None:
            timers[group] = node.set_timer(SPINNER_DELAY, lambda: setattr(spinner, "loading", True))

        def deliver(ok: bool, value: Any) -> None:
            if tokens.get(group) != token:
                return  # a newer call of the group owns the screen now
            timer = timers.pop(group, None)
            if timer is not None:
                timer.stop()
            if spinner is not None:
                spinner.loading = False
            if not node.is_attached:
                return
            if ok:
                done(value)
            elif failed is not None:
                failed(value)
            else:
                self.show_error(value)

        def work() -> None:
            worker = get_current_worker()
            try:
                result = job(app.get_console())  # type: ignore[attr-defined]
                outcome: tuple[bool, Any] = (True, result)
            except CrmError as exc:
                outcome = (False, exc)
            except Exception as exc:  # a bug or a dead network: show it, never crash the console
                log.error("console call failed: %s", type(exc).__name__)  # no message, no traceback: client data
                outcome = (False, exc)
            if worker.is_cancelled:
                return
            with contextlib.suppress(RuntimeError):  # the app is closing
                app.call_from_thread(deliver, *outcome)

        return node.run_worker(work, thread=True, exclusive=exclusive, group=group, exit_on_error=False)

    def show_error(self, exc: BaseException) -> None:
        """Default error handling: the status line of the screen (overridden where fields exist)."""
        from tui.errors import error_text

        node: Widget = self  # type: ignore[assignment]
        screen = node.screen
        status = getattr(screen, "status", None)
        if callable(status):
            status(error_text(exc), "error")
        else:
            node.notify(error_text(exc), severity="error")
