"""Quitting the console ends its session (best effort): the live floor does not keep showing an
employee whose console is gone. A session that ends otherwise (a closed terminal, a crash) leaves
the floor at its idle limit (core.floor.rules.SEEN)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Protocol


class QuittingApp(Protocol):
    employee: object | None
    store_failed: BaseException | None
    get_console: Callable[[], object]
    exit: Callable[[], None]


log = logging.getLogger(__name__)


QUIT_WAIT_S = 2.0  # a dead server does not hold the quitting console longer than this


async def sign_out_and_quit(app: QuittingApp) -> None:
    if app.employee is not None and app.store_failed is None:
        done = asyncio.Event()
        loop = asyncio.get_running_loop()

        def sign_out() -> None:
            try:
                app.get_console().sign_out()  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - quitting never fails on the way out
                log.warning("sign-out at quit failed: %s", type(exc).__name__)
            finally:
                with contextlib.suppress(RuntimeError):  # the loop is gone: the console quit already
                    loop.call_soon_threadsafe(done.set)

        # a daemon thread: a sign-out still waiting for a dead server does not keep the process alive
        threading.Thread(target=sign_out, name="sign-out-at-quit", daemon=True).start()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), QUIT_WAIT_S)
    app.exit()
