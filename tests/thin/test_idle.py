"""The idle limit counts from the console's first screen; a console that draws nothing is closed
at the start limit (`tui/thin/idle.py`): the clock on a hand-moved time, and `crm ssh-serve`'s
sessions (in this process) with consoles that draw late or never."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable
from datetime import timedelta

import asyncssh
import pytest

from tests.thin.conftest import ended
from tests.thin.terminal import WAIT
from tui.thin import pty_console, ssh
from tui.thin.idle import IdleClock, shows_something

START_MODES = b"\x1b[?1049h\x1b[?25l\x1b[?1004h\x1b[>1u\x1b[?2026$p"  # what a Textual console writes first


def test_only_text_is_a_screen() -> None:
    assert not shows_something(START_MODES)
    assert not shows_something(b"\x1b[1;1H   \x1b[38;2;1;2;3m  \r\n")  # blanks in colour
    assert not shows_something(b"\x1b[?1049h\x1b[?10")  # a sequence cut by the read
    assert not shows_something(b"\x1b]0;a title\x07\x1b]0;cut")
    assert shows_something(b"\x1b[2;3HSign in")
    assert shows_something("\x1b[HВход".encode())


class HandClock:
    """An event loop's `time` and `call_later`, moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0
        self.due: list[tuple[float, Callable[[], None]]] = []

    def time(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[[], None]) -> HandClock.Handle:
        entry = (self.now + delay, callback)
        self.due.append(entry)
        return HandClock.Handle(self, entry)

    def move_to(self, when: float) -> None:
        while ready := sorted((entry for entry in self.due if entry[0] <= when), key=lambda entry: entry[0]):
            self.due.remove(ready[0])
            self.now = ready[0][0]
            ready[0][1]()
        self.now = when

    class Handle:
        def __init__(self, clock: HandClock, entry: tuple[float, Callable[[], None]]) -> None:
            self.clock, self.entry = clock, entry

        def cancel(self) -> None:
            if self.entry in self.clock.due:
                self.clock.due.remove(self.entry)


def make_clock() -> tuple[HandClock, IdleClock, list[tuple[float, bool]]]:
    hand = HandClock()
    closed: list[tuple[float, bool]] = []
    clock = IdleClock(
        timedelta(seconds=2),
        timedelta(seconds=60),
        lambda drawn: closed.append((hand.now, drawn)),
        hand,  # type: ignore[arg-type]
    )
    return hand, clock, closed


def test_the_limit_counts_from_the_first_screen_and_each_key_after_it() -> None:
    hand, clock, closed = make_clock()
    hand.move_to(109)  # the console starts slowly: its terminal modes, no screen yet
    clock.output(START_MODES)
    clock.typed()  # typed ahead: the limit has not started
    hand.move_to(110)
    clock.output(b"\x1b[1;1HSign in to the CRM console")
    hand.move_to(111.5)
    clock.typed()
    hand.move_to(113.4)
    assert closed == []
    hand.move_to(120)
    assert closed == [(113.5, True)]  # 2 s after the last key


def test_a_console_that_draws_nothing_is_closed_at_the_start_limit() -> None:
    hand, clock, closed = make_clock()
    clock.output(START_MODES)
    clock.typed()
    hand.move_to(159)
    assert closed == []
    hand.move_to(200)
    assert closed == [(160, False)]


def test_a_cancelled_clock_closes_nothing() -> None:
    hand, clock, closed = make_clock()
    clock.output(b"drawn")
    clock.cancel()
    hand.move_to(1000)
    assert closed == [] and hand.due == []


# --- sessions of `crm ssh-serve` (this process) with consoles that are scripts --------------


async def _session_output(monkeypatch: pytest.MonkeyPatch, tmp_path, script: str, **options: object) -> bytes:  # type: ignore[no-untyped-def]
    """Everything a client's terminal gets from one session whose console runs `script`."""
    monkeypatch.setattr(pty_console, "console_command", lambda target: [sys.executable, "-c", script])
    serve = ssh.ServeOptions(ssh.Target(database="unused"), port=0, host_key=tmp_path / "key", spares=0, **options)  # type: ignore[arg-type]
    acceptor, _registry = await ssh.start(serve)
    try:
        async with asyncssh.connect(
            "127.0.0.1", acceptor.get_port(), username="x", known_hosts=None, client_keys=None, agent_path=None
        ) as connection:
            process = await connection.create_process(term_type="xterm", encoding=None)
            output = await asyncio.wait_for(process.stdout.read(), WAIT)  # until the server ends the session
            await process.wait_closed()
        return output
    finally:
        acceptor.close()
        await acceptor.wait_closed()


async def test_a_console_that_never_draws_is_closed(monkeypatch, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    output = await _session_output(
        monkeypatch,
        tmp_path,
        "import sys; sys.stdout.write('\\x1b[?1049h'); sys.stdout.flush(); sys.stdin.read()",
        start=timedelta(seconds=0.5),
        idle=timedelta(minutes=30),
    )
    assert b"The console stopped unexpectedly; connect again." in output
    assert "the console drew nothing in 0.5 s; closed" in caplog.text


async def test_a_tab_whose_console_never_draws_is_closed_and_its_console_ends(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    import aiohttp
    from aiohttp import web

    from tui.thin.web import ConsoleWebServer

    server = ConsoleWebServer(ssh.Target(database="unused"), "127.0.0.1", 0, start=timedelta(seconds=0.5))
    pid_file = tmp_path / "pid"
    # a console that says it is a Textual app, sets a terminal mode and then hangs, reading nothing
    script = (
        f"import os, sys, time; open({str(pid_file)!r}, 'w').write(str(os.getpid()));"
        " sys.stdout.buffer.write(b'__GANGLION__\\n' + b'D' + (8).to_bytes(4, 'big') + b'\\x1b[?1049h');"
        " sys.stdout.flush(); time.sleep(600)"
    )
    server.command = "exec " + shlex.join([sys.executable, "-c", script])  # as `web_command`
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as client:
            ws = await client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24")
            received = [message.data async for message in ws if message.type == aiohttp.WSMsgType.BINARY]
        assert received == [b"\x1b[?1049h"]
        assert "a tab closed: its console drew nothing in 0.5 s" in caplog.text
        assert await asyncio.to_thread(ended, int(pid_file.read_text()), WAIT), "the tab's console still runs"
    finally:
        await runner.cleanup()
