"""`crm ssh-serve`: an SSH server (asyncssh) that gives each connection its own console process.

Each session runs `crm --db …` or `crm --server …` in a fresh pseudo-terminal sized to the
client's terminal; resizes are passed on (TIOCSWINSZ, which signals the console with SIGWINCH).
SSH itself asks for no credentials: the console's own two-step sign-in (password and one-time
code) is the authentication, exactly as at a local terminal. A session without input for the
token idle limit, counted from the console's first screen, is closed (`tui/thin/idle.py`); a
console that crashes ends only its own connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import gettext
import logging
import os
import signal
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import asyncssh

from core.access.tokens import IDLE
from tui.i18n import DOMAIN, LOCALE_DIR, N_, pick_language
from tui.thin.child import Target, console_environment, memory_kb
from tui.thin.hostkey import load_or_create_host_key
from tui.thin.idle import START, IdleClock
from tui.thin.pty_console import PtyConsole, Spares, set_size

log = logging.getLogger("crm.ssh")

NO_TERMINAL = N_("The console needs a terminal: connect with ssh -t.")
TOO_MANY = N_("Too many sessions on this server; try again later.")
IDLE_CLOSED = N_("The session was closed after {minutes} min without input.")
ENDED_BADLY = N_("The console stopped unexpectedly; connect again.")
MAX_PENDING = 1 << 16  # bytes of typing held for a console that is not reading
# What a console left on the client's terminal if it died without cleaning up: leave the
# alternate screen, show the cursor, stop mouse reports and bracketed paste.
TERMINAL_RESET = b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[0m\r\n"


@dataclass
class ServeOptions:
    target: Target
    host: str = "127.0.0.1"
    port: int = 2222
    host_key: Path | None = None
    idle: timedelta = IDLE
    start: timedelta = START  # a console that has drawn nothing by then is closed
    max_sessions: int = 64
    spares: int = 1


@dataclass
class Registry:
    """Live sessions of one server, by number (for limits, logs and shutdown)."""

    options: ServeOptions
    spares: Spares
    sessions: dict[int, ConsoleSession] = field(default_factory=dict)
    counter: int = 0

    def next_number(self) -> int:
        self.counter += 1
        return self.counter


def translated(chan: asyncssh.SSHServerChannel, message: str) -> str:
    """`message` in the language the console of this channel speaks (the client's locale, else the server's)."""
    env = console_environment(None, dict(chan.get_environment()))
    language = pick_language(env.get("CRM_LANG"), env)
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True).gettext(message)


class ConsoleSession(asyncssh.SSHServerSession):  # type: ignore[misc]
    """One SSH session channel bridged to one console process in a pty."""

    def __init__(self, registry: Registry, number: int, peer: str, username: str) -> None:
        self.registry = registry
        self.number = number
        self.peer = peer
        self.username = username
        self.chan: asyncssh.SSHServerChannel | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.master: int | None = None
        self.console: PtyConsole | None = None
        self.output_done = asyncio.Event()
        self.idle_closed = False
        self.never_drew = False
        self._pending = b""
        self._clock: IdleClock | None = None
        self._task: asyncio.Task[None] | None = None

    # --- asyncssh callbacks ------------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        self.term = term_type
        if term_size[0] and term_size[1]:
            self.size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False  # the console only: no commands run on the server

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        assert self.chan is not None
        if self.term is None:
            self._say(NO_TERMINAL)
            self.chan.exit(1)
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: bytes, datatype: object) -> None:
        if self._clock is not None:
            self._clock.typed()
        self._write_to_console(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if width and height:
            self.size = (width, height)
            if self.master is not None:
                set_size(self.master, width, height)

    def eof_received(self) -> bool:
        self.stop()
        return False

    def pause_writing(self) -> None:
        if self.master is not None and not self.output_done.is_set():
            asyncio.get_running_loop().remove_reader(self.master)

    def resume_writing(self) -> None:
        if self.master is not None and not self.output_done.is_set():
            asyncio.get_running_loop().add_reader(self.master, self._read_console)

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop()

    # --- the console process ---------------------------------------------------------------

    async def _run(self) -> None:
        assert self.chan is not None
        loop = asyncio.get_running_loop()
        options = self.registry.options
        self._clock = IdleClock(options.idle, options.start, self._expired)  # from the connection
        env = console_environment(self.term, dict(self.chan.get_environment()))
        try:
            self.console = await self.registry.spares.take(env, self.size)
        except OSError as exc:
            log.error("session %d: the console did not start: %s", self.number, exc.strerror)
            self._say(ENDED_BADLY)
            self.chan.exit(1)
            return
        if self.number not in self.registry.sessions:  # the client left (or the start limit passed)
            self.console.terminate()
            await self.console.process.wait()
            os.close(self.console.master)
            if self.never_drew:
                self._say(ENDED_BADLY)
                self.chan.exit(1)
            return
        self.master = self.console.master
        loop.add_reader(self.master, self._read_console)
        self._flush_pending()
        process = self.console.process
        log.info("session %d: console pid %d, %dx%d", self.number, process.pid, *self.size)
        code = await process.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.output_done.wait(), 2)
        self._close_master()
        if self.idle_closed:
            self.chan.write(TERMINAL_RESET)
            self._say(IDLE_CLOSED, minutes=f"{options.idle.total_seconds() / 60:g}")
        elif self.never_drew or code not in (0, -signal.SIGTERM, -signal.SIGHUP):
            if not self.never_drew:  # (that one is logged when it is closed)
                log.warning("session %d: the console exited with %d", self.number, code)
            self.chan.write(TERMINAL_RESET)
            self._say(ENDED_BADLY)
        log.info("session %d: ended (exit %d)", self.number, code)
        self.chan.exit(0 if code == 0 else 1)

    def _read_console(self) -> None:
        assert self.master is not None and self.chan is not None
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: the console closed its terminal
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
            self.output_done.set()
            return
        if self._clock is not None:
            self._clock.output(data)
        self.chan.write(data)

    def _write_to_console(self, data: bytes) -> None:
        if len(self._pending) < MAX_PENDING:  # a console that reads nothing is not sent more
            self._pending += data
        self._flush_pending()

    def _flush_pending(self) -> None:
        if self.master is None or not self._pending:
            return
        loop = asyncio.get_running_loop()
        try:
            written = os.write(self.master, self._pending)
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending = b""
            return
        self._pending = self._pending[written:]
        loop.remove_writer(self.master)
        if self._pending:
            loop.add_writer(self.master, self._flush_pending)

    def _expired(self, drawn: bool) -> None:
        assert self._clock is not None
        if drawn:
            log.info("session %d: closed after %g s without input", self.number, self._clock.limit)
            self.idle_closed = True
        else:
            log.warning("session %d: the console drew nothing in %g s; closed", self.number, self._clock.start)
            self.never_drew = True
        self.stop()

    def _close_master(self) -> None:
        if self.master is not None:
            loop = asyncio.get_running_loop()
            loop.remove_reader(self.master)
            loop.remove_writer(self.master)
            os.close(self.master)
            self.master = None

    def _say(self, message: str, **values: object) -> None:
        assert self.chan is not None
        self.chan.write(f"\r\n{translated(self.chan, message).format(**values)}\r\n".encode())

    def stop(self) -> None:
        """End the console; the channel closes when it has exited."""
        if self._clock is not None:
            self._clock.cancel()
        self.registry.sessions.pop(self.number, None)
        if self.console is not None:
            self.console.terminate()

    def memory(self) -> dict[str, int]:
        return memory_kb(self.console.process.pid) if self.console else {}


class _Connection(asyncssh.SSHServer):  # type: ignore[misc]
    """One client connection: no SSH-level credentials; at most `max_sessions` consoles in all."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.peer = "?"
        self.username = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        host, port = conn.get_extra_info("peername")[:2]
        self.peer = f"{host}:{port}"

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return False  # no SSH authentication: the console signs the employee in

    def session_requested(self) -> ConsoleSession | bool:
        registry = self.registry
        if len(registry.sessions) >= registry.options.max_sessions:
            log.warning("refused a session from %s: %d sessions open", self.peer, len(registry.sessions))
            return _Refused()
        number = registry.next_number()
        session = ConsoleSession(registry, number, self.peer, self.username)
        registry.sessions[number] = session
        log.info("session %d: from %s as %r", number, self.peer, self.username)
        return session


