"""`crm web`: the console in a browser through textual-serve; each tab runs its own console process.

The page is textual-serve's, with its font served locally (nothing comes from outside the server)
and its few words translated. A tab without a key for the idle limit, counted from the console's
first screen (`tui/thin/idle.py`), is closed and its console ends. Without `--public-url` the
page's links follow the address the browser used, so the same server works on 127.0.0.1 and
behind a reverse proxy that passes `Host` (and `X-Forwarded-Proto: https` for TLS).
"""

from __future__ import annotations

import asyncio
import gettext
import logging
import shlex
import signal
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from core.access.tokens import IDLE
from tui.i18n import DOMAIN, LOCALE_DIR, N_, pick_language
from tui.thin.child import Target, console_command
from tui.thin.idle import START, IdleClock

log = logging.getLogger("crm.web")
TEMPLATES = Path(__file__).with_name("templates")
TITLE = "crm-console"
PAGE_TEXTS = {"start": N_("Start"), "ended": N_("Session ended."), "restart": N_("Restart")}


def web_command(target: Target) -> str:
    """The shell command textual-serve runs per tab. The console's stderr (where a crash would print
    a traceback with local values) is dropped so that no client data reaches the server's log."""
    return "exec " + shlex.join(console_command(target)) + " 2>/dev/null"  # no shell left between


def _language(request: web.Request) -> str:
    header = request.headers.get("Accept-Language", "")
    first = header.split(",")[0].split(";")[0].strip().replace("-", "_")
    return pick_language(first or None, {})


class ConsoleWebServer(Server):  # type: ignore[misc]
    """textual-serve's server with a local page and addresses taken from the request."""

    def __init__(
        self,
        target: Target,
        host: str,
        port: int,
        public_url: str | None = None,
        idle: timedelta = IDLE,
        start: timedelta = START,
    ) -> None:
        super().__init__(web_command(target), host=host, port=port, title=TITLE, templates_path=TEMPLATES)
        self.target = target
        self.fixed_public_url = public_url.rstrip("/") if public_url else None
        self.idle = idle
        self.start = start

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's loop, and the tab is closed (its console ends) after `idle` without a key
        from its first screen on, or `start` after it opened when the console draws nothing."""
        loop = asyncio.get_running_loop()
        closing: list[asyncio.Task[None]] = []

        def expired(drawn: bool) -> None:
            if drawn:
                log.info("a tab closed after %g s without input", clock.limit)
            else:  # ended here: textual-serve would wait for it to read its quit message
                log.warning("a tab closed: its console drew nothing in %g s", clock.start)
                process = app_service._process  # textual-serve's console process (no public handle)
                if process is not None and process.returncode is None:
                    process.terminate()
            closing.append(loop.create_task(websocket.close()))

        # Patched before textual-serve's reader of the console's output first runs (it was only
        # scheduled by `AppService.start`), so the clock sees the first screen.
        clock = IdleClock(self.idle, self.start, expired)
        send_bytes, on_data = app_service.send_bytes, app_service.on_data

        async def typed(data: bytes) -> bool:
            clock.typed()
            return await send_bytes(data)

        async def shown(payload: bytes) -> None:
            clock.output(payload)
            await on_data(payload)

        app_service.send_bytes = typed  # type: ignore[method-assign]
        app_service.on_data = shown  # type: ignore[method-assign]
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            clock.cancel()

    def base_url(self, request: web.Request) -> str:
        if self.fixed_public_url:
            return self.fixed_public_url
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
        return f"{'https' if scheme == 'https' else 'http'}://{request.host}"

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        base = self.base_url(request)
        router = request.app.router
        websocket = base.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
        language = _language(request)
        translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
        texts = {key: translations.gettext(text) for key, text in PAGE_TEXTS.items()}
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        return {
            "font_size": max(8, min(font_size, 48)),
            "app_websocket_url": f"{websocket}{router['websocket'].url_for()}",
            "config": {"static": {"url": f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/"}},
            "application": {"name": TITLE},
            "texts": {**texts, "lang": language},
        }

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: the server says it is serving once it listens (see `serve`)."""

    def serve(self, debug: bool = False) -> None:
        """textual-serve's `serve`, announcing the address only once the socket listens."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        where = self.fixed_public_url or f"http://{self.host}:{self.port}"

        def listening(*_: object) -> None:
            logging.getLogger("crm.web").info("serving the console on %s for the %s", where, self.target.describe())

        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=listening)

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s crm web: %(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def run(target: Target, host: str, port: int, public_url: str | None = None, idle: timedelta = IDLE) -> None:
    ConsoleWebServer(target, host, port, public_url, idle).serve()
