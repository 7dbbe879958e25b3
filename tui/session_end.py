"""Quitting the console ends its session (best effort): the live floor does not keep showing an
employee whose console is gone. A session that ends otherwise (a closed terminal, a crash) leaves
the floor at its idle limit (core.floor.rules.SEEN)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol


class QuittingApp(Protocol):
    employee: object | None
    store_failed: BaseException | None
    get_console: Callable[[], object]
    exit: Callable[[], None]


log = logging.getLogger(__name__)


async def sign_out_and_quit(app: QuittingApp) -> None:
    if app.employee is not None and app.store_failed is None:
        try:
            console = app.get_console()
            await asyncio.to_thread(console.sign_out)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - quitting never fails on the way out
            log.warning("sign-out at quit failed: %s", type(exc).__name__)
    app.exit()