class _Refused(asyncssh.SSHServerSession):  # type: ignore[misc]
    """Tells the client the server is full, then closes."""

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        self.chan.write(f"{translated(self.chan, TOO_MANY)}\r\n".encode())
        self.chan.exit(1)


async def start(options: ServeOptions) -> tuple[asyncssh.SSHAcceptor, Registry]:
    """Listen; returns the acceptor and the registry of live sessions."""
    key, path, created = load_or_create_host_key(options.host_key)
    if created:
        log.info("generated the host key %s", path)
    registry = Registry(options, Spares(options.target, options.spares))
    acceptor = await asyncssh.listen(
        options.host,
        options.port,
        server_host_keys=[key],
        server_factory=lambda: _Connection(registry),
        encoding=None,
        line_editor=False,
        allow_pty=True,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        login_timeout=60,
        keepalive_interval=60,
    )
    # only once listening: a spare started before a refused port outlived the command (its pty
    # gone before it took it as its terminal, it never got SIGHUP and read EOF in a busy loop)
    registry.spares.refill(console_environment(None))
    return acceptor, registry


async def serve_forever(options: ServeOptions) -> None:
    """Serve until SIGINT or SIGTERM; then end every console (SIGKILL after 5 s) and close."""
    acceptor, registry = await start(options)
    port = acceptor.get_port()
    log.info("listening on %s port %d for the %s", options.host, port, options.target.describe())
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    await stopping.wait()
    log.info("stopping: %d sessions open", len(registry.sessions))
    acceptor.close()
    consoles = [c for s in registry.sessions.values() if (c := s.console)] + registry.spares.ready
    registry.spares.close()
    for session in list(registry.sessions.values()):
        session.stop()
    if consoles:
        await asyncio.wait([asyncio.ensure_future(c.process.wait()) for c in consoles], timeout=5)
    for console in consoles:
        if console.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(console.process.pid, signal.SIGKILL)
    await acceptor.wait_closed()


def run(options: ServeOptions) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s crm ssh-serve: %(message)s")
    asyncssh.set_log_level(logging.WARNING)
    asyncio.run(serve_forever(options))
