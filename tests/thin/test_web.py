"""`crm web` in headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

What the page shows is read from the terminal bytes the browser receives over its WebSocket
(fed to a terminal emulator, pyte), since xterm.js draws on a canvas; screenshots are kept in
tests/artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from urllib.parse import urlparse

import pyte
import pytest

from tests.thin.conftest import (
    ARTIFACTS,
    Served,
    crm_argv,
    ended,
    free_port,
    require_program,
    server_env,
    sign_in_code,
)
from tests.thin.terminal import WAIT
from tests.tui import world

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserScreen:
    """The console as the page's terminal got it: WebSocket frames fed to a pyte screen."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(200, 60)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = threading.Condition()

    def sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            with self.changed:
                self.screen.resize(size["height"], size["width"])

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            with self.changed:
                self.stream.feed(payload)
                self.changed.notify_all()

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *needles: str, page) -> str:  # type: ignore[no-untyped-def]
        # Playwright delivers frames on this thread while it waits: poll it, never a sleep.
        for _ in range(int(WAIT * 10)):
            with self.changed:
                text = self.text()
            if all(n in text for n in needles):
                return text
            page.wait_for_timeout(100)
        raise AssertionError(f"waited for {needles}; the page's terminal:\n{text}")


@pytest.fixture(scope="module")
def web_server(module_thin_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One `crm web` for the module's tests of the default options (each tab is its own console)."""
    port = free_port()
    argv = crm_argv("web", "--db", str(module_thin_db[0]), "--port", str(port))
    served = Served(argv, r"serving the console on http://127\.0\.0\.1:\d+", server_env(tmp_path_factory.mktemp("web")))
    yield f"http://127.0.0.1:{port}/"
    served.stop()


def test_sign_in_in_the_browser(web_server, module_thin_db) -> None:
    chromium = require_program("chromium", "CRM_TEST_REQUIRE_CHROMIUM", "chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    terminal = BrowserScreen()
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700}, locale="en-US")
            page.on("request", lambda request: requests.append(request.url))

            def watch(ws) -> None:  # type: ignore[no-untyped-def]
                ws.on("framesent", terminal.sent)
                ws.on("framereceived", terminal.received)

            page.on("websocket", watch)
            page.goto(web_server)
            terminal.wait_for("Sign in to the CRM console", "Login", "Password", page=page)
            page.screenshot(path=str(ARTIFACTS / "web-sign-in.png"))
            page.locator(".textual-terminal").click()
            page.keyboard.type("operator")
            page.keyboard.press("Enter")
            page.keyboard.type(world.PASSWORD)
            page.keyboard.press("Enter")
            terminal.wait_for("Code sent by SMS", page=page)
            page.keyboard.type(sign_in_code(module_thin_db[1], "operator"))
            page.keyboard.press("Enter")
            terminal.wait_for("Search: phone, name, CRM id", world.EMPLOYEES["operator"][0], page=page)
            page.keyboard.type("Петрова")
            page.keyboard.press("Enter")
            terminal.wait_for("Петрова Анна", page=page)
            page.screenshot(path=str(ARTIFACTS / "web-search.png"))
            # Another tab is another console: it starts at the sign-in screen, knowing nothing of the first.
            other = BrowserScreen()
            second = browser.new_page(viewport={"width": 900, "height": 500}, locale="en-US")
            second.on("websocket", lambda ws: (ws.on("framesent", other.sent), ws.on("framereceived", other.received)))
            second.goto(web_server)
            text = other.wait_for("Sign in to the CRM console", page=second)
            assert "Петрова" not in text and world.EMPLOYEES["operator"][0] not in text
            assert "Петрова Анна" in terminal.text() and "Sign in" not in terminal.text()
        finally:
            browser.close()
    assert (ARTIFACTS / "web-sign-in.png").stat().st_size > 0
    # Everything the page loaded came from the console's own server: no CDN, no web fonts.
    assert {urlparse(url).netloc for url in requests} == {urlparse(web_server).netloc}


def test_the_page_is_translated_and_loads_nothing_from_outside(web_server) -> None:
    import httpx

    page = httpx.get(web_server, headers={"Accept-Language": "ru-RU,ru;q=0.9"}, timeout=30).text
    assert 'lang="ru"' in page and "Сеанс завершён." in page
    assert "googleapis" not in page and "https://" not in page
    assert "ws://127.0.0.1:" in page
    behind_proxy = httpx.get(
        web_server, headers={"Host": "crm.example.org", "X-Forwarded-Proto": "https"}, timeout=30
    ).text
    assert "wss://crm.example.org/ws" in behind_proxy and "https://crm.example.org/static/js/textual.js" in behind_proxy


def _children(pid: int) -> list[str]:
    """The live children: one that has ended but is not yet reaped by its parent (a zombie, state
    Z) runs nothing any more."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
            found += (task / "children").read_text().split()
    return [child for child in found if _state(child) not in ("Z", None)]


def _state(pid: str) -> str | None:
    try:  # /proc/PID/stat: "pid (name) state ..."; the name may hold spaces and brackets
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return None  # reaped meanwhile


async def test_an_idle_tab_is_closed_and_its_console_ends(thin_db, tmp_path) -> None:
    import aiohttp

    port = free_port()
    # 1.2 s, counted from the console's first screen however late a loaded machine draws it
    argv = crm_argv("web", "--db", str(thin_db[0]), "--port", str(port), "--idle-minutes", "0.02")
    served = Served(argv, r"serving the console on", server_env(tmp_path))
    try:
        terminal = BrowserScreen()
        async with aiohttp.ClientSession() as client:
            ws = await client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
            async for message in ws:  # ends when the server closes the socket
                if message.type == aiohttp.WSMsgType.BINARY:
                    terminal.received(message.data)
        assert "Sign in to the CRM console" in terminal.text()
        served.wait_for_log(r"a tab closed after 1\.2 s without input")
        for child in _children(served.process.pid):  # the tab's console process ends with it
            assert ended(int(child), WAIT), f"the tab's console {child} still runs"
        assert not _children(served.process.pid)
    finally:
        served.stop()
